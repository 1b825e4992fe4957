/**
 * What every PDF engine does: take the renderer's print HTML, paginate it in Chromium and
 * return the raw PDF plus where each marked element landed (for the outline and the check
 * of the table of contents). Engines differ only in who paginates: Paged.js or Chromium.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer-core';
import { openSandboxedPage } from '../../browser/chromium.ts';
import { tempFolder } from '../../browser/temp-folder.ts';
import type { Engine, Layout } from '../../model/book.ts';
import { WenjiError } from '../../model/diagnostics.ts';
import { subsetForDocument } from '../../render/font-subset.ts';
import type { EngineLayout } from '../../render/page-engines.ts';
import { TEMPLATE_CONTRACT } from '../../render/template-contract.ts';
import { codePointsOf, type FontSlice } from '../../render/fonts.ts';
import { loadPdf } from './destinations.ts';
import { keepShortParagraphsWhole, loadFontsForText, pageArea, SCREEN_LAYOUT_STYLE_ID } from './in-page.ts';

/** The renderer's output (src/render/index.ts renderPrintHtml). */
export interface RenderedHtml {
  html: string;
  /** Font files the HTML declares (whole faces are given to the page as subsets). */
  fontSlices?: FontSlice[];
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

/**
 * Everything engine-specific: what it can print and the rules and flags the renderer takes
 * from it (EngineLayout), how it prints, and its finishing step on the printed PDF.
 */
export interface PdfEngine extends EngineLayout {
  print(browser: Browser, job: PrintJob): Promise<PrintedPdf>;
  /** Engine-specific repairs before the common finishing (outline, metadata). */
  finish(document: PDFDocument, printed: PrintedPdf): void;
}

/**
 * Loads the HTML from a private temp file with a <base> pointing at the renderer's baseDir,
 * in a page that may read only the build's own directories. Returns the page and a cleanup.
 * `beforeLayout` runs on the parsed but not yet laid-out document (e.g. to keep one chunk
 * of a long book): what it removes costs no layout and loads no font. `keepScreenLayout`
 * leaves the screen layout of keepShortParagraphsWhole up for the caller to measure more
 * (page-plan.ts), which takes it down. `show` says how the
 * loaded document is shown: on 'screen', only to the 'printer' (never laid out for the screen,
 * see showOnlyToPrinter), or not yet: the 'caller' shows it (showPage) when it is ready to.
 */
export type ShowPage = 'screen' | 'printer' | 'caller';

export async function loadPrintPage(
  browser: Browser,
  rendered: RenderedHtml,
  options: { beforeLayout?: (page: Page) => Promise<void>; show?: ShowPage; keepScreenLayout?: boolean } = {},
): Promise<{ page: Page; close: () => Promise<void> }> {
  const dir = tempFolder('print-');
  const file = path.join(dir, 'print.html');
  const base = `<base href="${pathToFileURL(path.resolve(rendered.baseDir)).href.replace(/\/?$/, '/')}">`;
  // The page stays undisplayed until every font it needs has loaded: otherwise each face or
  // Kai slice arriving lays a long book out once more.
  // (data-pagedjs-ignore: Paged.js would take it for one of the book's style sheets.)
  const hide = `<style id="${HIDE_STYLE_ID}" data-pagedjs-ignore>html { display: none !important; }</style>`;
  const html = (/<base\s/i.test(rendered.html) ? rendered.html : rendered.html.replace(/<head[^>]*>/i, (m) => `${m}${base}`)).replace(
    /<\/head>/i,
    (m) => `${hide}${m}`,
  );
  let page: Page;
  // Starting a renderer and cutting the fonts down take about as long: do both at once.
  const opening = openSandboxedPage(browser, [dir, rendered.baseDir, ...rendered.assetDirs]);
  try {
    const [, opened] = await Promise.all([withSubsetFonts(html, rendered.fontSlices ?? [], dir).then((h) => writeFile(file, h)), opening]);
    page = opened;
  } catch (e) {
    await opening.then((p) => p.close(), () => {});
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
    await options.beforeLayout?.(page);
    await page.evaluate(loadFontsForText);
    if (options.show === 'printer') await showOnlyToPrinter(page);
    if (options.show !== 'caller') await showPage(page);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.evaluate(keepShortParagraphsWhole, await page.evaluate(pageArea), options.keepScreenLayout ? SCREEN_LAYOUT_STYLE_ID : undefined);
  } catch (e) {
    await close();
    throw e;
  }
  return { page, close };
}

const HIDE_STYLE_ID = 'wenji-hide-until-fonts';

/** Shows a page loaded with `show: 'caller'`. */
export async function showPage(page: Page): Promise<void> {
  await page.evaluate((id: string) => document.getElementById(id)?.remove(), HIDE_STYLE_ID);
}

/**
 * The HTML with its whole faces (~15 MB each; loading them cost a renderer ~1.5 s) replaced
 * by subsets to the document's characters, written into `dir`. Subsets are cached, so the
 * chunks of a book and the editions of a build share them.
 */
async function withSubsetFonts(html: string, fonts: readonly FontSlice[], dir: string): Promise<string> {
  const characters = codePointsOf(withoutUrls(html));
  let out = html;
  for (const font of fonts) {
    if (font.kind !== 'whole') continue;
    const target = path.join(dir, path.basename(font.file));
    await writeFile(target, await subsetForDocument(font, characters));
    out = out.split(`url("${pathToFileURL(font.file).href}")`).join(`url("${pathToFileURL(target).href}")`);
  }
  return out;
}

/**
 * The HTML without the URLs it names. Their letters are never printed, and the random names
 * of temp folders (pictures, the base) would otherwise put a glyph in a subset on one run and
 * not the next, changing the PDF's bytes.
 */
export function withoutUrls(html: string): string {
  return html.replace(/\b(?:file|https?|data):[^\s"'()<>]*/g, '');
}

/**
 * Chromium lays a page out for the screen at every frame after a change, again when printing
 * starts (at the screen's width, under print media) and once more when printing ends: each a
 * full layout of a long book (~0.5 s a chunk, traced), around the one layout printing needs.
 * A document hidden from viewports wider than any page, in a viewport that wide, is laid out
 * only by the print, at the page's width. (printPdf refuses pages that wide.)
 */
const UNSEEN_WIDTH = 9000;
const PRINT_ONLY_CSS = `@media (min-width: ${UNSEEN_WIDTH}px) { html { display: none !important; } }`;

export async function showOnlyToPrinter(page: Page): Promise<void> {
  // The style first: the resize would otherwise lay the document out once more.
  await page.evaluate((css: string) => {
    const style = document.createElement('style');
    style.textContent = css;
    document.head.appendChild(style);
  }, PRINT_ONLY_CSS);
  await page.setViewport({ width: UNSEEN_WIDTH + 1000, height: 1000 });
}

/** Prints the page with its CSS page size, parsed. */
export async function printPdf(page: Page, options: { tagged?: boolean } = {}): Promise<PDFDocument> {
  const doc = await loadPdf(await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0, tagged: options.tagged ?? true }));
  // Pages this wide would have been printed blank under PRINT_ONLY_CSS.
  const widest = Math.max(...doc.getPages().map((p) => p.getWidth()));
  if ((widest / 72) * 96 >= UNSEEN_WIDTH) {
    throw new WenjiError(`pages ${Math.round((widest / 72) * 25.4)} mm wide are not supported; use a page size under 2 m.`);
  }
  return doc;
}

/** Writes each target's page number into the span.toc-page elements of the contents and index. */
export async function fillTocPages(page: Page, pages: Record<string, number>): Promise<void> {
  await page.evaluate(
    (map: Record<string, number>, tocPage: string) => {
      for (const el of document.querySelectorAll<HTMLElement>(tocPage)) {
        const n = map[el.dataset.target!];
        el.textContent = n === undefined ? '' : String(n);
      }
    },
    pages,
    TEMPLATE_CONTRACT.tocPage,
  );
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
