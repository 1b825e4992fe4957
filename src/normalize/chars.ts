/**
 * Character classes shared by the normalisation rules. Regex sources, so each rule can
 * build its own pattern; all match one UTF-16 code unit or a surrogate pair with the `u` flag.
 */

/** Han ideographs (CJK unified, extension A, compatibility) and 〇. */
export const HAN = '\\p{Script=Han}〇';

/** Full-width CJK punctuation that counts as "Chinese context" around a mark. */
export const CJK_PUNCT = '，。、；：？！“”‘’「」『』（）《》〈〉【】〔〕…—·';

/** Han or CJK punctuation. */
export const CJK = `${HAN}${CJK_PUNCT}`;

const hanRe = new RegExp(`[${HAN}]`, 'u');
const hanGlobalRe = new RegExp(`[${HAN}]`, 'gu');
const cjkRe = new RegExp(`[${CJK}]`, 'u');

export function isHan(ch: string | undefined): boolean {
  return ch !== undefined && hanRe.test(ch);
}

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && cjkRe.test(ch);
}

export function countHan(s: string): number {
  return s.match(hanGlobalRe)?.length ?? 0;
}

/** Ends a sentence (possibly followed by closing quotes or brackets). */
export const SENTENCE_END = /[。！？!?…][”’」』）)]*$/u;

/** Characters after which a line cannot end a paragraph: it was wrapped mid-sentence. */
export const MID_SENTENCE_END = /[，,、（(“‘「『《—]$/u;

/** Length in characters (code points), not UTF-16 units. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
