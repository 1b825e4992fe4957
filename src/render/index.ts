/**
 * Book + Edition → one complete print HTML document (templates/<preset>.hbs + styles/).
 * The PDF writer paginates it; the HTML writer saves it for preview. See the contract in
 * the comments of RenderedHtml.
 */
import path from 'node:path';
import type { Book, Edition, MatterSection, Paper } from '../model/book.ts';
import { PAPER_SIZES_MM, editionLang, htmlLangTag } from '../model/book.ts';
import type { Block, Footnote, Inline, Lang, Speech } from '../model/speech.ts';
import { blockInlines } from '../model/speech.ts';
import { chineseNumeral } from '../model/chinese-numbers.ts';
import { LABELS, editionLabel } from '../model/labels.ts';
import { inlineText } from '../model/speech.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { createTemplateEnv, PACKAGE_ROOT, type TemplateEnv } from './templates.ts';
import { noteMark, registerRenderHelpers } from './helpers.ts';
import { ENGINE_LAYOUTS } from './page-engines.ts';
import type { FigureImages, PreparedImage } from './figure-images.ts';
import { faceSetFor, fontDirs, fontFaceCss, fontVariables, serifStack, slicesFor, type FaceSet, type FontSlice } from './fonts.ts';

export interface RenderedHtml {
  /** The complete document. */
  html: string;
  /** Directory relative URLs resolve from (the page may be saved/loaded there). */
  baseDir: string;
  /** Directories the page may load files from (fonts, theme). */
  assetDirs: string[];
  /**
   * Font files the document declares: whole faces and Kai web-font slices (a preview
   * copies the slices and writes subsets of the whole faces).
   */
  fontSlices: FontSlice[];
}

export interface RenderOptions {
  /**
   * Maps a font file to the URL written in @font-face (default file://). The HTML writer
   * uses it to point at its own copies.
   */
  fontUrl?: (file: string) => string;
  /** The figures' pictures, made for print (figure-images.ts); a figure without one shows its caption only. */
  figureImages?: FigureImages;
  /** The URL of a prepared picture (default: a data: URL). The PDF writer gives files in its temp folder. */
  imageUrl?: (image: PreparedImage) => string;
}

/** Stylesheets per layout and preset, in cascade order. */
function stylesheetsFor(edition: Edition): string[] {
  const preset = edition.preset === 'handout' || edition.preset === 'reading' ? edition.preset : 'book';
  const rich = edition.layout === 'vertical' ? ['rich-content.css', 'rich-content-vertical.css'] : ['rich-content.css'];
  return ['base.css', `${edition.layout}.css`, ...rich, `${preset}.css`, `${preset}-${edition.layout}.css`];
}

/** A CSS identifier made from an id (ids are ASCII but may start with a digit). */
export function pageName(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

// ---------------------------------------------------------------- view model

interface BlockView {
  block: Block;
  type: Block['type'];
  /** Anchor + bookmark (level 2) for sections: numbered headings and run-in leads. */
  id?: string;
  bookmarkTitle?: string;
  /** Figures and tables: 图1 / 表1 (图一 in vertical), numbered per speech. */
  label?: string;
  /** Figures: the picture's URL and pixel size, when it was prepared. */
  image?: { url: string; width: number; height: number; style: string };
  /**
   * Tables: the table in pieces — one, unless vertical text splits it into pieces that each fit
   * a column (a horizontal table cannot run from one column to the next); each piece repeats
   * the header and says 续.
   */
  pieces?: TablePiece[];
}

interface TablePiece {
  continued: boolean;
  header?: CellView[];
  rows: CellView[][];
}

interface CellView {
  content: Inline[];
  numeric: boolean;
}

/** How blocks are numbered and their pictures found. */
interface BlockContext {
  layout: Edition['layout'];
  /** Vertical text: how many lines of a table a column holds (tablePieces). */
  tableLinesPerColumn: number;
  lang: Lang;
  figureImages?: FigureImages;
  imageUrl: (image: PreparedImage) => string;
}

/** A cell that holds a number (1,234 · −5.6% · 12.5亿 · ¥30): right-aligned so digits line up. */
const NUMERIC_CELL = /^[-+−±]?[¥$€£]?\d[\d,，.]*\s*(%|‰|万|亿|万亿|元|万元|亿元)?$/u;

function cellViews(row: Inline[][]): CellView[] {
  return row.map((content) => ({ content, numeric: NUMERIC_CELL.test(inlineText(content).trim()) }));
}

/** Characters a table cell holds on one line, for the estimate of a row's height. */
const CELL_LINE_CHARS = 16;

/**
 * A table cut into pieces of at most `lines` lines (a row's lines estimated from its longest
 * cell), each with the header. Rows are never split.
 */
function tablePieces(header: CellView[] | undefined, rows: CellView[][], lines: number): TablePiece[] {
  const rowLines = (r: CellView[]) => Math.max(1, ...r.map((c) => Math.ceil([...inlineText(c.content)].length / CELL_LINE_CHARS)));
  const room = Math.max(1, lines - (header ? rowLines(header) : 0));
  const pieces: TablePiece[] = [];
  let current: CellView[][] = [];
  let used = 0;
  for (const r of rows) {
    const n = rowLines(r);
    if (current.length && used + n > room) {
      pieces.push({ continued: pieces.length > 0, header, rows: current });
      current = [];
      used = 0;
    }
    current.push(r);
    used += n;
  }
  pieces.push({ continued: pieces.length > 0, header, rows: current });
  return pieces;
}

/**
 * Lines of a table a vertical column holds: the column's length (the paper's height less the
 * preset's margins) over a table line (0.9 of the body size, 1.5 leading, padding), less the
 * caption and the rules.
 */
function tableLinesPerColumn(edition: Edition): number {
  const [, h] = PAPER_SIZES_MM[edition.paper as Paper];
  const handout = edition.preset === 'handout';
  const columnMm = h - (handout ? 72 : 35);
  const lineMm = (handout ? 16 : 10.5) * 0.9 * 1.9 * (25.4 / 72);
  return Math.floor(columnMm / lineMm) - 3;
}

/** The number of a figure or table: Arabic in horizontal text, Chinese numerals down a column (图一). */
export function blockLabel(word: string, n: number, layout: Edition['layout']): string {
  return `${word}${layout === 'vertical' ? chineseNumeral(n) : n}`;
}

const dataUrl = (image: PreparedImage) => `data:${image.mediaType};base64,${image.data.toString('base64')}`;

/** The text of a bookmark for a run-in lead: up to its first comma or full stop. */
function leadBookmarkTitle(lead: string): string {
  const cut = lead.search(/[，。；：！？]/);
  return (cut > 0 ? lead.slice(0, cut) : lead).trim();
}

function blockViews(blocks: Block[], ownerId: string, c: BlockContext): BlockView[] {
  let section = 0;
  let figures = 0;
  let tables = 0;
  const words = LABELS[c.lang];
  return blocks.map((b) => {
    const v: BlockView = { block: b, type: b.type };
    if (b.type === 'figure') {
      v.id = `${ownerId}-fig${++figures}`;
      v.label = blockLabel(words.figure, figures, c.layout);
      const image = c.figureImages?.get(b);
      if (image) {
        // The stylesheet sizes the picture from its aspect ratio (explicit sizes: percentages
        // and max-height misbehave in vertical text), never beyond 150 dpi of its own pixels.
        const aspect = (image.width / image.height).toFixed(4);
        const natural = ((image.width / 150) * 25.4).toFixed(1);
        v.image = { url: c.imageUrl(image), width: image.width, height: image.height, style: `--aspect: ${aspect}; --natural-width: ${natural}mm` };
      }
      return v;
    }
    if (b.type === 'table') {
      v.id = `${ownerId}-tab${++tables}`;
      v.label = blockLabel(words.table, tables, c.layout);
      v.pieces = tablePieces(b.header && cellViews(b.header), b.rows.map(cellViews), c.layout === 'vertical' ? c.tableLinesPerColumn : Infinity);
      return v;
    }
    if (b.type === 'heading' && b.level <= 2) {
      v.id = `${ownerId}-s${++section}`;
      v.bookmarkTitle = ((b.number ?? '') + inlineText(b.content)).trim();
    } else if (b.type === 'paragraph' && b.lead && b.lead.length) {
      v.id = `${ownerId}-s${++section}`;
      v.bookmarkTitle = leadBookmarkTitle(inlineText(b.lead));
    }
    return v;
  });
}

// Anchors reuse the page names: valid CSS identifiers, so `#anchor` works as a selector
// (`#03-x` would not; model ids may start with digits).
function speechView(s: Speech, edition: Edition, langTag: string, c: BlockContext) {
  const anchor = pageName('sp', s.id);
  const blocks = blockViews(s.blocks, anchor, c);
  return {
    id: anchor,
    page: anchor,
    lang: edition.script === 'source' ? s.lang : langTag,
    title: s.title,
    subtitle: s.subtitle,
    speaker: s.speaker?.name,
    role: s.speaker?.role,
    date: s.date,
    occasion: s.occasion,
    venue: s.venue,
    blocks,
    /** Numbered sections (headings, run-in leads): a one-speech book lists them in its contents. */
    sections: blocks.filter((b) => b.bookmarkTitle).map((b) => ({ id: b.id!, title: b.bookmarkTitle! })),
    notes: s.notes ?? [],
    endNotes: endNotes(s.notes ?? [], s.blocks, edition),
    notePrefix: `${anchor}-`,
  };
}

/**
 * The notes printed after their speech, with their marks: all of them, unless the engine sets
 * notes at the page foot; then only those nothing refers to (they have no page to go to).
 */
function endNotes(notes: readonly Footnote[], blocks: readonly Block[], edition: Edition) {
  const referred = new Set<string>();
  const walk = (xs: readonly Inline[]) => {
    for (const n of xs) {
      if (n.type === 'noteRef') referred.add(n.id);
      else if (n.type === 'emphasis' || n.type === 'strong') walk(n.children);
    }
  };
  if (ENGINE_LAYOUTS[edition.engine].templateFlags.pageFootNotes) for (const b of blocks) blockInlines(b).forEach(walk);
  return notes.flatMap((n, i) => (referred.has(n.id) ? [] : [{ id: n.id, mark: noteMark(i + 1), content: n.content }]));
}

type SpeechView = ReturnType<typeof speechView>;

function matterView(m: MatterSection, edition: Edition, c: BlockContext) {
  const anchor = pageName('mt', m.id);
  const notes = m.notes ?? [];
  return { id: anchor, page: anchor, title: m.title, blocks: blockViews(m.blocks, anchor, c), notes, endNotes: endNotes(notes, m.blocks, edition), notePrefix: `${anchor}-` };
}

/** Speaker grouping uses pinyin order, dates ascending; unknown dates go last. */
function speechIndex(speeches: SpeechView[]) {
  const byDate = [...speeches].sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999'));
  const groups = new Map<string, SpeechView[]>();
  for (const s of byDate) {
    const key = s.speaker ?? '';
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const collator = new Intl.Collator('zh-Hans-u-co-pinyin');
  const bySpeaker = [...groups.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : collator.compare(a, b)))
    .map(([speaker, list]) => ({ speaker, speeches: list }));
  return { byDate, bySpeaker };
}

// ---------------------------------------------------------------- generated page rules

/**
 * Rules that depend on the content: paper size and the running heads (book title on versos,
 * speech or section title on rectos, none on opening pages). Recto = odd = :right in both
 * engines; the stylesheets place the boxes physically.
 */
function pageRules(
  edition: Edition,
  book: Book,
  speeches: SpeechView[],
  matter: { page: string; title: string }[],
  marginFont: string,
): string {
  const [w, h] = PAPER_SIZES_MM[edition.paper as Paper];
  // Margin boxes do not see the custom properties of the document, so their faces are named here.
  const boxes = ['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'];
  const out = [
    `@page { size: ${w}mm ${h}mm; ${boxes.map((b) => `@${b} { font-family: ${marginFont}; }`).join(' ')} }`,
    // The type area of figures and tables: the paper less the margins the preset sheet declares.
    `:root { --paper-width: ${w}mm; --paper-height: ${h}mm; }`,
  ];
  // A reading copy's folio, 第 N 页 共 M 页, in the edition's script. Declared whole here:
  // Paged.js lets a later rule for a margin box replace an earlier one's declarations.
  if (edition.preset === 'reading') {
    const page = LABELS[editionLang(book, edition)].page;
    const folio =
      `content: "第 " counter(page) " ${page}\u3000共 " counter(pages) " ${page}"; ` +
      'font-size: 12pt; vertical-align: top; padding-top: 6mm; writing-mode: horizontal-tb;';
    out.push(`@page :left { @bottom-center { ${folio} } }`, `@page :right { @bottom-center { ${folio} } }`);
  }
  // Handouts and reading copies carry no running heads.
  if (edition.preset === 'handout' || edition.preset === 'reading') return out.join('\n');
  const named = [...speeches.map((s) => ({ page: s.page, title: s.title })), ...matter];
  out.push(...ENGINE_LAYOUTS[edition.engine].runningHeadRules(book.title, named));
  return out.join('\n');
}

// ---------------------------------------------------------------- labels

/** Spreads a word over `width` em with ideographic spaces, as print headings and colophon terms are set. */
function spread(word: string, width: number): string {
  const chars = [...word];
  const gaps = chars.length - 1;
  const room = width - chars.length;
  if (gaps < 1 || room < 1) return word;
  return chars.map((c, i) => (i < gaps ? c + '\u3000'.repeat(Math.floor(room / gaps) + (i < room % gaps ? 1 : 0)) : c)).join('');
}

/** The words the print templates show (`labels.*`), from the one table, spaced for print. */
export function printLabels(lang: Lang) {
  const w = LABELS[lang];
  return {
    toc: spread(w.toc, 3),
    index: w.index,
    byDate: w.byDate,
    bySpeaker: w.bySpeaker,
    editor: spread(w.editor, 4),
    publisher: spread(w.publisher, 4),
    edition: spread(w.edition, 4),
    date: spread(w.date, 4),
    identifier: spread(w.bookNumber, 4),
    credits: w.credits,
    unknownDate: w.unknownDate,
    unknownSpeaker: w.unknownSpeaker,
    edited: w.edited,
    notes: spread(w.notes, 3),
    continued: `（${w.continued}）`,
  };
}

/** CSS without its comments, for the characters the page can show. */
function withoutCssComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, '');
}

// ---------------------------------------------------------------- entry point

const envCache = new Map<string, TemplateEnv>();

/** Forgets compiled templates and partials, so a long-running process (watch, preview) sees edits to them. */
export function forgetTemplates(): void {
  envCache.clear();
}

function templateEnv(edition: Edition): TemplateEnv {
  const key = `${edition.theme ?? ''}\u0000${edition.layout}`;
  let env = envCache.get(key);
  if (!env) {
    env = createTemplateEnv(edition.theme, (hb) => registerRenderHelpers(hb, { layout: edition.layout }));
    envCache.set(key, env);
  }
  return env;
}

export function renderPrintHtml(book: Book, edition: Edition, options: RenderOptions = {}): RenderedHtml {
  if (edition.preset === 'ebook') {
    throw new WenjiError(`preset ebook has no print layout; use --preset handout or book for PDF and HTML`);
  }
  const env = templateEnv(edition);
  const langTag = htmlLangTag(book, edition);
  const blockContext: BlockContext = {
    layout: edition.layout,
    tableLinesPerColumn: tableLinesPerColumn(edition),
    lang: editionLang(book, edition),
    figureImages: options.figureImages,
    imageUrl: options.imageUrl ?? dataUrl,
  };
  const parts = book.parts.map((p) => ({
    id: pageName('pt', p.id),
    page: pageName('pt', p.id),
    title: p.title,
    speeches: p.speeches.map((s) => speechView(s, edition, langTag, blockContext)),
  }));
  const speeches = parts.flatMap((p) => p.speeches);
  const hasParts = parts.length > 1 || parts.some((p) => !!p.title);
  const frontMatter = book.frontMatter.map((m) => matterView(m, edition, blockContext));
  const backMatter = book.backMatter.map((m) => matterView(m, edition, blockContext));
  const rootSet = faceSetFor(langTag);
  const sets = new Set<FaceSet>([rootSet, ...speeches.map((s) => faceSetFor(s.lang))]);
  // Per-speech face sets for mixed-script books left in their source script.
  const langVars = [...sets]
    .filter((s) => s !== rootSet)
    .map((s) => `[lang|="${s === 'SC' ? 'zh-Hans' : 'zh-Hant'}"] { ${fontVariables(s)} }`)
    .join('\n');

  const context = {
    book,
    edition,
    lang: langTag,
    layout: edition.layout,
    preset: edition.preset,
    engine: edition.engine,
    engineFlags: ENGINE_LAYOUTS[edition.engine].templateFlags,
    vertical: edition.layout === 'vertical',
    frontMatter,
    backMatter,
    parts,
    hasParts,
    speeches,
    multiple: speeches.length > 1,
    // The first element of the body matter, where page labels restart.
    index: speechIndex(speeches),
    labels: printLabels(editionLang(book, edition)),
    editionLabel: editionLabel(edition, editionLang(book, edition)),
    // Replaced below once the text (and so the fonts it needs) is known.
    css: '\u0000WENJI-CSS\u0000',
  };
  const draft = env.render(edition.preset, context);
  const styles = stylesheetsFor(edition)
    .filter((name) => {
      try {
        env.stylePath(name);
        return true;
      } catch {
        return false; // the per-preset-and-layout sheet is optional
      }
    })
    .map((name) => `/* ${name} */\n${env.style(name)}`)
    .join('\n');
  const generated = pageRules(edition, book, speeches, [...frontMatter, ...backMatter], serifStack(rootSet));
  const vars = `:root { ${fontVariables(rootSet)} }\n${langVars}`;
  // Comments are left out: a 横排 in a stylesheet's comment needs no face.
  const faces = { handout: edition.preset === 'handout', vertical: edition.layout === 'vertical' };
  const slices = slicesFor(sets, draft + withoutCssComments(styles) + generated, faces);
  const css = [fontFaceCss(slices, options.fontUrl), vars, styles, generated].join('\n');
  const html = draft.replace('\u0000WENJI-CSS\u0000', () => css);
  const assetDirs = [path.join(PACKAGE_ROOT, 'styles'), ...fontDirs(sets, faces)];
  if (edition.theme) assetDirs.push(path.resolve(edition.theme));
  return { html, baseDir: PACKAGE_ROOT, assetDirs, fontSlices: slices };
}
