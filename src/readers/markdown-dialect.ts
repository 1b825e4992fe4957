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

/** Characters the inline syntax always gives a meaning to; escaped with a backslash in text. */
export const INLINE_SPECIAL = /[\\*]/g;

/** Characters a backslash makes literal when reading (CommonMark's, as far as the dialect uses them). */
export const ESCAPABLE = /[\\*[\]{}#>+\-.)_`]/;

/** The section number a heading's text opens with (一、 （一） 1. （1）), split from the rest. */
export function headingNumber(text: string): { number: string; rest: string } | undefined {
  const n = sectionNumber(text);
  return n && { number: n.number, rest: n.rest };
}

/** Joins the lines of one paragraph: no space between Chinese, one between Latin words. */
export function joinLines(lines: readonly string[]): string {
  return lines.reduce((acc, l) => (acc && /[A-Za-z0-9,.;:!?]$/.test(acc) && /^[A-Za-z0-9]/.test(l) ? `${acc} ${l}` : acc + l), '');
}
