/**
 * Chromium's own print (page.pdf with the CSS page size): the only engine that lays out
 * vertical-rl correctly, and the fastest. It has no target-counter() and ignores
 * `break-before: right`, so it prints twice: pass 1 with a link to every id we need, read
 * where each landed from the PDF's /Dests; then put a blank page before every recto opening
 * ([data-recto]) that fell on an even page, write the (shifted) numbers into span.toc-page,
 * print again and check that everything landed where predicted.
 */
import type { Page } from 'puppeteer-core';
import { WenjiError } from '../../model/diagnostics.ts';
import { readDestinations, type Destination } from './destinations.ts';
import { loadPrintPage, withDeadline, type PdfEngine, type PlacedMark, type PrintedPdf, type PrintJob } from './engine.ts';

interface MarkedElement {
  id: string;
  level: number;
  title: string;
}

/** Ids the writer needs placed: bookmarks, toc targets, the start of the body. */
async function collectTargets(page: Page): Promise<{ marks: MarkedElement[]; toc: string[]; rectos: string[]; bodyStart?: string }> {
  return page.evaluate(() => {
    const marks = [...document.querySelectorAll<HTMLElement>('[data-bookmark-level][id]')].map((el) => ({
      id: el.id,
      level: Number(el.dataset.bookmarkLevel) || 1,
      title: el.dataset.bookmarkTitle || el.textContent?.trim().slice(0, 80) || el.id,
    }));
    const toc = [...document.querySelectorAll<HTMLElement>('span.toc-page[data-target]')].map((el) => el.dataset.target!);
    const rectos = [...document.querySelectorAll<HTMLElement>('[data-recto][id]')].map((el) => el.id);
    const bodyStart = document.querySelector<HTMLElement>('[data-body-start][id]')?.id;
    return { marks, toc, rectos, bodyStart };
  });
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
      // Table-of-contents links jump to the marker too, so they land on the opening page.
      for (const a of document.querySelectorAll<HTMLAnchorElement>('a.toc-link[href^="#"]')) {
        const id = decodeURIComponent(a.getAttribute('href')!.slice(1));
        if (document.getElementById(prefix + id)) a.setAttribute('href', `#${prefix}${id}`);
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

async function fillTocPages(page: Page, pages: Record<string, number>): Promise<void> {
  await page.evaluate((map: Record<string, number>) => {
    for (const el of document.querySelectorAll<HTMLElement>('span.toc-page[data-target]')) {
      const n = map[el.dataset.target!];
      el.textContent = n === undefined ? '' : String(n);
    }
  }, pages);
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
  await page.evaluate((list: string[]) => {
    for (const id of list) {
      const el = document.getElementById(id);
      if (!el) continue;
      const blank = document.createElement('div');
      blank.className = 'blank-page';
      blank.setAttribute('aria-hidden', 'true');
      el.before(blank);
    }
  }, ids);
}

/**
 * Pass-1 page → pass-2 page, given the pass-1 start pages of the elements that get a blank
 * page before them. Recto openings start a page, so everything on or after such a page is
 * after the element and moves by one.
 */
export function shiftedPage(page: number, blankStarts: readonly number[]): number {
  return page + blankStarts.filter((p) => p <= page).length;
}

const printPdf = async (page: Page): Promise<Uint8Array> =>
  page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });

function placeMarks(marks: MarkedElement[], dests: Map<string, Destination>): PlacedMark[] {
  return marks.flatMap((m) => {
    const d = dests.get(m.id);
    return d ? [{ ...m, page: d.page, top: d.top }] : [];
  });
}

export const chromiumEngine: PdfEngine = {
  name: 'chromium',
  async print(browser, job: PrintJob): Promise<PrintedPdf> {
    return withDeadline('chromium', job.timeoutMs, async () => {
      const { page, close } = await loadPrintPage(browser, job.rendered);
      try {
        const targets = await collectTargets(page);
        const ids = [...new Set([...targets.marks.map((m) => m.id), ...targets.toc, ...targets.rectos, ...(targets.bodyStart ? [targets.bodyStart] : [])])];
        job.progress?.('chromium: pass 1 (finding pages)');
        const vertical = job.layout === 'vertical';
        if (vertical) await addStartMarkers(page, ids);
        const anchor = (id: string) => (vertical ? MARKER_PREFIX + id : id);
        await addProbeLinks(page, ids.map(anchor));
        const first = await printPdf(page);
        await removeProbeLinks(page);
        const { pages: firstPages, dests: found } = await readDestinations(first);
        const dests = new Map(ids.flatMap((id) => (found.has(anchor(id)) ? [[id, found.get(anchor(id))!] as const] : [])));
        const tocPages: Record<string, number> = {};
        for (const id of targets.toc) {
          const d = dests.get(id);
          if (!d) throw new WenjiError(`table of contents points at #${id}, which is not in the document`);
          tocPages[id] = d.page;
        }
        // Recto openings: the pages they start on in pass 1, and which need a blank before.
        const starts = targets.rectos.flatMap((id) => (dests.has(id) ? [{ id, page: dests.get(id)!.page }] : []));
        const blanks = blankPagesNeeded(starts);
        const blankStarts = starts.filter((s) => blanks.has(s.id)).map((s) => s.page);
        const shift = (p: number) => shiftedPage(p, blankStarts);
        for (const id of Object.keys(tocPages)) tocPages[id] = shift(tocPages[id]);
        const marks = placeMarks(targets.marks, dests).map((m) => ({ ...m, page: shift(m.page) }));
        const bodyStart = targets.bodyStart ? dests.get(targets.bodyStart)?.page : undefined;
        const bodyStartPage = bodyStart === undefined ? undefined : shift(bodyStart);
        const openingPages = starts.map((s) => shift(s.page));
        job.progress?.(`chromium: pass 2 (${blanks.size} blank pages for recto openings, table of contents filled in)`);
        if (blanks.size) await insertBlankPages(page, [...blanks]);
        await fillTocPages(page, tocPages);
        const pdf = await printPdf(page);
        const expectedPages = firstPages + blanks.size;
        const { pages, dests: after } = await readDestinations(pdf);
        const moved = targets.toc.filter((id) => after.get(anchor(id))?.page !== tocPages[id]);
        if (pages !== expectedPages || moved.length > 0) {
          throw new WenjiError(
            `filling in the table of contents and the blank pages before recto openings changed the pagination (${
              moved.length ? `#${moved[0]} is on page ${after.get(anchor(moved[0]))?.page}, expected ${tocPages[moved[0]]}` : `${pages} pages, expected ${expectedPages}`
            }). The template must reserve room for span.toc-page (e.g. a fixed inline-size).`,
          );
        }
        const even = openingPages.find((p) => p % 2 === 0);
        if (even !== undefined) throw new WenjiError(`a recto opening fell on page ${even}, an even (verso) page, after adding blank pages.`);
        return { pdf, pages, marks, tocPages, bodyStartPage, openingPages };
      } finally {
        await close();
      }
    });
  },
};
