/**
 * Lines that carry more than one thing: a whole speech flattened onto one line, a date glued
 * to the salutation, a title doubled and glued to the text, a site notice or a media tag
 * inside a paragraph, pinyin left behind by ruby annotations. Each splitter names the shape
 * it handles; pieces that are not speech carry the rule that removed them.
 */
import { charLength, countHan } from './chars.ts';
import { parseDateLine } from './dates.ts';
import { SPEECH_GENRE } from './metadata.ts';
import { isSalutation } from './structure.ts';

export interface LinePiece {
  text: string;
  /** Set when the piece is page chrome: the rule's name. */
  chrome?: string;
  /** The splitter that cut this piece from its line. */
  split?: string;
}

const TONE_MARK = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]/u;

/** 學(xué)校 → 學校: pinyin of a ruby annotation flattened into the text after its character. */
export function stripPinyin(s: string): string {
  if (!TONE_MARK.test(s)) return s;
  return s.replace(/(?<=[\p{Script=Han}])[（(][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[）)]/gu, '');
}

/** ……此处隐藏1268字，下载文档可见……: a document site's notice inside a paragraph. */
const HIDDEN_TEXT = /(?:\.{3,}|…+)[^.…。]{0,30}(?:隐藏|隱藏|省略|未显示|未顯示)[^.…。]{0,30}(?:\.{3,}|…+)/u;

/** 【Now新聞台】 or 【新华社】 opening a paragraph: the publisher's tag, not the speech. */
const MEDIA_TAG = /^【[^【】]{0,12}(?:新闻|新聞|台|网|網|社|报|報|电视|電視|消息|快讯|快訊|[A-Za-z]{2,})[^【】]{0,6}】(?=\S)/u;

/** Sentence ends followed by a blank inside one long line: paragraphs flattened into it. */
const BLANK_AFTER_SENTENCE = /(?<=[。！？!?][”’」』）)]?) (?=[^\s，。、；：,;:])/gu;

function splitFlattened(s: string): string[] | undefined {
  if (charLength(s) < 100) return undefined;
  const breaks = s.match(BLANK_AFTER_SENTENCE)?.length ?? 0;
  const salutation = /^(.{2,30}?[：:]) (?=\S)/u.exec(s);
  const leadsWithSalutation = salutation !== null && isSalutation(salutation[1]!);
  if (breaks < 2 && !(leadsWithSalutation && breaks >= 1)) return undefined;
  const parts: string[] = [];
  let rest = s;
  if (leadsWithSalutation) {
    parts.push(salutation![1]!);
    rest = s.slice(salutation![0].length);
  }
  // A blank between two Han characters inside flattened prose is a leftover wrap.
  for (const p of rest.split(BLANK_AFTER_SENTENCE)) parts.push(p.replace(/(?<=[\p{Script=Han}]) (?=[\p{Script=Han}，。、])|(?<=[，。、；]) (?=[\p{Script=Han}])/gu, ''));
  return parts.filter((p) => p.trim());
}

/** （2006年8月30日） 同志们：: the date line and the salutation glued on one line. */
function splitDateGlued(s: string): [string, string] | undefined {
  const m = /^([（(〔]?[^（）()〔〕]{4,24}[日号號][）)〕]?)\s+(\S.*)$/u.exec(s);
  if (!m || !parseDateLine(m[1]!)) return undefined;
  const rest = m[2]!;
  return isSalutation(rest) || charLength(rest) > 30 ? [m[1]!, rest] : undefined;
}

/**
 * 在经贸工作会议上的讲话经济工作 在经贸工作会议上的讲话经济工作今日召开……: a title printed
 * twice at the head of a flattened page, the second copy glued to the text.
 */
export function splitDoubledTitle(s: string): [string, string] | undefined {
  const m = /^([^\s，。！？,.!?：:]{6,60}) (.+)$/u.exec(s);
  if (!m) return undefined;
  const title = m[1]!;
  if (!m[2]!.startsWith(title) || countHan(title) < 4) return undefined;
  const rest = m[2]!.slice(title.length).trim();
  return rest ? [title, rest] : undefined;
}

/** 在全县经济工作会议上的讲话同志们：……: a speech title glued to the salutation that opens the text. */
const TITLE_GLUED_TO_SALUTATION = new RegExp(
  `^([^，。！？,!?：:\\s]{4,60}?${SPEECH_GENRE})(?=(?:同志们|同志們|各位|尊敬的|亲爱的|親愛的|女士们|女士們|大家好|朋友们|朋友們)[^。]{0,30}[：:，,！!])`,
  'u',
);

/** …下面，我讲三点看法：一、提高认识…: a numbered section glued to the text before it. */
const GLUED_SECTION = /(?<=[。：:！？；])(?=[一二三四五六七八九十]{1,3}、[^\d])/gu;

/**
 * 一、提高认识，增加做好城市经济工作的紧迫性我们整个国民经济，……: in a flattened document a
 * heading has lost its line break; the text after it starts again with its subject (我们,
 * 我市, 当前 …) straight after a Han character, before the first full stop.
 */
export function splitGluedHeading(s: string): string[] {
  if (!/^[一二三四五六七八九十]{1,3}、/u.test(s)) return [s];
  const stop = s.search(/[。！？；]/u);
  const head = stop < 0 ? s : s.slice(0, stop);
  const m = /(?<=[\p{Script=Han}])(?:我们|我們|我国|我國|我市|我省|我县|我縣|我区|我區|同志们|同志們|今年|当前|當前|目前|近年来|近年來)/u.exec(head);
  if (!m || m.index < 6 || m.index > 40) return [s];
  return [s.slice(0, m.index), s.slice(m.index)];
}

/**
 * Splits one cleaned line into pieces. `nearTop` allows the doubled-title split, which only
 * a page's first lines can have (a teaser at the end repeats the title for other reasons).
 */
export function splitLine(s: string, nearTop: boolean): LinePiece[] {
  let pieces: LinePiece[] = [{ text: s }];
  const map = (fn: (p: LinePiece) => LinePiece[]) => {
    pieces = pieces.flatMap((p) => (p.chrome ? [p] : fn(p)));
  };
  map((p) => {
    const m = HIDDEN_TEXT.exec(p.text);
    if (!m) return [p];
    const before = p.text.slice(0, m.index).trim();
    const after = p.text.slice(m.index + m[0].length).trim();
    return [
      ...(before ? [{ text: before, split: 'hidden-text notice' }] : []),
      { text: m[0], chrome: 'hidden-text notice' },
      ...(after ? [{ text: after, split: 'hidden-text notice' }] : []),
    ];
  });
  map((p) => {
    const m = MEDIA_TAG.exec(p.text);
    return m ? [{ text: m[0], chrome: 'media tag' }, { text: p.text.slice(m[0].length).trim(), split: 'media tag' }] : [p];
  });
  if (nearTop) {
    map((p) => {
      const g = TITLE_GLUED_TO_SALUTATION.exec(p.text);
      return g ? [{ text: g[1]!, split: 'title glued to the text' }, { text: p.text.slice(g[1]!.length), split: 'title glued to the text' }] : [p];
    });
    map((p) => {
      const d = splitDoubledTitle(p.text);
      return d ? [{ text: d[0], split: 'doubled title' }, { text: d[0], chrome: 'doubled title' }, { text: d[1], split: 'doubled title' }] : [p];
    });
  }
  map((p) => {
    const d = splitDateGlued(p.text);
    return d ? [{ text: d[0], split: 'date glued to text' }, { text: d[1], split: 'date glued to text' }] : [p];
  });
  map((p) => {
    const parts = splitFlattened(p.text);
    return parts ? parts.map((text) => ({ text, split: 'flattened paragraphs' })) : [p];
  });
  map((p) => {
    if (charLength(p.text) < 200) return [p];
    const parts = p.text.split(GLUED_SECTION).filter((x) => x.trim());
    return parts.length > 1 ? parts.flatMap((text) => splitGluedHeading(text).map((t) => ({ text: t, split: 'glued section number' }))) : [p];
  });
  return pieces;
}
