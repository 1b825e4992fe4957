/**
 * The pages of books printed by Chromium (vertical books, and horizontal ones with
 * `--engine chromium`), planned so that facing pages balance. Chromium's own print breaks a
 * page where its lines (columns) run out and knows nothing of spreads, so widows, orphans and
 * headings kept with their text leave one page of a spread a line or two shorter than the
 * other. Here the writer decides the pages itself, before the first print:
 *
 * 1. measureFlows (in the page): each recto-opening flow (a speech, the preface …) is laid
 *    out once for the screen at the line's length and read as atoms along the block axis
 *    (leftwards in vertical text, downwards in horizontal): the lines (columns) of paragraphs,
 *    and blocks kept whole (headings, figures, tables, paragraphs too short to split). Each atom says where a page starting or ending with it
 *    would begin or end, and whether a page may start with it (no orphan, widow, or heading
 *    left at a page's end).
 * 2. planSpreadPages (pure): where the flow's pages start. Every page within the type area;
 *    the two pages of each spread the text runs on across end on the same line; as full
 *    as that allows (a spread may end a line short on both pages, as in a hand-set book).
 * 3. startPagesAt (in the page): each page start becomes a forced break. A paragraph is cut
 *    in two at the line where the page starts (the first part's last line justified as
 *    it was, the second part unindented); a block gets `break-before: page`. With every page
 *    known to fit, Chromium breaks exactly there and nowhere else.
 *
 * Pass 1 of the print then counts each flow's pages; a flow that came out otherwise is put
 * back as it was (restoreFlows) and left to Chromium's own breaks.
 */
import type { Page } from 'puppeteer-core';
import { TEMPLATE_CONTRACT } from '../../render/template-contract.ts';
import { pageArea, SCREEN_LAYOUT_STYLE_ID, type PageArea } from './in-page.ts';

/** A line (column) of a paragraph, or a block kept whole, in px along the flow's block axis from its start. */
export interface FlowAtom {
  /** Where a page that starts with this atom begins. */
  start: number;
  /** Where a page that ends with this atom ends (a trailing margin falls away at a break). */
  end: number;
  /** A page may start with this atom. */
  breakBefore: boolean;
}

export interface MeasuredFlow {
  id: string;
  atoms: FlowAtom[];
  /** The flow is the last element of the document (its page count is the document's rest). */
  last: boolean;
}

export interface FlowMeasure {
  /** The type area along the block axis: how much of the flow a page holds (px). */
  extent: number;
  /** The body's line pitch (px). */
  pitch: number;
  flows: MeasuredFlow[];
}

/** Two pages of a spread end "on the same line" when their ends are this close (in lines). */
const BALANCE_TOLERANCE = 0.4;
/** The cost of a spread left unbalanced, in lines of white: only when nothing else will do. */
const UNBALANCED = 1000;
/**
 * A flow's last page holding fewer lines (columns) than this looks left over (孤页): each
 * line short costs more than a spread one line short on both pages (2 × (1.95² − 0.95²) ≈ 5.8),
 * so a spread gives up a line to it when it can.
 */
const SHORT_LAST_PAGE = 3;
const SHORT_LAST_COST = 8;
/** Layout rounding (px): Chromium's page holds the type area rounded up to a whole px (measured), so half a px over fits. */
const FIT_SLACK = 0.5;

/**
 * Where the pages of a flow start (atom indexes, the first 0), or undefined when no page can
 * hold what must stay together. Page 0 opens the flow on a recto; pages 1–2, 3–4 … are
 * spreads. A spread counts when the flow runs on past its recto: then both its pages must end
 * on the same line (within BALANCE_TOLERANCE). Of the plans that balance, the one leaving
 * the least white at the ends of pages (the flow's last page not counted), squared so that
 * two spreads a line short are preferred to one three lines short, and a last page of
 * fewer than SHORT_LAST_PAGE lines avoided where a spread can give it one; found by dynamic
 * programming over the atom that starts each spread.
 */
export function planSpreadPages(atoms: readonly FlowAtom[], extent: number, pitch: number): number[] | undefined {
  const n = atoms.length;
  if (n === 0 || !(extent > 0) || !(pitch > 0)) return undefined;
  const size = (b: number, c: number) => atoms[c - 1]!.end - atoms[b]!.start;
  const white = (b: number, c: number) => (Math.max(0, extent - size(b, c)) / pitch) ** 2;
  const leftOver = (b: number) => Math.max(0, SHORT_LAST_PAGE - size(b, n) / pitch) * SHORT_LAST_COST;
  const endsCache = new Map<number, number[]>();
  /** Where a page starting at atom b may end: the next page starts at c, or c = n (the flow ends). */
  const ends = (b: number): number[] => {
    let out = endsCache.get(b);
    if (out) return out;
    out = [];
    for (let c = b + 1; c <= n && size(b, c) <= extent + FIT_SLACK; c++) if (c === n || atoms[c]!.breakBefore) out.push(c);
    endsCache.set(b, out);
    return out;
  };
  // cost[b]: the least white on the pages before a verso that starts at atom b; from[b], recto[b]:
  // where the spread before it started and where its recto started (the opening page: -1).
  const cost = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  const recto = new Int32Array(n).fill(-1);
  const opening = ends(0);
  if (!opening.length) return undefined;
  if (opening.includes(n)) return [0];
  for (const c of opening) cost[c] = white(0, c);
  let best = { cost: Infinity, spread: -1, recto: -1 };
  for (let b = 1; b < n; b++) {
    if (cost[b] === Infinity) continue;
    for (const b1 of ends(b)) {
      if (b1 === n) {
        const total = cost[b]! + leftOver(b);
        if (total < best.cost) best = { cost: total, spread: b, recto: -1 };
        continue;
      }
      for (const b2 of ends(b1)) {
        if (b2 === n) {
          const total = cost[b]! + white(b, b1) + leftOver(b1);
          if (total < best.cost) best = { cost: total, spread: b, recto: b1 };
          continue;
        }
        const off = Math.abs(size(b, b1) - size(b1, b2)) / pitch;
        const total = cost[b]! + white(b, b1) + white(b1, b2) + (off > BALANCE_TOLERANCE ? UNBALANCED : off);
        if (total < cost[b2]!) {
          cost[b2] = total;
          from[b2] = b;
          recto[b2] = b1;
        }
      }
    }
  }
  if (best.spread < 0) return undefined;
  const starts = best.recto >= 0 ? [best.spread, best.recto] : [best.spread];
  for (let b = best.spread; from[b]! >= 0; b = from[b]!) starts.unshift(from[b]!, recto[b]!);
  return [0, ...starts];
}

/** A page count of each flow, by id, as planned. */
export type PlannedPages = Map<string, { pages: number; last: boolean }>;

/**
 * Measures, plans and makes the page starts of every recto-opening flow in the loaded page
 * (steps 1–3 above); returns the page count planned for each flow it changed.
 */
export async function balanceSpreads(page: Page): Promise<PlannedPages> {
  const measure = await page.evaluate(measureFlows, TEMPLATE_CONTRACT.recto, await page.evaluate(pageArea), SCREEN_LAYOUT_STYLE_ID);
  const planned: PlannedPages = new Map();
  const starts: { id: string; starts: number[] }[] = [];
  for (const flow of measure?.flows ?? []) {
    const plan = planSpreadPages(flow.atoms, measure!.extent, measure!.pitch);
    if (!plan || plan.length < 2) continue;
    starts.push({ id: flow.id, starts: plan });
    planned.set(flow.id, { pages: plan.length, last: flow.last });
  }
  await page.evaluate(startPagesAt, starts, TEMPLATE_CONTRACT.recto, SCREEN_LAYOUT_STYLE_ID);
  return planned;
}

/**
 * The flows whose pass-1 page count differs from the plan (the screen layout and the print
 * disagreed): given the start page of each recto opening, in order, and the chunk's pages.
 */
export function flowsOffPlan(planned: PlannedPages, starts: readonly { id: string; page: number }[], pages: number): string[] {
  return starts.flatMap((s, i) => {
    const plan = planned.get(s.id);
    if (!plan) return [];
    const next = starts[i + 1]?.page ?? (plan.last ? pages + 1 : undefined);
    return next !== undefined && next - s.page !== plan.pages ? [s.id] : [];
  });
}

/** Puts the flows back as they were before startPagesAt (its edits undone, last first). */
export async function restoreFlows(page: Page, ids: string[]): Promise<void> {
  await page.evaluate((list: string[]) => {
    const undo = (window as unknown as { wenjiUndoPages?: Map<string, (() => void)[]> }).wenjiUndoPages;
    for (const id of list) for (const step of (undo?.get(id) ?? []).reverse()) step();
  }, ids);
}

/** What measureFlows leaves on the window for startPagesAt: how to start a page at each atom. */
interface AtomStart {
  /** A block: the outermost element starting there, and those inside it that start with it. */
  chain?: HTMLElement[];
  /** A line (column) of a paragraph: the paragraph and where the line starts on the block axis. */
  paragraph?: HTMLElement;
  edge?: number;
}

/**
 * In the page: step 1. Lays the document out for the screen at the line's length (the type
 * area's inline size) and measures every element matching `selector` that is a child of
 * <body>. Undefined when the type area is unknown.
 */
export function measureFlows(selector: string, area: PageArea | undefined, styleId: string): FlowMeasure | undefined {
  if (!area) return undefined;
  const vertical = getComputedStyle(document.documentElement).writingMode.startsWith('vertical');
  // Where a box starts and ends on the block axis, growing along the flow: leftwards in
  // vertical-rl (so the negated x), downwards in horizontal text.
  const from = (r: DOMRect) => (vertical ? -r.right : r.top);
  const to = (r: DOMRect) => (vertical ? -r.left : r.bottom);
  const before = (css: CSSStyleDeclaration, what: 'margin' | 'border' | 'padding') =>
    parseFloat(css.getPropertyValue(`${what}-${vertical ? 'right' : 'top'}${what === 'border' ? '-width' : ''}`)) || 0;
  const after = (css: CSSStyleDeclaration, what: 'border' | 'padding') =>
    parseFloat(css.getPropertyValue(`${what}-${vertical ? 'left' : 'bottom'}${what === 'border' ? '-width' : ''}`)) || 0;
  const { inline: measure, block: extent } = area;
  // The screen layout keepShortParagraphsWhole left up at that length, or a new one.
  let shown = document.getElementById(styleId);
  if (!shown) {
    shown = document.createElement('style');
    shown.id = styleId;
    document.head.appendChild(shown);
  }
  const css = `html { display: block !important; inline-size: ${measure}px !important; }`;
  if (shown.textContent !== css) shown.textContent = css;
  const isBlock = (css: CSSStyleDeclaration) => !css.display.startsWith('inline') && !['none', 'contents', 'ruby', 'ruby-text'].includes(css.display);
  const inFlow = (css: CSSStyleDeclaration) => css.position !== 'absolute' && css.position !== 'fixed' && css.float === 'none';
  const avoids = (value: string) => value.startsWith('avoid');
  const lineHeights = new Map<number, number>();
  // One range for all: each live range is kept up to date at every later edit of the document.
  const range = document.createRange();
  const starts: AtomStart[][] = [];
  const flows: MeasuredFlow[] = [];
  for (const flow of document.querySelectorAll<HTMLElement>(`body > ${selector}`)) {
    // The page starts before the flow's margin and those of its first descendants, which
    // collapse with it on screen and stay after a forced break in print.
    const firsts: HTMLElement[] = [flow];
    for (let e = flow.firstElementChild; e instanceof HTMLElement; e = e.firstElementChild) firsts.push(e);
    const origin = Math.min(...firsts.map((e) => from(e.getBoundingClientRect()) - before(getComputedStyle(e), 'margin')));
    const at = (v: number) => v - origin;
    // The blocks that hold text directly (or are kept whole), in order.
    const leaves: HTMLElement[] = [];
    const collect = (el: Element) => {
      for (const child of el.children) {
        if (!(child instanceof HTMLElement)) continue;
        const css = getComputedStyle(child);
        if (css.display === 'contents') collect(child);
        if (!isBlock(css) || !inFlow(css)) continue;
        const whole = avoids(css.breakInside) || !['block', 'list-item', 'flow-root'].includes(css.display);
        const blocks = [...child.children].some((k) => {
          const c = getComputedStyle(k);
          return isBlock(c) && inFlow(c);
        });
        if (blocks && !whole) collect(child);
        else leaves.push(child);
      }
    };
    collect(flow);
    const chainOf = (leaf: HTMLElement) => {
      const out: HTMLElement[] = [];
      for (let e: HTMLElement | null = leaf; e && e !== flow; e = e.parentElement) out.push(e);
      return out;
    };
    const atoms: FlowAtom[] = [];
    const ways: AtomStart[] = [];
    leaves.forEach((leaf, i) => {
      const chain = chainOf(leaf);
      const prev = leaves[i - 1];
      const next = leaves[i + 1];
      // The elements that start with this leaf (outermost last) and end with it.
      const starting = prev ? chain.filter((e) => !e.contains(prev)) : chain;
      const ending = next ? chain.filter((e) => !e.contains(next)) : chain;
      const prevEnding = prev ? chainOf(prev).filter((e) => !e.contains(leaf)) : [];
      const allowed =
        !!prev &&
        !prevEnding.some((e) => avoids(getComputedStyle(e).breakAfter)) &&
        !starting.some((e) => avoids(getComputedStyle(e).breakBefore));
      const start = at(Math.min(...starting.map((e) => from(e.getBoundingClientRect()))));
      const end = at(Math.max(...ending.map((e) => to(e.getBoundingClientRect()))));
      const way: AtomStart = { chain: [...starting].reverse() };
      const css = getComputedStyle(leaf);
      const lineHeight = parseFloat(css.lineHeight);
      const splittable = leaf.tagName === 'P' && css.display === 'block' && !avoids(css.breakInside) && lineHeight > 0;
      // The paragraph's lines (columns): its text's boxes (ruby annotations aside), grouped by where they stand.
      const columns: { from: number; to: number; centre: number }[] = [];
      if (splittable) {
        const boxes: DOMRect[] = [];
        const texts = document.createTreeWalker(leaf, NodeFilter.SHOW_TEXT);
        for (let t = texts.nextNode(); t; t = texts.nextNode()) {
          if (t.parentElement?.closest('rt, rp')) continue;
          range.selectNodeContents(t);
          for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) boxes.push(r);
        }
        boxes.sort((a, b) => from(a) + to(a) - (from(b) + to(b)));
        for (const r of boxes) {
          const centre = (from(r) + to(r)) / 2;
          const last = columns.at(-1);
          if (last && Math.abs(last.centre - centre) < lineHeight * 0.45) {
            last.from = Math.min(last.from, from(r));
            last.to = Math.max(last.to, to(r));
          } else columns.push({ from: from(r), to: to(r), centre });
        }
      }
      const box = leaf.getBoundingClientRect();
      const first = from(box) + before(css, 'border') + before(css, 'padding');
      const last = to(box) - after(css, 'border') - after(css, 'padding');
      const lines = columns.length;
      if (splittable) lineHeights.set(lineHeight, (lineHeights.get(lineHeight) ?? 0) + lines);
      if (lines < 2) {
        atoms.push({ start, end, breakBefore: allowed });
        ways.push(way);
        return;
      }
      // Line k's start edge: on the line grid when the paragraph is (no ruby or larger type), else halfway between lines.
      const uniform = Math.abs(last - first - lines * lineHeight) < 1;
      const edge = (k: number) =>
        k === 0 ? first : k === lines ? last : uniform ? first + k * lineHeight : (columns[k - 1]!.to + columns[k]!.from) / 2;
      const [orphans, widows] = [Number(css.orphans) || 1, Number(css.widows) || 1];
      for (let k = 0; k < lines; k++) {
        atoms.push({
          start: k === 0 ? start : at(edge(k)),
          end: k === lines - 1 ? end : at(edge(k + 1)),
          breakBefore: k === 0 ? allowed : k >= orphans && lines - k >= widows,
        });
        ways.push(k === 0 ? way : { paragraph: leaf, edge: edge(k) });
      }
    });
    if (atoms.length) atoms[0]!.start = 0;
    starts.push(ways);
    // Only running text is planned: a flow of set pieces (title page, colophon, part title) is
    // laid out by its margins, which a page start would cut away.
    const running = ways.some((w) => w.paragraph);
    flows.push({ id: flow.id, atoms: running ? atoms : [], last: !flow.nextElementSibling });
  }
  // The screen layout stays for startPagesAt, which finds characters by where they stand.
  Object.assign(window, { wenjiAtomStarts: starts, wenjiVerticalFlows: vertical });
  // The body's pitch: the line height most lines have.
  const pitch = [...lineHeights].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  return { extent, pitch, flows };
}

/**
 * In the page: step 3, for the flows measureFlows measured (each flow's page starts by atom
 * index, the first 0). Works from the end of the document back, so that what is still to do
 * stands where it was measured. Keeps how to undo each edit, for restoreFlows.
 */
export function startPagesAt(plans: { id: string; starts: number[] }[], selector: string, styleId: string): void {
  const store = window as unknown as { wenjiAtomStarts?: AtomStart[][]; wenjiUndoPages?: Map<string, (() => void)[]> };
  const ways = store.wenjiAtomStarts ?? [];
  const undo = (store.wenjiUndoPages ??= new Map());
  const index = new Map(plans.map((p) => [p.id, p.starts]));
  // One range for every query and cut: the document keeps each live range up to date at every
  // edit, so a range a paragraph would make the edits' cost grow with their square.
  const range = document.createRange();
  const vertical = (window as unknown as { wenjiVerticalFlows?: boolean }).wenjiVerticalFlows;
  /** The first character of a paragraph standing past a line's start edge on the block axis, by bisection (lines follow each other). */
  const firstPast = (paragraph: HTMLElement, edge: number): { node: Text; offset: number } | undefined => {
    const chars: { node: Text; offset: number }[] = [];
    const texts = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let t = texts.nextNode() as Text | null; t; t = texts.nextNode() as Text | null) {
      if (t.parentElement?.closest('rt, rp')) continue;
      for (let k = 0; k < t.data.length; k++) chars.push({ node: t, offset: k });
    }
    /** Where character i stands (its centre), or of the next one that has a box. */
    const centre = (i: number): number => {
      for (let j = i; j < chars.length; j++) {
        range.setStart(chars[j]!.node, chars[j]!.offset);
        range.setEnd(chars[j]!.node, chars[j]!.offset + 1);
        const r = range.getBoundingClientRect();
        if (r.width > 0 || r.height > 0) return vertical ? -(r.left + r.right) / 2 : (r.top + r.bottom) / 2;
      }
      return Infinity;
    };
    let [lo, hi] = [0, chars.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (centre(mid) > edge + 0.5) hi = mid;
      else lo = mid + 1;
    }
    return chars[lo];
  };
  // First every cut is found (one layout), then made, from the end of the document back: a
  // cut splits a text node, and what comes before it stays where it was.
  const edits: { flow: string; edit: () => () => void }[] = [];
  const measured = [...document.querySelectorAll<HTMLElement>(`body > ${selector}`)];
  measured.forEach((flow, f) => {
    const planned = index.get(flow.id);
    if (!planned) return;
    for (const b of planned) {
      const way = ways[f]?.[b];
      if (!b || !way) continue;
      if (way.chain) {
        const chain = way.chain;
        edits.push({
          flow: flow.id,
          edit: () => {
            const was = chain.map((e) => [e.style.breakBefore, e.style.marginBlockStart] as const);
            chain[0]!.style.breakBefore = 'page';
            // A margin after a forced break would stay: the page starts at the block, as planned.
            for (const e of chain) e.style.marginBlockStart = '0';
            return () => chain.forEach((e, i) => ([e.style.breakBefore, e.style.marginBlockStart] = was[i]!));
          },
        });
        continue;
      }
      const paragraph = way.paragraph!;
      const cut = firstPast(paragraph, way.edge!);
      if (!cut) continue;
      edits.push({
        flow: flow.id,
        edit: () => {
          // At an element's first character, the cut goes before the element (no empty copy of it
          // left behind, a ruby never parted from its annotation).
          let start: Node = cut.node;
          if (cut.offset === 0) while (start.parentNode !== paragraph && start.parentNode?.firstChild === start) start = start.parentNode;
          const ruby = start.parentElement?.closest('ruby');
          if (ruby && paragraph.contains(ruby)) start = ruby;
          if (start === cut.node && cut.offset > 0) range.setStart(cut.node, cut.offset);
          else range.setStartBefore(start);
          range.setEnd(paragraph, paragraph.childNodes.length);
          const rest = range.extractContents();
          const second = paragraph.cloneNode(false) as HTMLElement;
          second.removeAttribute('id');
          second.append(rest);
          // Inline elements cut in two are cloned with their ids: the first part keeps them.
          for (const el of second.querySelectorAll('[id]')) if (document.getElementById(el.id)) el.removeAttribute('id');
          second.dataset.continued = '';
          second.style.textIndent = '0';
          second.style.breakBefore = 'page';
          second.style.marginBlockStart = '0';
          const align = paragraph.style.textAlignLast;
          paragraph.style.textAlignLast = 'justify';
          paragraph.after(second);
          return () => {
            paragraph.append(...second.childNodes);
            second.remove();
            paragraph.style.textAlignLast = align;
          };
        },
      });
    }
  });
  for (const { flow, edit } of edits.reverse()) {
    const steps = undo.get(flow) ?? [];
    steps.push(edit());
    undo.set(flow, steps);
  }
  // Printing lays the document out anew; the screen must not.
  document.getElementById(styleId)?.remove();
}
