/**
 * Embedded fonts: the body face (Noto Serif, regular) and the heading face (Noto Serif,
 * bold) subset to exactly the characters the book uses.
 *
 * Each face is the region's whole Noto Serif file subset to the book's characters, plus,
 * only when the book has characters that face lacks, the next region's face subset to just
 * those (TC and HK lack most simplified forms, SC some Extension B characters). Every face
 * is declared with a unicode-range of exactly the characters it holds, under one family.
 *
 * Output is plain OpenType (TrueType outlines, .ttf), compressed by the EPUB's own zip.
 * Measured on this 2-core machine (under load) for a whole 15 MB Noto Serif SC face and the
 * 2,054 characters of the corpus: ~0.19 s cold (the first subset in a process: cmap,
 * file read, WebAssembly start-up), ~0.09 s warm (~20 ms reading the file, the rest
 * subsetting; 100 characters ~45 ms); the result is ~850 KB. A repeated subset within a
 * build comes from the cache. TTF and WOFF take the same space in the zip (both deflate);
 * WOFF2 saved ~20% at ~15× the time when measured on the earlier web-font slices (its
 * Brotli encoder runs in WebAssembly).
 */
import { serifFontFiles, codePointRuns, formatUnicodeRange, splitByCoverage, type FaceSet, type FontSourceKey } from '../../render/fonts.ts';
import { fontCoverage } from '../../render/cmap.ts';
import { subsetFontFile } from '../../render/font-subset.ts';

export { clearSubsetCache } from '../../render/font-subset.ts';

export type FaceRole = 'body' | 'heading';

/** CSS family names used by styles/epub.css. */
export const FONT_FAMILIES: Record<FaceRole, string> = { body: 'wenji-body', heading: 'wenji-heading' };
const FACE_WEIGHTS: Record<FaceRole, number> = { body: 400, heading: 700 };

/** Region in the file names of the embedded fonts. */
const REGION_NAMES: Partial<Record<FontSourceKey, string>> = { serifSC: 'sc', serifTC: 'tc', serifHK: 'hk', emoji: 'emoji', hanaMinA: 'hanamin-a', hanaMinB: 'hanamin-b' };

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

/** Compact unicode-range value for a sorted list of code points: U+4e00-4e02,U+4e0a */
export function unicodeRange(codePoints: readonly number[]): string {
  return formatUnicodeRange(codePointRuns(codePoints));
}

/**
 * Subsets one face to `text`'s characters: the region's Song face, and the next regions'
 * faces for the characters the ones before them lack (one TrueType file each).
 */
export async function subsetFace(faceSet: FaceSet, role: FaceRole, text: string): Promise<FontSet> {
  const weight = FACE_WEIGHTS[role];
  const wanted = [...new Set([...text].map((c) => c.codePointAt(0)!))].filter((c) => c > 0x20);
  const faces = serifFontFiles(faceSet, weight);
  const shares = splitByCoverage(wanted, faces.map((f) => fontCoverage(f.file)));
  const fonts: EmbeddedFont[] = [];
  let css = '';
  for (const [i, { key, file }] of faces.entries()) {
    const mine = shares[i]!;
    if (mine.length === 0) continue;
    const data = await subsetFontFile(file, mine);
    const filename = `${role}-${weight}-${REGION_NAMES[key]}.ttf`;
    const range = unicodeRange(mine);
    fonts.push({ filename, data, mediaType: 'font/ttf', unicodeRange: range });
    css +=
      `@font-face { font-family: "${FONT_FAMILIES[role]}"; font-style: normal; font-weight: ${weight}; ` +
      `src: url("fonts/${filename}") format("truetype"); unicode-range: ${range}; }\n`;
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
