/**
 * The reading of every character of a simplified text, decided by its word: pinyin-pro
 * (3.29, tone marks, no 一/不 tone sandhi: a reading copy shows the dictionary tone) over the
 * whole run for its context rules (看着 zhe, 着力 zhuó), then each word of jieba's
 * segmentation (the one the script conversion uses) read again on its own, because
 * pinyin-pro's own longest-match segmentation joins words across a boundary (在|行走 read as
 * 在行 zàiháng), then the built-in corrections (corrections.ts) where they are whole words.
 */
import { pinyin } from 'pinyin-pro';
import { HAN } from '../../model/ruby.ts';
import { segmentWords, subWords, wordFrequency } from '../script/segmentation.ts';
import { BUILT_IN_READINGS } from './corrections.ts';

const OPTIONS = { type: 'array', toneSandhi: false } as const;

/** A syllable of pinyin (what pinyin-pro gives a character it can read). */
const PINYIN = /^[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜêếềńňǹḿ]+$/;

/** pinyin-pro's readings, one per code point of `text`; undefined where it has none (Latin, 𠀀). */
function readingsOf(text: string): (string | undefined)[] {
  const chars = [...text];
  const out = pinyin(text, OPTIONS);
  // pinyin-pro gives one entry per code point; should that ever change, read character by character.
  const list = out.length === chars.length ? out : chars.map((c) => pinyin(c, OPTIONS)[0] ?? c);
  return list.map((r, i) => (HAN.test(chars[i]!) && PINYIN.test(r) ? r : undefined));
}

/** Code-point offsets where jieba's words of `text` begin (and its end). */
function wordBoundaries(text: string): { boundaries: Set<number>; words: { start: number; text: string }[] } {
  const boundaries = new Set<number>([0]);
  const words: { start: number; text: string }[] = [];
  let at = 0;
  for (const t of segmentWords(text)) {
    words.push({ start: at, text: t.text });
    at += [...t.text].length;
    boundaries.add(at);
  }
  return { boundaries, words };
}

/** Code-point offsets of every occurrence of `word` in `chars`. */
export function occurrences(chars: readonly string[], word: string): number[] {
  const w = [...word];
  const out: number[] = [];
  for (let i = 0; i + w.length <= chars.length; i++) {
    if (w.every((c, k) => chars[i + k] === c)) out.push(i);
  }
  return out;
}

/** Each code point's reading in context, and how familiar the word it is in is. */
export interface ContextReadings {
  /** undefined for what has none (punctuation, Latin, a character pinyin-pro does not know). */
  readings: (string | undefined)[];
  /** jieba's frequency of the word each code point belongs to (wordFrequency). */
  wordFrequencies: number[];
}

/** The reading of each code point of `text` in context. */
export function contextReadings(text: string): ContextReadings {
  const readings = readingsOf(text);
  const wordFrequencies: number[] = [];
  const { boundaries, words } = wordBoundaries(text);
  for (const w of words) {
    const chars = [...w.text];
    // A compound jieba lists as one rare word (高质量 99, 增长极 9, 弄坏了 3) is as familiar
    // as the words inside it (质量 8,009, 增长 20,465, 了).
    const frequency = wordFrequency(w.text);
    const pieces = chars.length > 2 ? subWords(w.text) : [w.text];
    for (const piece of pieces) {
      const inner = wordFrequency(piece);
      for (const _ of piece) wordFrequencies.push(Math.max(frequency, inner));
    }
    if (chars.length < 2 || !chars.every((c) => HAN.test(c))) continue;
    readingsOf(w.text).forEach((r, k) => {
      if (r) readings[w.start + k] = r;
    });
  }
  const chars = [...text];
  for (const [word, reading] of Object.entries(BUILT_IN_READINGS)) {
    const n = [...word].length;
    for (const start of occurrences(chars, word)) {
      // Inside one word, or exactly whole words: never across a boundary (格局|长期).
      let inside = false;
      for (let b = start + 1; b < start + n; b++) if (boundaries.has(b)) inside = true;
      if (inside && !(boundaries.has(start) && boundaries.has(start + n))) continue;
      reading.split(' ').forEach((r, k) => (readings[start + k] = r));
    }
  }
  return { readings, wordFrequencies };
}

const defaults = new Map<string, { reading: string | undefined; polyphonic: boolean }>();

/** A character's most common reading (pinyin-pro's first) and whether it has others. */
export function characterReading(ch: string): { reading: string | undefined; polyphonic: boolean } {
  let d = defaults.get(ch);
  if (!d) {
    const all = pinyin(ch, { type: 'array', multiple: true, toneSandhi: false }).filter((r) => PINYIN.test(r));
    d = { reading: readingsOf(ch)[0], polyphonic: new Set(all).size > 1 };
    defaults.set(ch, d);
  }
  return d;
}

/** A tone mark (not the diaeresis of ü): macron, acute, caron, grave. */
const TONE_MARK = /[\u0304\u0301\u030c\u0300]/;

/**
 * Whether a reading in context is not the character's most common one and worth saying so.
 * A neutral tone never is (东西 xi, 弄坏了 le, 看着 zhe): a speaker says it anyway.
 */
export function differsFromCommon(inContext: string, common: string): boolean {
  return TONE_MARK.test(inContext.normalize('NFD')) && inContext.normalize('NFC') !== common.normalize('NFC');
}
