/**
 * What every PDF engine does: take the renderer's print HTML, paginate it in Chromium and
 * return the raw PDF plus where each marked element landed (for the outline and the check
 * of the table of contents). Engines differ only in who paginates: Paged.js or Chromium.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer-core';
import { openSandboxedPage } from '../../browser/chromium.ts';
import type { Engine, Layout } from '../../model/book.ts';
import { WenjiError } from '../../model/diagnostics.ts';

/** The renderer's output (src/render/index.ts renderPrintHtml). */
export interface RenderedHtml {
  html: string;
  /** Directory relative URLs in the HTML resolve against. */
  baseDir: string;
  /** Directories the page may load from (fonts, images, styles). */
  assetDirs: string[];
}

export interface PrintJob {
  rendered: RenderedHtml;
  layout: Layout;
  /** Whole-engine time limit; past it the build fails with a WenjiError. */
  timeoutMs: number;
  progress?: (message: string) => void;
}

/** An element marked with data-bookmark-level, and the 1-based page it starts on. */
export interface PlacedMark {
  id: string;
  level: number;
  title: string;
  page: number;
  /** Distance from the page top in PDF points, when known (for the outline's jump target). */
  top?: number;
}

export interface PrintedPdf {
  /** The printed PDF, parsed; post-processing adds to it and saves it. */
  document: PDFDocument;
  pages: number;
  marks: PlacedMark[];
  /** data-target → page number, as printed in the table of contents. */
  tocPages: Record<string, number>;
  /**
   * Pages where a recto opening ([data-recto]) starts, when the engine cannot leave their
   * running head out itself (Chromium: no :first for named pages); post-processing removes it.
   */
  openingPages?: number[];
}

export interface PdfEngine {
  name: Engine;
  print(browser: Browser, job: PrintJob): Promise<PrintedPdf>;
}

/**
 * Loads the HTML from a private temp file with a <base> pointing at the renderer's baseDir,
 * in a page that may read only the build's own directories. Returns the page and a cleanup.
 * `beforeLayout` runs on the parsed but not yet laid-out document (e.g. to keep one chunk
 * of a long book): what it removes costs no layout and loads no font.
 */
export async function loadPrintPage(
  browser: Browser,
  rendered: RenderedHtml,
  beforeLayout?: (page: Page) => Promise<void>,
): Promise<{ page: Page; close: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wenji-print-'));
  const file = path.join(dir, 'print.html');
  const base = `<base href="${pathToFileURL(path.resolve(rendered.baseDir)).href.replace(/\/?$/, '/')}">`;
  // The page stays undisplayed until every font it needs has loaded: otherwise each of the
  // hundreds of font slices arriving (font-display: swap) lays a long book out once more.
  const hide = `<style id="${HIDE_STYLE_ID}">html { display: none !important; }</style>`;
  const html = (/<base\s/i.test(rendered.html) ? rendered.html : rendered.html.replace(/<head[^>]*>/i, (m) => `${m}${base}`)).replace(
    /<\/head>/i,
    (m) => `${hide}${m}`,
  );
  let page: Page;
  try {
    await writeFile(file, html);
    page = await openSandboxedPage(browser, [dir, rendered.baseDir, ...rendered.assetDirs]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const close = async () => {
    await page.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });
    // TypeScript runners (tsx, vitest) wrap named functions in __name(); functions we pass to
    // page.evaluate carry that call into the page, so give the page a no-op __name.
    await page.evaluate('globalThis.__name = (f) => f');
    await beforeLayout?.(page);
    await page.evaluate(LOAD_FONTS_FOR_TEXT);
    await page.evaluate((id: string) => document.getElementById(id)?.remove(), HIDE_STYLE_ID);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
  } catch (e) {
    await close();
    throw e;
  }
  return { page, close };
}

const HIDE_STYLE_ID = 'wenji-hide-until-fonts';

/**
 * Without layout the browser loads no web font, so load every face whose unicode-range
 * covers a character of the document (all weights: unused ones are never embedded).
 */
const LOAD_FONTS_FOR_TEXT = `(async () => {
  const text = document.documentElement.textContent || '';
  const used = new Set();
  for (const ch of text) used.add(ch.codePointAt(0));
  const covers = (range) => range.split(',').some((part) => {
    const m = /U\\+([0-9a-f?]+)(?:-([0-9a-f]+))?/i.exec(part.trim());
    if (!m) return true;
    const lo = parseInt(m[1].replace(/\\?/g, '0'), 16);
    const hi = m[2] ? parseInt(m[2], 16) : m[1].includes('?') ? parseInt(m[1].replace(/\\?/g, 'f'), 16) : lo;
    for (const cp of used) if (cp >= lo && cp <= hi) return true;
    return false;
  });
  const faces = [...document.fonts].filter((f) => f.status === 'unloaded' && covers(f.unicodeRange));
  await Promise.all(faces.map((f) => f.load().catch(() => undefined)));
})()`;

/** Writes each target's page number into the span.toc-page elements of the contents and index. */
export async function fillTocPages(page: Page, pages: Record<string, number>): Promise<void> {
  await page.evaluate((map: Record<string, number>) => {
    for (const el of document.querySelectorAll<HTMLElement>('span.toc-page[data-target]')) {
      const n = map[el.dataset.target!];
      el.textContent = n === undefined ? '' : String(n);
    }
  }, pages);
}

/** Runs `work` with a deadline; a stuck or crashed Chromium becomes a WenjiError. */
export async function withDeadline<T>(engine: Engine, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new WenjiError(
            `PDF engine ${engine} did not finish within ${Math.round(timeoutMs / 1000)} s. ` +
              'Split the book into smaller parts or raise WENJI_PDF_TIMEOUT (seconds).',
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (e) {
    if (e instanceof WenjiError) throw e;
    const msg = (e as Error).message.split('\n')[0];
    throw new WenjiError(`PDF engine ${engine} failed in Chromium: ${msg}. Check that Chromium runs (WENJI_CHROME) and retry.`);
  } finally {
    clearTimeout(timer);
  }
}
