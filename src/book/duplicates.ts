/**
 * The same speech imported twice (say from two websites) must be printed once. Two
 * speeches are duplicates when their texts, stripped of punctuation and whitespace, are
 * identical or share most of their 5-character shingles, and nothing says they are two
 * speeches: a different date, or a different title, means a different speech (formulaic
 * speeches — a greeting given every year, a standard address at each opening — share most of
 * their text). An editor who knows two such files are one speech gives them the same title
 * and date (sidecar or book.yaml).
 */
import { blockText, type Speech } from '../model/speech.ts';

/** Shingle overlap (Jaccard) above which two speeches count as the same text. */
export const DUPLICATE_THRESHOLD = 0.8;
const SHINGLE = 5;

/** Letters and digits only (Han, Latin, digits): punctuation and whitespace differ between sites. */
export function comparableText(speech: Speech): string {
  return speech.blocks
    .map(blockText)
    .join('')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .toLowerCase();
}

function fnv1a(s: string, start: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + len; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A sample of the text's shingle hashes (one in four, chosen by hash, so samples agree). */
function shingles(text: string): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= text.length; i++) {
    const h = fnv1a(text, i, SHINGLE);
    if ((h & 3) === 0) out.add(h);
  }
  return out;
}

/** A title for comparison: letters and digits only. */
const titleKey = (s: Speech) => s.title.replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();

/**
 * Whether two speeches can be one: no two different dates, and titles that agree (one site
 * may add the speaker or the occasion before the same title, so one containing the other
 * agrees). A missing date or title says nothing either way.
 */
export function mayBeSameSpeech(a: Speech, b: Speech): boolean {
  if (a.date && b.date && a.date !== b.date) return false;
  const [x, y] = [titleKey(a), titleKey(b)];
  return !x || !y || x.includes(y) || y.includes(x);
}

export interface DuplicatePair {
  /** Index of the speech that is kept (the first listed). */
  kept: number;
  /** Index of the later copy, which is dropped. */
  dropped: number;
  /** 0…1 */
  similarity: number;
}

/**
 * Finds later copies of earlier speeches. Each dropped speech is reported once, against
 * the first speech it copies. Uses an inverted index so only pairs sharing shingles are
 * compared.
 */
export function findDuplicates(speeches: readonly Speech[]): DuplicatePair[] {
  const texts = speeches.map(comparableText);
  const sets = texts.map(shingles);
  const postings = new Map<number, number[]>();
  const shared = new Map<number, number>(); // pair key (i * n + j) → shared shingles
  const n = speeches.length;
  sets.forEach((set, j) => {
    for (const h of set) {
      const list = postings.get(h);
      if (list) {
        for (const i of list) shared.set(i * n + j, (shared.get(i * n + j) ?? 0) + 1);
        list.push(j);
      } else postings.set(h, [j]);
    }
  });
  const best = new Map<number, DuplicatePair>();
  const consider = (i: number, j: number, similarity: number) => {
    const had = best.get(j);
    if (similarity < DUPLICATE_THRESHOLD || (had && had.kept <= i) || !mayBeSameSpeech(speeches[i]!, speeches[j]!)) return;
    best.set(j, { kept: i, dropped: j, similarity });
  };
  // Identical texts (including short ones with too few shingles to sample).
  const firstByText = new Map<string, number>();
  texts.forEach((t, j) => {
    if (!t) return;
    const i = firstByText.get(t);
    if (i === undefined) firstByText.set(t, j);
    else consider(i, j, 1);
  });
  for (const [key, common] of shared) {
    const i = Math.floor(key / n);
    const j = key % n;
    const union = sets[i]!.size + sets[j]!.size - common;
    if (union > 0) consider(i, j, common / union);
  }
  // A copy of a copy is reported against the original.
  return [...best.values()]
    .map((p) => {
      let kept = p.kept;
      for (let hop = best.get(kept); hop; hop = best.get(kept)) kept = hop.kept;
      return { ...p, kept };
    })
    .sort((a, b) => a.dropped - b.dropped);
}
