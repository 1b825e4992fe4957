/**
 * Paged.js 0.4.3 (its polyfill, driven by our puppeteer-core): CSS paged media for horizontal
 * books — `break-before: right`, running heads through named pages with :first, margin boxes.
 * It cannot do vertical-rl (its overflow check only looks right and down, so text is lost).
 *
 * A long book is paginated in chunks, one renderer each, in parallel (chunks.ts); the
 * numbers of the contents and index are then written in from every chunk's pages, each
 * chunk printed and the parts joined (join.ts). Paged.js's target-counter() is not used: it
 * cannot see across chunks.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { WenjiError } from '../../model/diagnostics.ts';
import { addStandIns, loadChunkPages, placeChunks } from './chunks.ts';
import { loadPdf } from './destinations.ts';
import { fillTocPages, withDeadline, type PdfEngine, type PlacedMark, type PrintedPdf, type PrintJob } from './engine.ts';
import { joinPdfs, setNamedDestinations } from './join.ts';
import { patchPagedPolyfill } from './pagedjs-patches.ts';

let polyfillSource: string | undefined;

/** The polyfill text with our speed patches applied (read once per process). */
export function pagedPolyfill(patched = true): string {
  // The package's exports hide dist/; resolve its entry point and walk to the polyfill.
  const entry = createRequire(import.meta.url).resolve('pagedjs');
  const file = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}pagedjs${path.sep}`) + 8), 'dist/paged.polyfill.js');
  const original = readFileSync(file, 'utf8');
  if (!patched) return original;
  polyfillSource ??= patchPagedPolyfill(original, file);
  return polyfillSource;
}

export function refuseVertical(): WenjiError {
  return new WenjiError(
    'the pagedjs engine cannot set vertical text: Paged.js 0.4.3 drops part of the text in writing-mode: vertical-rl. ' +
      'Use --engine chromium (the default for vertical layouts).',
  );
}

/**
 * Paged.js fetches stylesheets with XMLHttpRequest, which Chromium refuses between file://
 * URLs. So the page hands us its stylesheet URLs, we read them from the allowed directories
 * and give Paged.js their text (keyed by URL, so relative url()s still resolve).
 */
async function stylesheetTexts(hrefs: (string | Record<string, string>)[], allowedDirs: string[]) {
  const roots = allowedDirs.map((d) => path.resolve(d) + path.sep);
  return Promise.all(
    hrefs.map(async (h) => {
      if (typeof h !== 'string') return h;
      if (!h.startsWith('file:')) throw new WenjiError(`stylesheet ${h} is not a local file; the print HTML may only use the build's own files`);
      const file = fileURLToPath(h);
      if (!roots.some((r) => file.startsWith(r))) throw new WenjiError(`stylesheet ${file} is outside the build's directories`);
      return { [h]: await readFile(file, 'utf8') };
    }),
  );
}

/**
 * Every page Paged.js adds makes each later layout query slower, because the whole live page
 * area is laid out again (per-page time grows with the page count: quadratic overall).
 * Pages two behind the one being laid out are finished (one behind is not: Paged.js still
 * justifies its last line when the next page starts): stop their resize observers and take
 * them out of the document. (Parked in a display: none holder instead, they still made each
 * page slower than the last: 9 ms a page at the start of a 945-page run, 32 ms at its end.)
 * After pagination all pages go back in order.
 */
export const FINISHED_PAGES_SCRIPT = `(() => {
  const polyfill = window.PagedPolyfill;
  polyfill.on('page', () => {
    const pages = polyfill.chunker.pages;
    const old = pages[pages.length - 3];
    if (!old || !old.element || !old.element.isConnected) return;
    old.removeListeners();
    old.element.remove();
  });
  window.wenjiRestorePages = () => {
    const area = polyfill.chunker.pagesArea;
    for (const p of polyfill.chunker.pages) area.appendChild(p.element);
  };
})()`;

/**
 * Chromium's print paints each page by going through every paint layer of the document, and
 * Paged.js gives every page three (position: relative on the page box and the content area,
 * overflow: hidden on the footnote area), so printing time grows with the square of the page
 * count. Pages that need none of them (empty footnote area, nothing absolutely positioned)
 * lose them just before printing: a relative box without offsets moves nothing, and an empty
 * footnote area clips nothing, so the pages look the same (checked pixel for pixel).
 */
export const FLATTEN_PAGES_SCRIPT = `(() => {
  let flattened = 0;
  for (const page of document.querySelectorAll('.pagedjs_pages > .pagedjs_page')) {
    const notes = page.querySelector('.pagedjs_footnote_area');
    if (notes && !notes.querySelector(':scope > .pagedjs_footnote_content.pagedjs_footnote_empty')) continue;
    let positioned = false;
    for (const el of page.querySelectorAll('.pagedjs_pagebox *')) {
      const p = getComputedStyle(el).position;
      if (p === 'absolute' || p === 'fixed') { positioned = true; break; }
    }
    if (positioned) continue;
    for (const el of page.querySelectorAll('.pagedjs_pagebox, .pagedjs_page_content, .pagedjs_footnote_area')) {
      el.style.setProperty('position', 'static', 'important');
    }
    for (const el of page.querySelectorAll('.pagedjs_footnote_area, .pagedjs_footnote_content, .pagedjs_footnote_inner_content')) {
      el.style.setProperty('overflow', 'visible', 'important');
    }
    flattened++;
  }
  return flattened;
})()`;

/** Runs Paged.js in the page and waits until every page is laid out. */
async function paginate(page: Page, source: string, allowedDirs: string[]): Promise<{ pages: number; ms: number }> {
  await page.evaluate(() => {
    (window as unknown as { PagedConfig: unknown }).PagedConfig = { auto: false };
  });
  await page.addScriptTag({ content: source });
  const hrefs = await page.evaluate(() =>
    (window as unknown as { PagedPolyfill: { removeStyles(): (string | Record<string, string>)[] } }).PagedPolyfill.removeStyles(),
  );
  const sheets = await stylesheetTexts(hrefs, allowedDirs);
  await page.evaluate(FINISHED_PAGES_SCRIPT);
  // Nothing needs to be seen while Paged.js lays pages out, but the live pages sit in the
  // viewport and were painted and rasterised frame after frame (~15% of the time, traced).
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.id = 'wenji-unpainted';
    style.textContent = '.pagedjs_pages { visibility: hidden !important; }';
    document.head.appendChild(style);
  });
  return page.evaluate(async (sheets) => {
    const t0 = performance.now();
    const w = window as unknown as {
      PagedPolyfill: { preview(c?: unknown, s?: unknown): Promise<{ total: number }> };
      wenjiRestorePages(): void;
    };
    const flow = await w.PagedPolyfill.preview(undefined, sheets);
    w.wenjiRestorePages();
    document.getElementById('wenji-unpainted')?.remove();
    return { pages: flow.total, ms: performance.now() - t0 };
  }, sheets);
}

/** Where the marked elements and the book's link targets landed, in the chunk's own pages. */
interface ChunkPlacement {
  pages: number;
  marks: PlacedMark[];
  /** id → page and distance from the page top (CSS px), for every target of the contents and index in this chunk. */
  anchors: Record<string, { page: number; top: number }>;
}

async function readPlacement(page: Page): Promise<Omit<ChunkPlacement, 'pages'>> {
  return page.evaluate(() => {
    const pageOf = (el: Element | null): number | undefined => {
      const p = el?.closest<HTMLElement>('.pagedjs_page');
      return p ? Number(p.dataset.pageNumber) : undefined;
    };
    const topOf = (el: Element): number => {
      const p = el.closest('.pagedjs_page')!;
      return el.getBoundingClientRect().top - p.getBoundingClientRect().top;
    };
    const marks = [...document.querySelectorAll<HTMLElement>('.pagedjs_pages [data-bookmark-level][id]')].flatMap((el) => {
      const n = pageOf(el);
      if (n === undefined) return [];
      return [
        {
          id: el.id,
          level: Number(el.dataset.bookmarkLevel) || 1,
          title: el.dataset.bookmarkTitle || el.textContent?.trim().slice(0, 80) || el.id,
          page: n,
          top: topOf(el),
        },
      ];
    });
    // In a chunk (chunks.ts keepChunk), the targets of the whole book's contents and index.
    const book = document.documentElement.dataset.bookTargets;
    const targets = book
      ? (JSON.parse(book) as string[])
      : [...document.querySelectorAll<HTMLElement>('.pagedjs_pages span.toc-page[data-target]')].map((el) => el.dataset.target!);
    const anchors: Record<string, { page: number; top: number }> = {};
    for (const id of targets) {
      const el = document.getElementById(id);
      const n = pageOf(el);
      if (el && n !== undefined) anchors[id] = { page: n, top: topOf(el) };
    }
    return { marks, anchors };
  });
}

/**
 * Makes the chunk's folios continue the book's numbering: Paged.js counts pages with CSS
 * counters on its page boxes, so the first one counts for the pages before it.
 */
async function continuePageNumbers(page: Page, offset: number): Promise<void> {
  if (offset === 0) return;
  await page.addStyleTag({ content: `.pagedjs_pages > .pagedjs_page:first-child { counter-increment: page ${offset + 1}; }` });
}

const CSS_PX_TO_PT = 0.75;

export const pagedjsEngine: PdfEngine = {
  name: 'pagedjs',
  async print(browser, job: PrintJob): Promise<PrintedPdf> {
    if (job.layout === 'vertical') throw refuseVertical();
    return withDeadline('pagedjs', job.timeoutMs, async () => {
      const { chunks, loaded } = await loadChunkPages(browser, job.rendered);
      try {
        job.progress?.(`pagedjs: paginating${chunks.length > 1 ? ` (${chunks.length} chunks in parallel)` : ''}`);
        const polyfill = pagedPolyfill();
        const dirs = [job.rendered.baseDir, ...job.rendered.assetDirs];
        const placed: ChunkPlacement[] = await Promise.all(
          loaded.map(async ({ page }) => ({ pages: (await paginate(page, polyfill, dirs)).pages, ...(await readPlacement(page)) })),
        );
        const placements = placeChunks(placed.map((p) => p.pages));
        const tocPages: Record<string, number> = {};
        const destinations = new Map<string, { page: number; top: number }>();
        const marks: PlacedMark[] = [];
        placed.forEach((p, c) => {
          const offset = placements[c]!.offset;
          for (const [id, a] of Object.entries(p.anchors)) {
            tocPages[id] = offset + a.page;
            destinations.set(id, { page: offset + a.page, top: a.top * CSS_PX_TO_PT });
          }
          for (const m of p.marks) marks.push({ ...m, page: offset + m.page, top: m.top === undefined ? undefined : m.top * CSS_PX_TO_PT });
        });
        const pages = placements.at(-1)!.offset + placed.at(-1)!.pages;
        job.progress?.(`pagedjs: printing ${pages} pages`);
        const docs = await Promise.all(
          loaded.map(async ({ page }, c) => {
            await fillTocPages(page, tocPages);
            await addStandIns(page);
            await continuePageNumbers(page, placements[c]!.offset);
            await page.evaluate(FLATTEN_PAGES_SCRIPT);
            return loadPdf(await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 }));
          }),
        );
        const document = joinPdfs(docs.map((doc, c) => ({ doc, blankBefore: placements[c]!.blankBefore })));
        setNamedDestinations(document, destinations);
        return { document, pages: document.getPageCount(), marks, tocPages };
      } finally {
        await Promise.all(loaded.map((l) => l.close()));
      }
    });
  },
};
