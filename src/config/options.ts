/**
 * The `wenji build` command line: parsed into BuildOptions, nothing resolved yet.
 * Unknown flags and unknown values are errors that list what is valid.
 */
import {
  ENGINES,
  FORMATS,
  LAYOUTS,
  PAPERS,
  PRESETS,
  SCRIPTS,
  type Engine,
  type Format,
  type Layout,
  type Paper,
  type Preset,
  type Script,
} from '../model/book.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { closest } from './schema.ts';

export interface BuildOptions {
  inputs: string[];
  preset?: Preset;
  layout?: Layout;
  paper?: Paper;
  formats?: Format[];
  engine?: Engine;
  script?: Script;
  report: boolean;
  /** Characters no bundled face has fail the output instead of being warned about. */
  strict?: boolean;
  dictionary?: string;
  cover?: string;
  embedFonts?: boolean;
  theme?: string;
  mark?: string;
  out?: string;
  editions: string[];
  /** A book.yaml may name files outside its own folder. */
  allowOutsideFiles?: boolean;
  help: boolean;
}

export const BUILD_HELP = `Usage: wenji build INPUT... [options]
       wenji build path/to/book.yaml [--edition NAME...] [options]

INPUT is either a book.yaml (or a folder holding one): a collection, whose editions are
built into output/<book>/<edition>.<ext>, <book> being the book.yaml's folder name;
or speech sources (.txt scraped text, .html, .md with front matter, .docx): each is built
on its own into <out>/<name>-<preset>-<layout>[-<script>].<ext>, <name> being its file name.

Options:
  --preset handout|book|ebook|reading
                                handout (A4, GB/T 9704 style), book (A5, title page, contents),
                                ebook, reading (A4 in large type with pinyin over rare
                                characters and uncommon readings, for the lectern);
                                default handout (ebook when only --format epub is asked)
  --layout horizontal|vertical  横排 or 竖排; default horizontal
  --paper A4|A5|B5|32k|16k      page size; handouts are A4 only; default A4 for reading copies, A5 otherwise
  --format pdf|epub|html        output format; repeat or give a comma list (--format pdf,epub);
                                default pdf (epub for the ebook preset); html is for preview
  --engine pagedjs|chromium     PDF engine; default pagedjs for horizontal, chromium for
                                vertical (Paged.js loses text in vertical-rl, so it is refused)
  --script hans|tw|hk           convert to simplified (hans), Taiwan (tw) or Hong Kong (hk)
                                traditional characters; default: each source's own script
  --report                      with tw/hk: write the proofreading report of characters that
                                have more than one traditional form (<output>.report.txt)
  --dictionary FILE             user dictionary for traditional editions (protect / replace terms)
  --cover IMAGE                 EPUB cover image (PNG or JPEG); default: a generated cover
  --no-embed-fonts              EPUB: do not embed subset fonts
  --strict                      a character no bundled font has is an error, not a warning
  --theme DIR                   folder with templates/ and styles/ that override ours file by file
  --mark TEXT                   handout mark in the top corner, e.g. "内部资料 注意保存"
  --out DIR                     output folder; default output/ (output/<book>/ for a book.yaml)
  --edition NAME                with a book.yaml: build only this edition (repeat, or a comma list)
  --allow-outside-files         let a book.yaml name files outside its folder (../x, /abs/path,
                                or a symbolic link leading out); refused without it
  -h, --help                    show this help

With a book.yaml, --preset, --layout, --paper, --format, --engine, --script, --mark, --cover,
--theme, --dictionary and --no-embed-fonts override the book.yaml for every edition built.

Progress goes to stderr; the paths written and a summary table go to stdout. The exit code
is non-zero if any edition failed; the others are still built.
Sources are read once per build and cached by content in .cache/wenji/ (WENJI_CACHE_DIR).
`;

const VALUE_FLAGS = [
  'preset',
  'layout',
  'paper',
  'format',
  'engine',
  'script',
  'dictionary',
  'cover',
  'theme',
  'mark',
  'out',
  'edition',
] as const;
const SWITCHES = ['report', 'no-embed-fonts', 'allow-outside-files', 'strict', 'help'] as const;
const ALL_FLAGS = [...VALUE_FLAGS, ...SWITCHES].map((f) => `--${f}`);

function pick<T extends string>(flag: string, value: string, valid: readonly T[]): T {
  const hit = valid.find((v) => v.toLowerCase() === value.toLowerCase());
  if (hit) return hit;
  const hint = closest(value, valid);
  throw new WenjiError(
    `--${flag} ${value}: unknown ${flag}${hint ? ` (did you mean '${hint}'?)` : ''}. Valid values: ${valid.join(', ')}`,
  );
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Parses `wenji build` arguments. Throws WenjiError on an unknown flag or value. */
export function parseBuildArgs(argv: readonly string[]): BuildOptions {
  const o: BuildOptions = { inputs: [], report: false, editions: [], help: false };
  const formats: Format[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      o.inputs.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      o.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') {
        throw new WenjiError(`unknown option '${arg}'. Options: ${ALL_FLAGS.join(' ')} (see wenji build --help)`);
      }
      o.inputs.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if ((SWITCHES as readonly string[]).includes(name)) {
      if (eq >= 0) throw new WenjiError(`--${name} takes no value`);
      if (name === 'report') o.report = true;
      else if (name === 'no-embed-fonts') o.embedFonts = false;
      else if (name === 'strict') o.strict = true;
      else if (name === 'allow-outside-files') o.allowOutsideFiles = true;
      else o.help = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) {
      const hint = closest(name, [...VALUE_FLAGS, ...SWITCHES]);
      throw new WenjiError(
        `unknown option '--${name}'${hint ? ` (did you mean '--${hint}'?)` : ''}. Options: ${ALL_FLAGS.join(' ')}`,
      );
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new WenjiError(`--${name} needs a value`);
      i++;
    }
    if (value.trim() === '') throw new WenjiError(`--${name} needs a value`);
    const flag = name as (typeof VALUE_FLAGS)[number];
    switch (flag) {
      case 'preset':
        o.preset = pick(name, value, PRESETS);
        break;
      case 'layout':
        o.layout = pick(name, value, LAYOUTS);
        break;
      case 'paper':
        o.paper = pick(name, value, PAPERS);
        break;
      case 'format':
        for (const f of list(value)) {
          const fmt = pick(name, f, FORMATS);
          if (!formats.includes(fmt)) formats.push(fmt);
        }
        break;
      case 'engine':
        o.engine = pick(name, value, ENGINES);
        break;
      case 'script':
        o.script = pick(
          name,
          value,
          SCRIPTS.filter((s) => s !== 'source'),
        );
        break;
      case 'edition':
        o.editions.push(...list(value));
        break;
      case 'dictionary':
      case 'cover':
      case 'theme':
      case 'mark':
      case 'out':
        o[flag] = value;
        break;
    }
  }
  if (formats.length) o.formats = formats;
  return o;
}
