/**
 * Which faces set which text, and their @font-face rules.
 *
 * The faces are the npm web-font packages' TrueType-outline WOFF2 slices (Chromium embeds
 * them in PDFs as subset CID TrueType; system Noto CJK is CFF and comes out as Type 3).
 * We reuse each package's own CSS (family, weight, unicode-range per slice) and point its
 * URLs at the files in node_modules. Only slices holding a character of the document are
 * declared, which keeps the HTML small and lets the preview copy just those files.
 *
 * There is deliberately no generic `serif` in the stacks: a missing glyph must show up as a
 * missing glyph in review, not as a system font that cannot be embedded properly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WenjiError } from '../model/diagnostics.ts';
import { PACKAGE_ROOT } from './templates.ts';

/** A regional face set: Song/Ming (serif), Hei (sans), Kai. */
export type FaceSet = 'SC' | 'TC' | 'HK';

interface FontSource {
  family: string;
  /** npm package and its CSS file for each weight. */
  pkg: string;
  cssByWeight: Record<number, string>;
}

const fontsource = (family: string, pkg: string, weights: number[]): FontSource => ({
  family,
  pkg: `@fontsource/${pkg}`,
  cssByWeight: Object.fromEntries(weights.map((w) => [w, `${w}.css`])),
});

// Weights the stylesheets use: Song 400 and 700 (titles, 小标宋-like), Hei and Kai 400
// (黑体 and 楷体 are set at their regular weight in Chinese print).
export const FONT_SOURCES = {
  serifSC: fontsource('Noto Serif SC', 'noto-serif-sc', [400, 700]),
  serifTC: fontsource('Noto Serif TC', 'noto-serif-tc', [400, 700]),
  serifHK: fontsource('Noto Serif HK', 'noto-serif-hk', [400, 700]),
  sansSC: fontsource('Noto Sans SC', 'noto-sans-sc', [400]),
  sansTC: fontsource('Noto Sans TC', 'noto-sans-tc', [400]),
  // @fontsource/lxgw-wenkai ships only a Latin subset; this package has the full CJK face.
  kai: { family: 'LXGW WenKai', pkg: 'lxgw-wenkai-webfont', cssByWeight: { 400: 'lxgwwenkai-regular.css' } },
} satisfies Record<string, FontSource>;

type SourceKey = keyof typeof FONT_SOURCES;

/**
 * Each region's faces first, then the other regions' as fallbacks: the web-font packages
 * leave rare characters out of one region's slices that another region's carry
 * (觫 is only in SC, 鮒 only in TC/HK). Only slices with characters of the document are
 * declared, and a browser loads a fallback slice only for a character the first face lacks.
 */
const FACE_SETS: Record<FaceSet, { serif: SourceKey[]; sans: SourceKey[]; kai: SourceKey[] }> = {
  SC: { serif: ['serifSC', 'serifTC'], sans: ['sansSC', 'sansTC'], kai: ['kai'] },
  TC: { serif: ['serifTC', 'serifHK', 'serifSC'], sans: ['sansTC', 'sansSC'], kai: ['kai'] },
  // There is no Noto Sans HK package; TC's Hei glyphs are the closest.
  HK: { serif: ['serifHK', 'serifTC', 'serifSC'], sans: ['sansTC', 'sansSC'], kai: ['kai'] },
};

/** The face set for a BCP 47 tag: zh-Hant-HK → HK, other zh-Hant → TC, else SC. */
export function faceSetFor(langTag: string): FaceSet {
  if (/^zh-Hant-HK$|^zh-HK$/i.test(langTag)) return 'HK';
  if (/^zh-Hant|^zh-TW$/i.test(langTag)) return 'TC';
  return 'SC';
}

const quote = (family: string) => `'${family}'`;

/** CSS custom properties --font-serif / --font-sans / --font-kai for one face set. */
export function fontVariables(set: FaceSet): string {
  const f = FACE_SETS[set];
  const stack = (keys: SourceKey[]) => keys.map((k) => quote(FONT_SOURCES[k].family)).join(', ');
  const serif = stack(f.serif);
  // Hei and Kai fall back to the Song faces of the same region (named, embeddable faces).
  return `--font-serif: ${serif}; --font-sans: ${stack(f.sans)}, ${serif}; --font-kai: ${stack(f.kai)}, ${serif};`;
}

/** The families in a face set's stacks, for margin boxes (which do not see custom properties). */
export function serifStack(set: FaceSet): string {
  return FACE_SETS[set].serif.map((k) => quote(FONT_SOURCES[k].family)).join(', ');
}

// ---------------------------------------------------------------- @font-face slices

export interface FontSlice {
  family: string;
  weight: number;
  /** Absolute path of the WOFF2 file. */
  file: string;
  /** [from, to] code point ranges; empty means every character. */
  ranges: [number, number][];
}

const require = createRequire(import.meta.url);

function packageDir(pkg: string): string {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    const dir = path.join(PACKAGE_ROOT, 'node_modules', pkg);
    if (existsSync(dir)) return dir;
    throw new WenjiError(`font package ${pkg} is not installed; run \`npm install\` in ${PACKAGE_ROOT}`);
  }
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

/** The slices a package's CSS declares for one weight (WOFF2 sources only). */
export function fontSlices(key: SourceKey, weight: number): FontSlice[] {
  const src = FONT_SOURCES[key] as FontSource;
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
    slices.push({ family: src.family, weight, file: path.resolve(dir, url), ranges: range ? parseUnicodeRange(range) : [] });
  }
  sliceCache.set(cacheKey, slices);
  return slices;
}

const coverageCache = new Map<string, Map<number, FontSlice>>();

/** Code point → slice, built once per face and weight (a few tens of thousands of entries). */
function coverage(key: SourceKey, weight: number): Map<number, FontSlice> {
  const cacheKey = `${key}/${weight}`;
  let map = coverageCache.get(cacheKey);
  if (!map) {
    map = new Map();
    for (const slice of fontSlices(key, weight)) {
      for (const [a, b] of slice.ranges) for (let cp = a; cp <= b; cp++) if (!map.has(cp)) map.set(cp, slice);
    }
    coverageCache.set(cacheKey, map);
  }
  return map;
}

export function codePointsOf(text: string): Set<number> {
  const set = new Set<number>();
  for (const ch of text) set.add(ch.codePointAt(0)!);
  return set;
}

/**
 * The slices the given face sets need for `text` (all slices when text is undefined).
 * A fallback face contributes only the characters the faces before it in its stack lack.
 */
export function slicesFor(sets: Iterable<FaceSet>, text?: string): FontSlice[] {
  const chains: SourceKey[][] = [];
  for (const s of sets) {
    const f = FACE_SETS[s];
    chains.push(f.serif, [...f.sans, ...f.serif], [...f.kai, ...f.serif]);
  }
  const used = text === undefined ? undefined : codePointsOf(text);
  const hit = new Set<FontSlice>();
  for (const chain of chains) {
    for (const weight of [400, 700]) {
      const remaining = used && new Set(used);
      for (const key of chain) {
        const all = fontSlices(key, weight);
        if (!remaining) {
          for (const s of all) hit.add(s);
          continue;
        }
        const map = coverage(key, weight);
        for (const s of all) if (s.ranges.length === 0) hit.add(s);
        for (const cp of remaining) {
          const slice = map.get(cp);
          if (slice) {
            hit.add(slice);
            remaining.delete(cp);
          }
        }
      }
    }
  }
  // Package order, so the output does not depend on the order of the text.
  const out: FontSlice[] = [];
  for (const key of Object.keys(FONT_SOURCES) as SourceKey[]) {
    for (const weight of Object.keys(FONT_SOURCES[key].cssByWeight).map(Number)) {
      for (const s of fontSlices(key, weight)) if (hit.has(s)) out.push(s);
    }
  }
  return out;
}

function formatRanges(ranges: [number, number][]): string {
  return ranges.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(',');
}

/**
 * @font-face rules. `url` maps a slice file to the URL written into the CSS (file:// by
 * default; the HTML preview rewrites to a relative path of its copy).
 */
export function fontFaceCss(slices: FontSlice[], url: (file: string) => string = (f) => pathToFileURL(f).href): string {
  return slices
    .map(
      (s) =>
        `@font-face{font-family:'${s.family}';font-style:normal;font-weight:${s.weight};font-display:block;` +
        `src:url("${url(s.file)}") format("woff2");${s.ranges.length ? `unicode-range:${formatRanges(s.ranges)};` : ''}}`,
    )
    .join('\n');
}

/** Directories the page must be allowed to load fonts from. */
export function fontDirs(sets: Iterable<FaceSet>): string[] {
  const dirs = new Set<string>();
  for (const s of sets) {
    const f = FACE_SETS[s];
    for (const k of [...f.serif, ...f.sans, ...f.kai]) dirs.add(path.join(packageDir(FONT_SOURCES[k].pkg), 'files'));
  }
  return [...dirs];
}
