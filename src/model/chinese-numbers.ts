/**
 * Chinese numerals and dates: the one formatter every output uses (print, EPUB, the part
 * titles of a collection). Pure functions.
 */
import type { Layout } from './book.ts';

const DIGITS = '〇一二三四五六七八九';

/** 一 … 九十九 … 九千九百九十九 (counting form: 十 not 一十, 一百零三). For 0 ≤ n < 10000. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 10000) return String(n);
  if (n === 0) return '〇';
  const units = ['', '十', '百', '千'];
  const ds = String(n).split('').map(Number).reverse();
  let out = '';
  let pendingZero = false;
  for (let i = ds.length - 1; i >= 0; i--) {
    const d = ds[i]!;
    if (d === 0) {
      if (out) pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    // 十一 … 十九 rather than 一十一 when the number starts with ten.
    out += (d === 1 && i === 1 && !out ? '' : DIGITS[d]) + units[i];
  }
  return out;
}

/** Digit by digit, as years are read: 2024 → 二〇二四. */
export function chineseDigits(s: string | number): string {
  return String(s).replace(/[0-9]/g, (d) => DIGITS[Number(d)]!);
}

/** A year from "1927" or an ISO date: 一九二七年 (hanzi) or 1927年 (arabic); '' if none. */
export function chineseYear(y: string | null | undefined, form: 'hanzi' | 'arabic' = 'hanzi'): string {
  const year = /^\d{4}/.exec(String(y ?? ''))?.[0];
  if (!year) return '';
  return `${form === 'hanzi' ? chineseDigits(year) : year}年`;
}

/** The year of a book: 2024年 horizontally, 二〇二四年 vertically. */
export function layoutYear(y: string | null | undefined, layout: Layout): string {
  return chineseYear(y, layout === 'vertical' ? 'hanzi' : 'arabic');
}

/** YYYY, YYYY-MM or YYYY-MM-DD → [year, month?, day?]; anything else → null. */
function parseIsoDate(iso: string): [number, number?, number?] | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
  if (!m) return null;
  return [Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined];
}

/** 2024-03-19 → 2024年3月19日 (1927-07 → 1927年7月); unparseable input comes back as it was. */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = parseIsoDate(iso);
  if (!d) return iso;
  return `${d[0]}年${d[1] ? `${d[1]}月` : ''}${d[2] ? `${d[2]}日` : ''}`;
}

/** 2024-03-19 → 二〇二四年三月十九日 (the form for vertical text). */
export function chineseDateHanzi(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = parseIsoDate(iso);
  if (!d) return iso;
  return `${chineseDigits(d[0])}年${d[1] ? `${chineseNumeral(d[1])}月` : ''}${d[2] ? `${chineseNumeral(d[2])}日` : ''}`;
}

/** The date as the layout wants it: arabic digits horizontally, Chinese numerals vertically. */
export function layoutDate(iso: string | null | undefined, layout: Layout): string {
  return layout === 'vertical' ? chineseDateHanzi(iso) : chineseDate(iso);
}
