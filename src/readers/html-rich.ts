/**
 * Figures, data tables and footnotes of an HTML document (a saved page, or Word through
 * mammoth), taken out before the text is read: each figure or table becomes a placeholder
 * paragraph holding its number (so it keeps its place through Readability and the
 * normaliser, which never take it for a title or chrome), each note reference a marker in the
 * text. Page chrome images (logos, icons, share buttons, QR codes, spacers, anything in
 * navigation, headers and footers) and layout tables are left to the text reader, which drops
 * or flattens them as before.
 */
import type { Diagnostic } from '../model/diagnostics.ts';
import type { Block, Footnote, Inline, TableRow } from '../model/speech.ts';
import { CAPTION_CREDIT, captionWithoutLabel } from '../normalize/index.ts';
import { imageSource, remoteImageWarning } from './figures.ts';

/** A placeholder paragraph's text: the item's number between two private-use characters. */
export const ITEM_MARK = ['\uE008', '\uE009'] as const;
/** A note reference in the text: the note's number between two private-use characters. */
export const NOTE_MARK = ['\uE00A', '\uE00B'] as const;

export const ITEM_PATTERN = /^\uE008(\d+)\uE009$/u;
export const NOTE_PATTERN = /\uE00A(\d+)\uE00B/gu;

/** The subset of the DOM the extraction uses (linkedom's elements). */
interface El {
  nodeType: number;
  nodeName: string;
  tagName: string;
  textContent: string | null;
  childNodes: ArrayLike<El>;
  parentNode: El | null;
  nextSibling: El | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  querySelector(selector: string): El | null;
  closest(selector: string): El | null;
  remove(): void;
  replaceWith(...nodes: (El | string)[]): void;
  insertBefore(node: El, ref: El | null): void;
  contains(other: El): boolean;
}

interface Doc {
  createElement(name: string): El;
  createTextNode(text: string): El;
  querySelectorAll(selector: string): ArrayLike<El>;
  body: El | null;
}

/** A figure or a table. */
export type RichItem = Extract<Block, { type: 'figure' | 'table' }>;

export interface RichContent {
  /** Figures and tables by their number in the placeholders. */
  items: RichItem[];
  notes: Footnote[];
  diagnostics: Diagnostic[];
}

// ------------------------------------------------------------------ text of an element

const SKIP = new Set(['RT', 'RP', 'SCRIPT', 'STYLE', 'TEMPLATE']);

/** Elements whose runs are strong (bold) or emphasised (italic), in every HTML reader. */
export const BOLD = new Set(['STRONG', 'B']);
export const ITALIC = new Set(['EM', 'I']);

/**
 * Text and ruby of an element, spaces collapsed (<br> is a space); with `marks`, bold and
 * italic runs too (table cells: a bold figure in a table is part of what it says; captions
 * and notes keep plain runs, whose number labels are found as text).
 */
export function inlineRuns(el: El, marks = false): Inline[] {
  const build = (n: El, out: Inline[]) => {
    const push = (t: string) => {
      const last = out[out.length - 1];
      if (last?.type === 'text') last.text += t;
      else out.push({ type: 'text', text: t });
    };
    if (n.nodeType === 3) return push(n.textContent ?? '');
    if (n.nodeType !== 1) return;
    const name = n.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    if (name === 'BR') return push(' ');
    if (name === 'RUBY') {
      const base = plainText(n);
      const annotation = [...(n.querySelectorAll('rt') as ArrayLike<El> & Iterable<El>)].map((rt) => (rt.textContent ?? '').trim()).join('');
      if (base && annotation) out.push({ type: 'ruby', base, annotation });
      else push(base);
      return;
    }
    const kind = !marks ? undefined : BOLD.has(name) ? 'strong' : ITALIC.has(name) ? 'emphasis' : undefined;
    const into: Inline[] = kind ? [] : out;
    for (let i = 0; i < n.childNodes.length; i++) build(n.childNodes[i]!, into);
    if (kind) out.push({ type: kind, children: into });
  };
  const runs: Inline[] = [];
  for (let i = 0; i < el.childNodes.length; i++) build(el.childNodes[i]!, runs);
  return tidyRuns(runs);
}

/** Runs with spaces collapsed, the whole trimmed at both ends, and nothing empty left. */
function tidyRuns(runs: Inline[]): Inline[] {
  const collapse = (list: Inline[]): Inline[] =>
    list.flatMap((n): Inline[] => {
      if (n.type === 'text') {
        const text = n.text.replace(/[\s\u00a0\u3000]+/g, ' ');
        return text ? [{ type: 'text', text }] : [];
      }
      if (n.type === 'strong' || n.type === 'emphasis') {
        const children = collapse(n.children);
        return children.length ? [{ ...n, children }] : [];
      }
      return [n];
    });
  const out = collapse(runs);
  /** Trims the text at one end, going into marked runs; drops what it empties. */
  const trim = (list: Inline[], end: 'start' | 'end'): Inline[] => {
    const i = end === 'start' ? 0 : list.length - 1;
    const n = list[i];
    if (!n) return list;
    let next: Inline | undefined = n;
    if (n.type === 'text') {
      const text = end === 'start' ? n.text.trimStart() : n.text.trimEnd();
      next = text ? { type: 'text', text } : undefined;
    } else if (n.type === 'strong' || n.type === 'emphasis') {
      const children = trim(n.children, end);
      next = children.length ? { ...n, children } : undefined;
    }
    const rest = end === 'start' ? list.slice(1) : list.slice(0, -1);
    if (!next) return trim(rest, end);
    return end === 'start' ? [next, ...rest] : [...rest, next];
  };
  return trim(trim(out, 'start'), 'end');
}

/** Plain text of an element, without ruby annotations, spaces collapsed. */
export function plainText(el: El): string {
  let out = '';
  const walk = (n: El) => {
    if (n.nodeType === 3) out += n.textContent ?? '';
    else if (n.nodeType === 1 && !SKIP.has(n.nodeName.toUpperCase())) {
      if (n.nodeName.toUpperCase() === 'BR') out += ' ';
      for (let i = 0; i < n.childNodes.length; i++) walk(n.childNodes[i]!);
    }
  };
  walk(el);
  return out.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

const list = <T>(xs: ArrayLike<T>): T[] => Array.from(xs);

// ------------------------------------------------------------------ page chrome images

/** Where page chrome lives: navigation, headers, footers, side bars, share and related-link boxes. */
const CHROME_ANCESTOR = 'nav,header,footer,aside,menu';
const CHROME_WORDS = /(^|[^a-z])(logo|icon|ico|share|qr|qrcode|erweima|ewm|wechat|weixin|weibo|wx|banner|avatar|spacer|blank|pixel|loading|btn|button|arrow|print|gotop|top|close|nav|menu|header|footer|sidebar|toolbar|breadcrumb|ad|ads|advert|related|badge|emoji|smiley|rss|search)([^a-z]|$)|二维码|扫码|扫一扫|分享|微信|微博|公众号|图标|标志|返回顶部|打印/i;

function px(v: string | null): number | undefined {
  const m = v && /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/i.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** Why an image is page chrome, or undefined when it may be content. */
export function chromeImageReason(img: El): string | undefined {
  if (img.closest(CHROME_ANCESTOR)) return 'in the navigation, header or footer';
  if (img.closest('noscript,template,object,iframe,svg')) return 'not shown on the page';
  const style = img.getAttribute('style') ?? '';
  const size = (attr: string) => px(img.getAttribute(attr)) ?? px(new RegExp(`(?:^|;)\\s*${attr}\\s*:\\s*([\\d.]+px)`, 'i').exec(style)?.[1] ?? null);
  const w = size('width');
  const h = size('height');
  if ((w !== undefined && w <= 64) || (h !== undefined && h <= 64)) return 'a small image (icon or spacer)';
  const words = ['class', 'id', 'alt', 'src', 'title'].map((a) => img.getAttribute(a) ?? '').join(' ');
  if (CHROME_WORDS.test(words)) return 'named as page chrome (logo, icon, share, QR code …)';
  // Chrome boxes name themselves by class or id (div.share, div.logo).
  for (let p = img.parentNode; p && p.nodeType === 1; p = p.parentNode) {
    const name = `${p.getAttribute('class') ?? ''} ${p.getAttribute('id') ?? ''}`;
    if (CHROME_WORDS.test(name)) return 'inside a page-chrome box';
  }
  // A picture linking to another page is a thumbnail of it (related articles, ads).
  const link = img.closest('a');
  const href = link?.getAttribute('href') ?? '';
  if (link && href && !/\.(jpe?g|png|gif|webp|bmp|svg)(\?.*)?$/i.test(href)) return 'a link to another page';
  return undefined;
}

/** The image's address: lazy-loading pages keep it in data-src while src holds a placeholder. */
function imageAddress(img: El): string {
  const src = (img.getAttribute('src') ?? '').trim();
  const lazy = (img.getAttribute('data-original') ?? img.getAttribute('data-src') ?? img.getAttribute('data-lazy-src') ?? '').trim();
  if (lazy && (!src || /^data:image\/gif/i.test(src) || /(blank|loading|lazy|placeholder|grey|gray)\.(gif|png|jpe?g)/i.test(src))) return lazy;
  return src;
}

/** A local path as a file name: percent escapes decoded, query and fragment dropped. */
function localPath(src: string): string {
  if (/^data:/i.test(src)) return src;
  const bare = src.replace(/[?#].*$/, '');
  try {
    return decodeURI(bare);
  } catch {
    return bare;
  }
}

// ------------------------------------------------------------------ credits

/** Splits a caption into its text and its credit line. */
export function splitCredit(caption: Inline[]): { caption: Inline[]; credit?: string } {
  const last = caption[caption.length - 1];
  if (last?.type !== 'text') return { caption };
  const m = CAPTION_CREDIT.exec(last.text);
  if (!m) return { caption };
  const rest = last.text.slice(0, m.index).trimEnd();
  const head = caption.slice(0, -1);
  return { caption: rest ? [...head, { type: 'text', text: rest }] : head, credit: m[1]!.replace(/\s+/g, ' ').trim() };
}

// ------------------------------------------------------------------ tables

/** The longest cell text a data table holds; a cell holding paragraphs is page layout. */
const MAX_CELL_CHARS = 80;

function rowsOf(table: El): El[] {
  return list(table.querySelectorAll('tr')).filter((tr) => tr.closest('table') === table);
}

function cellsOf(tr: El): El[] {
  return list(tr.childNodes).filter((c) => c.nodeType === 1 && /^(TD|TH)$/i.test(c.nodeName));
}

/**
 * A data table: no table inside it, at least 2 rows and 2 columns, every cell short. Layout
 * tables (a whole page in cells, a box around the article) fail one of these.
 */
export function isDataTable(table: El): boolean {
  if (table.querySelector('table') || table.closest(CHROME_ANCESTOR)) return false;
  const rows = rowsOf(table);
  if (rows.length < 2) return false;
  const cells = rows.map(cellsOf);
  if (Math.max(...cells.map((c) => c.length)) < 2) return false;
  if (cells.filter((c) => c.filter((td) => plainText(td)).length >= 2).length < 2) return false;
  return cells.every((r) => r.every((td) => [...plainText(td)].length <= MAX_CELL_CHARS && !td.querySelector('img')));
}

/**
 * The table's rows on its grid: a cell spanning columns or rows (colspan, rowspan; merged
 * cells in Word) keeps its text in its first place, and the places it covers are empty cells,
 * so the columns after it stay aligned. (The model has no spans.)
 */
function gridRows(rows: readonly El[]): Map<El, TableRow> {
  const out = new Map<El, TableRow>();
  // Columns still covered by a rowspan from above: column → rows left.
  const covered = new Map<number, number>();
  const span = (c: El, name: string) => Math.min(50, Math.max(1, Number.parseInt(c.getAttribute(name) ?? '1', 10) || 1));
  for (const tr of rows) {
    const row: TableRow = [];
    const takeCovered = () => {
      while ((covered.get(row.length) ?? 0) > 0) {
        covered.set(row.length, covered.get(row.length)! - 1);
        row.push([]);
      }
    };
    for (const cell of cellsOf(tr)) {
      takeCovered();
      const [cols, down] = [span(cell, 'colspan'), span(cell, 'rowspan')];
      for (let i = 0; i < cols; i++) {
        if (down > 1) covered.set(row.length, down - 1);
        row.push(i === 0 ? inlineRuns(cell, true) : []);
      }
    }
    takeCovered();
    // A short row leaves the columns past its end: their rowspans run on all the same.
    for (const [col, left] of covered) if (col >= row.length && left > 0) covered.set(col, left - 1);
    out.set(tr, row);
  }
  return out;
}

function tableBlock(table: El): RichItem {
  const rows = rowsOf(table);
  const grid = gridRows(rows);
  const toRow = (tr: El): TableRow => grid.get(tr)!;
  const inHead = (tr: El) => tr.parentNode?.nodeName.toUpperCase() === 'THEAD';
  // A header: rows in <thead>, else a first row of <th> cells, or of cells bold throughout.
  const boldCell = (c: El) => {
    const text = plainText(c);
    return c.nodeName.toUpperCase() === 'TH' || (Boolean(text) && list(c.querySelectorAll('strong,b')).map(plainText).join('') === text);
  };
  let headerRow = rows.find(inHead);
  if (!headerRow && cellsOf(rows[0]!).every(boldCell) && !rows.slice(1).every((r) => cellsOf(r).every(boldCell))) headerRow = rows[0];
  const caption = table.querySelector('caption');
  const captionInlines = caption ? captionWithoutLabel(inlineRuns(caption)) : [];
  return {
    type: 'table',
    ...(captionInlines.length ? { caption: captionInlines } : {}),
    // A header row set in bold says no more than that it is the header.
    ...(headerRow ? { header: toRow(headerRow).map((cell) => (cell.length === 1 && cell[0]!.type === 'strong' ? cell[0].children : cell)) } : {}),
    rows: rows.filter((r) => r !== headerRow && cellsOf(r).length).map(toRow),
  };
}

// ------------------------------------------------------------------ footnotes

const BACK_LINK = /^\s*(↑|↩|\^|返回|back)\s*$/iu;

/** The element holding note `id`'s text, or undefined. */
function noteTarget(doc: Doc, id: string, ref: El): El | undefined {
  const found = list(doc.querySelectorAll('[id],a[name]')).find((e) => e.getAttribute('id') === id || (e.nodeName.toUpperCase() === 'A' && e.getAttribute('name') === id));
  if (!found || found.contains(ref) || ref.contains(found)) return undefined;
  // An anchor at the start of the note's paragraph stands for the paragraph.
  const target = found.nodeName.toUpperCase() === 'A' ? found.closest('p,li,div,dd') : found;
  return target && !target.contains(ref) ? target : undefined;
}

/** A note's text: back links (↑) and the number it opens with left out. */
function noteText(target: El, refIds: string[]): Inline[] {
  for (const a of list(target.querySelectorAll('a'))) {
    const href = a.getAttribute('href') ?? '';
    if (BACK_LINK.test(a.textContent ?? '') || refIds.some((r) => href === `#${r}`)) a.remove();
  }
  const inlines = inlineRuns(target);
  const first = inlines[0];
  if (first?.type === 'text') first.text = first.text.replace(/^[[［〔(（]?\d{1,3}[\]］〕)）]?[.、．:：]?\s*/u, '');
  return inlines.filter((n) => n.type !== 'text' || n.text);
}

function extractNotes(doc: Doc): Footnote[] {
  const notes: Footnote[] = [];
  const byTarget = new Map<El, string>();
  const root = doc.body;
  if (!root) return notes;
  for (const a of list(root.querySelectorAll('a[href^="#"]'))) {
    const href = a.getAttribute('href')!;
    let id: string;
    try {
      id = decodeURIComponent(href.slice(1));
    } catch {
      continue;
    }
    if (!id) continue;
    const sup = a.closest('sup');
    const looksLikeRef = Boolean(sup) || /^\s*[[［〔]?\d{1,3}[\]］〕]?\s*$/u.test(a.textContent ?? '') || /foot|fn|note/i.test(`${a.getAttribute('class') ?? ''} ${a.getAttribute('id') ?? ''}`);
    if (!looksLikeRef) continue;
    const target = noteTarget(doc, id, a);
    if (!target) continue;
    let noteId = byTarget.get(target);
    if (noteId === undefined) {
      const content = noteText(target, [a.getAttribute('id') ?? ''].filter(Boolean));
      if (!content.length) continue;
      noteId = String(notes.length + 1);
      notes.push({ id: noteId, content });
      byTarget.set(target, noteId);
    }
    const marker = `${NOTE_MARK[0]}${noteId}${NOTE_MARK[1]}`;
    (sup && sup.textContent?.trim() === a.textContent?.trim() ? sup : a).replaceWith(marker);
  }
  // The notes' own text leaves the body; a list or box left empty goes with it.
  for (const target of byTarget.keys()) {
    const parent = target.parentNode;
    target.remove();
    if (parent && parent.nodeType === 1 && !(parent.textContent ?? '').trim() && parent !== root) parent.remove();
  }
  return notes;
}

// ------------------------------------------------------------------ entry point

/** Replaces `el` (or, when it is the only content of its paragraph, the paragraph) by a placeholder. */
function placeholder(doc: Doc, el: El, n: number): void {
  const p = doc.createElement('p');
  p.insertBefore(doc.createTextNode(`${ITEM_MARK[0]}${n}${ITEM_MARK[1]}`), null);
  const block = el.parentNode && /^(P|CENTER|SPAN|A|STRONG|B|FONT)$/i.test(el.parentNode.nodeName) ? el.closest('p,center') : null;
  if (block && !plainText(block).replace(NOTE_PATTERN, '') && list(block.querySelectorAll('img')).length === 1) {
    block.replaceWith(p);
    return;
  }
  if (block) {
    // An image inside a line of text: the figure follows that paragraph.
    el.remove();
    block.parentNode?.insertBefore(p, block.nextSibling);
    return;
  }
  el.replaceWith(p);
}

/**
 * Takes figures (<figure>, content <img>), data tables and footnotes out of `doc`, leaving
 * placeholders. Remote images are left out with W-IMPORT-REMOTE-IMAGE; chrome images are
 * left for the text reader to drop. `lineOf` finds the source line of an image's address, for
 * messages; `maxDataBytes` is the largest data: image taken as embedded (a Word file's own
 * pictures have no limit but the file's).
 */
export function extractRichContent(
  document: unknown,
  file: string,
  options: { lineOf?: (text: string, occurrence: number) => number | undefined; maxDataBytes?: number } = {},
): RichContent {
  const doc = document as Doc;
  const items: RichItem[] = [];
  const diagnostics: Diagnostic[] = [];
  const root = doc.body;
  if (!root) return { items, notes: [], diagnostics };
  const notes = extractNotes(doc);
  // Decided before any image is replaced: a table holding pictures is not a data table.
  const dataTables = list(root.querySelectorAll('table')).filter(isDataTable);
  // The same address may appear more than once (a share icon, then the photo): the n-th image
  // with an address is at its n-th occurrence in the source.
  const occurrence = new Map<El, number>();
  const seen = new Map<string, number>();
  for (const img of list(root.querySelectorAll('img'))) {
    const a = imageAddress(img);
    occurrence.set(img, seen.get(a) ?? 0);
    seen.set(a, (seen.get(a) ?? 0) + 1);
  }
  const lineOf = (img: El, address: string) => options.lineOf?.(address, occurrence.get(img) ?? 0);
  let embedded = 0;
  const figureOf = (img: El): Extract<Block, { type: 'figure' }> | undefined => {
    const address = imageAddress(img);
    const src = localPath(address);
    if (!src) return undefined;
    const image = imageSource(src, () => ++embedded, options.maxDataBytes);
    if ('remote' in image) {
      diagnostics.push(remoteImageWarning(file, lineOf(img, address), src, image.remote));
      return undefined;
    }
    const line = lineOf(img, address);
    return { type: 'figure', image: image.image, alt: (img.getAttribute('alt') ?? '').replace(/\s+/g, ' ').trim(), ...(line ? { pos: { line } } : {}) };
  };
  for (const fig of list(root.querySelectorAll('figure'))) {
    const img = fig.querySelector('img');
    if (!img || chromeImageReason(img)) continue;
    const figure = figureOf(img);
    if (!figure) {
      fig.remove();
      continue;
    }
    const caption = fig.querySelector('figcaption');
    const split = splitCredit(caption ? captionWithoutLabel(inlineRuns(caption)) : []);
    items.push({ ...figure, ...(split.caption.length ? { caption: split.caption } : {}), ...(split.credit ? { credit: split.credit } : {}) });
    placeholder(doc, fig, items.length - 1);
  }
  for (const img of list(root.querySelectorAll('img'))) {
    if (img.closest('figure') || chromeImageReason(img) || dataTables.some((t) => t.contains(img))) continue;
    const figure = figureOf(img);
    if (!figure) {
      img.remove();
      continue;
    }
    items.push(figure);
    placeholder(doc, img, items.length - 1);
  }
  for (const table of dataTables) {
    items.push(tableBlock(table));
    placeholder(doc, table, items.length - 1);
  }
  return { items, notes, diagnostics };
}
