import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Book } from '../../src/model/book.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { blockText, type Speech } from '../../src/model/speech.ts';
import { ambiguousCharacters } from '../../src/transforms/script/ambiguous-characters.ts';
import {
  convertBook,
  formatConversionReport,
  parseScript,
  SCRIPT_VALUES,
} from '../../src/transforms/script/index.ts';
import { scriptEvidence } from '../../src/transforms/script/script-detection.ts';
import { CORPUS_DIR, SCRAPED_SAMPLE } from '../fixtures/paths.ts';

const para = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] });

function bookOf(speeches: Speech[], lang: Book['lang'] = 'zh-Hans'): Book {
  return {
    title: '兰州新区讲话选编', subtitle: '2024年', editor: '甘肃省人民政府办公厅', publisher: '甘肃人民出版社',
    date: '2024-03-19', lang, credits: ['来源：甘肃日报 https://gsrb.gansudaily.com.cn/'],
    frontMatter: [{ id: 'preface', title: '编辑说明', blocks: [para('本书收录讲话，“原文照录”。')] }],
    parts: [{ id: 'p1', title: '三月', speeches }],
    backMatter: [],
  };
}

/** Body paragraphs of the scraped sample page (lines 15–22), as a reader would give them. */
function lanzhouSpeech(): Speech {
  const lines = readFileSync(SCRAPED_SAMPLE, 'utf8').split('\n');
  const body = lines.slice(16, 25).map((l) => l.trim()).filter(Boolean);
  expect(body[0]).toMatch(/^今天到新区来/);
  expect(body.at(-1)).toMatch(/^总之/);
  return {
    id: 'lanzhou-2024', title: '在兰州新区高新技术企业座谈会上的讲话',
    speaker: { name: '任振鹤', role: '甘肃省省长' }, date: '2024-03-19',
    occasion: '兰州新区高新技术企业座谈会', venue: '兰州新区',
    source: { file: 'lanzhou-2024-scraped.txt', url: 'https://example.org/lanzhou/讲话.html' },
    lang: 'zh-Hans', blocks: body.map(para),
  };
}

function allText(b: Book): string {
  const s = b.parts.flatMap((p) => p.speeches);
  return [b.title, b.subtitle, b.editor, b.publisher, ...(b.credits ?? []), ...b.parts.map((p) => p.title),
    ...b.frontMatter.flatMap((m) => [m.title, ...m.blocks.map(blockText)]),
    ...s.flatMap((x) => [x.title, x.speaker?.name, x.speaker?.role, x.occasion, x.venue, ...x.blocks.map(blockText)])].join('\n');
}

describe('the sample speech end to end', () => {
  it.each([
    ['tw', ['和盛堂製藥', '實驗室裡的創新成果', '發布了《促進國家級新區高質量建設行動計劃》', '當好「行動標兵」', '幹部人事', '幹事創業', '平臺', '著眼黃河流域']],
    ['hk', ['和盛堂製藥', '實驗室裏的創新成果', '發布了《促進國家級新區高質量建設行動計劃》', '當好「行動標兵」', '幹部人事', '幹事創業', '平台', '着眼黃河流域']],
  ] as const)('%s', async (script, expected) => {
    const { book, report } = await convertBook(bookOf([lanzhouSpeech()]), script);
    const s = book.parts[0]!.speeches[0]!;
    expect(book.lang).toBe('zh-Hant');
    expect(s.lang).toBe('zh-Hant');
    expect(s.title).toBe('在蘭州新區高新技術企業座談會上的講話');
    expect(s.speaker).toEqual({ name: '任振鶴', role: '甘肅省省長' });
    expect(s.occasion).toBe('蘭州新區高新技術企業座談會');
    expect(s.source.url).toBe('https://example.org/lanzhou/讲话.html');
    expect(book.title).toBe('蘭州新區講話選編');
    expect(book.editor).toBe('甘肅省人民政府辦公廳');
    expect(book.parts[0]!.title).toBe('三月');
    expect(book.frontMatter[0]!.title).toBe('編輯說明'.replace('說', script === 'hk' ? '説' : '說'));
    expect(book.frontMatter[0]!.blocks[0]).toMatchObject({ content: [{ text: '本書收錄講話，「原文照錄」。' }] });
    expect(book.credits).toEqual(['來源：甘肅日報 https://gsrb.gansudaily.com.cn/']);
    const text = allText(book);
    for (const e of expected) expect(text).toContain(e);
    expect(text).not.toMatch(/[“”‘’]/);
    // No simplified-only character is left.
    expect(scriptEvidence(text).simplified).toBe(0);
    // The report has the characters a proofreader must see, with the forms chosen.
    // It lists only what is still in doubt, each with why; what a dictionary word or a
    // rule settles (制药 → 製藥, 干部 → 幹部) is counted, not listed.
    expect(report.ambiguous.length).toBeGreaterThan(0);
    expect(report.ambiguous.length).toBeLessThan(10);
    for (const o of report.ambiguous) expect(o.why).toMatch(/^(default|rule|name): /);
    expect(report.ambiguous.some((o) => ['制药', '干部', '干事创业'].includes(o.term ?? ''))).toBe(false);
    expect(report.settled!.dictionary).toBeGreaterThan(100);
    const formatted = formatConversionReport(report);
    expect(formatted).toMatch(/\nNot listed, settled by a dictionary word \(\d+\)/);
    // 谷 alone (谷 a valley, 穀 grain) is a real doubt: listed with its context.
    expect(formatted).toContain('新能源電池材料之【谷】');
  });
});

describe('every kind of text in a speech', () => {
  it('converts headings, leads, emphasis, quotes, lists, notes and matter; quotes split across runs still pair', async () => {
    const t = (text: string) => ({ type: 'text' as const, text });
    const speech: Speech = {
      id: 's', title: '讲话', subtitle: '——在干部大会上', speaker: { name: '钟南山', role: '院士' }, date: null,
      occasion: '发布会', venue: '台北', source: { file: 's.md' }, lang: 'zh-Hans',
      blocks: [
        { type: 'heading', level: 2, number: '（一）', content: [t('复兴之路')] },
        { type: 'paragraph', lead: [t('一、当好“'), { type: 'strong', children: [t('行动标兵')] }, t('”。')],
          content: [t('要'), { type: 'emphasis', children: [t('着力')] }, t('发展'), { type: 'noteRef', id: 'n1' }] },
        { type: 'quote', paragraphs: [[t('“干就完了”')]] },
        { type: 'list', ordered: true, items: [[t('制药')], [t('面条')]] },
        { type: 'closing', content: [t('谢谢大家！')] },
      ],
      notes: [{ id: 'n1', content: [t('见《历史》一书。')] }],
    };
    const { book, report } = await convertBook(bookOf([speech]), 'tw');
    const out = book.parts[0]!.speeches[0]!;
    expect(out.subtitle).toBe('——在幹部大會上');
    expect(out.speaker).toEqual({ name: '鍾南山', role: '院士' });
    expect(out.occasion).toBe('發布會');
    expect(out.venue).toBe('臺北');
    expect(out.blocks.map(blockText)).toEqual([
      '（一）復興之路', '一、當好「行動標兵」。要著力發展', '「幹就完了」', '製藥\n麵條', '謝謝大家！',
    ]);
    expect(out.notes![0]!.content).toEqual([t('見《歷史》一書。')]);
    // 干 alone (幹 do, 乾 dry) is in doubt and listed; 钟南山, the speaker, is a known name.
    expect(report.ambiguous.map((o) => [o.speechId, o.term, o.chosen])).toContainEqual(['s', '干', '幹']);
    const formatted = formatConversionReport(report);
    expect(formatted.split('\n')[4]).toMatch(/^\S→\S/);
    expect(formatted).toContain('干→幹');
    expect(formatted).not.toContain('钟');
  });
});

describe('no double conversion', () => {
  const trad: Speech = {
    id: 'nala', title: '娜拉走後怎樣', speaker: { name: '魯迅' }, date: '1923-12-26', source: { file: '01.txt' },
    lang: 'zh-Hant', blocks: [para('這些劇本裏面，有一時期是大抵含有社會問題的，世間也稱作“社會劇”。他的頭髮乾了。')],
  };

  it('a traditional source keeps its characters in tw and hk; only quotes adjust', async () => {
    for (const script of ['tw', 'hk'] as const) {
      const { book, report } = await convertBook(bookOf([trad], 'zh-Hant'), script);
      const s = book.parts[0]!.speeches[0]!;
      expect(s.title).toBe('娜拉走後怎樣');
      expect(blockText(s.blocks[0]!)).toBe('這些劇本裏面，有一時期是大抵含有社會問題的，世間也稱作「社會劇」。他的頭髮乾了。');
      expect(report.keptScript).toContain('nala');
      expect(report.ambiguous.filter((o) => o.speechId === 'nala')).toEqual([]);
    }
  });

  it('a speech tagged zh-Hans whose text is clearly traditional is not converted again', async () => {
    const { book } = await convertBook(bookOf([{ ...trad, lang: 'zh-Hans' }]), 'tw');
    expect(blockText(book.parts[0]!.speeches[0]!.blocks[0]!)).toContain('他的頭髮乾了');
  });

  it('converting the converted book again changes nothing', async () => {
    const once = (await convertBook(bookOf([lanzhouSpeech()]), 'tw')).book;
    const twice = (await convertBook(once, 'tw')).book;
    expect(twice).toEqual(once);
  });
});

describe('hans from a traditional corpus file', () => {
  it('converts 01-luxun-nala-trad.txt to mainland characters and quotes', async () => {
    const paragraphs = readFileSync(`${CORPUS_DIR}/01-luxun-nala-trad.txt`, 'utf8').split('\n').filter((l) => l.trim());
    const speech: Speech = {
      id: 'nala', title: '娜拉走後怎樣', speaker: { name: '魯迅' }, date: '1923-12-26', source: { file: '01-luxun-nala-trad.txt' },
      lang: 'zh-Hant', blocks: paragraphs.map(para),
    };
    const { book, report } = await convertBook(bookOf([speech], 'zh-Hant'), 'hans');
    const s = book.parts[0]!.speeches[0]!;
    const text = s.blocks.map(blockText).join('\n');
    expect(s.lang).toBe('zh-Hans');
    expect(book.lang).toBe('zh-Hans');
    expect(s.title).toBe('娜拉走后怎样');
    expect(s.speaker?.name).toBe('鲁迅');
    expect(text.startsWith('我今天要讲的是“娜拉走后怎样？”')).toBe(true);
    expect(text).toContain('孩子抱着玩的人形');
    expect(text).toContain('接着就是闭幕');
    expect(text).toContain('他的著作');
    // Latin words untouched.
    expect(text).toContain('Ein Puppenheim');
    expect(text).toContain('Die Frau vom Meer');
    expect(text).not.toMatch(/[「」『』]/);
    expect(scriptEvidence(text).traditional).toBe(0);
    // The book's titles were simplified already: kept.
    expect(book.title).toBe('兰州新区讲话选编');
    expect(report.ambiguous.some((o) => o.char === '著')).toBe(true);
  });
});

describe('URLs and Latin text', () => {
  it('are never converted', async () => {
    const s: Speech = {
      id: 'x', title: 'Belt and Road 发展论坛', speaker: null, date: null, source: { file: 'x' }, lang: 'zh-Hans',
      blocks: [para('详见https://www.gov.cn/zhengce/发展/2024里的“SQL注入”和PN结，邮件 fa.zhan@example.cn，Xi’an 的 Art for Art’s Sake。')],
    };
    const { book } = await convertBook(bookOf([s]), 'tw');
    const out = book.parts[0]!.speeches[0]!;
    expect(out.title).toBe('Belt and Road 發展論壇');
    expect(blockText(out.blocks[0]!)).toBe(
      '詳見https://www.gov.cn/zhengce/发展/2024裡的「SQL注入」和PN結，郵件 fa.zhan@example.cn，Xi’an 的 Art for Art’s Sake。',
    );
  });
});

describe('script names', () => {
  it('lists the valid values', () => {
    expect(SCRIPT_VALUES).toEqual(['source', 'hans', 'tw', 'hk']);
    expect(parseScript('hk')).toBe('hk');
  });

  it('rejects an unknown name with the valid values and where it came from', () => {
    let error: unknown;
    try {
      parseScript('twp', 'book.yaml', 7);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WenjiError);
    expect((error as WenjiError).format()).toBe(
      'book.yaml:7: unknown script "twp"; use one of: source, hans, tw, hk (source keeps each speech\'s own script)',
    );
  });

  it('source returns the book unchanged', async () => {
    const b = bookOf([lanzhouSpeech()]);
    expect((await convertBook(b, 'source')).book).toBe(b);
  });
});

describe('ambiguous characters', () => {
  it('are derived from opencc and include the characters proofreaders know', () => {
    const table = ambiguousCharacters('tw');
    for (const c of '发干台里面制复系准后余只历钟范松斗谷征冲卷于云') expect(table.has(c), c).toBe(true);
    expect(table.forms.get('发')).toEqual(['發', '髮']);
    expect(table.has('我')).toBe(false);
    expect(ambiguousCharacters('hans').has('著')).toBe(true);
  });
});
