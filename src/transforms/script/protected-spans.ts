/**
 * Text that conversion must not touch: URLs, e-mail addresses, Latin words (with their
 * apostrophes: Xi’an, Art’s) and the editor's protected terms. Everything else is Chinese
 * text to convert. Splitting is cheap and keeps the rules in one place.
 */

export interface Span {
  text: string;
  /** false for a URL, Latin run or protected term. */
  convert: boolean;
}

// Chinese text often follows a URL without a space, so Han characters count as part of
// the URL only as a path segment (…/发展/…).
const URL_CHARS = String.raw`(?:[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]|[\u3400-\u9FFF]+(?=/))+`;
const URL = String.raw`(?:https?|ftp)://${URL_CHARS}|www\.[A-Za-z0-9-]+\.${URL_CHARS}`;
const EMAIL = String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`;
const LATIN = String.raw`[A-Za-z0-9\u00C0-\u024F]+(?:['’.\-][A-Za-z0-9\u00C0-\u024F]+)*`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A splitter for the given protected terms (longest first, so 干国强 beats 干国). */
export function protectedSpanSplitter(protectedTerms: readonly string[]): (text: string) => Span[] {
  const terms = [...protectedTerms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp([...terms, URL, EMAIL, LATIN].join('|'), 'gu');
  return (text) => {
    const spans: Span[] = [];
    let last = 0;
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      if (start > last) spans.push({ text: text.slice(last, start), convert: true });
      spans.push({ text: m[0], convert: false });
      last = start + m[0].length;
    }
    if (last < text.length) spans.push({ text: text.slice(last), convert: true });
    return spans;
  };
}
