/**
 * Which faces set which text, and their @font-face rules.
 *
 * The Noto faces are whole TrueType files (Google Fonts' static fonts, via the
 * @expo-google-fonts packages), one per face and weight. They used to be web-font packages
 * of ~100 unicode-range WOFF2 slices per face, but Chromium shapes text against the whole
 * fallback chain of faces: with ~130 slices per family a 950-page vertical book took ~4 s
 * of layout, with one file per face 0.7 s. Chromium embeds either as subset CID TrueType
 * (system Noto CJK is CFF and comes out as Type 3). LXGW WenKai (Kai) is still the sliced
 * web font, as no package ships it whole; its package's own CSS (unicode-range per slice)
 * is reused and only the slices holding a character of the document are declared.
 *
 * There is deliberately no generic `serif` in the stacks: a missing glyph must show up as a
 * missing glyph in review, not as a system font that cannot be embedded properly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { htmlLangTag, type Book, type Edition } from '../model/book.ts';
import { WenjiError } from '../model/diagnostics.ts';
import type { Speech } from '../model/speech.ts';
import { fontCoverage } from './cmap.ts';
import { PACKAGE_ROOT } from './templates.ts';

/** A regional face set: Song/Ming (serif), Hei (sans), Kai. */
export type FaceSet = 'SC' | 'TC' | 'HK';

/** Where a face comes from: one whole font file per weight, or a sliced web-font package. */
type FontSource =
  /**
   * A whole face: from an npm package, or (`dir`) from a Debian font package's known folder,
   * read by path like any other file (never through fontconfig). An `optional` face that is
   * not installed is left out of every chain; what only it covers is then reported missing.
   */
  | { kind: 'whole'; family: string; pkg: string; dir?: string; optional?: boolean; fileByWeight: Record<number, string> }
  /** A face shipped in wenji's own styles/fonts/ (none on npm has it). */
  | { kind: 'bundled'; family: string; fileByWeight: Record<number, string> }
  | { kind: 'sliced'; family: string; pkg: string; cssByWeight: Record<number, string> };

/** Where Debian's fonts-hanazono puts its faces (.ci/install installs it). */
const HANAZONO_DIR = '/usr/share/fonts/truetype/hanazono';

const WEIGHT_NAMES: Record<number, string> = { 400: '400Regular', 700: '700Bold', 900: '900Black' };

/** A Google Fonts face from its @expo-google-fonts package: <weight>/<Name>_<weight>.ttf. */
const googleFont = (family: string, weights: number[]): FontSource => {
  const pkgName = family.toLowerCase().replace(/ /g, '-');
  const fileName = family.replace(/ /g, '');
  return {
    kind: 'whole',
    family,
    pkg: `@expo-google-fonts/${pkgName}`,
    fileByWeight: Object.fromEntries(weights.map((w) => [w, `${WEIGHT_NAMES[w]}/${fileName}_${WEIGHT_NAMES[w]}.ttf`])),
  };
};

// Weights the stylesheets use: Song 400 and 700 (titles), SC Song 900 (the handout title: the
// heaviest open Song stands in for 小标宋), Hei, Kai and Fang 400 (黑体, 楷体 and 仿宋 are set at
// their regular weight in Chinese print).
export const FONT_SOURCES = {
  serifSC: googleFont('Noto Serif SC', [400, 700, 900]),
  serifTC: googleFont('Noto Serif TC', [400, 700]),
  serifHK: googleFont('Noto Serif HK', [400, 700]),
  sansSC: googleFont('Noto Sans SC', [400]),
  sansTC: googleFont('Noto Sans TC', [400]),
  // The full CJK face, only as web-font slices (no package ships it whole; the other
  // lxgw-wenkai web-font package has only Latin).
  kai: { kind: 'sliced', family: 'LXGW WenKai', pkg: 'lxgw-wenkai-webfont', cssByWeight: { 400: 'lxgwwenkai-regular.css' } },
  // 仿宋 for the GB/T 9704 handout body: FandolFang converted to TrueType outlines (styles/fonts/README.md).
  fang: { kind: 'bundled', family: 'FandolFang', fileByWeight: { 400: 'FandolFang-Regular.ttf' } },
  // Fallbacks after every region's faces (FALLBACK_FACES). Noto Emoji is monochrome TrueType
  // (embeds as CID TrueType, where a colour emoji face would come out as Type 3).
  emoji: googleFont('Noto Emoji', [400]),
  // Hanazono Mincho (Debian fonts-hanazono; free, OFL or its own licence), TrueType: A has the
  // BMP and Extension A, B the supplementary planes (Extensions B–F) the Noto faces lack.
  hanaMinA: { kind: 'whole', family: 'HanaMinA', pkg: 'fonts-hanazono', dir: HANAZONO_DIR, optional: true, fileByWeight: { 400: 'HanaMinA.ttf' } },
  hanaMinB: { kind: 'whole', family: 'HanaMinB', pkg: 'fonts-hanazono', dir: HANAZONO_DIR, optional: true, fileByWeight: { 400: 'HanaMinB.ttf' } },
} satisfies Record<string, FontSource>;

export type FontSourceKey = keyof typeof FONT_SOURCES;

/** Faces for what no region's face has: emoji, then rare ideographs. Song style, weight 400. */
const FALLBACK_FACES: readonly FontSourceKey[] = ['emoji', 'hanaMinA', 'hanaMinB'];

/** The fallbacks that are installed (an optional Debian face may be missing). */
function fallbackFaces(): FontSourceKey[] {
  return FALLBACK_FACES.filter(isAvailable);
}

/**
 * Each region's faces first, then the other regions' as fallbacks: some characters exist
 * only in another region's font (TC and HK lack most simplified forms such as 们; SC lacks
 * ~1,700 Extension B characters and compatibility ideographs TC has). The first face of a
 * chain is declared whole; a later one only for the characters of the document the faces
 * before it lack, with a unicode-range of exactly those.
 */
const FACE_SETS: Record<FaceSet, { serif: FontSourceKey[]; sans: FontSourceKey[]; kai: FontSourceKey[] }> = {
  SC: { serif: ['serifSC', 'serifTC'], sans: ['sansSC', 'sansTC'], kai: ['kai'] },
  TC: { serif: ['serifTC', 'serifHK', 'serifSC'], sans: ['sansTC', 'sansSC'], kai: ['kai'] },
  // There is no Noto Sans HK package; TC's Hei glyphs are the closest.
  HK: { serif: ['serifHK', 'serifTC', 'serifSC'], sans: ['sansTC', 'sansSC'], kai: ['kai'] },
};

/**
 * 仿宋 (--font-fang): FandolFang has the GB 2312 simplified set only, so each region's Song
 * sets what it lacks. Only editions that ask for it (the handout) declare it.
 */
const FANG: FontSourceKey[] = ['fang'];

/** The face set a speech is printed with: its own language, or the edition's script. */
export function speechFaceSet(book: Book, edition: Edition, speech: Speech): FaceSet {
  return faceSetFor(edition.script === 'source' ? speech.lang : htmlLangTag(book, edition));
}

/** The face set for a BCP 47 tag: zh-Hant-HK → HK, other zh-Hant → TC, else SC. */
export function faceSetFor(langTag: string): FaceSet {
  if (/^zh-Hant-HK$|^zh-HK$/i.test(langTag)) return 'HK';
  if (/^zh-Hant|^zh-TW$/i.test(langTag)) return 'TC';
  return 'SC';
}

const quote = (family: string) => `'${family}'`;

/** CSS custom properties --font-serif / --font-sans / --font-kai / --font-fang for one face set. */
export function fontVariables(set: FaceSet): string {
  const f = FACE_SETS[set];
  const stack = (keys: FontSourceKey[]) => keys.map((k) => quote(FONT_SOURCES[k].family)).join(', ');
  const serif = stack(serifChain(set));
  // Hei, Kai and Fang fall back to the Song faces of the same region (named, embeddable faces).
  return `--font-serif: ${serif}; --font-sans: ${stack(f.sans)}, ${serif}; --font-kai: ${stack(f.kai)}, ${serif}; --font-fang: ${stack(FANG)}, ${serif};`;
}

/** The families in a face set's stacks, for margin boxes (which do not see custom properties). */
export function serifStack(set: FaceSet): string {
  return serifChain(set).map((k) => quote(FONT_SOURCES[k].family)).join(', ');
}

/** A region's Song faces, then the fallbacks: the end of every stack. */
export function serifChain(set: FaceSet): FontSourceKey[] {
  return [...FACE_SETS[set].serif, ...fallbackFaces()];
}

// ---------------------------------------------------------------- @font-face rules

/** One @font-face rule: a family and weight from one file (a whole face or a web-font slice). */
export interface FontSlice {
  family: string;
  weight: number;
  /** Absolute path of the font file. */
  file: string;
  /** 'whole': the face's complete TrueType file; 'slice': one WOFF2 piece of a web font. */
  kind: 'whole' | 'slice';
  /** [from, to] code point ranges the rule declares; empty means every character of the file. */
  ranges: [number, number][];
}

const require = createRequire(import.meta.url);

/** The folder a face's files are in. */
function sourceDir(src: FontSource): string {
  if (src.kind === 'bundled') return BUNDLED_FONT_DIR;
  return src.kind === 'whole' && src.dir ? src.dir : packageDir(src.pkg);
}

/** Whether a face can be used: always, unless it is optional and not installed. */
export function isAvailable(key: FontSourceKey): boolean {
  const src: FontSource = FONT_SOURCES[key];
  if (src.kind !== 'whole' || !src.optional) return true;
  return Object.values(src.fileByWeight).every((name) => existsSync(path.join(sourceDir(src), name)));
}

function packageDir(pkg: string): string {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    const dir = path.join(PACKAGE_ROOT, 'node_modules', pkg);
    if (existsSync(dir)) return dir;
    throw new WenjiError(`font package ${pkg} is not installed; run \`npm install\` in ${PACKAGE_ROOT}`);
  }
}

/** Weights a source has a face for. */
function weightsOf(key: FontSourceKey): number[] {
  const src: FontSource = FONT_SOURCES[key];
  return Object.keys(src.kind === 'sliced' ? src.cssByWeight : src.fileByWeight).map(Number);
}

/** The directory of wenji's bundled faces. */
const BUNDLED_FONT_DIR = path.join(PACKAGE_ROOT, 'styles', 'fonts');

/** The font file of a whole-file face at one weight. */
export function wholeFontFile(key: FontSourceKey, weight: number): string {
  const src: FontSource = FONT_SOURCES[key];
  const name = src.kind === 'sliced' ? undefined : src.fileByWeight[weight];
  if (!name) throw new Error(`${key} has no whole font file for weight ${weight}`);
  const file = path.join(sourceDir(src), name);
  if (!existsSync(file)) {
    if (src.kind === 'whole' && src.dir) throw new WenjiError(`font file ${file} is missing; install the Debian package ${src.pkg} (\`apt-get install ${src.pkg}\`)`);
    const from = src.kind === 'bundled' ? `${BUNDLED_FONT_DIR} (restore it from the repository)` : `${src.pkg}; reinstall it with \`npm install\` in ${PACKAGE_ROOT}`;
    throw new WenjiError(`font file ${name} is missing from ${from}`);
  }
  return file;
}

export function parseUnicodeRange(value: string): [number, number][] {
  return value
    .split(',')
    .map((r) => r.trim().replace(/^U\+/i, ''))
    .filter(Boolean)
    .map((r): [number, number] => {
      if (r.includes('?')) return [parseInt(r.replace(/\?/g, '0'), 16), parseInt(r.replace(/\?/g, 'f'), 16)];
      const [a, b] = r.split('-');
      const from = parseInt(a!, 16);
      return [from, b ? parseInt(b, 16) : from];
    });
}

const sliceCache = new Map<string, FontSlice[]>();

/** The slices a web-font package's CSS declares for one weight (WOFF2 sources only). */
export function webFontSlices(key: FontSourceKey, weight: number): FontSlice[] {
  const src: FontSource = FONT_SOURCES[key];
  if (src.kind !== 'sliced') return [];
  const cssName = src.cssByWeight[weight];
  if (!cssName) return [];
  const cacheKey = `${key}/${weight}`;
  const cached = sliceCache.get(cacheKey);
  if (cached) return cached;
  const dir = packageDir(src.pkg);
  const css = readFileSync(path.join(dir, cssName), 'utf8');
  const slices: FontSlice[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const url = /url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/.exec(block)?.[1];
    if (!url) continue;
    const range = /unicode-range:\s*([^;}]+)/.exec(block)?.[1];
    slices.push({ family: src.family, weight, file: path.resolve(dir, url), kind: 'slice', ranges: range ? parseUnicodeRange(range) : [] });
  }
  sliceCache.set(cacheKey, slices);
  return slices;
}

const sliceMapCache = new Map<string, Map<number, FontSlice>>();

/** Code point → slice of a web font, built once per face and weight. */
function sliceByCodePoint(key: FontSourceKey, weight: number): Map<number, FontSlice> {
  const cacheKey = `${key}/${weight}`;
  let map = sliceMapCache.get(cacheKey);
  if (!map) {
    map = new Map();
    for (const slice of webFontSlices(key, weight)) {
      for (const [a, b] of slice.ranges) for (let cp = a; cp <= b; cp++) if (!map.has(cp)) map.set(cp, slice);
    }
    sliceMapCache.set(cacheKey, map);
  }
  return map;
}

/** The characters a face has: the whole file's cmap, or the union of a web font's slice ranges. */
function coverageOf(key: FontSourceKey, weight: number): { has(cp: number): boolean } {
  return FONT_SOURCES[key].kind === 'sliced' ? sliceByCodePoint(key, weight) : fontCoverage(wholeFontFile(key, weight));
}

/**
 * The characters of `text` the 仿宋 face lacks (the region's Song sets them), in order of
 * first appearance; spaces and control characters are not counted.
 */
export function charactersWithoutFang(text: string): string[] {
  const fang = coverageOf('fang', 400);
  const missing = new Set<string>();
  for (const ch of text) if (!/[\s\p{Cc}]/u.test(ch) && !fang.has(ch.codePointAt(0)!)) missing.add(ch);
  return [...missing];
}

export function codePointsOf(text: string): Set<number> {
  const set = new Set<number>();
  for (const ch of text) set.add(ch.codePointAt(0)!);
  return set;
}

/**
 * Splits characters along a fallback chain: each face gets those it has that no face before
 * it has (what a browser sets in it); characters no face has are left out.
 */
export function splitByCoverage(codePoints: Iterable<number>, faces: readonly { has(cp: number): boolean }[]): number[][] {
  const shares = faces.map((): number[] => []);
  for (const cp of codePoints) {
    const i = faces.findIndex((f) => f.has(cp));
    if (i >= 0) shares[i]!.push(cp);
  }
  return shares.map((s) => s.sort((a, b) => a - b));
}

/** Sorted code points as [from, to] runs. */
export function codePointRuns(sorted: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const cp of sorted) {
    const last = runs[runs.length - 1];
    if (last && cp === last[1] + 1) last[1] = cp;
    else runs.push([cp, cp]);
  }
  return runs;
}

/** CSS unicode-range value: U+4e00-4e02,U+4e0a */
export function formatUnicodeRange(ranges: readonly [number, number][]): string {
  return ranges.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(',');
}

/** What faces an edition uses beyond Song, Hei and Kai. */
export interface FaceOptions {
  /** The handout's faces besides: 仿宋 for the body, the Black Song for the title. */
  handout?: boolean;
  /**
   * Vertical text: FandolFang has no vertical forms (no `vert` feature), so punctuation and
   * other characters that turn or move in vertical text come from the Song face.
   */
  vertical?: boolean;
}

/** Punctuation, brackets and full-width forms, which have vertical alternates. */
const VERTICAL_FORMS = /[\u2010-\u2027\u3000-\u303f\ufe30-\ufe4f\uff00-\uff65]/u;

/** The font chains the stacks of the given face sets name: serif; sans then serif; Kai then serif (Fang then serif). */
function fallbackChains(sets: Iterable<FaceSet>, options: FaceOptions = {}): FontSourceKey[][] {
  const chains: FontSourceKey[][] = [];
  for (const s of sets) {
    const f = FACE_SETS[s];
    const serif = serifChain(s);
    chains.push(serif, [...f.sans, ...serif], [...f.kai, ...serif]);
    if (options.handout) chains.push([...FANG, ...serif]);
  }
  return chains;
}

/**
 * The @font-face rules the given face sets need for `text` (every face whole and every
 * slice when text is undefined). The first face of each chain is declared whole; a later
 * whole face only for the characters of the text the faces before it lack; a web font by
 * the slices holding characters it sets.
 */
export function slicesFor(sets: Iterable<FaceSet>, text?: string, options: FaceOptions = {}): FontSlice[] {
  // Control characters draw nothing (the renderer's NUL placeholders must not pull in a face that maps NUL).
  const used = text === undefined ? undefined : new Set([...codePointsOf(text)].filter((cp) => cp >= 0x20));
  /** `${key}/${weight}` → 'all', or the characters a fallback face must set. */
  const wholeNeeds = new Map<string, 'all' | Set<number>>();
  const hitSlices = new Set<FontSlice>();
  const needWhole = (key: FontSourceKey, weight: number, chars: 'all' | number[]) => {
    const id = `${key}/${weight}`;
    const had = wholeNeeds.get(id);
    if (had === 'all') return;
    if (chars === 'all') wholeNeeds.set(id, 'all');
    else if (chars.length) wholeNeeds.set(id, new Set([...(had ?? []), ...chars]));
  };
  for (const chain of fallbackChains(sets, options)) {
    for (const weight of options.handout ? [400, 700, 900] : [400, 700]) {
      const faces = chain.filter((k) => weightsOf(k).includes(weight));
      const coverage = (k: FontSourceKey) => {
        const c = coverageOf(k, weight);
        if (k !== 'fang' || !options.vertical) return c;
        return { has: (cp: number) => c.has(cp) && !VERTICAL_FORMS.test(String.fromCodePoint(cp)) };
      };
      const shares = used ? splitByCoverage(used, faces.map(coverage)) : undefined;
      faces.forEach((key, i) => {
        if (FONT_SOURCES[key].kind !== 'sliced') {
          const whole = !shares || (i === 0 && !(key === 'fang' && options.vertical));
          needWhole(key, weight, whole ? 'all' : shares[i]!);
          return;
        }
        const slices = webFontSlices(key, weight);
        if (!shares) for (const s of slices) hitSlices.add(s);
        else {
          for (const s of slices) if (s.ranges.length === 0) hitSlices.add(s);
          const map = sliceByCodePoint(key, weight);
          for (const cp of shares[i]!) hitSlices.add(map.get(cp)!);
        }
      });
    }
  }
  // Source order, so the output does not depend on the order of the text.
  const out: FontSlice[] = [];
  for (const key of Object.keys(FONT_SOURCES) as FontSourceKey[]) {
    const src: FontSource = FONT_SOURCES[key];
    for (const weight of weightsOf(key)) {
      if (src.kind === 'sliced') {
        for (const s of webFontSlices(key, weight)) if (hitSlices.has(s)) out.push(s);
        continue;
      }
      const need = wholeNeeds.get(`${key}/${weight}`);
      if (!need) continue;
      const ranges = need === 'all' ? [] : codePointRuns([...need].sort((a, b) => a - b));
      out.push({ family: src.family, weight, file: wholeFontFile(key, weight), kind: 'whole', ranges });
    }
  }
  return out;
}

const FORMATS: Record<FontSlice['kind'], string> = { whole: 'truetype', slice: 'woff2' };

/**
 * Line metrics every face gets: the CJK ideographic em box (0.88 above the baseline, 0.12
 * below, no line gap). With each face's own metrics, a line that mixes faces (a Hei lead, a
 * Song fallback character, Latin) grows taller than the line height, and the lines of a page
 * fall off their grid.
 */
const EM_BOX_METRICS = 'ascent-override:88%;descent-override:12%;line-gap-override:0%;';

/**
 * @font-face rules. `url` maps a font file to the URL written into the CSS (file:// by
 * default; the HTML preview rewrites to a relative path of its copy).
 */
export function fontFaceCss(slices: FontSlice[], url: (file: string) => string = (f) => pathToFileURL(f).href): string {
  return slices
    .map(
      (s) =>
        `@font-face{font-family:'${s.family}';font-style:normal;font-weight:${s.weight};font-display:block;${EM_BOX_METRICS}` +
        `src:url("${url(s.file)}") format("${FORMATS[s.kind]}");${s.ranges.length ? `unicode-range:${formatUnicodeRange(s.ranges)};` : ''}}`,
    )
    .join('\n');
}

/** Directories the page must be allowed to load fonts from. */
export function fontDirs(sets: Iterable<FaceSet>, options: FaceOptions = {}): string[] {
  const dirs = new Set<string>();
  for (const s of sets) {
    const f = FACE_SETS[s];
    for (const key of [...serifChain(s), ...f.sans, ...f.kai, ...(options.handout ? FANG : [])]) {
      const src: FontSource = FONT_SOURCES[key];
      if (src.kind === 'sliced') dirs.add(path.join(packageDir(src.pkg), 'files'));
      else for (const weight of weightsOf(key)) dirs.add(path.dirname(wholeFontFile(key, weight)));
    }
  }
  return [...dirs];
}

/**
 * The Song faces of a face set at one weight as whole files, the region's own first, then the
 * fallbacks (at their one weight).
 */
export function serifFontFiles(set: FaceSet, weight: number): { key: FontSourceKey; file: string }[] {
  return serifChain(set).map((key) => ({ key, file: wholeFontFile(key, weightsOf(key).includes(weight) ? weight : 400) }));
}
