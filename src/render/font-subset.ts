/**
 * Font files cut down to the characters a document uses, as TrueType (subset-font: HarfBuzz
 * in WebAssembly). The EPUB embeds these; the HTML preview writes them beside the page
 * instead of copying ~15 MB whole faces. Layout tables (GSUB vert/vrt2, GPOS, vhea/vmtx)
 * are kept, so vertical text keeps its rotated and repositioned punctuation. Timings are
 * in src/writers/epub/fonts.ts. The PDF engines load these too: a renderer takes ~1.5 s to
 * load the whole faces, ~0.1 s for subsets.
 */
import { readFileSync } from 'node:fs';
import subsetFont from 'subset-font';
import type { FontSlice } from './fonts.ts';

/**
 * Subset results by file and characters: the editions of one build (horizontal, vertical,
 * …) set the same text in the same faces, so each face is subset once per build. Entries
 * of a long book are ~1 MB each, so the cache is kept small.
 */
const subsetCache = new Map<string, Promise<Uint8Array>>();
const SUBSET_CACHE_LIMIT = 48;

/** Forgets subset results (a benchmark measuring a cold build, a long-running process). */
export function clearSubsetCache(): void {
  subsetCache.clear();
}

/**
 * The font at `file` holding only the given characters (those it has), as TrueType.
 * The same file and characters give the same bytes, whatever their order.
 */
export function subsetFontFile(file: string, codePoints: Iterable<number>): Promise<Uint8Array> {
  const text = [...new Set(codePoints)]
    .sort((a, b) => a - b)
    .map((c) => String.fromCodePoint(c))
    .join('');
  const key = `${file}\u0000${text}`;
  let hit = subsetCache.get(key);
  if (!hit) {
    if (subsetCache.size >= SUBSET_CACHE_LIMIT) subsetCache.clear();
    // readFileSync: the promise API reads a 15 MB file in small chunks, measured up to 0.7 s.
    hit = Promise.resolve()
      .then(() => subsetFont(readFileSync(file), text, { targetFormat: 'truetype' }))
      .then((b) => new Uint8Array(b));
    subsetCache.set(key, hit);
    hit.catch(() => subsetCache.delete(key));
  }
  return hit;
}

/** The characters a declared whole face sets: its unicode-range, or all the document's. */
function charactersFor(font: FontSlice, documentCharacters: ReadonlySet<number>): Iterable<number> {
  if (font.ranges.length === 0) return documentCharacters;
  return font.ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
}

/** A whole face as declared by a document, cut down to what the document can set with it. */
export function subsetForDocument(font: FontSlice, documentCharacters: ReadonlySet<number>): Promise<Uint8Array> {
  return subsetFontFile(font.file, charactersFor(font, documentCharacters));
}
