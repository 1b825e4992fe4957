/**
 * Structure of a speech body: standalone headings (一、 （一） 1. （1） 第一部分), run-in
 * leads (the numbered first sentence of a paragraph), salutations (同志们：) and closings
 * (谢谢大家！). Pure functions over paragraph strings.
 */
import type { Block, HeadingLevel, Inline } from '../model/speech.ts';
import { text } from '../model/speech.ts';

const CN = '[一二三四五六七八九十百〇零壹贰叁肆伍陆柒捌玖拾]+';

/** Section numbers by level, longest forms first. */
const NUMBER_PATTERNS: { level: HeadingLevel; re: RegExp }[] = [
  { level: 1, re: new RegExp(`^第${CN}(?:部分|章|篇|节|節)[\\s　、，,：:]?`, 'u') },
  { level: 1, re: new RegExp(`^${CN}[、．.](?!\\d)`, 'u') },
  { level: 2, re: new RegExp(`^[（(]${CN}[）)][、，,]?`, 'u') },
  { level: 3, re: /^[0-9０-９]{1,2}[.．、](?![0-9０-９])\s*/u },
  { level: 4, re: /^[（(][0-9０-９]{1,2}[）)][、，,]?/u },
];

/** The ordinals that open a run-in lead without being heading numbers: 第一， 其一， 首先， */
const ORDINAL_LEAD = new RegExp(`^(?:第${CN}|其${CN})[，,、：:]`, 'u');

export interface SectionNumber {
  level: HeadingLevel;
  number: string;
  rest: string;
}

/** The section number a paragraph opens with, e.g. 一、 → level 1. */
export function sectionNumber(s: string): SectionNumber | undefined {
  for (const { level, re } of NUMBER_PATTERNS) {
    const m = re.exec(s);
    if (m) return { level, number: m[0].trim(), rest: s.slice(m[0].length) };
  }
  return undefined;
}

const SENTENCE_STOP = new Set(['。', '！', '？', '!', '?']);
const OPENERS: Record<string, string> = { '“': '”', '‘': '’', '「': '」', '『': '』', '《': '》', '（': '）', '(': ')' };

/**
 * End (exclusive) of the first sentence of `s`: the first 。！？ outside quotes and brackets,
 * with closing quotes that follow it; or a ： within the first 30 characters (第二，不息：).
 */
export function firstSentenceEnd(s: string): number | undefined {
  const stack: string[] = [];
  // Quotes, brackets and stops are all in the BMP: index by UTF-16 unit.
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const closer = OPENERS[c];
    if (closer) stack.push(closer);
    else if (stack.length && c === stack[stack.length - 1]) stack.pop();
    else if (stack.length === 0 && (SENTENCE_STOP.has(c) || (c === '：' && i < 30))) {
      let end = i + 1;
      while (end < s.length && /[”’」』）)]/u.test(s[end]!)) end++;
      return end;
    }
  }
  return undefined;
}

const LEAD_MAX = 80;

/** Splits a run-in lead from a paragraph, or returns undefined when it has none. */
export function splitLead(s: string): { lead: string; rest: string } | undefined {
  const num = sectionNumber(s);
  const ordinal = ORDINAL_LEAD.exec(s);
  if (!num && !ordinal) return undefined;
  const end = firstSentenceEnd(s);
  if (end !== undefined && [...s.slice(0, end)].length <= LEAD_MAX) return { lead: s.slice(0, end), rest: s.slice(end) };
  // A long first sentence: only the ordinal is set as the lead (第一，).
  if (ordinal) return { lead: ordinal[0], rest: s.slice(ordinal[0].length) };
  return undefined;
}

const HEADING_MAX = 40;

/** A paragraph that is a standalone heading: a section number and a short line without a full stop. */
export function parseHeading(s: string): { level: HeadingLevel; number: string; content: string } | undefined {
  const num = sectionNumber(s);
  if (!num || !num.rest.trim()) return undefined;
  if (s.length > HEADING_MAX || /[。！？!?；;，,]/u.test(num.rest.replace(/[。]$/u, ''))) return undefined;
  if (/[。]$/u.test(num.rest)) return undefined;
  return { level: num.level, number: num.number, content: num.rest.trim() };
}

/** 同志们： 各位代表、同志们： 女士们，先生们： 诸君！ */
export function isSalutation(s: string): boolean {
  if (s.length > 40 || !/[：:！!，,]$/u.test(s)) return false;
  return /^(?:[^。！？]*?(?:同志们|同志們|朋友们|朋友們|女士们|女士們|先生们|先生們|同学们|同學們|老师们|老師們|来宾|來賓|嘉宾|嘉賓|代表|各位|诸位|諸位|诸君|諸君|大家好|晚上好|上午好|下午好|早上好|亲爱的|親愛的|尊敬的)[^。！？]*)[：:！!，,]$/u.test(
    s,
  );
}

/** 谢谢大家！ 谢谢！ 我這講演也就此完結了。 — only as the last or next-to-last block. */
export function isClosing(s: string): boolean {
  if (s.length > 30) return false;
  return /^(?:谢谢|謝謝|感谢|感謝|多谢|多謝)[^。]{0,10}[！!。.]?$|(?:讲演|講演|演讲|演講|讲话|講話|报告|報告|发言|發言)[^。，]{0,8}(?:完结|完結|结束|結束|完毕|完畢|到此|到這裏|到这里)[^。，]{0,4}[。！!]$|^(?:预祝|預祝|祝)[^。]{2,24}(?:成功|顺利|順利|健康|愉快|圆满|圓滿)[！!。]$/u.test(
    s,
  );
}

/** 编者按 / 附记 / (根据录音整理) / a closing date line: notes, set apart from the speech. */
export function isEditorsNote(s: string): boolean {
  return /^[【\[（(]?(?:编者按|編者按|编者的话|編者的話|编者注|編者註|编者|編者|附记|附記|附注|附註|按语|按語|注释|註釋|说明|說明)[】\]）)]?[：:]/u.test(s)
    || /^[（(][^（）()]{0,30}(?:整理|根据录音|根據錄音|有删节|有刪節|有删减|节选|節選|摘编|摘編|未经本人审阅|未經本人審閱)[^（）()]{0,10}[）)]$/u.test(s)
    // The collection a text was taken from: （选自《毛泽东文集》第七卷）, 原载《新青年》.
    || /^[（(]?(?:选自|選自|摘自|原载|原載|载于|載於|收入|录自|錄自)[^。]{1,40}[）)]?[。]?$/u.test(s);
}

function inl(s: string): Inline[] {
  return s ? [text(s)] : [];
}

/** Turns one body paragraph into a block; `isLast` lets a closing formula be recognised. */
export function classifyParagraph(s: string, line: number | undefined, nearEnd: boolean): Block {
  const pos = line !== undefined ? { pos: { line } } : {};
  const heading = parseHeading(s);
  if (heading) return { type: 'heading', level: heading.level, number: heading.number, content: inl(heading.content), ...pos };
  if (isSalutation(s)) return { type: 'salutation', content: inl(s), ...pos };
  if (nearEnd && isClosing(s)) return { type: 'closing', content: inl(s), ...pos };
  if (isEditorsNote(s)) return { type: 'note', content: inl(s), ...pos };
  const lead = splitLead(s);
  if (lead) return { type: 'paragraph', lead: inl(lead.lead), content: inl(lead.rest), ...pos };
  return { type: 'paragraph', content: inl(s), ...pos };
}
