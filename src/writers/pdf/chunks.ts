/**
 * Long books are printed in chunks, each in its own Chromium renderer, so that every core
 * works: Chromium lays out and prints a document on one thread. A chunk is a run of the
 * body's top-level elements (title pages, contents, part titles, speeches, index) that
 * starts at a recto opening; every chunk page loads the whole HTML and keeps only its run.
 * The parts are joined in order (with a blank page where a chunk would otherwise open on
 * a verso); page numbers continue across chunks through a page-counter offset.
 */
import os from 'node:os';
import type { Browser, Page } from 'puppeteer-core';
import { WenjiError } from '../../model/diagnostics.ts';
import { loadPrintPage, type RenderedHtml, type ShowPage } from './engine.ts';
import { TEMPLATE_CONTRACT } from '../../render/template-contract.ts';

/** A direct child of <body>, as the chunk planner sees it. */
export interface TopLevelElement {
  /** Opens on a recto ([data-recto]): a chunk may start here. */
  recto: boolean;
  /** Length of its text, a stand-in for the work of laying it out and printing it. */
  chars: number;
}

/** A chunk: top-level elements [start, end). */
export interface Chunk {
  start: number;
  end: number;
}

/**
 * Splits the elements into runs of about equal text, each but the first starting at a recto
 * element: at most `maxChunks` runs, and one per `minChars` of text at most (a renderer
 * costs a page load, fonts and a join; small books stay in one).
 */
export function planChunks(elements: readonly TopLevelElement[], maxChunks: number, minChars: number): Chunk[] {
  const total = elements.reduce((n, e) => n + e.chars, 0);
  const wanted = Math.max(1, Math.min(maxChunks, Math.floor(total / Math.max(1, minChars))));
  const starts = [0];
  let before = 0;
  const cumulative = elements.map((e) => ((before += e.chars), before - e.chars));
  for (let k = 1; k < wanted; k++) {
    const target = (total * k) / wanted;
    let best = -1;
    for (let i = starts[starts.length - 1]! + 1; i < elements.length; i++) {
      if (!elements[i]!.recto) continue;
      if (best < 0 || Math.abs(cumulative[i]! - target) < Math.abs(cumulative[best]! - target)) best = i;
    }
    if (best > 0) starts.push(best);
  }
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? elements.length }));
}

/** A whole number ≥ 1 from the environment, or the default. */
function envCount(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const v = env[key];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v) || Number(v) === 0) throw new WenjiError(`${key}=${v} must be a whole number of at least 1.`);
  return Number(v);
}

/** How many renderers print one book at once: WENJI_PDF_WORKERS, else the cores (at most 4). */
export function printWorkers(env: NodeJS.ProcessEnv = process.env): number {
  return envCount(env, 'WENJI_PDF_WORKERS', Math.max(1, Math.min(4, os.availableParallelism())));
}

/**
 * The least text (characters) worth a renderer of its own: WENJI_PDF_CHUNK_CHARS, else
 * 80,000 (~130 A5 pages; a renderer costs a page load, fonts and a join).
 */
export function minChunkChars(env: NodeJS.ProcessEnv = process.env): number {
  return envCount(env, 'WENJI_PDF_CHUNK_CHARS', 80_000);
}

/** The body's direct children, for planChunks. */
export async function topLevelElements(page: Page): Promise<TopLevelElement[]> {
  return page.evaluate(
    (rectoAttribute: string) =>
      [...document.body.children].map((el) => ({ recto: el.hasAttribute(rectoAttribute), chars: el.textContent?.length ?? 0 })),
    TEMPLATE_CONTRACT.rectoAttribute,
  );
}

/**
 * Removes every top-level element outside the chunk (before layout: they cost nothing).
 * What the whole book's contents and index point at is kept as data-book-targets on <html>:
 * the chunk holding a target must find its page even though the link is elsewhere.
 */
export async function keepChunk(page: Page, chunk: Chunk): Promise<void> {
  await page.evaluate(
    (start: number, end: number, tocPage: string) => {
      const targets = [...document.querySelectorAll<HTMLElement>(tocPage)].map((el) => el.dataset.target!);
      document.documentElement.dataset.bookTargets = JSON.stringify([...new Set(targets)]);
      [...document.body.children].forEach((el, i) => {
        if (i < start || i >= end) el.remove();
      });
    },
    chunk.start,
    chunk.end,
    TEMPLATE_CONTRACT.tocPage,
  );
}

/** Where each chunk's pages go in the joined book. */
export interface ChunkPlacement {
  /** Blank pages put before the chunk so that it opens on a recto (0 or 1). */
  blankBefore: number;
  /** Pages of the book before the chunk's first page, blank ones included. */
  offset: number;
}

/**
 * Chunks of `pages` pages each, joined in order: every chunk after the first opens on a
 * recto (an odd page), so one that would start on an even page gets a blank page first.
 */
export function placeChunks(pages: readonly number[]): ChunkPlacement[] {
  let used = 0;
  return pages.map((n, i) => {
    const blankBefore = i > 0 && used % 2 === 1 ? 1 : 0;
    const offset = used + blankBefore;
    used = offset + n;
    return { blankBefore, offset };
  });
}

/**
 * A link to an id that is in another chunk: Chromium writes no link without its target, so
 * the chunk gets an empty stand-in at the top of its first page. Its destination is replaced
 * by the real one when the parts are joined.
 */
export async function addStandIns(page: Page): Promise<void> {
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.id = 'wenji-stand-ins';
    box.setAttribute('style', 'position:absolute;top:0;left:0;width:0;height:0;overflow:hidden;');
    for (const a of document.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')) {
      const id = decodeURIComponent(a.getAttribute('href')!.slice(1));
      if (!id || document.getElementById(id)) continue;
      const span = document.createElement('span');
      span.id = id;
      box.appendChild(span);
    }
    // First in <body>: after the last page (Paged.js ends every page with a break) it would make one more.
    if (box.childElementCount) document.body.prepend(box);
  });
}

type Loaded = Awaited<ReturnType<typeof loadPrintPage>>;

/**
 * Loads the book into one page per chunk, all at once: every page parses the whole HTML,
 * plans the same chunks from it (the plan depends on the document only) and keeps its own
 * before any layout. How many pages to open is guessed from the HTML's length (about half of
 * it is text); a page left without a chunk is closed.
 */
export async function loadChunkPages(
  browser: Browser,
  rendered: RenderedHtml,
  options: { show?: ShowPage; keepScreenLayout?: boolean } = {},
): Promise<{ chunks: Chunk[]; loaded: Loaded[] }> {
  const minChars = minChunkChars();
  const pages = Math.max(1, Math.min(printWorkers(), Math.floor(rendered.html.length / 2 / minChars)));
  let chunks: Chunk[] = [{ start: 0, end: Infinity }];
  const settled = await Promise.allSettled(
    Array.from({ length: pages }, (_, i) =>
      loadPrintPage(browser, rendered, {
        show: options.show,
        keepScreenLayout: options.keepScreenLayout,
        beforeLayout: async (page) => {
          if (pages === 1) return;
          const plan = planChunks(await topLevelElements(page), pages, minChars);
          if (i === 0) chunks = plan;
          await keepChunk(page, plan[i] ?? { start: 0, end: 0 });
        },
      }),
    ),
  );
  const loaded = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(loaded.map((l) => l.close()));
    throw failed.reason;
  }
  await Promise.all(loaded.slice(chunks.length).map((l) => l.close()));
  return { chunks, loaded: loaded.slice(0, chunks.length) };
}
