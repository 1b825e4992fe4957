/**
 * Front and back matter (preface, 编辑说明, afterword): small Markdown files written by the
 * editor. Only what such texts need is read: optional YAML front matter (title), a `# `
 * title, `## `/`### ` headings, paragraphs, `> ` quotes, lists, **strong** and *emphasis*.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { MatterSection } from '../model/book.ts';
import { WenjiError } from '../model/diagnostics.ts';
import type { Block, Inline } from '../model/speech.ts';

/** `**strong**`, `*emphasis*` / `_emphasis_`; everything else is text. */
export function parseMatterInline(s: string): Inline[] {
  const out: Inline[] = [];
  const re = /\*\*(.+?)\*\*|\*(.+?)\*|(?<![A-Za-z0-9])_(.+?)_(?![A-Za-z0-9])/g;
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (m.index > last) out.push({ type: 'text', text: s.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ type: 'strong', children: parseMatterInline(m[1]) });
    else out.push({ type: 'emphasis', children: parseMatterInline(m[2] ?? m[3]!) });
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push({ type: 'text', text: s.slice(last) });
  return out;
}

/** Joins hard-wrapped lines: no space between Chinese characters, one between Latin words. */
function joinLines(lines: string[]): string {
  return lines.reduce((acc, line) => {
    const l = line.trim();
    if (!acc) return l;
    return /[A-Za-z0-9,.;:!?)]$/.test(acc) && /^[A-Za-z0-9(]/.test(l) ? `${acc} ${l}` : acc + l;
  }, '');
}

export interface ParsedMatter {
  title?: string;
  blocks: Block[];
}

/** Parses matter Markdown. `file` is only for messages. Throws WenjiError with file:line. */
export function parseMatter(source: string, file: string): ParsedMatter {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  let title: string | undefined;
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, k) => k > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end < 0) throw new WenjiError("front matter opened with '---' is never closed: add a '---' line after it", file, 1);
    const counter = new LineCounter();
    const doc = parseDocument(lines.slice(1, end).join('\n'), { lineCounter: counter, prettyErrors: false });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      throw new WenjiError(`front matter is not valid YAML: ${e.message.split('\n')[0]}`, file, counter.linePos(e.pos[0]).line + 1);
    }
    const data = doc.toJS() as unknown;
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
      throw new WenjiError('front matter must be a map such as `title: 前言`', file, 2);
    }
    const t = (data as Record<string, unknown> | null)?.title;
    if (t !== undefined && t !== null) {
      if (typeof t !== 'string' && typeof t !== 'number') throw new WenjiError("front matter 'title' must be text", file, 2);
      title = String(t).trim();
    }
    i = end + 1;
  }

  const blocks: Block[] = [];
  let para: string[] = [];
  let paraLine = 0;
  const flush = () => {
    if (para.length) blocks.push({ type: 'paragraph', content: parseMatterInline(joinLines(para)), pos: { line: paraLine } });
    para = [];
  };
  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    const lineNo = i + 1;
    if (!line) {
      flush();
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const text = heading[2]!.replace(/\s+#+$/, '').trim();
      if (heading[1]!.length === 1 && title === undefined && blocks.length === 0) title = text;
      else {
        const level = Math.min(4, Math.max(1, heading[1]!.length - 1)) as 1 | 2 | 3 | 4;
        blocks.push({ type: 'heading', level, content: parseMatterInline(text), pos: { line: lineNo } });
      }
      continue;
    }
    if (line.startsWith('>')) {
      flush();
      const quoteLines: string[] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('>')) quoteLines.push(lines[i++]!.trim().replace(/^>\s?/, ''));
      i--;
      const paragraphs = quoteLines
        .join('\n')
        .split(/\n\s*\n/)
        .map((p) => parseMatterInline(joinLines(p.split('\n'))))
        .filter((p) => p.length);
      blocks.push({ type: 'quote', paragraphs, pos: { line: lineNo } });
      continue;
    }
    const item = /^([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]!);
      const items: Inline[][] = [];
      while (i < lines.length) {
        const m = /^([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]!.trim());
        if (!m) break;
        items.push(parseMatterInline(m[2]!));
        i++;
      }
      i--;
      blocks.push({ type: 'list', ordered, items, pos: { line: lineNo } });
      continue;
    }
    if (!para.length) paraLine = lineNo;
    para.push(line);
  }
  flush();
  return { title, blocks };
}

/** Reads a front/back matter file into a section. `shown` is the path used in messages. */
export function readMatterFile(file: string, shown: string, id: string): MatterSection {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new WenjiError(`cannot read: ${(e as NodeJS.ErrnoException).code}`, shown);
  }
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WenjiError('is not UTF-8 text: save the front/back matter as UTF-8 Markdown', shown);
  }
  if (source.includes('\u0000')) throw new WenjiError('is a binary file, not Markdown', shown);
  const parsed = parseMatter(source, shown);
  if (!parsed.blocks.length) {
    throw new WenjiError('has no text: write at least one paragraph (or remove it from book.yaml)', shown);
  }
  const title = parsed.title || path.basename(file).replace(/\.[^.]+$/, '');
  return { id, title, blocks: parsed.blocks, file: shown };
}
