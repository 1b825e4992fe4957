/**
 * Chromium's own print (page.pdf with the CSS page size): the only engine that lays out
 * vertical-rl correctly, and the fastest. It has no target-counter() and ignores
 * `break-before: right`, so it prints twice. Pass 1, with the text made invisible (the
 * layout is the same; painting and embedding no glyphs makes it cheap), links to every id
 * we need and reads where each landed from the PDF's /Dests. Pass 2 puts a blank page before
 * every recto opening ([data-recto]) that fell on an even page, writes the numbers into
 * span.toc-page and prints for real; we check that everything landed where predicted.
 * Each speech's pages are chosen before pass 1, spreads balanced (page-plan.ts).
 *
 * A long book is printed in chunks, one renderer each, in parallel (chunks.ts), and the parts
 * joined (join.ts): page numbers run on across chunks, contents numbers come from all of them.
 */
import type { Page } from 'puppeteer-core';
import type { PDFDocument } from 'pdf-lib';
import { WenjiError } from '../../model/diagnostics.ts';
import { ENGINE_LAYOUTS } from '../../render/page-engines.ts';
import { TEMPLATE_CONTRACT, type TemplateContract } from '../../render/template-contract.ts';
import { removeRunningHeads } from './postprocess.ts';
import { addStandIns, loadChunkPages, placeChunks } from './chunks.ts';
import { readDestinations, type Destination } from './destinations.ts';
import { fillTocPages, printPdf, withDeadline, type PdfEngine, type PlacedMark, type PrintedPdf, type PrintJob } from './engine.ts';
import { joinPdfs, setNamedDestinations } from './join.ts';
import { balanceSpreads, flowsOffPlan, restoreFlows } from './page-plan.ts';

interface MarkedElement {
  id: string;
  level: number;
  title: string;
}

/** Ids the writer needs placed: bookmarks, toc targets, recto openings. */
async function collectTargets(page: Page): Promise<{ marks: MarkedElement[]; toc: string[]; rectos: string[] }> {
  return page.evaluate((contract: TemplateContract) => {
    const marks = [...document.querySelectorAll<HTMLElement>(contract.bookmark)].map((el) => ({
      id: el.id,
      level: Number(el.dataset.bookmarkLevel) || 1,
      title: el.dataset.bookmarkTitle || el.textContent?.trim().slice(0, 80) || el.id,
    }));
    // In a chunk (chunks.ts keepChunk), the targets of the whole book's contents and index.
    const book = document.documentElement.dataset.bookTargets;
    const all = book ? (JSON.parse(book) as string[]) : [...document.querySelectorAll<HTMLElement>(contract.tocPage)].map((el) => el.dataset.target!);
    const toc = all.filter((id) => document.getElementById(id));
    const rectos = [...document.querySelectorAll<HTMLElement>(contract.recto)].map((el) => el.id);
    return { marks, toc, rectos };
  }, TEMPLATE_CONTRACT);
}

/**
 * The anchor Chromium records for an element is the physical top-left corner of its box. In
 * vertical-rl that is where the element ENDS (its last column), so a long speech would be
 * found on its last page. There, each target gets an empty marker as its first child (no
 * size, so no layout change) and we ask for the marker instead.
 */
export const MARKER_PREFIX = 'wenji-at-';

async function addStartMarkers(page: Page, ids: string[]): Promise<void> {
  await page.evaluate(
    (list: string[], prefix: string) => {
      for (const id of list) {
        const el = document.getElementById(id);
        if (!el || document.getElementById(prefix + id)) continue;
        const marker = document.createElement('span');
        marker.id = prefix + id;
        el.prepend(marker);
      }
      // Table-of-contents links jump to the marker too, so they land on the opening page. The
      // target may be in another chunk, whose own pass adds its marker.
      for (const a of document.querySelectorAll<HTMLAnchorElement>('a.toc-link[href^="#"]')) {
        const id = decodeURIComponent(a.getAttribute('href')!.slice(1));
        if (!id.startsWith(prefix)) a.setAttribute('href', `#${prefix}${id}`);
      }
    },
    ids,
    MARKER_PREFIX,
  );
}

/**
 * Adds one invisible, out-of-flow link per id so Chromium records a destination for it.
 * Absolutely positioned at the top of the first page: pagination is unchanged.
 */
async function addProbeLinks(page: Page, ids: string[]): Promise<void> {
  await page.evaluate((list: string[]) => {
    const box = document.createElement('div');
    box.id = 'wenji-probe-links';
    box.setAttribute('style', 'position:absolute;top:0;left:0;width:1px;height:1px;overflow:visible;');
    for (const id of list) {
      const a = document.createElement('a');
      a.href = `#${id}`;
      a.setAttribute('style', 'position:absolute;top:0;left:0;width:1px;height:1px;display:block;');
      box.appendChild(a);
    }
    document.body.appendChild(box);
  }, ids);
}

async function removeProbeLinks(page: Page): Promise<void> {
  await page.evaluate(() => document.getElementById('wenji-probe-links')?.remove());
}

/**
 * Given the page (1-based) on which each [data-recto] element starts, in document order,
 * the ids that need a blank page inserted before them so that every one opens on an odd
 * page. Each inserted blank shifts everything after it by one page, which is accounted for.
 */
export function blankPagesNeeded(starts: readonly { id: string; page: number }[]): Set<string> {
  const out = new Set<string>();
  let shift = 0;
  for (const { id, page } of starts) {
    if ((page + shift) % 2 === 0) {
      out.add(id);
      shift++;
    }
  }
  return out;
}

/**
 * Chromium's print ignores `break-before: right`, so pass 1 measures where each recto
 * opening falls and this puts a blank page (div.blank-page, styled in book.css: its own
 * page, no head, no folio) before those on an even page. It edits the loaded page, so
 * pass 2 needs no reload.
 */
async function insertBlankPages(page: Page, ids: string[]): Promise<void> {
  await page.evaluate(
    (list: string[], blankClass: string) => {
      for (const id of list) {
        const el = document.getElementById(id);
        if (!el) continue;
        const blank = document.createElement('div');
        blank.className = blankClass;
        blank.setAttribute('aria-hidden', 'true');
        el.before(blank);
      }
    },
    ids,
    TEMPLATE_CONTRACT.blankPageClass,
  );
}

/**
 * Pass-1 page → pass-2 page, given the pass-1 start pages of the elements that get a blank
 * page before them. Recto openings start a page, so everything on or after such a page is
 * after the element and moves by one.
 */
export function shiftedPage(page: number, blankStarts: readonly number[]): number {
  return page + blankStarts.filter((p) => p <= page).length;
}

/**
 * Makes the chunk's folios continue the book's numbering: Chromium's page counter takes
 * a counter-increment on the first page (the rest keep counting by one from there).
 */
async function continuePageNumbers(page: Page, offset: number): Promise<void> {
  if (offset === 0) return;
  await page.addStyleTag({ content: `@page :first { counter-increment: page ${offset + 1}; }` });
}

/**
 * Pass 1 needs positions only: all text invisible except the start markers and probe links
 * (visibility changes no layout), no running heads or folios (they are in the margins).
 * Chromium then paints and embeds no glyphs.
 */
const MARGIN_BOXES = ['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'];
const INVISIBLE_TEXT_CSS = `body * { visibility: hidden !important; }
  [id^="${MARKER_PREFIX}"], #wenji-probe-links, #wenji-probe-links * { visibility: visible !important; }
  @page { ${MARGIN_BOXES.map((b) => `@${b} { content: none !important; }`).join(' ')} }`;

/** What pass 1 found in one chunk, in the chunk's own page numbers. */
interface ChunkMeasure {
  marks: MarkedElement[];
  toc: string[];
  /** Recto openings in the chunk with their (chunk) start page, in order. */
  starts: { id: string; page: number }[];
  /** Anchor name (id, or its start marker in vertical text) → where it landed. */
  dests: Map<string, Destination>;
  pages: number;
}

async function measureChunk(page: Page, vertical: boolean): Promise<ChunkMeasure> {
  const targets = await collectTargets(page);
  const ids = [...new Set([...targets.marks.map((m) => m.id), ...targets.toc, ...targets.rectos])];
  if (vertical) await addStartMarkers(page, ids);
  const anchor = (id: string) => (vertical ? MARKER_PREFIX + id : id);
  await addProbeLinks(page, ids.map(anchor));
  const invisible = await page.addStyleTag({ content: INVISIBLE_TEXT_CSS });
  // Untagged: tagging (the structure a screen reader follows) costs pass 1 a third of its
  // time, and pass 1 only measures.
  const pdf = await printPdf(page, { tagged: false });
  await invisible.evaluate((el) => el.remove());
  await removeProbeLinks(page);
  const { pages, dests } = readDestinations(pdf);
  const starts = targets.rectos.flatMap((id) => (dests.has(anchor(id)) ? [{ id, page: dests.get(anchor(id))!.page }] : []));
  return { marks: targets.marks, toc: targets.toc, starts, dests, pages };
}

/** Where everything lands in the joined book, from each chunk's pass 1. */
function placeBook(measures: ChunkMeasure[], vertical: boolean) {
  const anchor = (id: string) => (vertical ? MARKER_PREFIX + id : id);
  const chunks = measures.map((m) => {
    const blanks = blankPagesNeeded(m.starts);
    const blankStarts = m.starts.filter((s) => blanks.has(s.id)).map((s) => s.page);
    return { blanks, blankStarts, pages: m.pages + blanks.size };
  });
  const placements = placeChunks(chunks.map((c) => c.pages));
  /** Chunk page (pass 1) → page of the book. */
  const bookPage = (c: number, page: number) => placements[c]!.offset + shiftedPage(page, chunks[c]!.blankStarts);
  const tocPages: Record<string, number> = {};
  const owner = new Map<string, number>();
  /** Every anchor measured, at its place in the book: what links and the outline jump to. */
  const destinations = new Map<string, Destination>();
  const marks: PlacedMark[] = [];
  const openingPages: number[] = [];
  measures.forEach((m, c) => {
    for (const [name, d] of m.dests) {
      owner.set(name, c);
      destinations.set(name, { page: bookPage(c, d.page), top: d.top });
    }
    for (const id of m.toc) {
      const d = m.dests.get(anchor(id));
      if (d) tocPages[id] = bookPage(c, d.page);
    }
    for (const mark of m.marks) {
      const d = m.dests.get(anchor(mark.id));
      if (d) marks.push({ ...mark, page: bookPage(c, d.page), top: d.top });
    }
    for (const s of m.starts) openingPages.push(bookPage(c, s.page));
  });
  const toc = new Set(measures.flatMap((m) => m.toc));
  const missing = [...toc].find((id) => tocPages[id] === undefined);
  if (missing) throw new WenjiError(`table of contents points at #${missing}, which is not in the document`);
  const even = openingPages.find((p) => p % 2 === 0);
  if (even !== undefined) throw new WenjiError(`a recto opening fell on page ${even}, an even (verso) page, after adding blank pages.`);
  return { chunks, placements, tocPages, owner, destinations, marks, openingPages };
}

export const chromiumEngine: PdfEngine = {
  ...ENGINE_LAYOUTS.chromium,
  // Its :first is the document's first page only, so the opening pages printed with a running head.
  finish: (document, printed) => {
    if (printed.openingPages?.length) removeRunningHeads(document, printed.openingPages);
  },
  async print(browser, job: PrintJob): Promise<PrintedPdf> {
    return withDeadline('chromium', job.timeoutMs, async () => {
      const vertical = job.layout === 'vertical';
      const anchor = (id: string) => (vertical ? MARKER_PREFIX + id : id);
      const { chunks, loaded } = await loadChunkPages(browser, job.rendered, { show: 'printer', keepScreenLayout: true });
      try {
        // The pages of each speech are chosen here, spreads balanced (page-plan.ts).
        const planned = await Promise.all(loaded.map((l) => balanceSpreads(l.page)));
        job.progress?.(`chromium: pass 1 (finding pages${chunks.length > 1 ? `, ${chunks.length} chunks in parallel` : ''})`);
        const measures = await Promise.all(
          loaded.map(async ({ page }, c) => {
            const measure = await measureChunk(page, vertical);
            const off = flowsOffPlan(planned[c]!, measure.starts, measure.pages);
            if (!off.length) return measure;
            // The print broke a page the screen layout had room for: those flows keep Chromium's own breaks.
            job.progress?.(`chromium: ${off.length} flows printed off their planned pages, laid out again unbalanced (${off.join(', ')})`);
            await restoreFlows(page, off);
            return measureChunk(page, vertical);
          }),
        );
        const book = placeBook(measures, vertical);
        const blankCount = book.chunks.reduce((n, c) => n + c.blanks.size, 0);
        job.progress?.(`chromium: pass 2 (${blankCount} blank pages for recto openings, table of contents filled in)`);
        const docs: PDFDocument[] = await Promise.all(
          loaded.map(async ({ page }, c) => {
            if (book.chunks[c]!.blanks.size) await insertBlankPages(page, [...book.chunks[c]!.blanks]);
            await fillTocPages(page, book.tocPages);
            await addStandIns(page);
            await continuePageNumbers(page, book.placements[c]!.offset);
            return printPdf(page);
          }),
        );
        // Filling in the numbers must not move anything: check the page count of every chunk
        // and where the links of the contents and the index land.
        docs.forEach((doc, c) => {
          const { pages, dests } = readDestinations(doc);
          const expected = book.chunks[c]!.pages;
          const moved = Object.keys(book.tocPages).find((id) => {
            const d = dests.get(anchor(id));
            return d !== undefined && book.owner.get(anchor(id)) === c && book.placements[c]!.offset + d.page !== book.tocPages[id];
          });
          if (pages !== expected || moved) {
            throw new WenjiError(
              `filling in the table of contents and the blank pages before recto openings changed the pagination (${
                moved
                  ? `#${moved} is on page ${book.placements[c]!.offset + dests.get(anchor(moved))!.page}, expected ${book.tocPages[moved]}`
                  : `${pages} pages, expected ${expected}`
              }). The template must reserve room for span.toc-page (e.g. a fixed inline-size).`,
            );
          }
        });
        const document = joinPdfs(docs.map((doc, c) => ({ doc, blankBefore: book.placements[c]!.blankBefore })));
        setNamedDestinations(document, book.destinations);
        return { document, pages: document.getPageCount(), marks: book.marks, tocPages: book.tocPages, openingPages: book.openingPages };
      } finally {
        await Promise.all(loaded.map((l) => l.close()));
      }
    });
  },
};
