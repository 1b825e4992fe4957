/**
 * Code that runs inside the browser page, handed to page.evaluate as functions so that tsc
 * checks it. Each function is self-contained: puppeteer sends its source text, so it may use
 * nothing from this module's scope but types (erased) and what its arguments carry; helpers
 * are defined inside, or installed on `window` by an earlier call.
 */

/** What Paged.js's polyfill gives us (the parts we use). */
interface PagedPolyfillLike {
  on(event: 'page', handler: () => void): void;
  chunker: { pages: { element: HTMLElement }[]; pagesArea: HTMLElement; source?: DocumentFragment };
}

interface Placement {
  marks: { id: string; level: number; title: string; page: number; top: number }[];
  anchors: Record<string, { page: number; top: number }>;
}

/** The globals these functions set and read. */
interface WenjiWindow {
  PagedPolyfill: PagedPolyfillLike;
  wenjiFlattenPage(page: Element): boolean;
  wenjiFinishPages(): void;
  wenjiRestorePages(): void;
  wenjiPlacement: Placement;
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
 *
 * Installs it as window.wenjiFlattenPage(page), which says whether it could.
 */
export function installPageFlattener(): void {
  // Elements that may be absolutely positioned: those a rule or their inline style gives a
  // position other than static, relative or sticky (read once from the style sheets; asking
  // every element of every page for its computed style cost a tenth of the pagination).
  let positionedSelector: string | undefined;
  function mayBePositioned(box: Element): NodeListOf<Element> {
    if (positionedSelector === undefined) {
      const selectors = ['[style*="position"]'];
      const walk = (rules: CSSRuleList) => {
        for (const r of rules) {
          const style = (r as CSSStyleRule).style;
          const selectorText = (r as CSSStyleRule).selectorText;
          const p = style && selectorText ? style.getPropertyValue('position').trim() : '';
          if (p && !['static', 'relative', 'sticky'].includes(p)) {
            // A positioned pseudo-element counts for its element; what cannot be read counts for all.
            const host = selectorText.replace(/::[\w-]+(\([^)]*\))?|:(before|after|first-line|first-letter)\b/g, '').trim();
            let valid = host !== '';
            try {
              document.querySelector(host);
            } catch {
              valid = false;
            }
            selectors.push(valid ? host : '*');
          }
          const nested = (r as CSSGroupingRule).cssRules;
          if (nested) walk(nested);
        }
      };
      for (const sheet of document.styleSheets) {
        try {
          walk(sheet.cssRules);
        } catch {
          selectors.push('*');
        }
      }
      positionedSelector = selectors.join(', ');
    }
    return box.querySelectorAll(positionedSelector);
  }

  function flattenPage(page: Element): boolean {
    const notes = page.querySelector('.pagedjs_footnote_area');
    if (notes && !notes.querySelector(':scope > .pagedjs_footnote_content.pagedjs_footnote_empty')) return false;
    const box = page.querySelector('.pagedjs_pagebox');
    for (const el of box ? mayBePositioned(box) : []) {
      for (const pseudo of [null, '::before', '::after']) {
        const p = getComputedStyle(el, pseudo).position;
        if (p === 'absolute' || p === 'fixed') return false;
      }
    }
    for (const el of page.querySelectorAll<HTMLElement>('.pagedjs_sheet, .pagedjs_pagebox, .pagedjs_page_content, .pagedjs_footnote_area')) {
      el.style.setProperty('position', 'static', 'important');
    }
    for (const el of page.querySelectorAll<HTMLElement>('.pagedjs_footnote_area, .pagedjs_footnote_content, .pagedjs_footnote_inner_content')) {
      el.style.setProperty('overflow', 'visible', 'important');
    }
    // Margin-box groups and corners with nothing in them (placed on the page box's grid by
    // name, so the others stay where they are): less to lay out and paint at print.
    for (const el of page.querySelectorAll<HTMLElement>('.pagedjs_pagebox > [class^="pagedjs_margin-"]')) {
      if (!el.querySelector('.hasContent')) el.style.setProperty('display', 'none', 'important');
    }
    const sheet = page.querySelector('.pagedjs_sheet');
    const style = sheet && getComputedStyle(sheet);
    const sides = ['top', 'right', 'bottom', 'left'];
    const bleeds = ['', 'left-', 'right-'].flatMap((p) => sides.map((s) => '--pagedjs-bleed-' + p + s));
    if (sheet && style && bleeds.every((v) => parseFloat(style.getPropertyValue(v)) === 0)) {
      for (const el of sheet.querySelectorAll<HTMLElement>(':scope > .pagedjs_bleed')) el.style.setProperty('display', 'none', 'important');
    }
    return true;
  }

  (window as unknown as WenjiWindow).wenjiFlattenPage = flattenPage;
}

/** Flattens every page in the document (installPageFlattener first); returns how many. */
export function flattenAllPages(): number {
  const flattenPage = (window as unknown as WenjiWindow).wenjiFlattenPage;
  let flattened = 0;
  for (const page of document.querySelectorAll('.pagedjs_pages > .pagedjs_page')) if (flattenPage(page)) flattened++;
  return flattened;
}

/**
 * Paged.js 0.4.3 does not repeat a table's header row on the pages a table runs over (Chromium's
 * own print does). When it starts a page inside a table (rebuilding the table around the first
 * row), a copy of the source table's <thead> goes in before the rows are laid out, so the page
 * makes room for it. The copy carries no data-ref: Paged.js must never take it for the source's
 * header when it looks for where the page breaks.
 */
export function installRepeatedTableHeaders(): void {
  const paged = (window as unknown as { Paged: { Handler: new (...a: unknown[]) => object; registerHandlers(...h: unknown[]): void } }).Paged;
  class RepeatedTableHeaders extends paged.Handler {
    renderNode(clone: Node, node: Node): void {
      if (!(clone instanceof HTMLElement) || clone.nodeName !== 'TR') return;
      const table = clone.closest('table[data-split-from]');
      const body = clone.parentElement;
      if (!table || !body || body.nodeName !== 'TBODY' || table.querySelector(':scope > thead')) return;
      const head = (node as Element).closest('table')?.querySelector(':scope > thead');
      if (!head) return;
      const copy = head.cloneNode(true) as HTMLElement;
      for (const el of [copy, ...copy.querySelectorAll('[data-ref]')]) el.removeAttribute('data-ref');
      copy.setAttribute('data-repeated-header', '');
      table.insertBefore(copy, body);
    }
  }
  paged.registerHandlers(RepeatedTableHeaders);
}

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
export function installPageFinisher(contract: { tocPage: string; bookmarkLevelAttribute: string }): void {
  const w = window as unknown as WenjiWindow;
  const flattenPage = w.wenjiFlattenPage;
  const polyfill = w.PagedPolyfill;
  // In a chunk (chunks.ts keepChunk), the targets of the whole book's contents and index.
  const book = document.documentElement.dataset.bookTargets;
  const targets = new Set<string>(
    book ? (JSON.parse(book) as string[]) : [...document.querySelectorAll<HTMLElement>(contract.tocPage)].map((el) => el.dataset.target!),
  );
  const placement: Placement = { marks: [], anchors: {} };
  // Positions only of what is needed: a page without any asks for no layout.
  const measure = (pageEl: HTMLElement) => {
    const n = Number(pageEl.dataset.pageNumber);
    let pageTop: number | undefined;
    for (const el of pageEl.querySelectorAll<HTMLElement>('[id]')) {
      const mark = el.hasAttribute(contract.bookmarkLevelAttribute);
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
  const finish = (page: { element: HTMLElement }) => {
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
  w.wenjiFinishPages = () => {
    for (const p of polyfill.chunker.pages) if (p.element.isConnected) finish(p);
    for (const p of polyfill.chunker.pages) p.element.remove();
    w.wenjiPlacement = placement;
  };
  w.wenjiRestorePages = () => {
    const area = polyfill.chunker.pagesArea;
    for (const p of polyfill.chunker.pages) area.appendChild(p.element);
  };
}

/**
 * Without layout the browser loads no web font, so load every face that sets a character of
 * the document (all weights: unused ones are never embedded). A face only some elements use
 * (Kai: bylines, subtitles, quotations) is loaded for their characters only: it comes as
 * dozens of web-font slices, and decoding all of them took a renderer ~1.2 s. Which elements
 * use a family is read from the style rules, the renderer's --font-* properties expanded.
 */
export async function loadFontsForText(): Promise<void> {
  const rules: CSSStyleRule[] = [];
  const walk = (list: CSSRuleList) => {
    for (const r of list) {
      if ((r as CSSStyleRule).style) rules.push(r as CSSStyleRule);
      const nested = (r as CSSGroupingRule).cssRules;
      if (nested) walk(nested);
    }
  };
  for (const sheet of document.styleSheets) {
    try {
      walk(sheet.cssRules);
    } catch {
      // not ours to read
    }
  }
  const vars = new Map<string, string>();
  for (const r of rules) for (const p of r.style) if (p.startsWith('--')) vars.set(p, (vars.get(p) || '') + ',' + r.style.getPropertyValue(p));
  const expand = (v: string) => v.replace(/var\((--[\w-]+)[^)]*\)/g, (_, n: string) => vars.get(n) || '');
  const all = document.documentElement.textContent || '';
  const textOf = new Map<string, string>();
  const familyText = (family: string): string => {
    if (textOf.has(family)) return textOf.get(family)!;
    const named = (v: string) => v.includes("'" + family + "'") || v.includes('"' + family + '"');
    let text = '';
    for (const r of rules) {
      if (!r.style.fontFamily || !named(expand(r.style.fontFamily))) continue;
      let els: Element[] = [];
      try {
        els = [...document.querySelectorAll(r.selectorText)];
      } catch {
        els = [document.body];
      }
      if (els.includes(document.documentElement) || els.includes(document.body)) {
        text = all;
        break;
      }
      for (const el of els) text += el.textContent || '';
    }
    textOf.set(family, text);
    return text;
  };
  // Code points by text: the families set in the whole document share one set.
  const usedOf = new Map<string, Set<number>>();
  const used = (family: string): Set<number> => {
    const text = familyText(family);
    if (!usedOf.has(text)) usedOf.set(text, new Set([...text].map((ch) => ch.codePointAt(0)!)));
    return usedOf.get(text)!;
  };
  const covers = (range: string, chars: Set<number>) =>
    range.split(',').some((part) => {
      const m = /U\+([0-9a-f?]+)(?:-([0-9a-f]+))?/i.exec(part.trim());
      if (!m) return true;
      const lo = parseInt(m[1]!.replace(/\?/g, '0'), 16);
      const hi = m[2] ? parseInt(m[2], 16) : m[1]!.includes('?') ? parseInt(m[1]!.replace(/\?/g, 'f'), 16) : lo;
      for (const cp of chars) if (cp >= lo && cp <= hi) return true;
      return false;
    });
  const faces = [...document.fonts].filter((f) => f.status === 'unloaded' && covers(f.unicodeRange, used(f.family.replace(/^["']|["']$/g, ''))));
  await Promise.all(faces.map((f) => f.load().catch(() => undefined)));
}

/**
 * The id of the style that shows the document laid out for the screen at the page's line
 * length, while it is measured (keepShortParagraphsWhole, then page-plan.ts).
 */
export const SCREEN_LAYOUT_STYLE_ID = 'wenji-screen-layout';

/** The page's type area in CSS px: along the lines (inline) and across them (block). */
export interface PageArea {
  inline: number;
  block: number;
}

/**
 * The type area of a right-hand page, from the unnamed and :right @page rules (size and
 * margins; absolute units or a paper name), counted without laying anything out; undefined
 * when they say otherwise (e.g. a percentage).
 */
export function pageArea(): PageArea | undefined {
  const descriptors: Record<string, string> = {};
  const walk = (list: CSSRuleList) => {
    for (const r of list) {
      if (r instanceof CSSPageRule && (r.selectorText === '' || r.selectorText === ':right')) {
        for (const name of ['size', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left']) {
          const value = r.style.getPropertyValue(name).trim();
          if (value) descriptors[name] = value;
        }
      }
      const nested = (r as CSSGroupingRule).cssRules;
      if (nested && !(r instanceof CSSPageRule)) walk(nested);
    }
  };
  for (const sheet of document.styleSheets) {
    try {
      walk(sheet.cssRules);
    } catch {
      // not ours to read
    }
  }
  const units: Record<string, number> = { px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, q: 96 / 101.6, pt: 96 / 72, pc: 16 };
  const px = (length = '0') => {
    const m = /^(-?\d*\.?\d+)([a-z]*)$/i.exec(length.trim());
    if (!m) return NaN;
    return Number(m[1]) * (m[2] ? (units[m[2].toLowerCase()] ?? NaN) : Number(m[1]) === 0 ? 1 : NaN);
  };
  const papers: Record<string, [string, string]> = {
    a3: ['297mm', '420mm'], a4: ['210mm', '297mm'], a5: ['148mm', '210mm'], b4: ['250mm', '353mm'], b5: ['176mm', '250mm'],
    letter: ['8.5in', '11in'], legal: ['8.5in', '14in'],
  };
  const words = (descriptors.size || '').toLowerCase().split(/\s+/).filter(Boolean);
  const paper = words.find((w) => papers[w]);
  let [width, height] = paper ? papers[paper].map((l) => px(l)) : words.map((l) => px(l));
  if (words.includes('landscape')) [width, height] = [height, width];
  if (width === undefined || height === undefined) return undefined;
  const vertical = getComputedStyle(document.documentElement).writingMode.startsWith('vertical');
  const across = width - px(descriptors['margin-left']) - px(descriptors['margin-right']);
  const down = height - px(descriptors['margin-top']) - px(descriptors['margin-bottom']);
  const area = vertical ? { inline: down, block: across } : { inline: across, block: down };
  return area.inline > 0 && area.block > 0 ? area : undefined;
}

/**
 * Keeps whole the paragraphs too short to be split within their orphans and widows (fewer
 * lines than the two together), and says how many. Chromium — printing, and in the columns
 * Paged.js lays each page out in — honours `widows` only when the lines it moves leave
 * `orphans` lines behind: a three-line paragraph (2 and 2) with room for two lines at a
 * page's end leaves its last line alone at the next page's head (page 28 of the vertical
 * sample book). `break-inside: avoid` moves such a paragraph whole instead.
 *
 * Lines are counted in one screen layout of the document at the page's inline size
 * (pageArea; line breaking does not depend on pagination), as the paragraph's block size
 * over its line height. Runs before the first print or Paged.js. Given `keepAs` (the style
 * id), the layout stays up for more measuring; whoever measures removes it.
 */
export function keepShortParagraphsWhole(area: PageArea | undefined, keepAs?: string): number {
  if (!area) return 0;
  const vertical = getComputedStyle(document.documentElement).writingMode.startsWith('vertical');
  // The document may be hidden from the screen (showOnlyToPrinter, or until its fonts load).
  const shown = document.createElement('style');
  if (keepAs) shown.id = keepAs;
  shown.textContent = `html { display: block !important; inline-size: ${area.inline}px !important; }`;
  document.head.appendChild(shown);
  let kept = 0;
  for (const p of document.querySelectorAll<HTMLElement>('body p')) {
    const css = getComputedStyle(p);
    const keep = Number(css.orphans) + Number(css.widows);
    const lineHeight = parseFloat(css.lineHeight);
    if (!(keep > 2) || !(lineHeight > 0) || css.display !== 'block') continue;
    const box = p.getBoundingClientRect();
    const lines = Math.round((vertical ? box.width : box.height) / lineHeight);
    if (lines > 1 && lines < keep) {
      p.style.breakInside = 'avoid';
      kept++;
    }
  }
  if (!keepAs) shown.remove();
  return kept;
}

/**
 * Paged.js: the two pages of a spread whose text runs on end on the same line.
 *
 * A verso left short (widows, orphans or a heading kept with its text moved lines over)
 * whose speech goes on makes the recto after it short by as many whole lines: the recto's
 * content area loses them before it is laid out.
 *
 * A recto that still comes out shorter than its verso (its own widows, orphans or a kept
 * heading; the verso full, or shorter by fewer lines) has the spread laid out again with
 * the verso's content area shortened to the recto's depth (the recto then follows it, as
 * above): Paged.js removes the two pages and goes on from where the verso started (patched
 * in pagedjs-patches.ts). A verso shortened so may itself come out shorter, or the recto
 * again: each spread is tried at most at depths 1 to 3 lines short, and if none balances,
 * the try closest to balanced is laid out again and kept (of equals, the verso least
 * shortened: the same from run to run). Only pages of running text with no notes are
 * laid out again (the notes handler carries notes from page to page).
 *
 * Pages are numbered from 1 in the chunk; chunks start on a recto. Depths are measured
 * from the foot of the full content area to the bottom of the page's last text.
 */
export function installSpreadBalancer(): void {
  interface LaidPage {
    element: HTMLElement;
    area?: HTMLElement;
  }
  const polyfill = (window as unknown as WenjiWindow).PagedPolyfill;
  const MAX_SHORT = 3;
  /** The verso depth (lines short) each spread is being tried at, by verso page number, and what each try gave. */
  const tries = new Map<number, { pitch: number; short: number; results: Map<number, number>; final: boolean }>();

  /** The page's speech goes on after it: its last paragraph is split, or more follows it in the speech. */
  const runsOn = (page: LaidPage): HTMLElement | undefined => {
    const paragraphs = page.area!.querySelectorAll<HTMLElement>('.speech p[data-ref]');
    const last = paragraphs[paragraphs.length - 1];
    // Paged.js marks each rendered element with the data-ref of its source.
    const source = last && polyfill.chunker.source?.querySelector<HTMLElement>(`[data-ref="${last.dataset.ref}"]`);
    if (!last || !source) return undefined;
    const split = !(source.textContent || '').trim().endsWith((last.textContent || '').trim());
    const more = [...(source.closest('.speech')?.querySelectorAll('p') ?? [])].at(-1) !== source;
    return split || more ? last : undefined;
  };
  /** Whole lines between the page's last text and the foot of its full content area. */
  const linesShort = (page: LaidPage, pitch: number): number => {
    // The bottom of its text (element boxes split across Paged.js's columns reach the
    // column's foot, so text only: the last few text nodes).
    const texts: Text[] = [];
    const walker = document.createTreeWalker(page.area!, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) if ((t.textContent || '').trim()) texts.push(t as Text);
    const range = document.createRange();
    let bottom = -Infinity;
    for (const t of texts.slice(-12)) {
      range.selectNodeContents(t);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) bottom = Math.max(bottom, r.bottom);
    }
    const shortened = Number(page.element.dataset.wenjiLinesShort || 0);
    return shortened + Math.floor((page.area!.getBoundingClientRect().bottom - bottom) / pitch + 0.05);
  };
  const shorten = (page: LaidPage, lines: number, pitch: number) => {
    page.area!.style.height = `calc(100% - var(--pagedjs-footnotes-height) - ${lines * pitch}px)`;
    page.element.dataset.wenjiLinesShort = String(lines);
  };
  const hasNotes = (page: LaidPage) => {
    const notes = page.element.querySelector('.pagedjs_footnote_content');
    return !!notes && !notes.classList.contains('pagedjs_footnote_empty');
  };

  polyfill.on('page', () => {
    const pages = polyfill.chunker.pages as LaidPage[];
    const page = pages[pages.length - 1];
    if (!page?.area) return;
    // A verso being laid out again at a tried depth.
    if (pages.length % 2 === 0) {
      const tried = tries.get(pages.length);
      if (tried && tried.short > 0) shorten(page, tried.short, tried.pitch);
      return;
    }
    const verso = pages[pages.length - 2];
    if (!verso?.area) return;
    const last = runsOn(verso);
    const pitch = last ? parseFloat(getComputedStyle(last).lineHeight) : NaN;
    if (!(pitch > 0)) return;
    const short = linesShort(verso, pitch);
    if (short >= 1 && short <= MAX_SHORT) shorten(page, short, pitch);
  });

  (window as unknown as { wenjiRedoSpread(chunker: unknown, breakToken: unknown): { from: number } | undefined }).wenjiRedoSpread = (
    _chunker,
    breakToken,
  ) => {
    const pages = polyfill.chunker.pages as LaidPage[];
    const n = pages.length;
    // Only just after a recto whose text runs on to the next page.
    if (n % 2 === 0 || n < 3 || !breakToken) return undefined;
    const [verso, recto] = [pages[n - 2]!, pages[n - 1]!];
    if (!verso.area || !recto.area || hasNotes(verso) || hasNotes(recto)) return undefined;
    const last = runsOn(recto);
    if (!last || !runsOn(verso)) return undefined;
    const pitch = parseFloat(getComputedStyle(last).lineHeight);
    if (!(pitch > 0)) return undefined;
    const versoNumber = n - 1;
    const tried = tries.get(versoNumber) ?? { pitch, short: 0, results: new Map<number, number>(), final: false };
    if (tried.final) return undefined;
    const [versoShort, rectoShort] = [linesShort(verso, pitch), linesShort(recto, pitch)];
    const unbalanced = Math.abs(rectoShort - versoShort);
    // Balanced; or a verso shorter than the recto could follow (by more lines than a
    // recto loses): nothing a shorter verso would mend.
    if (unbalanced === 0 || (rectoShort < versoShort && !tried.results.size)) return undefined;
    tried.results.set(tried.short, unbalanced);
    tries.set(versoNumber, tried);
    // Next: the verso as short as the recto came out, else any depth not tried yet.
    const candidates = [rectoShort, ...Array.from({ length: MAX_SHORT }, (_, i) => i + 1)];
    const next = candidates.find((k) => k >= 1 && k <= MAX_SHORT && !tried.results.has(k));
    if (next === undefined) {
      // None balanced: the closest try (of equals, the least shortened verso).
      const best = [...tried.results].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0]![0];
      tried.final = true;
      if (best === tried.short) return undefined;
      tried.short = best;
    } else {
      tried.short = next;
    }
    return { from: n - 2 };
  };
}
