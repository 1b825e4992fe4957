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
const cjkRe = new RegExp(`[${CJK}]`, 'u');

export function isHan(ch: string | undefined): boolean {
  return ch !== undefined && hanRe.test(ch);
}

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && cjkRe.test(ch);
}

/** Counts Han characters; a plain code-unit loop, as this runs on every paragraph. */
export function countHan(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || c === 0x3007) n++;
    else if (c >= 0xd840 && c <= 0xd87f) {
      n++; // high surrogate of the supplementary ideographic plane (extensions B–F)
      i++;
    }
  }
  return n;
}

/** Ends a sentence (possibly followed by closing quotes or brackets, or a stage note: 。（掌声）). */
export const SENTENCE_END = /[。！？!?…][”’」』）)]*(?:[（(][^（）()]{1,10}[）)])?$/u;

/** Characters after which a line cannot end a paragraph: it was wrapped mid-sentence. */
export const MID_SENTENCE_END = /[，,、（(“‘「『《—]$/u;

/** Length in characters (code points), not UTF-16 units. */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}
