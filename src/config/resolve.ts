/**
 * book.yaml or command-line inputs → a complete BuildPlan. Everything that can be wrong
 * with the inputs is found here, before any source is read or anything rendered: missing
 * files, globs matching nothing, unknown editions, impossible engine choices.
 */
import { existsSync, readSync, openSync, closeSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import type { Edition, Engine, Format, Grouping, Layout, Paper, Preset } from '../model/book.ts';
import { WenjiError, type Diagnostic } from '../model/diagnostics.ts';
import type { SpeechMetaOverrides } from '../model/speech.ts';
import type { RubyRules } from '../model/ruby.ts';
import { SOURCE_EXTENSIONS } from '../readers/formats.ts';
import type { BookSettings, ExplicitPart } from '../book/assemble.ts';
import { checkEngine } from '../render/page-engines.ts';
import type { BuildOptions } from './options.ts';
import { checkTheme } from '../render/templates.ts';
import { ConfigError, loadBookConfig, type BookConfig, type EditionConfig, type SpeechEntry } from './schema.ts';


export const EXTENSIONS: Record<Format, string> = { pdf: 'pdf', epub: 'epub', html: 'html' };

/** One source to read, with the editor's overrides. */
export interface SpeechInput {
  /** Absolute path. */
  file: string;
  /** Path as shown in messages (relative to the working directory). */
  display: string;
  overrides: SpeechMetaOverrides;
}

export type ResolvedPart = ExplicitPart;

/**
 * Everything needed to assemble one Book: its metadata (BookSettings: order, grouping, and
 * SOURCE_DATE_EPOCH, read from the environment once, here), its sources and matter files.
 */
export interface BookPlan extends BookSettings {
  /** Distinguishes books in one build (editions with their own speeches get their own). */
  key: string;
  groupBy: Grouping | ResolvedPart[];
  /** Front and back matter files (absolute paths), read before the book is assembled. */
  frontMatter: string[];
  backMatter: string[];
  speeches: SpeechInput[];
}

export interface PlannedOutput {
  format: Format;
  /** Absolute path of the file to write. */
  file: string;
}

export interface PlannedEdition {
  edition: Edition;
  book: BookPlan;
  outputs: PlannedOutput[];
  dictionary?: string;
  /** Proofreading report file (traditional editions with --report). */
  reportFile?: string;
  /** The book's ruby rules (book.yaml `ruby:`), for reading copies. */
  ruby?: RubyRules;
}

export interface BuildPlan {
  mode: 'book' | 'single';
  /** book.yaml, in book mode. */
  configFile?: string;
  outDir: string;
  cacheDir: string;
  editions: PlannedEdition[];
  /** --strict: characters no bundled face has fail the output. */
  strict?: boolean;
}

export interface ResolveEnv {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const display = (cwd: string, file: string) => {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
};

// ------------------------------------------------------------------ editions

export function defaultPaper(preset: Preset): Paper {
  return preset === 'handout' || preset === 'reading' ? 'A4' : 'A5';
}

export function defaultFormats(preset: Preset): Format[] {
  return preset === 'ebook' ? ['epub'] : ['pdf'];
}

export function defaultEngine(layout: Layout): Engine {
  return layout === 'vertical' ? 'chromium' : 'pagedjs';
}

/** An edition as written (book.yaml or command line), before defaults are filled in. */
type EditionFields = Omit<EditionConfig, 'line' | 'speeches'> & { theme?: string };

/** Fills every field of an edition; throws if the combination cannot be built. */
export function resolveEdition(f: EditionFields, where?: { file: string; line?: number }): Edition {
  const layout = f.layout ?? 'horizontal';
  const engine = f.engine ?? defaultEngine(layout);
  // A book.yaml edition has a name; a single-file build's options have none yet.
  const prefix = f.name ? `edition '${f.name}': ` : 'on the command line, ';
  const field = (yaml: string, option: string) => (f.name ? yaml : option);
  checkEngine({ engine, layout }, { file: where?.file ?? '', line: where?.line, prefix });
  const printed = (f.formats ?? []).filter((x) => x !== 'epub');
  if (f.preset === 'ebook' && printed.length) {
    throw new WenjiError(
      `${prefix}preset ebook makes only EPUB, not ${printed.join(' or ')}: use preset book (or handout) for PDF and HTML, or list only epub in ${field('formats', '--format')}`,
      where?.file,
      where?.line,
    );
  }
  if (f.preset === 'handout' && f.paper && f.paper !== 'A4') {
    // The handout is the GB/T 9704 page; on smaller paper its margins leave a column of a dozen
    // characters and half-empty pages (measured on A5).
    throw new WenjiError(
      `${prefix}preset handout is the GB/T 9704 A4 page (22 lines of 28 characters) and has no ${f.paper} form: leave out ${field('paper', '--paper')}, or use preset book (or reading) for ${f.paper}`,
      where?.file,
      where?.line,
    );
  }
  if (f.preset === 'reading' && f.formats?.includes('epub')) {
    throw new WenjiError(
      `${prefix}preset reading is a printed copy for the lectern (PDF, or HTML to preview), not an EPUB: list pdf or html in ${field('formats', '--format')}, or use preset ebook`,
      where?.file,
      where?.line,
    );
  }
  return {
    name: f.name,
    preset: f.preset,
    layout,
    script: f.script ?? 'source',
    formats: f.formats?.length ? f.formats : defaultFormats(f.preset),
    paper: f.paper ?? defaultPaper(f.preset),
    engine,
    mark: f.mark,
    ...(f.label ? { label: f.label } : {}),
    theme: f.theme,
    embedFonts: f.embedFonts ?? true,
  };
}

/** Command-line values that replace an edition's own (book mode). */
function overrideFromOptions(e: EditionConfig, o: BuildOptions): EditionFields {
  return {
    name: e.name,
    preset: o.preset ?? e.preset,
    layout: o.layout ?? e.layout,
    script: o.script ?? e.script,
    formats: o.formats ?? e.formats,
    paper: o.paper ?? e.paper,
    // An engine chosen for the book's layout no longer fits when --layout changes it.
    engine: o.engine ?? (o.layout && o.layout !== e.layout ? undefined : e.engine),
    mark: o.mark ?? e.mark,
    label: e.label,
    embedFonts: o.embedFonts ?? e.embedFonts,
  };
}

// ------------------------------------------------------------------ files and globs

function isGlob(pattern: string): boolean {
  return fg.isDynamicPattern(pattern.replace(/\\/g, '/'));
}

function isSourceFile(file: string): boolean {
  const lower = file.toLowerCase();
  return SOURCE_EXTENSIONS.some((e) => lower.endsWith(e)) && !/\.meta\.ya?ml$/.test(lower);
}

/**
 * Expands one entry to absolute files. A glob picks only source files (never sidecar
 * .meta.yaml); an explicit path must exist and be a file.
 */
function expandEntry(entry: SpeechEntry, baseDir: string, configFile: string, errors: Diagnostic[]): string[] {
  const err = (message: string) => errors.push({ severity: 'error', code: 'E-CONFIG', file: configFile, line: entry.line, message });
  if (isGlob(entry.pattern)) {
    if (Object.keys(entry.overrides).length) {
      err(`'${entry.pattern}' is a glob: metadata (title, speaker, …) can only be given for a single file`);
      return [];
    }
    const hits = fg
      .sync(entry.pattern.replace(/\\/g, '/'), { cwd: baseDir, absolute: true, onlyFiles: true, dot: false })
      .filter(isSourceFile)
      .map((f) => path.normalize(f))
      .sort();
    if (!hits.length) {
      err(
        `'${entry.pattern}' matches no speech source in ${baseDir} (looked for ${SOURCE_EXTENSIONS.join(' ')}): fix the pattern or add the files`,
      );
    }
    return hits;
  }
  const file = path.resolve(baseDir, entry.pattern);
  if (!existsSync(file)) {
    err(`speech file '${entry.pattern}' not found (looked for ${file}): fix the path or remove the entry`);
    return [];
  }
  if (!statSync(file).isFile()) {
    err(`'${entry.pattern}' is a directory: write a glob such as '${entry.pattern.replace(/\/$/, '')}/*.md'`);
    return [];
  }
  return [file];
}

/** Expands entries in order; a file listed twice keeps its first place, overrides merge. */
function expandEntries(
  entries: SpeechEntry[],
  baseDir: string,
  configFile: string,
  cwd: string,
  errors: Diagnostic[],
  inside: InsideCheck,
): SpeechInput[] {
  const byFile = new Map<string, SpeechInput>();
  for (const entry of entries) {
    const files = expandEntry(entry, baseDir, configFile, errors);
    for (const file of files) inside(file, isGlob(entry.pattern) ? path.relative(baseDir, file) : entry.pattern, entry.line);
    for (const file of files) {
      const had = byFile.get(file);
      if (had) had.overrides = { ...had.overrides, ...entry.overrides };
      else byFile.set(file, { file, display: display(cwd, file), overrides: { ...entry.overrides } });
    }
  }
  return [...byFile.values()];
}

/** Checks that a file named by book.yaml lies inside the book's folder (pushing an error if not). */
type InsideCheck = (file: string, shown: string, line?: number) => void;

/**
 * A book.yaml is a recipe that may come from someone else: by itself it reads only files in
 * its own folder, symbolic links followed, so it cannot pull in /etc/passwd or ../private.
 */
function insideCheck(baseDir: string, configFile: string, allowed: boolean, errors: Diagnostic[]): InsideCheck {
  if (allowed) return () => {};
  const realBase = realpathSync(baseDir);
  const within = (dir: string, file: string) => {
    const rel = path.relative(dir, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const reported = new Set<string>();
  return (file, shown, line) => {
    if (!existsSync(file) || reported.has(file)) return;
    const real = realpathSync(file);
    if (within(realBase, real)) return;
    reported.add(file);
    const through = within(baseDir, file) ? ', through a symbolic link' : '';
    errors.push({
      severity: 'error',
      code: 'E-CONFIG',
      file: configFile,
      line,
      message: `'${shown}' is outside the book's folder (${real}${through}): a book.yaml names only files inside ${baseDir}; move it in, or build with --allow-outside-files`,
    });
  };
}

const IMAGE_MAGIC: [string, number[]][] = [
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
];

/** A cover must be an existing PNG, JPEG or GIF (checked by its first bytes, not its name). */
export function checkCoverImage(file: string, shown: string, where?: { file: string; line?: number }): void {
  const fail = (m: string) => {
    throw new WenjiError(m, where?.file ?? shown, where?.line);
  };
  if (!existsSync(file)) fail(`cover image '${shown}' not found`);
  if (!statSync(file).isFile()) fail(`cover image '${shown}' is a directory`);
  const head = Buffer.alloc(8);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (!IMAGE_MAGIC.some(([, magic]) => magic.every((b, i) => head[i] === b))) {
    fail(`cover image '${shown}' is not an image (expected ${IMAGE_MAGIC.map(([n]) => n).join(', ')})`);
  }
}

function checkFile(kind: string, file: string, shown: string, where: { file: string; line?: number }, errors: Diagnostic[]): void {
  if (!existsSync(file)) {
    errors.push({ severity: 'error', code: 'E-CONFIG', file: where.file, line: where.line, message: `${kind} '${shown}' not found (looked for ${file})` });
  } else if (!statSync(file).isFile()) {
    errors.push({ severity: 'error', code: 'E-CONFIG', file: where.file, line: where.line, message: `${kind} '${shown}' is a directory, not a file` });
  }
}

function checkDir(kind: string, dir: string, shown: string, where: { file: string; line?: number }, errors: Diagnostic[]): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    errors.push({ severity: 'error', code: 'E-CONFIG', file: where.file, line: where.line, message: `${kind} '${shown}' is not a folder (looked for ${dir})` });
  }
}

/** A theme folder whose templates all parse and whose styles load nothing from outside. */
function checkThemeDir(dir: string, shown: string, where: { file: string; line?: number }, errors: Diagnostic[]): void {
  const before = errors.length;
  checkDir('theme', dir, shown, where, errors);
  if (errors.length > before) return;
  try {
    checkTheme(dir);
  } catch (e) {
    if (!(e instanceof WenjiError)) throw e;
    errors.push({ severity: 'error', code: 'E-CONFIG', file: e.file ?? dir, ...(e.line ? { line: e.line } : {}), message: e.message });
  }
}

// ------------------------------------------------------------------ plans

/** SOURCE_DATE_EPOCH as seconds; unset or empty → undefined; anything but digits is an error. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv): number | undefined {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (!epoch) return undefined;
  if (!/^\d+$/.test(epoch)) {
    throw new WenjiError(`SOURCE_DATE_EPOCH=${epoch} is not a number of seconds since 1970; unset it or give e.g. 1710806400`);
  }
  return Number(epoch);
}

export function cacheDirFor(cwd: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(cwd, env.WENJI_CACHE_DIR ?? '.cache/wenji');
}

function isBookConfig(input: string): boolean {
  return /\.ya?ml$/i.test(input) && !/\.meta\.ya?ml$/i.test(input);
}

/** Turns parsed command-line options into a BuildPlan (loading book.yaml if one is given). */
export function resolveBuild(options: BuildOptions, { cwd = process.cwd(), env = process.env }: ResolveEnv = {}): BuildPlan {
  if (!options.inputs.length) throw new WenjiError('no input given. Usage: wenji build INPUT... (see wenji build --help)');
  // `wenji build DIR` builds DIR/book.yaml when there is one.
  const inputs = options.inputs.map((i) => {
    const dir = path.resolve(cwd, i);
    return existsSync(dir) && statSync(dir).isDirectory() && existsSync(path.join(dir, 'book.yaml')) ? path.join(i, 'book.yaml') : i;
  });
  options = { ...options, inputs };
  const configs = options.inputs.filter(isBookConfig);
  if (configs.length) {
    if (options.inputs.length > 1) {
      throw new WenjiError(
        `give either one book.yaml or speech sources, not both (${options.inputs.join(' ')}); list extra speeches under 'speeches' in the book.yaml`,
      );
    }
    const configFile = path.resolve(cwd, configs[0]!);
    const config = loadBookConfig(display(cwd, configFile));
    return planBook(config, options, cwd, env);
  }
  if (options.editions.length) throw new WenjiError('--edition only applies to a book.yaml');
  return planSingles(options, cwd, env);
}

/** book.yaml → plan: every edition (or those named with --edition). */
export function planBook(config: BookConfig, options: BuildOptions, cwd: string, env: NodeJS.ProcessEnv): BuildPlan {
  const configFile = config.file;
  const baseDir = path.dirname(path.resolve(cwd, configFile));
  const errors: Diagnostic[] = [];
  const here = (line?: number) => ({ file: configFile, line });
  const inside = insideCheck(baseDir, configFile, options.allowOutsideFiles ?? false, errors);

  // --edition: unknown names are an error listing the book's editions.
  const names = config.editions.map((e) => e.name);
  for (const n of options.editions) {
    if (!names.includes(n)) {
      throw new WenjiError(`no edition named '${n}' in ${configFile}. Editions: ${names.join(', ')}`);
    }
  }
  const selected = options.editions.length ? config.editions.filter((e) => options.editions.includes(e.name)) : config.editions;

  let groupBy: Grouping | ResolvedPart[];
  let speeches: SpeechInput[];
  if (Array.isArray(config.groupBy)) {
    const listed = expandEntries(config.speeches, baseDir, configFile, cwd, errors, inside);
    const parts = config.groupBy.map((p) => ({ part: p, inputs: expandEntries(p.speeches, baseDir, configFile, cwd, errors, inside) }));
    const inParts = new Map<string, SpeechInput>();
    for (const { inputs } of parts) for (const s of inputs) if (!inParts.has(s.file)) inParts.set(s.file, s);
    for (const s of listed) {
      const inPart = inParts.get(s.file);
      if (inPart) inPart.overrides = { ...s.overrides, ...inPart.overrides };
      else {
        const entry = config.speeches.find((e) => path.resolve(baseDir, e.pattern) === s.file) ?? config.speeches[0];
        errors.push({
          severity: 'error',
          code: 'E-CONFIG',
          file: configFile,
          line: entry?.line,
          message: `speech '${s.display}' is in 'speeches' but in no part of 'groupBy': add it to a part`,
        });
      }
    }
    speeches = [...inParts.values()];
    groupBy = parts.map(({ part, inputs }) => ({ title: part.title, files: inputs.map((s) => s.file) }));
  } else {
    speeches = expandEntries(config.speeches, baseDir, configFile, cwd, errors, inside);
    groupBy = config.groupBy;
  }

  const fromBase = (p: string) => path.resolve(baseDir, p);
  const matter = (list: { value: string; line: number }[], kind: string) =>
    list.map((l) => {
      const file = fromBase(l.value);
      checkFile(kind, file, l.value, here(l.line), errors);
      inside(file, l.value, l.line);
      return file;
    });
  const frontMatter = matter(config.frontMatter, 'frontMatter file');
  const backMatter = matter(config.backMatter, 'backMatter file');

  const themeValue = options.theme ? path.resolve(cwd, options.theme) : config.theme && fromBase(config.theme.value);
  if (config.theme && !options.theme) inside(themeValue!, config.theme.value, config.theme.line);
  if (themeValue) checkThemeDir(themeValue, options.theme ?? config.theme!.value, here(options.theme ? undefined : config.theme?.line), errors);
  const dictionary = options.dictionary ? path.resolve(cwd, options.dictionary) : config.dictionary && fromBase(config.dictionary.value);
  if (dictionary) {
    checkFile('dictionary', dictionary, options.dictionary ?? config.dictionary!.value, here(options.dictionary ? undefined : config.dictionary?.line), errors);
  }
  if (config.dictionary && !options.dictionary) inside(dictionary!, config.dictionary.value, config.dictionary.line);
  const cover = options.cover ? path.resolve(cwd, options.cover) : config.cover && fromBase(config.cover.value);
  if (config.cover && !options.cover) inside(cover!, config.cover.value, config.cover.line);
  if (cover && errors.length === 0) {
    checkCoverImage(cover, options.cover ?? config.cover!.value, options.cover ? undefined : here(config.cover!.line));
  }

  const book: BookPlan = {
    key: 'book',
    title: config.title,
    subtitle: config.subtitle,
    editor: config.editor,
    publisher: config.publisher,
    year: config.year,
    identifier: config.identifier,
    cover,
    credits: config.credits,
    order: config.order,
    groupBy,
    frontMatter,
    backMatter,
    speeches,
    sourceDateEpoch: sourceDateEpoch(env),
  };

  const slug = config.slug ?? (path.basename(baseDir).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'book');
  const outDir = path.resolve(cwd, options.out ?? path.join('output', slug));
  const editions: PlannedEdition[] = [];
  for (const e of selected) {
    let edition: Edition;
    try {
      edition = resolveEdition({ ...overrideFromOptions(e, options), theme: themeValue }, here(e.line));
    } catch (err) {
      if (!(err instanceof WenjiError)) throw err;
      errors.push({ severity: 'error', code: 'E-CONFIG', file: configFile, line: e.line, message: err.message });
      continue;
    }
    // An edition with its own speeches is its own book: not grouped, without the collection's
    // matter, credits or identifier; with one speech it is that speech's publication (its title).
    let ownBook: BookPlan | undefined;
    if (e.speeches) {
      const own = expandEntries(e.speeches, baseDir, configFile, cwd, errors, inside);
      ownBook = {
        ...book,
        key: `edition:${e.name}`,
        title: own.length === 1 ? undefined : book.title,
        subtitle: own.length === 1 ? undefined : book.subtitle,
        identifier: undefined,
        credits: undefined,
        groupBy: 'none',
        frontMatter: [],
        backMatter: [],
        speeches: own,
      };
    }
    editions.push({
      edition,
      book: ownBook ?? book,
      outputs: edition.formats.map((format) => ({ format, file: path.join(outDir, `${e.name}.${EXTENSIONS[format]}`) })),
      dictionary,
      reportFile: options.report && (edition.script === 'tw' || edition.script === 'hk') ? path.join(outDir, `${e.name}.report.txt`) : undefined,
      ...(config.ruby ? { ruby: config.ruby } : {}),
    });
  }
  if (errors.length) throw new ConfigError(errors);
  return { mode: 'book', configFile, outDir, cacheDir: cacheDirFor(cwd, env), editions, strict: options.strict };
}

/**
 * Sources on the command line → one publication per source, named
 * `<name>-<preset>-<layout>[-<script>].<ext>` in --out (default output/).
 */
export function planSingles(options: BuildOptions, cwd: string, env: NodeJS.ProcessEnv): BuildPlan {
  const errors: Diagnostic[] = [];
  const inputs: SpeechInput[] = [];
  for (const raw of options.inputs) {
    const before = errors.length;
    const files = isGlob(raw)
      ? expandEntry({ pattern: raw, line: 0, overrides: {} }, cwd, raw, errors)
      : [path.resolve(cwd, raw)];
    if (!isGlob(raw)) {
      const file = files[0]!;
      if (!existsSync(file)) errors.push({ severity: 'error', code: 'E-SOURCE', file: raw, message: 'no such file' });
      else if (!statSync(file).isFile()) errors.push({ severity: 'error', code: 'E-SOURCE', file: raw, message: 'is a directory, not a speech source' });
    }
    if (errors.length > before) continue;
    for (const file of files) {
      if (!inputs.some((i) => i.file === file)) inputs.push({ file, display: display(cwd, file), overrides: {} });
    }
  }
  // A glob error names the pattern as its "file"; drop the bogus line 0.
  for (const e of errors) if (e.line === 0) delete e.line;
  if (errors.length) throw new ConfigError(errors);

  const preset: Preset = options.preset ?? (options.formats?.length === 1 && options.formats[0] === 'epub' ? 'ebook' : 'handout');
  const fields: EditionFields = {
    name: '',
    preset,
    layout: options.layout,
    script: options.script,
    formats: options.formats,
    paper: options.paper,
    engine: options.engine,
    mark: options.mark,
    embedFonts: options.embedFonts,
    theme: options.theme && path.resolve(cwd, options.theme),
  };
  if (fields.theme) checkThemeDir(fields.theme, options.theme!, { file: options.theme! }, errors);
  const dictionary = options.dictionary && path.resolve(cwd, options.dictionary);
  if (dictionary) checkFile('dictionary', dictionary, options.dictionary!, { file: options.dictionary! }, errors);
  if (errors.length) throw new ConfigError(errors);
  const cover = options.cover && path.resolve(cwd, options.cover);
  if (cover) checkCoverImage(cover, options.cover!);

  const epoch = sourceDateEpoch(env);
  const base = resolveEdition(fields);
  base.name = [base.preset, base.layout, base.script === 'source' ? '' : base.script].filter(Boolean).join('-');
  const outDir = path.resolve(cwd, options.out ?? 'output');
  const seen = new Map<string, string>();
  const editions = inputs.map((input, i): PlannedEdition => {
    const name = path.basename(input.file).replace(/\.[^.]+$/, '');
    const stem = `${name}-${base.name}`;
    const other = seen.get(stem);
    if (other) throw new WenjiError(`${other} and ${input.display} would both be written to ${stem}.*: rename one or build them separately`);
    seen.set(stem, input.display);
    return {
      edition: { ...base },
      book: { key: `single:${i}`, cover, order: 'manual', groupBy: 'none', frontMatter: [], backMatter: [], speeches: [input], sourceDateEpoch: epoch },
      outputs: base.formats.map((format) => ({ format, file: path.join(outDir, `${stem}.${EXTENSIONS[format]}`) })),
      dictionary,
      reportFile: options.report && (base.script === 'tw' || base.script === 'hk') ? path.join(outDir, `${stem}.report.txt`) : undefined,
    };
  });
  return { mode: 'single', outDir, cacheDir: cacheDirFor(cwd, env), editions, strict: options.strict };
}
