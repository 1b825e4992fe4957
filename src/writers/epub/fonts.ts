/**
 * Embedded fonts: the body face (Noto Serif, regular) and the heading face (Noto Serif,
 * bold) subset to exactly the characters the book uses.
 *
 * @fontsource ships each face as ~100 unicode-range slices, not as one file, and no merge
 * tool exists in our stack. So every slice the book touches is subset on its own and
 * declared with its own @font-face under one family name, each with a unicode-range that
 * lists exactly the characters it holds (as the web fonts themselves do).
 *
 * Output is plain OpenType (TrueType outlines, .ttf), compressed by the EPUB's own zip.
 * Measured on this machine for the 84 slices nine speeches touch: 0.26 s to TTF, 0.64 s to
 * WOFF, 3.8 s to WOFF2 (the Brotli encoder in WebAssembly dominates). In the zip, TTF and
 * WOFF take the same space (both deflate); WOFF2 would save ~20% at 15× the time, which a
 * 100-speech book cannot afford within its 5-second budget.
 */
import { readFileSync } from 'node:fs';
import subsetFont from 'subset-font';
import { FONT_SOURCES, fontSlices, type FaceSet } from '../../render/fonts.ts';

export type FaceRole = 'body' | 'heading';

/** CSS family names used by styles/epub.css. */
export const FONT_FAMILIES: Record<FaceRole, string> = { body: 'wenji-body', heading: 'wenji-heading' };
const FACE_WEIGHTS: Record<FaceRole, number> = { body: 400, heading: 700 };

type FontSourceKey = keyof typeof FONT_SOURCES;

/**
 * Song faces by region, the region's own first. As in print (src/render/fonts.ts), the
 * web-font packages leave rare characters out of one region's slices that another region's
 * carry (觫 only in SC, 鮒 only in TC/HK); such a character comes from the next face.
 */
const SERIF_CHAINS: Record<FaceSet, FontSourceKey[]> = {
  SC: ['serifSC', 'serifTC'],
  TC: ['serifTC', 'serifHK', 'serifSC'],
  HK: ['serifHK', 'serifTC', 'serifSC'],
};
const SHORT_NAMES: Partial<Record<FontSourceKey, string>> = { serifSC: 'sc', serifTC: 'tc', serifHK: 'hk' };

export interface EmbeddedFont {
  /** File name inside OEBPS/fonts/. */
  filename: string;
  data: Uint8Array;
  mediaType: 'font/ttf';
  /** CSS unicode-range of exactly the characters it holds. */
  unicodeRange: string;
}

export interface FontSet {
  fonts: EmbeddedFont[];
  /** @font-face rules, paths relative to the stylesheet. */
  css: string;
}

/**
 * Subset results by slice and characters: the editions of one build (horizontal, vertical,
 * …) set the same text in the same faces, so each slice is subset once per build.
 */
const subsetCache = new Map<string, Promise<Uint8Array>>();
const SUBSET_CACHE_LIMIT = 2000;

/** Forgets subset results (a benchmark measuring a cold build, a long-running process). */
export function clearSubsetCache(): void {
  subsetCache.clear();
}

function subsetSlice(file: string, codePoints: number[]): Promise<Uint8Array> {
  const text = String.fromCodePoint(...codePoints);
  const key = `${file}\u0000${text}`;
  let hit = subsetCache.get(key);
  if (!hit) {
    if (subsetCache.size >= SUBSET_CACHE_LIMIT) subsetCache.clear();
    hit = subsetFont(readFileSync(file), text, { targetFormat: 'truetype' }).then((b) => new Uint8Array(b));
    subsetCache.set(key, hit);
    hit.catch(() => subsetCache.delete(key));
  }
  return hit;
}

/** Compact unicode-range value for a sorted list of code points: U+4e00-4e02,U+4e0a */
export function unicodeRange(codePoints: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < codePoints.length; ) {
    let j = i;
    while (j + 1 < codePoints.length && codePoints[j + 1] === codePoints[j]! + 1) j++;
    const a = codePoints[i]!.toString(16);
    parts.push(j === i ? `U+${a}` : `U+${a}-${codePoints[j]!.toString(16)}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Subsets one face to `text`'s characters: one TrueType file per slice the text touches. */
export async function subsetFace(faceSet: FaceSet, role: FaceRole, text: string): Promise<FontSet> {
  const weight = FACE_WEIGHTS[role];
  let remaining = [...new Set([...text].map((c) => c.codePointAt(0)!))].filter((c) => c > 0x20).sort((a, b) => a - b);
  const fonts: EmbeddedFont[] = [];
  let css = '';
  for (const key of SERIF_CHAINS[faceSet]) {
    for (const [n, slice] of fontSlices(key, weight).entries()) {
      const mine = remaining.filter((c) => slice.ranges.some(([a, b]) => c >= a && c <= b));
      if (mine.length === 0) continue;
      remaining = remaining.filter((c) => !mine.includes(c));
      const data = await subsetSlice(slice.file, mine);
      const filename = `${role}-${weight}-${SHORT_NAMES[key]}-${String(n).padStart(3, '0')}.ttf`;
      const range = unicodeRange(mine);
      fonts.push({ filename, data, mediaType: 'font/ttf', unicodeRange: range });
      css +=
        `@font-face { font-family: "${FONT_FAMILIES[role]}"; font-style: normal; font-weight: ${weight}; ` +
        `src: url("fonts/${filename}") format("truetype"); unicode-range: ${range}; }\n`;
    }
  }
  return { fonts, css };
}

/**
 * Characters of the rendered documents, split by the face that sets them: headings,
 * run-in leads and strong text use the heading face, everything else the body face.
 */
export function charactersByFace(xhtmlDocuments: Iterable<string>): Record<FaceRole, string> {
  let body = '';
  let heading = '';
  for (const doc of xhtmlDocuments) {
    const bodyStart = doc.indexOf('<body');
    const stack: boolean[] = [];
    for (const m of doc.slice(bodyStart).matchAll(/<(\/?)([a-zA-Z0-9:]+)([^>]*?)(\/?)>|([^<]+)/g)) {
      if (m[5] !== undefined) {
        const t = m[5].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
        if (stack.includes(true)) heading += t;
        else body += t;
      } else if (m[4] === '/') {
        continue; // self-closing
      } else if (m[1] === '/') {
        stack.pop();
      } else {
        const tag = m[2]!;
        stack.push(/^h[1-6]$/.test(tag) || tag === 'strong' || (tag === 'span' && /class="lead"/.test(m[3]!)));
      }
    }
  }
  return { body, heading };
}
