/**
 * Reads wenji Markdown (YAML front matter + body; the dialect is described in
 * ./markdown-dialect.ts): speeches, and the editor's front and back matter. This is the
 * canonical, human-edited form: the text is taken as the editor wrote it, not re-normalised.
 */
import { isMap, isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { Diagnostic } from '../model/diagnostics.ts';
import { WenjiError } from '../model/diagnostics.ts';
import type { Block, Footnote, HeadingLevel, Inline, Lang, Speech } from '../model/speech.ts';
import { inlineText } from '../model/speech.ts';
import { calendarProblem, validateSpeech } from '../model/validate.ts';
import { speechId } from '../normalize/id.ts';
import { scriptOf } from '../transforms/script/script-detection.ts';
import { imageSource, remoteImageWarning } from './figures.ts';
import {
  classSuffix,
  defaultParagraphClass,
  ESCAPABLE,
  headingNumber,
  joinLines,
  readCredit,
  readFigureLine,
  readRuby,
  readTableRow,
  TABLE_CAPTION,
  TABLE_SEPARATOR,
} from './markdown-dialect.ts';

// ------------------------------------------------------------------ inline

/** Parses `**strong**`, `*emphasis*`, `[^id]`, `{ruby|annotation}` and backslash escapes. */
export function parseInlines(s: string): Inline[] {
  interface Frame {
    kind: 'root' | 'strong' | 'emphasis';
    children: Inline[];
  }
  const stack: Frame[] = [{ kind: 'root', children: [] }];
  let buf = '';
  const top = () => stack[stack.length - 1]!;
  const flush = () => {
    if (!buf) return;
    const kids = top().children;
    const last = kids[kids.length - 1];
    if (last?.type === 'text') last.text += buf;
    else kids.push({ type: 'text', text: buf });
    buf = '';
  };
  const close = () => {
    flush();
    const f = stack.pop()!;
    top().children.push({ type: f.kind as 'strong' | 'emphasis', children: f.children });
  };
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1]!)) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '[' && s[i + 1] === '^') {
      const m = /^\[\^([^\]\s]+)\]/.exec(s.slice(i));
      if (m) {
        flush();
        top().children.push({ type: 'noteRef', id: m[1]! });
        i += m[0].length;
        continue;
      }
    }
    if (c === '{') {
      const r = readRuby(s, i);
      if (r) {
        flush();
        top().children.push({ type: 'ruby', base: r.base, annotation: r.annotation });
        i += r.length;
        continue;
      }
    }
    if (c === '*') {
      let n = 0;
      while (s[i + n] === '*') n++;
      i += n;
      while (n > 0) {
        const open = stack.map((f) => f.kind);
        if (top().kind === 'emphasis') {
          close();
          n -= 1;
        } else if (top().kind === 'strong' && n >= 2) {
          close();
          n -= 2;
        } else if (n >= 2 && !open.includes('strong')) {
          flush();
          stack.push({ kind: 'strong', children: [] });
          n -= 2;
        } else if (!open.includes('emphasis')) {
          flush();
          stack.push({ kind: 'emphasis', children: [] });
          n -= 1;
        } else {
          buf += '*'.repeat(n);
          n = 0;
        }
      }
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  // Unclosed markers are literal text.
  while (stack.length > 1) {
    const f = stack.pop()!;
    const marker = f.kind === 'strong' ? '**' : '*';
    const kids = top().children;
    kids.push({ type: 'text', text: marker }, ...f.children);
  }
  return mergeText(stack[0]!.children);
}

function mergeText(xs: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const n of xs) {
    const last = out[out.length - 1];
    if (n.type === 'text' && last?.type === 'text') last.text += n.text;
    else if (n.type === 'text' && !n.text) continue;
    else out.push(n.type === 'strong' || n.type === 'emphasis' ? { ...n, children: mergeText(n.children) } : n);
  }
  return out;
}

// ------------------------------------------------------------------ blocks

interface RawBlock {
  lines: string[];
  line: number;
}

function splitBlocks(body: string[], firstLine: number): RawBlock[] {
  const blocks: RawBlock[] = [];
  let cur: RawBlock | undefined;
  body.forEach((l, k) => {
    const t = l.trimEnd();
    const isHeading = /^#{1,6}\s/.test(t.trimStart());
    if (!t.trim()) {
      cur = undefined;
      return;
    }
    // A heading is always a block of its own.
    if (isHeading || (cur && /^#{1,6}\s/.test(cur.lines[0]!))) cur = undefined;
    if (!cur) {
      cur = { lines: [], line: firstLine + k };
      blocks.push(cur);
    }
    cur.lines.push(t.trimStart());
    if (isHeading) cur = undefined;
  });
  return blocks;
}

function pos(line: number) {
  return { pos: { line } };
}

function readHeading(t: string, line: number): Block | { title: string } {
  const m = /^(#{1,6})\s+(.*?)\s*$/.exec(t)!;
  const hashes = m[1]!.length;
  let raw = m[2]!;
  const suffix = classSuffix(raw);
  const unnumbered = suffix?.name === 'unnumbered';
  if (unnumbered) raw = raw.slice(0, suffix!.index);
  if (hashes === 1) return { title: inlineText(parseInlines(raw)) };
  const level = Math.min(hashes - 1, 4) as HeadingLevel;
  const content = parseInlines(raw);
  const plain = inlineText(content);
  const split = unnumbered ? undefined : headingNumber(plain);
  // Only split the number off when it is plain text at the start.
  if (split && content[0]?.type === 'text' && content[0].text.startsWith(split.number)) {
    const rest = parseInlines(raw).map((n, i) => (i === 0 && n.type === 'text' ? { ...n, text: n.text.slice(split.number.length).trimStart() } : n));
    return { type: 'heading', level, number: split.number, content: mergeText(rest), ...pos(line) };
  }
  return { type: 'heading', level, content, ...pos(line) };
}

function readParagraph(text: string, line: number): Block {
  let raw = text;
  let explicit: string | undefined;
  const m = classSuffix(raw);
  if (m && m.name !== 'unnumbered') {
    explicit = m.name;
    raw = raw.slice(0, m.index);
  }
  const content = parseInlines(raw);
  if (!explicit && content[0]?.type === 'strong') {
    return { type: 'paragraph', lead: content[0].children, content: content.slice(1), ...pos(line) };
  }
  const kind = explicit ?? defaultParagraphClass(inlineText(content));
  if (kind === 'paragraph') return { type: 'paragraph', content, ...pos(line) };
  return { type: kind as 'salutation' | 'closing' | 'note', content, ...pos(line) };
}

/** A block that is one image line, with an optional credit line under it. */
function readFigure(b: RawBlock): Block | undefined {
  if (b.lines.length > 2) return undefined;
  const f = readFigureLine(b.lines[0]!);
  const credit = b.lines[1] === undefined ? undefined : readCredit(b.lines[1]);
  if (!f || (b.lines.length === 2 && credit === undefined)) return undefined;
  return {
    type: 'figure',
    image: { src: f.src },
    alt: f.alt,
    ...(f.caption !== undefined ? { caption: parseInlines(f.caption) } : {}),
    ...(credit !== undefined ? { credit } : {}),
    ...pos(b.line),
  };
}

/** A pipe table: an optional caption line before or after, a header row, a separator, the rows. */
function readTable(b: RawBlock): Block | undefined {
  let lines = b.lines;
  let captionText: string | undefined;
  const captionOf = (l: string | undefined) => (l === undefined ? undefined : TABLE_CAPTION.exec(l)?.[1] ?? (TABLE_CAPTION.test(l) ? '' : undefined));
  const before = captionOf(lines[0]);
  if (before !== undefined) {
    captionText = before;
    lines = lines.slice(1);
  } else {
    const after = captionOf(lines[lines.length - 1]);
    if (after !== undefined) {
      captionText = after;
      lines = lines.slice(0, -1);
    }
  }
  const separator = lines.findIndex((l) => TABLE_SEPARATOR.test(l));
  if (separator !== 0 && separator !== 1) return undefined;
  const rows = lines.map((l, k) => (k === separator ? [] : readTableRow(l)));
  if (rows.some((r) => r === undefined)) return undefined;
  const cells = (r: string[]) => r.map(parseInlines);
  const body = rows.filter((_, k) => k > separator).map((r) => cells(r!));
  return {
    type: 'table',
    ...(captionText !== undefined ? { caption: parseInlines(captionText) } : {}),
    ...(separator === 1 ? { header: cells(rows[0]!) } : {}),
    rows: body,
    ...pos(b.line),
  };
}

function readBlock(b: RawBlock): Block | { title: string } | { footnotes: Footnote[] } {
  const first = b.lines[0]!;
  if (/^#{1,6}\s/.test(first)) return readHeading(first, b.line);
  const figure = first.startsWith('![') ? readFigure(b) : undefined;
  if (figure) return figure;
  const table = b.lines.some((l) => TABLE_SEPARATOR.test(l)) ? readTable(b) : undefined;
  if (table) return table;
  if (b.lines.every((l) => /^\[\^[^\]\s]+\]:\s?/.test(l))) {
    return {
      footnotes: b.lines.map((l) => {
        const m = /^\[\^([^\]\s]+)\]:\s?(.*)$/.exec(l)!;
        return { id: m[1]!, content: parseInlines(m[2]!) };
      }),
    };
  }
  if (b.lines.every((l) => l.startsWith('>'))) {
    const paragraphs: Inline[][] = [];
    let cur: string[] = [];
    for (const l of b.lines) {
      const t = l.replace(/^> ?/, '');
      if (!t.trim()) {
        if (cur.length) paragraphs.push(parseInlines(joinLines(cur)));
        cur = [];
      } else cur.push(t);
    }
    if (cur.length) paragraphs.push(parseInlines(joinLines(cur)));
    return { type: 'quote', paragraphs, ...pos(b.line) };
  }
  if (b.lines.every((l) => /^[-+*] /.test(l))) {
    return { type: 'list', ordered: false, items: b.lines.map((l) => parseInlines(l.slice(2))), ...pos(b.line) };
  }
  if (b.lines.every((l) => /^\d+[.)] /.test(l))) {
    return { type: 'list', ordered: true, items: b.lines.map((l) => parseInlines(l.replace(/^\d+[.)] /, ''))), ...pos(b.line) };
  }
  return readParagraph(joinLines(b.lines), b.line);
}

// ------------------------------------------------------------------ front matter

/** Alias expansions allowed in front matter: enough for any real use, too few for an alias bomb. */
export const MAX_YAML_ALIASES = 100;

const KEYS = ['id', 'title', 'subtitle', 'speaker', 'role', 'date', 'dateText', 'occasion', 'venue', 'lang', 'source'] as const;
const SOURCE_KEYS = ['url', 'site', 'published', 'file'] as const;

interface FrontMatter {
  data: Record<string, unknown>;
  /** Line in the file of each key, for error messages. */
  lines: Record<string, number>;
  /** Lines the front matter took, including both `---`. */
  length: number;
}

function readFrontMatter(lines: string[], file: string, keys: readonly string[]): FrontMatter | undefined {
  if (lines[0]?.trim() !== '---') return undefined;
  const end = lines.findIndex((l, k) => k > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) throw new WenjiError('front matter opened with --- is never closed (add a --- line after it)', file, 1);
  const yamlText = lines.slice(1, end).join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new WenjiError(`front matter is not valid YAML: ${e.message.split('\n')[0]}`, file, line ? line + 1 : 1);
  }
  // Keys are checked on the YAML nodes, before any value is built: a `__proto__` key is then
  // just an unknown key, and the lines table has no prototype to collide with.
  const keyLines: Record<string, number> = Object.create(null) as Record<string, number>;
  if (doc.contents && !isMap(doc.contents)) throw new WenjiError('front matter must be a list of key: value lines', file, 2);
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      const line = isNode(item.key) && item.key.range ? counter.linePos(item.key.range[0]).line + 1 : undefined;
      if (!keys.includes(key)) throw new WenjiError(`unknown front matter key "${key}" (allowed: ${keys.join(', ')})`, file, line);
      if (line) keyLines[key] = line;
    }
  }
  let data: Record<string, unknown>;
  try {
    data = (doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {}) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    let line: number | undefined;
    visit(doc, {
      Alias(_, node) {
        line ??= node.range ? counter.linePos(node.range[0]).line + 1 : undefined;
      },
    });
    throw new WenjiError(
      `front matter uses YAML aliases (*name) too much (more than ${MAX_YAML_ALIASES} copies): write the values out instead`,
      file,
      line,
    );
  }
  return { data, lines: keyLines, length: end + 1 };
}

function optionalString(fm: FrontMatter, key: string, file: string): string | undefined {
  const v = fm.data[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new WenjiError(`front matter "${key}" must be text`, file, fm.lines[key]);
  return v;
}

// ------------------------------------------------------------------ entry point

export interface MarkdownResult {
  speech: Speech;
  diagnostics: Diagnostic[];
}

interface MarkdownDocument {
  fm: FrontMatter;
  /** From the front matter, else the first `# ` line. */
  title?: string;
  blocks: Block[];
  notes?: Footnote[];
  /** Figures left out (remote images). */
  diagnostics: Diagnostic[];
}

/** Front matter (with only `keys` allowed) and body of a wenji Markdown document. */
function parseDocumentText(markdown: string, file: string, keys: readonly string[]): MarkdownDocument {
  const lines = markdown.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const fm = readFrontMatter(lines, file, keys) ?? { data: {}, lines: {}, length: 0 };
  let title = optionalString(fm, 'title', file);
  const blocks: Block[] = [];
  const diagnostics: Diagnostic[] = [];
  let notes: Footnote[] | undefined;
  let embedded = 0;
  for (const raw of splitBlocks(lines.slice(fm.length), fm.length + 1)) {
    const b = readBlock(raw);
    if ('type' in b && b.type === 'figure') {
      // A remote image is never fetched; a small data: URI is the image's bytes.
      const image = imageSource(b.image.src, () => ++embedded);
      if ('remote' in image) diagnostics.push(remoteImageWarning(file, raw.line, b.image.src, image.remote));
      else blocks.push({ ...b, image: image.image });
      continue;
    }
    if ('title' in b) {
      if (!title) title = b.title;
      else blocks.push({ type: 'heading', level: 1, content: [{ type: 'text', text: b.title }], pos: { line: raw.line } });
    } else if ('footnotes' in b) notes = [...(notes ?? []), ...b.footnotes];
    else blocks.push(b);
  }
  return { fm, title, blocks, notes, diagnostics };
}

/**
 * Reads front or back matter (a preface, 编辑说明, an afterword) written in the same dialect:
 * front matter may give only `title`. Throws WenjiError (with file and line) on bad input.
 */
export function readMatterMarkdown(markdown: string, file: string): { title?: string; blocks: Block[]; notes?: Footnote[] } {
  const { title, blocks, notes } = parseDocumentText(markdown, file, ['title']);
  return { title, blocks, ...(notes ? { notes } : {}) };
}

/** Reads wenji Markdown into a Speech. Throws WenjiError (with file and line) on bad input. */
export function readMarkdown(markdown: string, file: string): MarkdownResult {
  const { fm, title, blocks, notes, diagnostics } = parseDocumentText(markdown, file, KEYS);
  const str = (k: string) => optionalString(fm, k, file);
  if (!title) throw new WenjiError('no title: add "title: …" to the front matter', file, 1);
  if (!blocks.length) throw new WenjiError('no speech found: the Markdown has no paragraphs', file);

  const speakerName = str('speaker');
  const role = str('role');
  const date = str('date') ?? null;
  if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new WenjiError(`front matter "date" must be YYYY-MM-DD, not "${date}"`, file, fm.lines.date);
  }
  const notADay = date === null ? undefined : calendarProblem(date);
  if (notADay) throw new WenjiError(`front matter "date" ${notADay}: correct it as YYYY-MM-DD`, file, fm.lines.date);
  const src = fm.data.source;
  const source: Speech['source'] = { file };
  if (src !== undefined && src !== null) {
    if (typeof src !== 'object' || Array.isArray(src)) throw new WenjiError('front matter "source" must hold url, site, published', file, fm.lines.source);
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      if (!(SOURCE_KEYS as readonly string[]).includes(k)) {
        throw new WenjiError(`unknown key "source.${k}" (allowed: url, site, published)`, file, fm.lines.source);
      }
      if (k !== 'file' && v !== null && v !== undefined) (source as unknown as Record<string, string>)[k] = String(v);
    }
  }
  const langValue = str('lang');
  if (langValue && langValue !== 'zh-Hans' && langValue !== 'zh-Hant') {
    throw new WenjiError(`front matter "lang" must be zh-Hans or zh-Hant, not "${langValue}"`, file, fm.lines.lang);
  }
  // A role alone stands for a speaker the source does not name.
  const speaker = speakerName || role ? { ...(speakerName ? { name: speakerName } : {}), ...(role ? { role } : {}) } : null;
  const lang: Lang = (langValue as Lang | undefined) ?? scriptOf(title + blocks.map((b) => JSON.stringify(b)).join(''));
  const optional = (k: string) => {
    const v = str(k);
    return v === undefined ? {} : { [k]: v };
  };
  const speech: Speech = {
    id: str('id') ?? speechId(title, speakerName, date),
    title,
    ...optional('subtitle'),
    speaker,
    date,
    ...optional('dateText'),
    ...optional('occasion'),
    ...optional('venue'),
    source,
    lang,
    blocks,
    ...(notes ? { notes } : {}),
  };
  if (!speaker) diagnostics.push({ severity: 'warning', code: 'W-IMPORT-SPEAKER-MISSING', file, message: 'no speaker in the front matter' });
  if (!date) diagnostics.push({ severity: 'warning', code: 'W-IMPORT-DATE-MISSING', file, message: 'no date in the front matter' });
  return { speech: validateSpeech(speech, file), diagnostics };
}
