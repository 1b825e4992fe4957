/**
 * Punctuation and spacing repair in Chinese context (clreq): scraped text often carries
 * ASCII marks typed with a Western keyboard layout. Each rule converts a mark only where a
 * Chinese character or Chinese punctuation is next to it, so numbers (1,000), times (9:30),
 * URLs and Latin words keep theirs. Every rule is idempotent.
 */
import { isCjk, isHan } from './chars.ts';

const SPACE = /[ \t\u00a0\u3000]/;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.test(ch);
}

/** Previous / next non-space character around [start, end). */
function neighbours(s: string, start: number, end: number): { prev?: string; next?: string } {
  let i = start - 1;
  while (i >= 0 && isSpace(s[i])) i--;
  let j = end;
  while (j < s.length && isSpace(s[j])) j++;
  return { prev: i >= 0 ? s[i] : undefined, next: j < s.length ? s[j] : undefined };
}

const FULL_WIDTH: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！' };

/**
 * ASCII , ; : ? ! → ，；：？！ when the character before is Chinese or the character after
 * is Han. A mark between digits (1,000, 9:30) stays; so does one in Latin text. Spaces
 * around a converted mark go. Runs (?!) are converted together.
 */
export function fullWidthPunctuation(s: string): string {
  if (!/[,;:?!]/.test(s)) return s;
  return s.replace(/[ \t\u00a0\u3000]*([,;:?!]+)[ \t\u00a0\u3000]*/g, (m, marks: string, offset: number) => {
    const start = offset + m.indexOf(marks);
    const { prev, next } = neighbours(s, start, start + marks.length);
    const betweenDigits = /[0-9]/.test(prev ?? '') && /[0-9]/.test(next ?? '');
    if (betweenDigits || !(isCjk(prev) || isHan(next))) return m;
    return [...marks].map((c) => FULL_WIDTH[c]!).join('');
  });
}

/** ( ) → （ ） around Chinese content, or right after a Chinese character: 生产总值（GDP）. */
export function fullWidthParentheses(s: string): string {
  if (!s.includes('(') && !s.includes(')')) return s;
  let out = s.replace(/\(([^()\n]*)\)/g, (m, inner: string, offset: number) => {
    const prev = s[offset - 1];
    if (/[\p{Script=Han}〇]/u.test(inner) || isCjk(prev)) return `（${inner}）`;
    return m;
  });
  // Unpaired: an opening mark before Han, a closing mark after Han.
  out = out.replace(/\((?=[\p{Script=Han}])/gu, '（').replace(/([\p{Script=Han}])\)/gu, '$1）');
  return out;
}

/**
 * Straight double quotes → “ ”, alternating within the paragraph; a paragraph whose curly
 * quotes are out of order (”欲罢不能“) is re-paired the same way. Only where the paragraph
 * is Chinese and has an even number of double quotes: an odd count (a quotation running
 * over several paragraphs opens each one and closes only the last) is left for the editor.
 */
export function curlyDoubleQuotes(s: string): string {
  if (!/[\p{Script=Han}]/u.test(s)) return s;
  const marks = [...s.matchAll(/["“”]/g)];
  if (marks.length === 0 || marks.length % 2 !== 0) return s;
  const straight = marks.some((m) => m[0] === '"');
  let depth = 0;
  let ordered = true;
  for (const m of marks) {
    depth += m[0] === '”' ? -1 : 1;
    if (depth < 0 || depth > 1) ordered = false;
  }
  if (!straight && ordered) return s;
  let k = 0;
  return s.replace(/["“”]/g, () => (k++ % 2 === 0 ? '“' : '”'));
}

/** Straight single quotes around Chinese content → ‘ ’; apostrophes in Latin words stay. */
export function curlySingleQuotes(s: string): string {
  if (!s.includes("'")) return s;
  return s.replace(/(?<![A-Za-z0-9])'([^'\n]*[\p{Script=Han}][^'\n]*)'(?![A-Za-z0-9])/gu, '‘$1’');
}

/** ... / 。。。 / … / ⋯ runs → …… (the Chinese ellipsis is two em-wide marks). */
export function chineseEllipsis(s: string): string {
  if (!/\.\.\.|。。。|[…⋯]/.test(s)) return s;
  return s.replace(/(?:\.{3,}|。{3,}|[…⋯]+)+/g, (m, offset: number) => {
    if (m === '……') return m;
    if (/^\.+$/.test(m)) {
      const { prev, next } = neighbours(s, offset, offset + m.length);
      if (!isCjk(prev) && !isCjk(next)) return m;
    }
    return '……';
  });
}

/** -- / －－ / ―― / a lone — or ― next to Chinese → —— (the Chinese dash is two em wide). */
export function chineseDash(s: string): string {
  if (!/--|－－|[—―]/.test(s)) return s;
  return s.replace(/-{2,}|－{2,}|[—―]+/g, (m, offset: number) => {
    if (m === '——') return m;
    const { prev, next } = neighbours(s, offset, offset + m.length);
    if (m.startsWith('-') && !(isCjk(prev) || isCjk(next))) return m;
    if (!m.startsWith('-') && !m.startsWith('－') && !(isHan(prev) || isHan(next) || isCjk(prev) || isCjk(next))) return m;
    if (m.length === 1 && /[0-9]/.test(prev ?? '') && /[0-9]/.test(next ?? '')) return m;
    return '——';
  });
}

/** Spaces between two Chinese characters or marks go: 发展 新质生产力 → 发展新质生产力. */
export function removeStraySpaces(s: string): string {
  if (!/[ \t\u00a0\u3000]/.test(s)) return s;
  return s.replace(/([\p{Script=Han}〇，。、；：？！“”‘’「」『』（）《》〈〉【】〔〕…—·])[ \t\u00a0\u3000]+(?=[\p{Script=Han}〇，。、；：？！“”‘’「」『』（）《》〈〉【】〔〕…—·])/gu, '$1');
}

/** URLs and e-mail addresses: no rule touches them. */
const PROTECTED = /(?:https?:\/\/|www\.)[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*[A-Za-z0-9\-_~/#=%]|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Applies `fn` to the stretches of `s` between URLs and e-mail addresses. */
function outsideUrls(s: string, fn: (t: string) => string): string {
  if (!/[/@]|www\./.test(s)) return fn(s);
  let out = '';
  let last = 0;
  for (const m of s.matchAll(PROTECTED)) {
    out += fn(s.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + fn(s.slice(last));
}

/** One pass of every rule, in an order where one rule's output feeds the next. */
function repairOnce(t: string): string {
  let out = chineseDash(chineseEllipsis(t));
  out = fullWidthPunctuation(fullWidthParentheses(out));
  return curlySingleQuotes(curlyDoubleQuotes(out));
}

/**
 * Runs `pass` until nothing changes: one rule's output can give another its Chinese
 * context (a dash next to a comma), so repairing twice must equal repairing once.
 */
function untilStable(s: string, pass: (t: string) => string): string {
  let out = s;
  for (let round = 0; round < 5; round++) {
    const next = pass(out);
    if (next === out) break;
    out = next;
  }
  return out;
}

/** All punctuation rules. */
export function repairPunctuation(s: string): string {
  return untilStable(s, (t) => outsideUrls(t, repairOnce));
}

/** Body text repair: punctuation, then stray spaces (which can bring two marks together). */
export function repairText(s: string): string {
  return untilStable(s, (t) => outsideUrls(t, (u) => removeStraySpaces(repairOnce(u))));
}
