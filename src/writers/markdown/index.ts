/**
 * Writes a speech as wenji Markdown (see readers/markdown-dialect.ts): what `wenji import` saves and editors
 * correct. readMarkdown(speechToMarkdown(s)) gives back s (apart from source.file and the
 * source line positions, which belong to the file being read).
 */
import { stringify } from 'yaml';
import type { Block, Footnote, Inline, Speech } from '../../model/speech.ts';
import { inlineText } from '../../model/speech.ts';
import {
  creditToMarkdown,
  defaultParagraphClass,
  figureLine,
  headingMarks,
  headingNumber,
  INLINE_SPECIAL,
  rubyToMarkdown,
  tableRowLine,
  tableSeparatorLine,
  type ParagraphClass,
} from '../../readers/markdown-dialect.ts';

function escapeText(s: string): string {
  // Brackets only matter as a note reference [^1]; a plain [1] stays readable.
  return s.replace(INLINE_SPECIAL, (c) => `\\${c}`).replace(/\[\^/g, '\\[^');
}

export function inlinesToMarkdown(xs: readonly Inline[]): string {
  let out = '';
  for (const n of xs) {
    if (n.type === 'text') out += escapeText(n.text);
    else if (n.type === 'emphasis') out += `*${inlinesToMarkdown(n.children)}*`;
    else if (n.type === 'strong') out += `**${inlinesToMarkdown(n.children)}**`;
    else if (n.type === 'noteRef') out += `[^${n.id}]`;
    else out += rubyToMarkdown(n.base, n.annotation);
  }
  return out;
}

/** Escapes what would make a paragraph's first line read as another block. */
function escapeBlockStart(s: string): string {
  return s
    .replace(/^(#{1,6}|>)/, '\\$1')
    .replace(/^([-+])( |$)/, '\\$1$2')
    .replace(/^(\d+)([.)])( |$)/, '$1\\$2$3')
    .replace(/^!\[/, '!\\[');
}

// A trailing `{.x}` of text needs no escape: every `{` of text is written `\{`.

function paragraphLike(md: string, actual: ParagraphClass, plain: string, startsWithStrong: boolean): string {
  let body = escapeBlockStart(md);
  const implied = startsWithStrong ? 'lead' : defaultParagraphClass(plain);
  if (implied !== actual) body += ` {.${actual}}`;
  return body;
}

function blockToMarkdown(b: Block): string {
  switch (b.type) {
    case 'heading': {
      const content = inlinesToMarkdown(b.content);
      const plain = (b.number ?? '') + inlineText(b.content);
      const split = headingNumber(plain);
      const consistent = b.number ? split?.number === b.number && split.rest.trim() === inlineText(b.content) : !split;
      const text = b.number ? escapeText(b.number) + content : content;
      return `${headingMarks(b.level)} ${text}${consistent ? '' : ' {.unnumbered}'}`;
    }
    case 'paragraph': {
      if (b.lead && b.lead.length) {
        return `**${inlinesToMarkdown(b.lead)}**${inlinesToMarkdown(b.content)}`;
      }
      const first = b.content[0];
      return paragraphLike(inlinesToMarkdown(b.content), 'paragraph', inlineText(b.content), first?.type === 'strong');
    }
    case 'salutation':
    case 'closing':
    case 'note': {
      const first = b.content[0];
      return paragraphLike(inlinesToMarkdown(b.content), b.type, inlineText(b.content), first?.type === 'strong');
    }
    case 'quote':
      return b.paragraphs.map((p) => `> ${inlinesToMarkdown(p)}`).join('\n>\n');
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${inlinesToMarkdown(item)}`).join('\n');
    case 'figure': {
      const line = figureLine(b.alt, b.image.src, b.caption && inlinesToMarkdown(b.caption));
      return b.credit === undefined ? line : `${line}\n${creditToMarkdown(b.credit)}`;
    }
    case 'table': {
      const row = (r: Inline[][]) => tableRowLine(r.map(inlinesToMarkdown));
      const columns = Math.max(1, ...[b.header ?? [], ...b.rows].map((r) => r.length));
      const lines = [...(b.header ? [row(b.header)] : []), tableSeparatorLine(columns), ...b.rows.map(row)];
      if (b.caption) lines.unshift(`Table: ${inlinesToMarkdown(b.caption)}`.trimEnd());
      return lines.join('\n');
    }
  }
}

function footnoteToMarkdown(f: Footnote): string {
  return `[^${f.id}]: ${inlinesToMarkdown(f.content)}`;
}

/** Front matter fields in a fixed order; absent values are left out. */
function frontMatter(s: Speech): Record<string, unknown> {
  const fm: Record<string, unknown> = { id: s.id, title: s.title };
  if (s.subtitle !== undefined) fm.subtitle = s.subtitle;
  if (s.speaker) {
    if (s.speaker.name !== undefined) fm.speaker = s.speaker.name;
    if (s.speaker.role !== undefined) fm.role = s.speaker.role;
  }
  fm.date = s.date;
  if (s.dateText !== undefined) fm.dateText = s.dateText;
  if (s.occasion !== undefined) fm.occasion = s.occasion;
  if (s.venue !== undefined) fm.venue = s.venue;
  fm.lang = s.lang;
  const source: Record<string, string> = {};
  if (s.source.url !== undefined) source.url = s.source.url;
  if (s.source.site !== undefined) source.site = s.source.site;
  if (s.source.published !== undefined) source.published = s.source.published;
  if (Object.keys(source).length) fm.source = source;
  return fm;
}

/** The speech as wenji Markdown with YAML front matter. Pure; same speech, same bytes. */
export function speechToMarkdown(s: Speech): string {
  const yaml = stringify(frontMatter(s), { lineWidth: 0 });
  const parts = [`---\n${yaml}---`, ...s.blocks.map(blockToMarkdown)];
  if (s.notes?.length) parts.push(s.notes.map(footnoteToMarkdown).join('\n'));
  return parts.join('\n\n') + '\n';
}
