/**
 * wenji's Markdown: the human-editable form of a speech, and of the editor's front and back
 * matter. The one definition of the dialect: the reader (./markdown.ts, for speeches and
 * matter alike) and the writer (writers/markdown) both take its rules from here, so that they
 * agree exactly (lossless round trip).
 *
 * - YAML front matter: id, title, subtitle, speaker, role, date, dateText, occasion, venue,
 *   lang, source {url, site, published}.
 * - `## ` heading level 1 (一、), `### ` level 2 (（一）), `#### ` 3 (1.), `##### ` 4 (（1））.
 * - A paragraph opening with `**…**` has that run-in lead.
 * - Salutations (同志们：), closings (谢谢大家！) and editor's notes are plain paragraphs,
 *   recognised by the same rules as the normaliser; where a paragraph's type differs from
 *   what those rules say, it ends with an explicit class: ` {.paragraph}`, ` {.salutation}`,
 *   ` {.closing}`, ` {.note}`. A heading whose text is not its number ends ` {.unnumbered}`.
 * - `> ` quotes, `- ` and `1. ` lists, `*emphasis*` (着重号), `**strong**`, `[^1]` notes.
 * - Ruby (注音): `{汉字|hàn zì}`, base then annotation. A `{` of text is written `\{` and a `|`
 *   of text `\|`, so text never reads as ruby or as a table cell's end; inside the braces `\`,
 *   `{`, `}` and `|` are escaped with a backslash.
 * - Figure: a block that is only `![alt](path "caption")`, optionally followed on the next line by
 *   `{.credit 摄影：新华社记者 某某}`. The path is relative to the Markdown file's folder; a path
 *   with spaces, brackets or quotes is written `<…>`. The caption is inline Markdown inside the
 *   quotes (`\"` for a quote), without a 图1 label (print numbers figures and tables); `""` is
 *   an empty caption, no quotes no caption. In the alt text `\`,
 *   `[` and `]` are escaped; in the credit `\` and `}`. A remote image (http:, https:, //host,
 *   data:) is never fetched: `wenji import` and `wenji build` drop it with W-IMPORT-REMOTE-IMAGE,
 *   and a local file that does not exist with W-IMPORT-IMAGE-MISSING.
 * - Table (GFM pipe table): an optional caption line `Table: 标题` (pandoc's, or just `: 标题`)
 *   directly before or after the rows, in the same block (no blank line between); a header row,
 *   a separator `|---|---|`, then one line per row, every row opening and closing with `|`. A
 *   table without a header starts with the separator. `\|` is a `|` in a cell. Rows keep their
 *   own number of cells; `|` alone is a row of none.
 */
import type { Block } from '../model/speech.ts';
import { isClosing, isEditorsNote, isSalutation, sectionNumber } from '../normalize/structure.ts';

export type ParagraphClass = 'paragraph' | 'salutation' | 'closing' | 'note';

export const CLASS_SUFFIX = /[ \t]*\{\.(paragraph|salutation|closing|note|unnumbered)\}$/;

/** The type a plain paragraph of this text is read as, without an explicit class. */
export function defaultParagraphClass(text: string): ParagraphClass {
  if (isSalutation(text)) return 'salutation';
  if (isClosing(text)) return 'closing';
  if (isEditorsNote(text)) return 'note';
  return 'paragraph';
}

export function headingMarks(level: Extract<Block, { type: 'heading' }>['level']): string {
  return '#'.repeat(level + 1);
}

/**
 * Characters the inline syntax always gives a meaning to; escaped with a backslash in text:
 * `{` opens ruby, `|` ends a table cell (and separates a ruby's base from its annotation).
 */
export const INLINE_SPECIAL = /[\\*{|]/g;

/** Characters a backslash makes literal when reading (CommonMark's, as far as the dialect uses them). */
export const ESCAPABLE = /[\\*[\]{}#<>+\-.)_`|"]/;

/** Escapes `chars` (and the backslash) with a backslash. */
export function escapeChars(s: string, chars: string): string {
  return s.replace(/[\s\S]/g, (c) => (c === '\\' || chars.includes(c) ? `\\${c}` : c));
}

/** Undoes backslash escapes of the characters ESCAPABLE lists. */
export function unescapeChars(s: string): string {
  return s.replace(/\\([\s\S])/g, (m, c: string) => (ESCAPABLE.test(c) ? c : m));
}

/**
 * Scans `s` from `from` to the first `stop` character that is not escaped by a backslash:
 * the raw text before it and the index of the stop (-1 when there is none).
 */
export function scanTo(s: string, from: number, stop: string): { raw: string; end: number } {
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (stop.includes(c)) return { raw: s.slice(from, i), end: i };
  }
  return { raw: s.slice(from), end: -1 };
}

/** Whether the character at `i` is escaped (an odd run of backslashes before it). */
export function isEscaped(s: string, i: number): boolean {
  let n = 0;
  while (i - 1 - n >= 0 && s[i - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

/** The explicit class a block's text ends with (` {.note}`), unless its `{` is escaped. */
export function classSuffix(s: string): { name: string; index: number } | undefined {
  const m = CLASS_SUFFIX.exec(s);
  if (!m || isEscaped(s, m.index + m[0].indexOf('{'))) return undefined;
  return { name: m[1]!, index: m.index };
}

// ------------------------------------------------------------------ ruby

/** Writes ruby: `{base|annotation}`. */
export function rubyToMarkdown(base: string, annotation: string): string {
  return `{${escapeChars(base, '{}|')}|${escapeChars(annotation, '{}|')}}`;
}

/** Reads ruby at `s[i] === '{'`: base, annotation and the length taken, or undefined. */
export function readRuby(s: string, i: number): { base: string; annotation: string; length: number } | undefined {
  const base = scanTo(s, i + 1, '|{}\n');
  if (base.end < 0 || s[base.end] !== '|' || !base.raw) return undefined;
  const note = scanTo(s, base.end + 1, '|{}\n');
  if (note.end < 0 || s[note.end] !== '}' || !note.raw) return undefined;
  return { base: unescapeChars(base.raw), annotation: unescapeChars(note.raw), length: note.end + 1 - i };
}

// ------------------------------------------------------------------ figures

/** The credit line under a figure line: `{.credit …}`. */
export const CREDIT_LINE = /^\{\.credit ([\s\S]*)\}$/;

export function creditToMarkdown(credit: string): string {
  return `{.credit ${escapeChars(credit, '}')}}`;
}

export function readCredit(line: string): string | undefined {
  const m = CREDIT_LINE.exec(line);
  if (!m) return undefined;
  const { end } = scanTo(m[1]! + '}', 0, '}');
  return end === m[1]!.length ? unescapeChars(m[1]!) : undefined;
}

/** `![alt](path "caption")`; `caption` is already inline Markdown. */
export function figureLine(alt: string, src: string, caption: string | undefined): string {
  const path = /[\s()<>"\\]/.test(src) ? `<${escapeChars(src, '<>')}>` : src;
  return `![${escapeChars(alt, '[]')}](${path}${caption === undefined ? '' : ` "${caption.replace(/"/g, '\\"')}"`})`;
}

/**
 * Reads a figure line: alt, path and the caption's inline Markdown (undefined without quotes),
 * or undefined when the line is not exactly one image.
 */
export function readFigureLine(line: string): { alt: string; src: string; caption?: string } | undefined {
  if (!line.startsWith('![')) return undefined;
  const alt = scanTo(line, 2, ']');
  if (alt.end < 0 || line[alt.end + 1] !== '(') return undefined;
  let i = alt.end + 2;
  let src: string;
  if (line[i] === '<') {
    const p = scanTo(line, i + 1, '>');
    if (p.end < 0) return undefined;
    src = unescapeChars(p.raw);
    i = p.end + 1;
  } else {
    const p = scanTo(line, i, ' )');
    if (p.end < 0) return undefined;
    src = p.raw;
    i = p.end;
  }
  let caption: string | undefined;
  if (line[i] === ' ' && line[i + 1] === '"') {
    const c = scanTo(line, i + 2, '"');
    if (c.end < 0) return undefined;
    // `\"` is one of the escapes the inline parser undoes.
    caption = c.raw;
    i = c.end + 1;
  }
  if (line.slice(i) !== ')' || !src) return undefined;
  return { alt: unescapeChars(alt.raw), src, ...(caption !== undefined ? { caption } : {}) };
}

// ------------------------------------------------------------------ tables

/** A caption line of a table: `Table: 标题` or `: 标题`. */
export const TABLE_CAPTION = /^(?:Table)?:(?: (.*)|)$/;

export const TABLE_SEPARATOR = /^\|(?: ?:?-+:? ?\|)+$/;

/** One row of cells, each already inline Markdown (its `|` escaped). */
export function tableRowLine(cells: readonly string[]): string {
  return cells.length ? `| ${cells.join(' | ')} |` : '|';
}

export function tableSeparatorLine(columns: number): string {
  return `|${'---|'.repeat(Math.max(1, columns))}`;
}

/** The raw inline Markdown of each cell of a row line; undefined when it is not a row. */
export function readTableRow(line: string): string[] | undefined {
  if (!line.startsWith('|')) return undefined;
  if (line === '|') return [];
  const cells: string[] = [];
  let from = 1;
  for (;;) {
    // A ruby's `|` is inside its braces: skip a whole ruby.
    let i = from;
    let end = -1;
    while (i < line.length) {
      const c = line[i]!;
      if (c === '\\') i += 2;
      else if (c === '{') {
        const r = readRuby(line, i);
        i += r ? r.length : 1;
      } else if (c === '|') {
        end = i;
        break;
      } else i++;
    }
    if (end < 0) {
      // No closing `|`: the rest is the last cell.
      if (line.slice(from).trim()) cells.push(line.slice(from).trim());
      break;
    }
    cells.push(line.slice(from, end).trim());
    from = end + 1;
    if (from >= line.length) break;
  }
  return cells;
}

/** The section number a heading's text opens with (一、 （一） 1. （1）), split from the rest. */
export function headingNumber(text: string): { number: string; rest: string } | undefined {
  const n = sectionNumber(text);
  return n && { number: n.number, rest: n.rest };
}

/** Joins the lines of one paragraph: no space between Chinese, one between Latin words. */
export function joinLines(lines: readonly string[]): string {
  return lines.reduce((acc, l) => (acc && /[A-Za-z0-9,.;:!?]$/.test(acc) && /^[A-Za-z0-9]/.test(l) ? `${acc} ${l}` : acc + l), '');
}
