/**
 * Quotation marks per edition. Taiwan and Hong Kong set 「」 outside and 『』 inside; the
 * mainland (GB/T 15834) sets “” outside and ‘’ inside, in horizontal and vertical text
 * alike (the SC font draws “” as corner brackets in vertical layout). So a traditional
 * edition maps “”‘’ → 「」『』 and a simplified edition maps back. The mapping keeps the
 * source's nesting: mainland text nests ‘’ inside “”, which becomes 『』 inside 「」.
 * Layout (horizontal or vertical) is CSS only: the text is the same.
 */

const TO_CORNER: Record<string, string> = { '“': '「', '”': '」', '‘': '『', '’': '』' };
const TO_CURLY: Record<string, string> = {
  '「': '“', '」': '”', '『': '‘', '』': '’',
  // Vertical presentation forms, in case a source typed them directly.
  '﹁': '“', '﹂': '”', '﹃': '‘', '﹄': '’',
};

/** ’ between two Latin letters or digits is an apostrophe (Xi’an, Art’s), not a quote. */
const LATIN = /[A-Za-z0-9\u00C0-\u024F]/;

function isApostrophe(s: string, i: number): boolean {
  return s[i] === '’' && i > 0 && i + 1 < s.length && LATIN.test(s[i - 1]!) && LATIN.test(s[i + 1]!);
}

/** “”‘’ → 「」『』 (Taiwan, Hong Kong). Same length as the input. */
export function toCornerQuotes(s: string): string {
  return s.replace(/[“”‘’]/g, (q, i: number) => (isApostrophe(s, i) ? q : TO_CORNER[q]!));
}

/** 「」『』 → “”‘’ (mainland). Same length as the input. */
export function toCurlyQuotes(s: string): string {
  return s.replace(/[「」『』﹁﹂﹃﹄]/g, (q) => TO_CURLY[q]!);
}
