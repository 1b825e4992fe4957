/**
 * book.yaml: the schema of a collection and its validation. The file is parsed with its
 * line positions, so every error names the file, the line and the key, and says what is
 * allowed. Validation only checks shape and values; resolve.ts turns the result into a
 * complete BuildPlan (paths, globs, defaults).
 */
import { readFileSync } from 'node:fs';
import { calendarProblem } from '../model/validate.ts';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import {
  ENGINES,
  FORMATS,
  GROUPINGS,
  LAYOUTS,
  ORDERS,
  PAPERS,
  PRESETS,
  SCRIPTS,
  type Engine,
  type Format,
  type Grouping,
  type Layout,
  type Order,
  type Paper,
  type Preset,
  type Script,
} from '../model/book.ts';
import { WenjiError, type Diagnostic } from '../model/diagnostics.ts';
import type { SpeechMetaOverrides } from '../model/speech.ts';
import { normalizeRubyRule, rubyRuleProblem, type RubyRule, type RubyRules } from '../model/ruby.ts';


/** A path or glob as written in book.yaml, with the line it is on. */
export interface SpeechEntry {
  pattern: string;
  line: number;
  /** Editor's metadata for this speech (only for a single file, not a glob). */
  overrides: SpeechMetaOverrides;
}

export interface Located {
  value: string;
  line: number;
}

export interface PartConfig {
  title: string;
  line: number;
  speeches: SpeechEntry[];
}

export interface EditionConfig {
  name: string;
  line: number;
  preset: Preset;
  layout?: Layout;
  script?: Script;
  formats?: Format[];
  paper?: Paper;
  engine?: Engine;
  mark?: string;
  label?: string;
  embedFonts?: boolean;
  /** Builds this edition from these speeches instead of the book's (e.g. a handout of one speech). */
  speeches?: SpeechEntry[];
}

/** book.yaml after validation: every value has the right type; paths are still as written. */
export interface BookConfig {
  /** The book.yaml file itself (as given). */
  file: string;
  title: string;
  subtitle?: string;
  editor?: string;
  publisher?: string;
  year?: string;
  identifier?: string;
  /** Folder name under output/ (default: the name of the folder holding book.yaml). */
  slug?: string;
  cover?: Located;
  speeches: SpeechEntry[];
  order: Order;
  groupBy: Grouping | PartConfig[];
  frontMatter: Located[];
  backMatter: Located[];
  theme?: Located;
  dictionary?: Located;
  credits?: string[];
  /** Ruby rules for reading copies: word → reading, true or false (model/ruby.ts). */
  ruby?: RubyRules;
  editions: EditionConfig[];
}

/** Several configuration errors at once; prints one `file:line: error: message` line each. */
export class ConfigError extends WenjiError {
  constructor(readonly errors: Diagnostic[]) {
    super(errors[0]!.message, errors[0]!.file, errors[0]!.line);
    this.name = 'ConfigError';
  }

  override format(): string {
    return this.errors.map((d) => `${d.line ? `${d.file}:${d.line}` : d.file}: ${d.message}`).join('\n');
  }
}

// ------------------------------------------------------------------ the schema, as data

interface KeySpec {
  /** One line for `wenji init` comments and error messages. */
  doc: string;
  required?: boolean;
}

export const BOOK_KEYS: Record<string, KeySpec> = {
  title: { doc: 'title of the book', required: true },
  subtitle: { doc: 'subtitle' },
  editor: { doc: 'editor (the EPUB creator and PDF author)' },
  publisher: { doc: 'publisher, printed in the colophon' },
  year: { doc: 'year of publication, e.g. 2024 (default: year of the latest speech)' },
  identifier: { doc: 'ISBN or other identifier (default: derived from the content)' },
  slug: { doc: 'folder name under output/ (default: the folder holding book.yaml)' },
  cover: { doc: 'cover image for the EPUB (PNG or JPEG)' },
  speeches: { doc: 'paths or globs of sources (.txt .html .md .docx), or {file, title, speaker, role, date, occasion, venue}' },
  order: { doc: `order of the speeches: ${ORDERS.join(' | ')}` },
  groupBy: { doc: `parts: ${GROUPINGS.join(' | ')}, or a list of {title, speeches}` },
  frontMatter: { doc: 'Markdown files before the speeches (preface, 编辑说明)' },
  backMatter: { doc: 'Markdown files after the speeches (afterword)' },
  theme: { doc: 'folder with templates/ and styles/ that override the built-in ones' },
  dictionary: { doc: 'user dictionary for traditional editions' },
  credits: { doc: 'sources of the texts, printed in the colophon' },
  ruby: { doc: 'reading copies: pinyin per word, e.g. {单于: chán yú, 龟兹: true, 行长: false} (a speech\'s sidecar wins)' },
  editions: { doc: 'the publications to build', required: true },
};

export const SPEECH_ENTRY_KEYS: Record<string, KeySpec> = {
  file: { doc: 'path of the source', required: true },
  title: { doc: 'title' },
  subtitle: { doc: 'subtitle' },
  speaker: { doc: 'speaker' },
  role: { doc: "speaker's role" },
  date: { doc: 'date the speech was given, YYYY-MM-DD' },
  occasion: { doc: 'occasion' },
  venue: { doc: 'venue' },
};

export const PART_KEYS: Record<string, KeySpec> = {
  title: { doc: 'title of the part', required: true },
  speeches: { doc: 'paths or globs of the speeches in this part', required: true },
};

export const EDITION_KEYS: Record<string, KeySpec> = {
  name: { doc: 'name, also the output file name', required: true },
  preset: { doc: `${PRESETS.join(' | ')}`, required: true },
  layout: { doc: `${LAYOUTS.join(' | ')} (default horizontal)` },
  script: { doc: `${SCRIPTS.join(' | ')} (default source)` },
  formats: { doc: `list of ${FORMATS.join(', ')} (default pdf; epub for ebook)` },
  paper: { doc: `${PAPERS.join(' | ')} (handout: A4 only; default A4 for reading, A5 otherwise)` },
  engine: { doc: `${ENGINES.join(' | ')} (default pagedjs horizontal, chromium vertical)` },
  mark: { doc: 'mark in the top corner of a handout, e.g. 内部资料 注意保存' },
  label: { doc: 'what the colophon calls this edition (default from script and layout, e.g. 简体竖排本)' },
  embedFonts: { doc: 'EPUB: embed subset fonts (default true)' },
  speeches: { doc: "this edition's own speeches instead of the book's" },
};

// ------------------------------------------------------------------ validation

const EDITION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Edit distance counting a swap of neighbours as one edit, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

class Validator {
  readonly errors: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  lineOf(node: unknown): number {
    const range = (node as Node | undefined)?.range;
    return range ? this.lines.linePos(range[0]).line : 1;
  }

  error(node: unknown, message: string): void {
    this.errors.push({ severity: 'error', code: 'E-CONFIG', file: this.file, line: this.lineOf(node), message });
  }

  /** Checks a map's keys against `keys`; returns key → value node. */
  fields(map: YAMLMap, keys: Record<string, KeySpec>, where: string): Map<string, Node> {
    const out = new Map<string, Node>();
    for (const pair of map.items) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      if (!Object.hasOwn(keys, key)) {
        const hint = closest(key, Object.keys(keys));
        this.error(
          keyNode,
          `unknown key '${key}' in ${where}${hint ? ` (did you mean '${hint}'?)` : ''}. Valid keys: ${Object.keys(keys).join(', ')}`,
        );
        continue;
      }
      out.set(key, pair.value as Node);
    }
    for (const [k, spec] of Object.entries(keys)) {
      if (spec.required && !out.has(k) && !this.errors.some((e) => e.message.includes(`'${k}'`))) {
        this.error(map, `${where} has no '${k}' (${spec.doc})`);
      }
    }
    return out;
  }

  string(node: Node | undefined, key: string): string | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node) && node.value !== null && ['string', 'number'].includes(typeof node.value)) {
      const s = String(node.value).trim();
      if (s) return s;
      this.error(node, `'${key}' is empty: give a value or remove the key`);
      return undefined;
    }
    this.error(node, `'${key}' must be a text value (${describe(node)} given)`);
    return undefined;
  }

  located(node: Node | undefined, key: string): Located | undefined {
    const v = this.string(node, key);
    return v === undefined ? undefined : { value: v, line: this.lineOf(node) };
  }

  boolean(node: Node | undefined, key: string): boolean | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.error(node, `'${key}' must be true or false`);
    return undefined;
  }

  oneOf<T extends string>(node: Node | undefined, key: string, values: readonly T[]): T | undefined {
    const v = this.string(node, key);
    if (v === undefined) return undefined;
    if ((values as readonly string[]).includes(v)) return v as T;
    const hint = closest(v, values);
    this.error(node, `'${key}' is '${v}'${hint ? ` (did you mean '${hint}'?)` : ''}. Valid values: ${values.join(', ')}`);
    return undefined;
  }

  /** A list of strings; a single string is accepted as a list of one. */
  stringList(node: Node | undefined, key: string): Located[] {
    if (node === undefined) return [];
    if (isScalar(node)) {
      const one = this.located(node, key);
      return one ? [one] : [];
    }
    if (!isSeq(node)) {
      this.error(node, `'${key}' must be a list`);
      return [];
    }
    return node.items.flatMap((item) => {
      const v = this.located(item as Node, key);
      return v ? [v] : [];
    });
  }

  speechEntries(node: Node | undefined, key: string): SpeechEntry[] {
    if (node === undefined) return [];
    const items = isSeq(node) ? (node.items as Node[]) : isScalar(node) ? [node] : null;
    if (!items) {
      this.error(node, `'${key}' must be a list of paths, globs or {file: …} entries`);
      return [];
    }
    const out: SpeechEntry[] = [];
    for (const item of items) {
      if (isMap(item)) {
        const f = this.fields(item, SPEECH_ENTRY_KEYS, `a '${key}' entry`);
        const pattern = this.string(f.get('file'), 'file');
        const overrides: SpeechMetaOverrides = {};
        for (const k of ['title', 'subtitle', 'speaker', 'role', 'date', 'occasion', 'venue'] as const) {
          const v = this.string(f.get(k), k);
          if (v !== undefined) overrides[k] = v;
        }
        if (overrides.date && !ISO_DATE.test(overrides.date)) {
          this.error(f.get('date'), `'date' is '${overrides.date}': write it as YYYY-MM-DD`);
        } else if (overrides.date && calendarProblem(overrides.date)) {
          this.error(f.get('date'), `'date' ${calendarProblem(overrides.date)}: correct it as YYYY-MM-DD`);
        }
        if (pattern) out.push({ pattern, line: this.lineOf(item), overrides });
      } else {
        const pattern = this.string(item, key);
        if (pattern) out.push({ pattern, line: this.lineOf(item), overrides: {} });
      }
    }
    return out;
  }

  /** `ruby:` word → reading (pinyin with tone marks), true (always) or false (never). */
  rubyRules(node: Node | undefined): RubyRules | undefined {
    if (node === undefined) return undefined;
    if (!isMap(node)) {
      this.error(node, `'ruby' must be a map of word: reading, e.g. 单于: chán yú (or 行长: false to suppress)`);
      return undefined;
    }
    const rules: Record<string, RubyRule> = {};
    for (const pair of node.items) {
      const word = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = isScalar(pair.value) ? pair.value.value : pair.value;
      const problem = rubyRuleProblem(word, value);
      if (problem) this.error(pair.key ?? node, problem);
      else rules[word] = normalizeRubyRule(value as RubyRule);
    }
    return rules;
  }

  parts(node: Node): PartConfig[] {
    const out: PartConfig[] = [];
    for (const item of (isSeq(node) ? node.items : []) as Node[]) {
      if (!isMap(item)) {
        this.error(item, `each part of 'groupBy' must be {title, speeches}`);
        continue;
      }
      const f = this.fields(item, PART_KEYS, 'a part of groupBy');
      const title = this.string(f.get('title'), 'title');
      const speeches = this.speechEntries(f.get('speeches'), 'speeches');
      if (title) out.push({ title, line: this.lineOf(item), speeches });
    }
    return out;
  }

  edition(node: Node, index: number): EditionConfig | undefined {
    if (!isMap(node)) {
      this.error(node, `each edition must be a map with keys ${Object.keys(EDITION_KEYS).join(', ')}`);
      return undefined;
    }
    const provisional = node.get('name');
    const where = typeof provisional === 'string' ? `edition '${provisional}'` : `edition ${index + 1}`;
    const f = this.fields(node, EDITION_KEYS, where);
    const name = this.string(f.get('name'), 'name');
    if (name && !EDITION_NAME.test(name)) {
      this.error(f.get('name'), `edition name '${name}' must be ASCII letters, digits, '.', '_' or '-' (it names the output file)`);
    }
    const preset = this.oneOf(f.get('preset'), 'preset', PRESETS);
    let formats: Format[] | undefined;
    if (f.has('formats')) {
      formats = [];
      for (const l of this.stringList(f.get('formats'), 'formats')) {
        const v = l.value.toLowerCase();
        if ((FORMATS as readonly string[]).includes(v)) formats.push(v as Format);
        else this.error(f.get('formats'), `format '${l.value}' in ${where} is not known. Valid values: ${FORMATS.join(', ')}`);
      }
    }
    if (!name || !preset) return undefined;
    return {
      name,
      line: this.lineOf(node),
      preset,
      layout: this.oneOf(f.get('layout'), 'layout', LAYOUTS),
      script: this.oneOf(f.get('script'), 'script', SCRIPTS),
      formats,
      paper: this.oneOf(f.get('paper'), 'paper', PAPERS),
      engine: this.oneOf(f.get('engine'), 'engine', ENGINES),
      mark: this.string(f.get('mark'), 'mark'),
      label: this.string(f.get('label'), 'label'),
      embedFonts: this.boolean(f.get('embedFonts'), 'embedFonts'),
      speeches: f.has('speeches') ? this.speechEntries(f.get('speeches'), 'speeches') : undefined,
    };
  }
}

function describe(node: Node): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'nothing' : typeof node.value;
  return 'something else';
}

/** Validates book.yaml text. Throws ConfigError listing every problem found. */
export function parseBookConfig(source: string, file: string): BookConfig {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const v = new Validator(file, lines);
  for (const e of doc.errors) {
    const line = lines.linePos(e.pos[0]).line;
    const message =
      e.code === 'DUPLICATE_KEY' ? `${e.message.split('\n')[0]}: each key may appear once` : e.message.split('\n')[0]!;
    v.errors.push({ severity: 'error', code: 'E-CONFIG', file, line, message: `YAML: ${message}` });
  }
  if (v.errors.length) throw new ConfigError(v.errors);
  const root = doc.contents as Node | null;
  if (!root || !isMap(root)) {
    throw new WenjiError(
      `a book.yaml must be a map with keys ${Object.keys(BOOK_KEYS).join(', ')} (run \`wenji init DIR\` for an example)`,
      file,
      1,
    );
  }
  const f = v.fields(root, BOOK_KEYS, 'book.yaml');
  const year = v.string(f.get('year'), 'year');
  if (year && !/^\d{4}$/.test(year)) v.error(f.get('year'), `'year' is '${year}': write four digits, e.g. 2024`);

  let groupBy: Grouping | PartConfig[] = 'none';
  const g = f.get('groupBy');
  if (g !== undefined && isSeq(g)) groupBy = v.parts(g);
  else if (g !== undefined) groupBy = v.oneOf(g, 'groupBy', GROUPINGS) ?? 'none';

  const speeches = v.speechEntries(f.get('speeches'), 'speeches');
  if (!f.has('speeches') && !Array.isArray(groupBy) && !v.errors.length) {
    v.error(root, `book.yaml has no 'speeches' (${BOOK_KEYS.speeches!.doc})`);
  }

  const editions: EditionConfig[] = [];
  const e = f.get('editions');
  if (e !== undefined) {
    if (!isSeq(e) || e.items.length === 0) v.error(e, `'editions' must be a non-empty list of {name, preset, …}`);
    else {
      const seen = new Map<string, number>();
      (e.items as Node[]).forEach((item, i) => {
        const ed = v.edition(item, i);
        if (!ed) return;
        const first = seen.get(ed.name);
        if (first !== undefined) {
          v.error(item, `duplicate edition name '${ed.name}' (first at line ${first}): each edition needs its own name`);
        } else seen.set(ed.name, ed.line);
        editions.push(ed);
      });
    }
  }

  const credits = f.has('credits') ? v.stringList(f.get('credits'), 'credits').map((l) => l.value) : undefined;
  const slug = v.string(f.get('slug'), 'slug');
  if (slug && !EDITION_NAME.test(slug)) v.error(f.get('slug'), `'slug' must be ASCII letters, digits, '.', '_' or '-'`);

  const config: BookConfig = {
    file,
    title: v.string(f.get('title'), 'title') ?? '',
    subtitle: v.string(f.get('subtitle'), 'subtitle'),
    editor: v.string(f.get('editor'), 'editor'),
    publisher: v.string(f.get('publisher'), 'publisher'),
    year,
    identifier: v.string(f.get('identifier'), 'identifier'),
    slug,
    cover: v.located(f.get('cover'), 'cover'),
    speeches,
    order: v.oneOf(f.get('order'), 'order', ORDERS) ?? 'date',
    groupBy,
    frontMatter: v.stringList(f.get('frontMatter'), 'frontMatter'),
    backMatter: v.stringList(f.get('backMatter'), 'backMatter'),
    theme: v.located(f.get('theme'), 'theme'),
    dictionary: v.located(f.get('dictionary'), 'dictionary'),
    credits,
    ruby: v.rubyRules(f.get('ruby')),
    editions,
  };
  if (v.errors.length) {
    v.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ConfigError(v.errors);
  }
  return config;
}

/** Reads and validates a book.yaml file. */
export function loadBookConfig(file: string): BookConfig {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WenjiError(
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a book.yaml' : `cannot read: ${code}`,
      file,
    );
  }
  return parseBookConfig(source, file);
}
