import { describe, expect, it } from 'vitest';
import type { Book } from '../../src/model/book.ts';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import type { RubyRules } from '../../src/model/ruby.ts';
import type { Block, Inline, Speech } from '../../src/model/speech.ts';
import { inlineText } from '../../src/model/speech.ts';
import {
  BUILT_IN_READINGS,
  COMMON_CHARACTER_COUNT,
  annotatePinyin,
  commonCharacters,
  contextReadings,
  isCommonCharacter,
} from '../../src/transforms/pinyin/index.ts';
import { convertBook } from '../../src/transforms/script/index.ts';
import { rubies } from '../fixtures/rubies.ts';

function speech(paragraphs: (string | Inline[])[], extra: Partial<Speech> = {}): Speech {
  return {
    id: 's1',
    title: '讲话',
    speaker: { name: '某人' },
    date: '2024-03-19',
    source: { file: 'speech.md' },
    lang: 'zh-Hans',
    blocks: paragraphs.map((p, i): Block => ({ type: 'paragraph', content: typeof p === 'string' ? [{ type: 'text', text: p }] : p, pos: { line: i + 1 } })),
    ...extra,
  };
}

function book(s: Speech): Book {
  return { title: '书', date: '2024-03-19', lang: s.lang, frontMatter: [], backMatter: [], parts: [{ id: 'p1', speeches: [s] }] };
}

const annotate = (text: string, rules?: RubyRules, extra?: Partial<Speech>) => rubies(annotatePinyin(book(speech([text], extra)), { rules }));

/** The reading of `ch` at its `nth` occurrence in `text`. */
function readingIn(text: string, ch: string, nth = 0): string | undefined {
  const chars = [...text];
  const at = chars.flatMap((c, i) => (c === ch ? [i] : []))[nth]!;
  return contextReadings(text).readings[at];
}

describe('the 3,500 common-use characters (通用规范汉字表, level 1)', () => {
  it('holds exactly 3,500 characters, first 一, last 矗', () => {
    const set = commonCharacters();
    expect(set.size).toBe(COMMON_CHARACTER_COUNT);
    expect(COMMON_CHARACTER_COUNT).toBe(3500);
    expect([...set][0]).toBe('一');
    expect([...set].at(-1)).toBe('矗');
  });

  it('knows common characters and leaves out rarer ones, not GB 2312 level 1 (3,755)', () => {
    for (const c of '的一是了我不人在他有这中大来上国发展经济禅厦乾') expect(isCommonCharacter(c), c).toBe(true);
    // 戮 and 沆 are in GB 2312 level 1 but in level 2 of the 2013 table; the others are rarer.
    for (const c of '戮沆乂兀鑫淼饕餮觊觎赓阈𠀀') expect(isCommonCharacter(c), c).toBe(false);
  });
});

describe('readings in context', () => {
  it('reads a polyphone by its word: 银行/行走, 重要/重庆, 长大/长度', () => {
    const text = '银行的行长在街上行走，重要的是重庆长大了，长度不够。';
    expect(readingIn(text, '行', 0)).toBe('háng');
    expect(readingIn(text, '行', 1)).toBe('háng');
    expect(readingIn(text, '行', 2)).toBe('xíng');
    expect(readingIn(text, '重', 0)).toBe('zhòng');
    expect(readingIn(text, '重', 1)).toBe('chóng');
    expect(readingIn(text, '长', 0)).toBe('zhǎng');
    expect(readingIn(text, '长', 1)).toBe('zhǎng');
    expect(readingIn(text, '长', 2)).toBe('cháng');
  });

  it('reads words by jieba, not across them: 在|行走 is not 在行', () => {
    expect(readingIn('行长在行走', '行', 1)).toBe('xíng');
  });

  it('applies the built-in corrections inside words, never across two: 副局长 zhǎng, 格局|长期 cháng', () => {
    expect(readingIn('副局长说', '长')).toBe('zhǎng');
    expect(readingIn('格局长期不变', '长')).toBe('cháng');
    expect(readingIn('在创新驱动力上当好排头兵', '当')).toBe('dāng');
    for (const [word, reading] of Object.entries(BUILT_IN_READINGS)) {
      expect(reading.split(' ').length, word).toBe([...word].length);
      expect(contextReadings(word).readings.join(' '), word).toBe(reading);
    }
  });

  it('writes tone marks, not numbers', () => {
    expect(contextReadings('饕餮').readings).toEqual(['tāo', 'tiè']);
  });
});

describe('annotatePinyin', () => {
  it('sets ruby over characters outside the 3,500, one character each', () => {
    expect(annotate('这是饕餮之徒。')).toEqual(['饕(tāo)', '餮(tiè)']);
    expect(annotate('苏轼与嵇康')).toEqual(['轼(shì)', '嵇(jī)']);
  });

  it('shows a reading once a paragraph, a forced word every time', () => {
    expect(annotate('嵇康与阮籍，嵇康的朋友')).toEqual(['嵇(jī)', '阮(ruǎn)']);
    expect(rubies(annotatePinyin(book(speech(['嵇康', '嵇康']))))).toEqual(['嵇(jī)', '嵇(jī)']);
    expect(annotate('行长与行长', { 行长: true })).toEqual(['行(háng)', '长(zhǎng)', '行(háng)', '长(zhǎng)']);
  });

  it('leaves common characters alone, and polyphones in familiar words or with their common reading', () => {
    expect(annotate('我们要推动经济高质量发展，银行在重庆长大，重要的是长度。')).toEqual([]);
    // A neutral tone is said anyway: 看着, 弄坏了.
    expect(annotate('他看着我，把东西弄坏了。')).toEqual([]);
  });

  it('annotates a polyphone read otherwise in a less familiar word: 行长, 参差, 单于, 中肯', () => {
    expect(annotate('银行行长在行走')).toEqual(['行(háng)', '长(zhǎng)']);
    expect(annotate('参差不齐')).toEqual(['参(cēn)', '差(cī)']);
    expect(annotate('匈奴单于')).toEqual(['单(chán)']);
    expect(annotate('意见中肯')).toEqual(['中(zhòng)']);
  });

  it('forces a word with the reading given, or from context (true)', () => {
    expect(annotate('银行行长讲话', { 行长: 'háng zhǎng' })).toEqual(['行(háng)', '长(zhǎng)']);
    expect(annotate('重庆人', { 重庆: true })).toEqual(['重(chóng)', '庆(qìng)']);
    // A longer word wins over a shorter one inside it.
    expect(annotate('单于', { 单: 'dān', 单于: 'chán yú' })).toEqual(['单(chán)', '于(yú)']);
  });

  it('suppresses a word (false), rare characters included', () => {
    expect(annotate('饕餮之徒，参差不齐', { 饕餮: false, 参差: false })).toEqual([]);
  });

  it("a speech's own rules (sidecar) win over the book's", () => {
    const s = speech(['饕餮'], { ruby: { 饕餮: 'tāo tiè' } });
    expect(rubies(annotatePinyin(book(s), { rules: { 饕餮: false } }))).toEqual(['饕(tāo)', '餮(tiè)']);
  });

  it('keeps emphasis, strong, note references and ruby the source already has', () => {
    const content: Inline[] = [
      { type: 'text', text: '他说' },
      { type: 'emphasis', children: [{ type: 'text', text: '饕餮' }] },
      { type: 'noteRef', id: 'n1' },
      { type: 'ruby', base: '单', annotation: 'shàn' },
      { type: 'strong', children: [{ type: 'text', text: '嵇康' }] },
    ];
    const input = book(speech([content]));
    const before = JSON.stringify(input);
    const out = annotatePinyin(input);
    expect(JSON.stringify(input)).toBe(before); // pure
    const blk = out.parts[0]!.speeches[0]!.blocks[0]!;
    if (blk.type !== 'paragraph') throw new Error('paragraph expected');
    expect(blk.content).toEqual([
      { type: 'text', text: '他说' },
      { type: 'emphasis', children: [{ type: 'ruby', base: '饕', annotation: 'tāo' }, { type: 'ruby', base: '餮', annotation: 'tiè' }] },
      { type: 'noteRef', id: 'n1' },
      { type: 'ruby', base: '单', annotation: 'shàn' },
      { type: 'strong', children: [{ type: 'ruby', base: '嵇', annotation: 'jī' }, { type: 'text', text: '康' }] },
    ]);
    expect(inlineText(blk.content)).toBe('他说饕餮单嵇康');
  });

  it('decides on the simplified text and sets ruby over the traditional characters printed', async () => {
    const simplified = book(speech(['银行行长说，头发饕餮']));
    const { book: traditional } = await convertBook(simplified, 'tw');
    const out = annotatePinyin(traditional, { reference: simplified, rules: { 行长: true, 头发: 'tóu fà' } });
    expect(rubies(out)).toEqual(['行(háng)', '長(zhǎng)', '頭(tóu)', '髮(fà)', '饕(tāo)', '餮(tiè)']);
  });

  it('warns about a rare character with no known reading, once, with file and line', () => {
    const diagnostics = new Diagnostics();
    const out = annotatePinyin(book(speech(['前言', '𠀀字与𠀀'])), { diagnostics });
    expect(rubies(out)).toEqual([]);
    expect(diagnostics.items).toHaveLength(1);
    expect(diagnostics.items[0]).toMatchObject({ code: 'W-RUBY-NO-READING', file: 'speech.md', line: 2 });
    expect(diagnostics.items[0]!.message).toContain('𠀀');
  });
});
