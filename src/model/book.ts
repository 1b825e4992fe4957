/**
 * The book model: what renderers and writers consume. A single-speech build is a Book
 * with one part holding one speech.
 */
import type { Block, Footnote, Lang, Speech } from './speech.ts';

/** Front or back matter written by the editor (preface, 编辑说明, afterword). */
export interface MatterSection {
  id: string;
  title: string;
  blocks: Block[];
  /** Footnotes, referenced from the blocks by id (as in a speech). */
  notes?: Footnote[];
  /** Source file, for messages. */
  file?: string;
}

export interface Part {
  id: string;
  /** e.g. 一月 / 第一季度 / 鲁迅; absent when the book is not grouped. */
  title?: string;
  speeches: Speech[];
}

export interface Book {
  title: string;
  subtitle?: string;
  /** Editor of a collection; for a single speech, absent (creator is the speaker). */
  editor?: string;
  publisher?: string;
  /** Year of publication, e.g. "2024". */
  year?: string;
  /** ISBN or other identifier given by the editor; else writers derive one from the content. */
  identifier?: string;
  /**
   * Publication date (YYYY-MM-DD) from the content (latest speech date) or
   * SOURCE_DATE_EPOCH: never the clock. Decided by bookDates() in book/assemble.ts.
   */
  date: string;
  /**
   * The instant the build stands for (YYYY-MM-DDThh:mm:ssZ): SOURCE_DATE_EPOCH, else the
   * publication date at midnight UTC. Absent → `date` at midnight (see modifiedInstant).
   */
  modified?: string;
  lang: Lang;
  frontMatter: MatterSection[];
  parts: Part[];
  backMatter: MatterSection[];
  /** Credits for the sources, printed in the colophon. */
  credits?: string[];
  /** Path of a cover image, if the editor gave one. */
  cover?: string;
}

/** reading: the copy a speaker holds at the lectern (large type, pinyin over rare characters). */
export type Preset = 'handout' | 'book' | 'ebook' | 'reading';
export type Layout = 'horizontal' | 'vertical';
/** 'source' keeps each speech's own script. */
export type Script = 'source' | 'hans' | 'tw' | 'hk';
export type Format = 'pdf' | 'epub' | 'html';
export type Paper = 'A4' | 'A5' | 'B5' | '32k' | '16k';
export type Engine = 'pagedjs' | 'chromium';

/** How a collection orders its speeches and groups them into parts. */
export const ORDERS = ['date', 'manual'] as const;
export type Order = (typeof ORDERS)[number];
export const GROUPINGS = ['none', 'year', 'month', 'quarter', 'speaker'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const PRESETS: readonly Preset[] = ['handout', 'book', 'ebook', 'reading'];
export const LAYOUTS: readonly Layout[] = ['horizontal', 'vertical'];
export const SCRIPTS: readonly Script[] = ['source', 'hans', 'tw', 'hk'];
export const FORMATS: readonly Format[] = ['pdf', 'epub', 'html'];
export const PAPERS: readonly Paper[] = ['A4', 'A5', 'B5', '32k', '16k'];
export const ENGINES: readonly Engine[] = ['pagedjs', 'chromium'];

/** Page sizes in millimetres (width × height). */
export const PAPER_SIZES_MM: Record<Paper, [number, number]> = {
  A4: [210, 297],
  A5: [148, 210],
  B5: [176, 250],
  '32k': [130, 184],
  '16k': [184, 260],
};

/** One output of a build: everything a writer needs to know, fully resolved. */
export interface Edition {
  name: string;
  preset: Preset;
  layout: Layout;
  script: Script;
  formats: Format[];
  paper: Paper;
  /** PDF engine; resolved: pagedjs for horizontal, chromium for vertical unless forced. */
  engine: Engine;
  /** Mark in the top corner of a handout, e.g. 内部资料 注意保存. */
  mark?: string;
  /** What the colophon calls the edition (default from script and layout: 简体竖排本). */
  label?: string;
  /** Directory whose templates/ and styles/ override ours file by file. */
  theme?: string;
  /** EPUB: embed subset fonts (default true). */
  embedFonts: boolean;
}

/** The instant of Book.modified (or the publication date at midnight UTC) as a Date. */
export function modifiedInstant(book: Book): Date {
  return new Date(book.modified ?? `${book.date}T00:00:00Z`);
}

/** The script a book ends up in once an edition's conversion has run. */
export function editionLang(book: Book, edition: Edition): Lang {
  if (edition.script === 'source') return book.lang;
  return edition.script === 'hans' ? 'zh-Hans' : 'zh-Hant';
}

/**
 * BCP 47 tag for HTML `lang` and PDF metadata: zh-Hans, zh-Hant, zh-Hant-TW, zh-Hant-HK.
 */
export function htmlLangTag(book: Book, edition: Edition): string {
  if (edition.script === 'tw') return 'zh-Hant-TW';
  if (edition.script === 'hk') return 'zh-Hant-HK';
  return editionLang(book, edition);
}

/** Region tag for EPUB dc:language: zh-CN, zh-TW, zh-HK (zh-Hant sources default to zh-TW). */
export function epubLangTag(book: Book, edition: Edition): string {
  if (edition.script === 'tw') return 'zh-TW';
  if (edition.script === 'hk') return 'zh-HK';
  return editionLang(book, edition) === 'zh-Hant' ? 'zh-TW' : 'zh-CN';
}
