/**
 * Dates as Chinese pages write them: 2024年3月19日, （2024年3月19日）, 二〇二四年三月十九日,
 * 民國101年3月5日 (ROC years), 2024-03-19, and partial dates such as 四月八日 or 九月间.
 */

export interface ParsedDate {
  /** YYYY-MM-DD when year, month and day are all known. */
  iso?: string;
  year?: number;
  month?: number;
  day?: number;
  /** The date exactly as written. */
  text: string;
  /** Offset of `text` in the searched string. */
  index: number;
}

const DIGIT: Record<string, number> = {
  〇: 0, 零: 0, '○': 0, 'Ｏ': 0, 'O': 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9,
};

/** 十九 → 19, 二十 → 20, 一百零一 → 101, 二〇二四 → 2024 (digit by digit), 19 → 19. */
export function chineseNumberValue(s: string): number | undefined {
  const t = toAsciiDigits(s.trim());
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^[〇零○Ｏ一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾佰]+$/.test(t)) return undefined;
  if (!/[十百拾佰]/.test(t)) {
    // Digit by digit, as years are written: 二〇二四.
    let v = 0;
    for (const c of t) v = v * 10 + (DIGIT[c] ?? 0);
    return v;
  }
  let total = 0;
  let current = 0;
  for (const c of t) {
    if (c === '百' || c === '佰') {
      total += (current || 1) * 100;
      current = 0;
    } else if (c === '十' || c === '拾') {
      total += (current || 1) * 10;
      current = 0;
    } else current = DIGIT[c] ?? 0;
  }
  return total + current;
}

/** Full-width digits → ASCII. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const NUM = '[0-9０-９]{1,4}|[〇零○Ｏ一二两三四五六七八九十百]{1,5}';
const YEAR = `(?:(民[國国]|中華民國|中华民国)\\s*)?(${NUM})\\s*年`;
const MONTH = `(${NUM})\\s*月`;
const DAY = `(${NUM})\\s*[日号號]`;

// Year–month–day, year–month, month–day; ISO-like numeric forms.
const FULL = new RegExp(`${YEAR}\\s*${MONTH}(?:\\s*${DAY})?`, 'u');
const MONTH_DAY = new RegExp(`(?<![0-9０-９〇零○一二三四五六七八九十年])${MONTH}\\s*${DAY}`, 'u');
const MONTH_ONLY = new RegExp(`(?<![0-9０-９〇零○一二三四五六七八九十年])(${NUM})\\s*月[间間份中初底末上下旬]`, 'u');
const NUMERIC = /(?<![0-9])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?![0-9])/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function isoOf(year?: number, month?: number, day?: number): string | undefined {
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return undefined;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

function validMonth(m: number | undefined): m is number {
  return m !== undefined && m >= 1 && m <= 12;
}

/** The first date written in `s`, full or partial, or undefined. */
export function findDate(s: string): ParsedDate | undefined {
  const full = FULL.exec(s);
  if (full) {
    let year = chineseNumberValue(full[2]!);
    if (year !== undefined && full[1]) year += 1911; // ROC year 1 = 1912
    // 105年 without 民國: three digits from 100 can only be an ROC year (2011 on).
    else if (year !== undefined && year >= 100 && year < 200) year += 1911;
    else if (year !== undefined && year < 100) year = undefined; // 24年: ambiguous
    const month = chineseNumberValue(full[3]!);
    const day = full[4] ? chineseNumberValue(full[4]) : undefined;
    if (validMonth(month)) {
      return { iso: isoOf(year, month, day), year, month, day, text: full[0], index: full.index };
    }
  }
  const numeric = NUMERIC.exec(s);
  if (numeric) {
    const [y, m, d] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    const iso = isoOf(y, m, d);
    if (iso) return { iso, year: y, month: m, day: d, text: numeric[0], index: numeric.index };
  }
  const md = MONTH_DAY.exec(s);
  if (md) {
    const month = chineseNumberValue(md[1]!);
    const day = chineseNumberValue(md[2]!);
    if (validMonth(month) && day !== undefined && day >= 1 && day <= 31) {
      return { month, day, text: md[0], index: md.index };
    }
  }
  const mo = MONTH_ONLY.exec(s);
  if (mo) {
    const month = chineseNumberValue(mo[1]!);
    if (validMonth(month)) return { month, text: mo[0], index: mo.index };
  }
  return undefined;
}

/** A paragraph that is only a date, perhaps in brackets: （2024年3月19日）, 2024年3月19日. */
export function parseDateLine(s: string): ParsedDate | undefined {
  if (s.length > 48) return undefined;
  const t = s.trim();
  const m = /^[（(〔【\[]?\s*(.+?)\s*[）)〕】\]]?$/u.exec(t);
  if (!m) return undefined;
  const d = findDate(m[1]!);
  if (!d || d.year === undefined) return undefined;
  // Allow a short tail inside the brackets: （2024年3月19日，根据录音整理）
  const rest = m[1]!.slice(d.index + d.text.length).replace(/^[，,、\s]*/, '');
  const before = m[1]!.slice(0, d.index).trim();
  if (before.length > 0 && !/^(时间|日期|時間)[：:]?$/u.test(before)) return undefined;
  if (rest.length > 16) return undefined;
  return d;
}
