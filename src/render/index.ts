/**
 * Book + Edition → one complete print HTML document (templates/<preset>.hbs + styles/).
 * The PDF writer paginates it; the HTML writer saves it for preview. See the contract in
 * the comments of RenderedHtml.
 */
import path from 'node:path';
import type { Book, Edition, MatterSection, Paper } from '../model/book.ts';
import { PAPER_SIZES_MM, editionLang, htmlLangTag } from '../model/book.ts';
import type { Block, Lang, Speech } from '../model/speech.ts';
import { LABELS, editionLabel } from '../model/labels.ts';
import { inlineText } from '../model/speech.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { createTemplateEnv, PACKAGE_ROOT, type TemplateEnv } from './templates.ts';
import { registerRenderHelpers } from './helpers.ts';
import { ENGINE_LAYOUTS } from './page-engines.ts';
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
}

/** Stylesheets per layout and preset, in cascade order. */
function stylesheetsFor(edition: Edition): string[] {
  const preset = edition.preset === 'handout' ? 'handout' : 'book';
  return ['base.css', `${edition.layout}.css`, `${preset}.css`, `${preset}-${edition.layout}.css`];
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
}

/** The text of a bookmark for a run-in lead: up to its first comma or full stop. */
function leadBookmarkTitle(lead: string): string {
  const cut = lead.search(/[，。；：！？]/);
  return (cut > 0 ? lead.slice(0, cut) : lead).trim();
}

function blockViews(blocks: Block[], ownerId: string): BlockView[] {
  let section = 0;
  return blocks.map((b) => {
    const v: BlockView = { block: b, type: b.type };
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
function speechView(s: Speech, edition: Edition, langTag: string) {
  const anchor = pageName('sp', s.id);
  const blocks = blockViews(s.blocks, anchor);
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
    sections: blocks.filter((b) => b.id).map((b) => ({ id: b.id!, title: b.bookmarkTitle! })),
    notes: s.notes ?? [],
    notePrefix: `${anchor}-`,
  };
}

type SpeechView = ReturnType<typeof speechView>;

function matterView(m: MatterSection) {
  const anchor = pageName('mt', m.id);
  return { id: anchor, page: anchor, title: m.title, blocks: blockViews(m.blocks, anchor), notes: m.notes ?? [], notePrefix: `${anchor}-` };
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
  ];
  if (edition.preset === 'handout') return out.join('\n');
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
  const parts = book.parts.map((p) => ({
    id: pageName('pt', p.id),
    page: pageName('pt', p.id),
    title: p.title,
    speeches: p.speeches.map((s) => speechView(s, edition, langTag)),
  }));
  const speeches = parts.flatMap((p) => p.speeches);
  const hasParts = parts.length > 1 || parts.some((p) => !!p.title);
  const frontMatter = book.frontMatter.map(matterView);
  const backMatter = book.backMatter.map(matterView);
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
