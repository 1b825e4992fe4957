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
import { installPageFinisher, installPageFlattener, installRepeatedTableHeaders, installSpreadBalancer } from './in-page.ts';
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
async function paginate(page: Page, source: string, allowedDirs: string[], chunk: number): Promise<{ pages: number; ms: number }> {
  await page.evaluate((prefix: string) => {
    (window as unknown as { PagedConfig: unknown }).PagedConfig = { auto: false };
    // Paged.js's ids (see pagedjs-patches.ts): one prefix per chunk, unique in the joined book.
    (window as unknown as { wenjiIdPrefix: string }).wenjiIdPrefix = prefix;
  }, `w${chunk}`);
  await page.addScriptTag({ content: source });
  const hrefs = await page.evaluate(() =>
    (window as unknown as { PagedPolyfill: { removeStyles(): (string | Record<string, string>)[] } }).PagedPolyfill.removeStyles(),
  );
  const sheets = await stylesheetTexts(hrefs, allowedDirs);
  await page.evaluate(installPageFlattener);
  await page.evaluate(installRepeatedTableHeaders);
  await page.evaluate(installSpreadBalancer);
  await page.evaluate(installPageFinisher, { tocPage: TEMPLATE_CONTRACT.tocPage, bookmarkLevelAttribute: TEMPLATE_CONTRACT.bookmarkLevelAttribute });
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
          loaded.map(async ({ page }, c) => ({ pages: (await paginate(page, polyfill, dirs, c)).pages, ...(await readPlacement(page)) })),
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
