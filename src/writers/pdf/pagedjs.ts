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
import { checkEngine, ENGINE_LAYOUTS } from '../../render/page-engines.ts';
import { TEMPLATE_CONTRACT } from '../../render/template-contract.ts';
import { addStandIns, loadChunkPages, placeChunks } from './chunks.ts';
import { fillTocPages, printPdf, showOnlyToPrinter, showPage, withDeadline, type PdfEngine, type PlacedMark, type PrintedPdf, type PrintJob } from './engine.ts';
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
 * Chromium's print paints each page by going through every paint layer of the document, and
 * Paged.js gives every page four (position: relative on the sheet, the page box and the
 * content area; overflow: hidden on the footnote area) and four clipping bleed boxes, so
 * printing time grows with the square of the page count. Pages that need none of them
 * (empty footnote area, nothing absolutely positioned, no bleed) lose them: a relative box
 * without offsets moves nothing, an empty footnote area clips nothing, and bleed boxes of
 * size zero show nothing, nor do empty margin boxes (the PDF of a 945-page book is the same,
 * byte for byte). The sheet keeps its overflow: hidden, which stops Chromium from shrinking
 * pages whose margin boxes overflow.
 */
const FLATTEN_PAGE_FUNCTION = `
// Elements that may be absolutely positioned: those a rule or their inline style gives a
// position other than static, relative or sticky (read once from the style sheets; asking
// every element of every page for its computed style cost a tenth of the pagination).
let positionedSelector;
function mayBePositioned(box) {
  if (positionedSelector === undefined) {
    const selectors = ['[style*="position"]'];
    const walk = (rules) => {
      for (const r of rules) {
        const p = r.style && r.selectorText ? r.style.getPropertyValue('position').trim() : '';
        if (p && !['static', 'relative', 'sticky'].includes(p)) {
          // A positioned pseudo-element counts for its element; what cannot be read counts for all.
          const host = r.selectorText.replace(/::[\\w-]+(\\([^)]*\\))?|:(before|after|first-line|first-letter)\\b/g, '').trim();
          let valid = host !== '';
          try { document.querySelector(host); } catch { valid = false; }
          selectors.push(valid ? host : '*');
        }
        if (r.cssRules) walk(r.cssRules);
      }
    };
    for (const sheet of document.styleSheets) {
      try { walk(sheet.cssRules); } catch { selectors.push('*'); }
    }
    positionedSelector = selectors.join(', ');
  }
  return box.querySelectorAll(positionedSelector);
}

function flattenPage(page) {
  const notes = page.querySelector('.pagedjs_footnote_area');
  if (notes && !notes.querySelector(':scope > .pagedjs_footnote_content.pagedjs_footnote_empty')) return false;
  const box = page.querySelector('.pagedjs_pagebox');
  for (const el of box ? mayBePositioned(box) : []) {
    for (const pseudo of [null, '::before', '::after']) {
      const p = getComputedStyle(el, pseudo).position;
      if (p === 'absolute' || p === 'fixed') return false;
    }
  }
  for (const el of page.querySelectorAll('.pagedjs_sheet, .pagedjs_pagebox, .pagedjs_page_content, .pagedjs_footnote_area')) {
    el.style.setProperty('position', 'static', 'important');
  }
  for (const el of page.querySelectorAll('.pagedjs_footnote_area, .pagedjs_footnote_content, .pagedjs_footnote_inner_content')) {
    el.style.setProperty('overflow', 'visible', 'important');
  }
  // Margin-box groups and corners with nothing in them (placed on the page box's grid by
  // name, so the others stay where they are): less to lay out and paint at print.
  for (const el of page.querySelectorAll('.pagedjs_pagebox > [class^="pagedjs_margin-"]')) {
    if (!el.querySelector('.hasContent')) el.style.setProperty('display', 'none', 'important');
  }
  const sheet = page.querySelector('.pagedjs_sheet');
  const style = sheet && getComputedStyle(sheet);
  const sides = ['top', 'right', 'bottom', 'left'];
  const bleeds = ['', 'left-', 'right-'].flatMap((p) => sides.map((s) => '--pagedjs-bleed-' + p + s));
  if (style && bleeds.every((v) => parseFloat(style.getPropertyValue(v)) === 0)) {
    for (const el of sheet.querySelectorAll(':scope > .pagedjs_bleed')) el.style.setProperty('display', 'none', 'important');
  }
  return true;
}`;

/** Flattens every page in the document (see FLATTEN_PAGE_FUNCTION); returns how many. */
export const FLATTEN_PAGES_SCRIPT = `(() => {
  ${FLATTEN_PAGE_FUNCTION}
  let flattened = 0;
  for (const page of document.querySelectorAll('.pagedjs_pages > .pagedjs_page')) if (flattenPage(page)) flattened++;
  return flattened;
})()`;

/**
 * Every page Paged.js adds makes each later layout query slower, because the whole live page
 * area is laid out again (per-page time grows with the page count: quadratic overall).
 * Pages two behind the one being laid out are finished (one behind is not: Paged.js still
 * justifies its last line when the next page starts). A finished page is measured while it
 * is still laid out (where its bookmarks and link targets are), flattened for printing and
 * taken out of the document. (Parked in a display: none holder instead, pages still made
 * each page slower than the last: 9 ms a page at the start of a 945-page run, 32 ms at its
 * end.) After pagination the last pages are finished too and what
 * was measured is in window.wenjiPlacement; wenjiRestorePages() puts all pages back, in
 * order, just before printing.
 */
export const FINISHED_PAGES_SCRIPT = `(() => {
  ${FLATTEN_PAGE_FUNCTION}
  const polyfill = window.PagedPolyfill;
  // In a chunk (chunks.ts keepChunk), the targets of the whole book's contents and index.
  const book = document.documentElement.dataset.bookTargets;
  const targets = new Set(book ? JSON.parse(book)
    : [...document.querySelectorAll(${JSON.stringify(TEMPLATE_CONTRACT.tocPage)})].map((el) => el.dataset.target));
  const placement = { marks: [], anchors: {} };
  // Positions only of what is needed: a page without any asks for no layout.
  const measure = (pageEl) => {
    const n = Number(pageEl.dataset.pageNumber);
    let pageTop;
    for (const el of pageEl.querySelectorAll('[id]')) {
      const mark = el.hasAttribute(${JSON.stringify(TEMPLATE_CONTRACT.bookmarkLevelAttribute)});
      const anchor = targets.has(el.id) && !(el.id in placement.anchors);
      if (!mark && !anchor) continue;
      pageTop ??= pageEl.getBoundingClientRect().top;
      const top = el.getBoundingClientRect().top - pageTop;
      if (mark) {
        placement.marks.push({
          id: el.id,
          level: Number(el.dataset.bookmarkLevel) || 1,
          title: el.dataset.bookmarkTitle || (el.textContent || '').trim().slice(0, 80) || el.id,
          page: n,
          top,
        });
      }
      if (anchor) placement.anchors[el.id] = { page: n, top };
    }
  };
  const finish = (page) => {
    measure(page.element);
    flattenPage(page.element);
  };
  polyfill.on('page', () => {
    const pages = polyfill.chunker.pages;
    const old = pages[pages.length - 3];
    if (!old || !old.element || !old.element.isConnected) return;
    finish(old);
    old.element.remove();
  });
  window.wenjiFinishPages = () => {
    for (const p of polyfill.chunker.pages) if (p.element.isConnected) finish(p);
    for (const p of polyfill.chunker.pages) p.element.remove();
    window.wenjiPlacement = placement;
  };
  window.wenjiRestorePages = () => {
    const area = polyfill.chunker.pagesArea;
    for (const p of polyfill.chunker.pages) area.appendChild(p.element);
  };
})()`;

/**
 * Styles for the pagination. Nothing needs to be seen while Paged.js lays pages out, but
 * the live pages sat in the viewport and were painted and rasterised frame after frame
 * (~15% of the time, traced): they stay unpainted until printing (showOnlyToPrinter takes
 * over). The content area of each page gets size and layout containment: its size is fixed
 * by the page, and as a relayout boundary, each of Paged.js's measurements after adding a
 * piece of text lays out that area alone, not the page's grid of margin boxes around it
 * (pagination ~12% less CPU). Both go before printing: the PDF is the same, byte for byte.
 */
const PAGINATION_CSS = `.pagedjs_pages { visibility: hidden !important; }
  .pagedjs_page_content { contain: size layout; }`;

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
  // Paged.js moves the body into a template; done here, while the page is still hidden.
  await page.evaluate(() => {
    (window as unknown as { PagedPolyfill: { wrapContent(): void } }).PagedPolyfill.wrapContent();
  });
  await showPage(page);
  await page.evaluate((css: string) => {
    const style = document.createElement('style');
    style.id = 'wenji-pagination';
    style.textContent = css;
    document.head.appendChild(style);
  }, PAGINATION_CSS);
  return page.evaluate(async (sheets) => {
    const t0 = performance.now();
    const w = window as unknown as {
      PagedPolyfill: { preview(c?: unknown, s?: unknown): Promise<{ total: number }> };
      wenjiFinishPages(): void;
    };
    const flow = await w.PagedPolyfill.preview(undefined, sheets);
    w.wenjiFinishPages();
    document.getElementById('wenji-pagination')!.remove();
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
  return page.evaluate(() => (window as unknown as { wenjiPlacement: Omit<ChunkPlacement, 'pages'> }).wenjiPlacement);
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
  ...ENGINE_LAYOUTS.pagedjs,
  finish: () => {},
  async print(browser, job: PrintJob): Promise<PrintedPdf> {
    checkEngine({ engine: 'pagedjs', layout: job.layout });
    return withDeadline('pagedjs', job.timeoutMs, async () => {
      // Shown only once Paged.js has taken the content out of the body (paginate): shown
      // before, the whole chunk was laid out once as one long page, for nothing.
      const { chunks, loaded } = await loadChunkPages(browser, job.rendered, { show: 'caller' });
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
            // Pages go back under a document shown only to the printer: one style and layout pass.
            await showOnlyToPrinter(page);
            await page.evaluate(() => (window as unknown as { wenjiRestorePages(): void }).wenjiRestorePages());
            await fillTocPages(page, tocPages);
            await addStandIns(page);
            await continuePageNumbers(page, placements[c]!.offset);
            const doc = await printPdf(page);
            if (doc.getPageCount() !== placed[c]!.pages) {
              throw new WenjiError(`Chromium printed ${doc.getPageCount()} pages where Paged.js laid out ${placed[c]!.pages} (chunk ${c + 1}).`);
            }
            return doc;
          }),
        );
        const joined = joinPdfs(docs.map((doc, c) => ({ doc, blankBefore: placements[c]!.blankBefore })));
        setNamedDestinations(joined, destinations);
        return { document: joined, pages: joined.getPageCount(), marks, tocPages };
      } finally {
        await Promise.all(loaded.map((l) => l.close()));
      }
    });
  },
};
