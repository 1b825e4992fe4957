/**
 * The speech model: what every reader produces and every writer consumes.
 * Nothing here knows where a speech came from or what it will become.
 */

import type { RubyRules } from './ruby.ts';

export type Lang = 'zh-Hans' | 'zh-Hant';

/** Inline content. Number runs for 縱中橫 are found at render time, not stored. */
export type Inline =
  | { type: 'text'; text: string }
  /** 着重号: emphasis dots under (horizontal) or right of (vertical) the characters. */
  | { type: 'emphasis'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  /** Reference to an entry of Speech.notes. */
  | { type: 'noteRef'; id: string }
  /**
   * Ruby (注音): `annotation` (pinyin, zhuyin) set over the base in horizontal text and to the
   * right of the column in vertical. The base is text and is converted like text.
   */
  | { type: 'ruby'; base: string; annotation: string };

/** Where a block came from in its source file (1-based line), for `file:line:` messages. */
export interface SourcePos {
  line: number;
}

export type HeadingLevel = 1 | 2 | 3 | 4;

/**
 * The image a figure shows: always a local file or bytes embedded in the source. A remote
 * image never reaches the model (readers drop it with W-IMPORT-REMOTE-IMAGE).
 */
export interface FigureImage {
  /** As the source writes it, relative to the source file's folder: for Markdown and messages. */
  src: string;
  /** Base64 bytes of an image embedded in the source (a .docx); absent for a file on disk. */
  data?: string;
  /** image/jpeg, image/png …, when known. */
  mediaType?: string;
}

/** A table row: one Inline[] per cell. */
export type TableRow = Inline[][];

export type Block =
  | {
      type: 'heading';
      /** 1: 一、 / 第一部分; 2: （一）; 3: 1.; 4: （1） */
      level: HeadingLevel;
      /** The number exactly as written, e.g. "一、", "（一）", "第一部分", or absent. */
      number?: string;
      /** Heading text without its number. */
      content: Inline[];
      pos?: SourcePos;
    }
  | {
      type: 'paragraph';
      /**
       * Run-in lead: the numbered first sentence that opens a section, set in bold/Hei,
       * e.g. 「一、因地制宜发展新质生产力，……当好“行动标兵”。」 (number included).
       */
      lead?: Inline[];
      /** The rest of the paragraph after the lead. */
      content: Inline[];
      pos?: SourcePos;
    }
  /** 同志们： 诸君： */
  | { type: 'salutation'; content: Inline[]; pos?: SourcePos }
  /** 谢谢大家！ */
  | { type: 'closing'; content: Inline[]; pos?: SourcePos }
  | { type: 'quote'; paragraphs: Inline[][]; pos?: SourcePos }
  | { type: 'list'; ordered: boolean; items: Inline[][]; pos?: SourcePos }
  /** Editor's note (编者按, 附记 …), set apart from the speech. */
  | { type: 'note'; content: Inline[]; pos?: SourcePos }
  /** A picture with its caption (numbered 图1, 图2 … per speech at render time). */
  | {
      type: 'figure';
      image: FigureImage;
      /** Text for readers who cannot see the image; never printed. */
      alt: string;
      caption?: Inline[];
      /** Photographer or source line (摄影 新华社记者 ……), printed under the caption. */
      credit?: string;
      pos?: SourcePos;
    }
  /** A table (numbered 表1, 表2 … per speech at render time). */
  | { type: 'table'; caption?: Inline[]; header?: TableRow; rows: TableRow[]; pos?: SourcePos };

export type BlockType = Block['type'];

export interface Speaker {
  /** Absent when the page states only the role (秘书长联合国日献词, 县委书记在……的讲话). */
  name?: string;
  /** 甘肃省省长; 市委副书记、市长 */
  role?: string;
}

export interface SpeechSource {
  /** Path of the source file as given on the command line / in book.yaml. */
  file: string;
  url?: string;
  site?: string;
  /** Web publication date (YYYY-MM-DD): never the speech date. */
  published?: string;
}

export interface Footnote {
  id: string;
  content: Inline[];
}

export interface Speech {
  /** Stable ASCII id, unique within a book: used for file names, anchors, EPUB chapters. */
  id: string;
  title: string;
  subtitle?: string;
  speaker: Speaker | null;
  /** ISO date (YYYY-MM-DD) the speech was given, or null when unknown. */
  date: string | null;
  /** The date as the source writes it when it is not a full date (四月八日, 九月间). */
  dateText?: string;
  occasion?: string;
  venue?: string;
  source: SpeechSource;
  lang: Lang;
  blocks: Block[];
  notes?: Footnote[];
  /** The editor's ruby rules for this speech (its sidecar's `ruby:`), read by reading copies. */
  ruby?: RubyRules;
}

/** Metadata an editor may give on the command line or in a sidecar file; overrides detection. */
export interface SpeechMetaOverrides {
  title?: string;
  subtitle?: string;
  speaker?: string;
  role?: string;
  date?: string;
  occasion?: string;
  venue?: string;
}

// ---------------------------------------------------------------- small pure helpers

export function text(s: string): Inline {
  return { type: 'text', text: s };
}

/** Plain text of inline content (note references drop out). */
export function inlineText(inlines: readonly Inline[]): string {
  let out = '';
  for (const n of inlines) {
    if (n.type === 'text') out += n.text;
    else if (n.type === 'ruby') out += n.base;
    else if (n.type === 'emphasis' || n.type === 'strong') out += inlineText(n.children);
  }
  return out;
}

/** The rows of a table, header first. */
export function tableRows(b: Extract<Block, { type: 'table' }>): TableRow[] {
  return b.header ? [b.header, ...b.rows] : b.rows;
}

/** Every run of inline content a block holds, in reading order (captions, then cells). */
export function blockInlines(b: Block): Inline[][] {
  switch (b.type) {
    case 'quote':
      return b.paragraphs;
    case 'list':
      return b.items;
    case 'paragraph':
      return [b.lead ?? [], b.content];
    case 'figure':
      return [b.caption ?? []];
    case 'table':
      return [b.caption ?? [], ...tableRows(b).flat()];
    default:
      return [b.content];
  }
}

/**
 * Plain text of a block, as a reader sees it printed: a paragraph's text includes its run-in
 * lead; a figure is its caption and credit (alt text is not printed); a table is its caption
 * then its cells, row by row.
 */
export function blockText(b: Block): string {
  switch (b.type) {
    case 'heading':
      return (b.number ?? '') + inlineText(b.content);
    case 'paragraph':
      return inlineText(b.lead ?? []) + inlineText(b.content);
    case 'quote':
      return b.paragraphs.map(inlineText).join('\n');
    case 'list':
      return b.items.map(inlineText).join('\n');
    case 'figure':
      return [inlineText(b.caption ?? []), b.credit ?? ''].filter(Boolean).join('\n');
    case 'table':
      return [inlineText(b.caption ?? []), ...tableRows(b).map((r) => r.map(inlineText).join('\t'))].filter(Boolean).join('\n');
    default:
      return inlineText(b.content);
  }
}

/** Applies `fn` to every text run of a speech (titles, metadata, blocks, notes). Pure. */
export function mapSpeechText(s: Speech, fn: (t: string) => string): Speech {
  const mapInlines = (xs: Inline[]): Inline[] =>
    xs.map((n) => {
      if (n.type === 'text') return { ...n, text: fn(n.text) };
      if (n.type === 'ruby') return { ...n, base: fn(n.base) };
      if (n.type === 'emphasis' || n.type === 'strong') return { ...n, children: mapInlines(n.children) };
      return n;
    });
  const opt = (v: string | undefined) => (v === undefined ? undefined : fn(v));
  const blocks = s.blocks.map((b): Block => {
    switch (b.type) {
      case 'paragraph':
        return { ...b, lead: b.lead && mapInlines(b.lead), content: mapInlines(b.content) };
      case 'quote':
        return { ...b, paragraphs: b.paragraphs.map(mapInlines) };
      case 'list':
        return { ...b, items: b.items.map(mapInlines) };
      case 'heading':
        return { ...b, number: opt(b.number), content: mapInlines(b.content) };
      case 'figure':
        return { ...b, alt: fn(b.alt), caption: b.caption && mapInlines(b.caption), credit: opt(b.credit) };
      case 'table': {
        const mapRow = (r: TableRow) => r.map(mapInlines);
        return { ...b, caption: b.caption && mapInlines(b.caption), header: b.header && mapRow(b.header), rows: b.rows.map(mapRow) };
      }
      default:
        return { ...b, content: mapInlines(b.content) };
    }
  });
  return {
    ...s,
    title: fn(s.title),
    subtitle: opt(s.subtitle),
    speaker: s.speaker && { name: opt(s.speaker.name), role: opt(s.speaker.role) },
    dateText: opt(s.dateText),
    occasion: opt(s.occasion),
    venue: opt(s.venue),
    blocks,
    notes: s.notes?.map((f) => ({ ...f, content: mapInlines(f.content) })),
  };
}
