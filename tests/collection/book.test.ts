import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleBook, bookDates, groupSpeeches, orderSpeeches, uniqueIds } from '../../src/book/assemble.ts';
import { chineseYear } from '../../src/model/chinese-numbers.ts';
import { comparableText, findDuplicates } from '../../src/book/duplicates.ts';
import { readMatterFile } from '../../src/readers/index.ts';
import { readBookMatter } from '../../src/build/sources.ts';
import iconv from 'iconv-lite';
import { sourceDateEpoch, type BookPlan } from '../../src/config/resolve.ts';
import { modifiedInstant } from '../../src/model/book.ts';
import { CORPUS, makeCollection, speech } from './fixtures.ts';

const corpusText = (name: string) => readFileSync(path.join(CORPUS, name), 'utf8');

/** How alike two texts are, by the duplicate finder's measure, whatever their titles and dates. */
const comparableSimilarity = (a: ReturnType<typeof speech>, b: ReturnType<typeof speech>) =>
  findDuplicates([{ ...a, title: '', date: null }, { ...b, title: '', date: null }])[0]?.similarity ?? 0;

const plan = (over: Partial<BookPlan> = {}): BookPlan => ({
  key: 'book',
  title: '文集',
  order: 'date',
  groupBy: 'none',
  frontMatter: [],
  backMatter: [],
  speeches: [],
  ...over,
});
const item = (s: ReturnType<typeof speech>) => ({ file: `/x/${s.id}.txt`, display: `${s.id}.txt`, speech: s });

describe('ordering and grouping', () => {
  const a = speech('a', '1927-04-08', '甲');
  const b = speech('b', '1926-08-22', '乙');
  const c = speech('c', null, '丙');
  const d = speech('d', '1927-04-08', '丁');
  const e = speech('e', '1927-12-01', '戊', { speaker: { name: '梁启超' } });

  it('orders by date, stable for the same day, undated last; manual keeps the listing', () => {
    const items = [c, a, b, d].map(item);
    expect(orderSpeeches(items, 'date').map((i) => i.speech.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(orderSpeeches(items, 'manual').map((i) => i.speech.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('groups by month within one year as 一月…, across years with the year', () => {
    const oneYear = groupSpeeches([a, d, e], 'month');
    expect(oneYear.map((p) => [p.title, p.speeches.map((s) => s.id)])).toEqual([
      ['四月', ['a', 'd']],
      ['十二月', ['e']],
    ]);
    const years = groupSpeeches([b, a, e, c], 'month');
    expect(years.map((p) => p.title)).toEqual(['一九二六年八月', '一九二七年四月', '一九二七年十二月', '日期不详']);
  });

  it('groups by quarter, year and speaker', () => {
    expect(groupSpeeches([a, e], 'quarter').map((p) => p.title)).toEqual(['第二季度', '第四季度']);
    expect(groupSpeeches([b, a, e], 'year').map((p) => p.title)).toEqual(['一九二六年', '一九二七年']);
    expect(groupSpeeches([a, e, d], 'speaker').map((p) => [p.title, p.speeches.length])).toEqual([
      ['鲁迅', 2],
      ['梁启超', 1],
    ]);
    expect(groupSpeeches([a, b], 'none')).toEqual([{ id: 'part-1', speeches: [a, b] }]);
    expect(chineseYear('1930')).toBe('一九三〇年');
  });

  it('explicit parts keep their order and order speeches within each part', () => {
    const { book } = assembleBook(
      plan({ groupBy: [{ title: '下编', files: ['/x/a.txt', '/x/b.txt'] }, { title: '上编', files: ['/x/e.txt'] }] }),
      [a, b, e].map(item),
    );
    expect(book.parts.map((p) => [p.title, p.speeches.map((s) => s.id)])).toEqual([
      ['下编', ['b', 'a']],
      ['上编', ['e']],
    ]);
  });
});

describe('book metadata', () => {
  it('takes the date from the latest speech, else SOURCE_DATE_EPOCH, else the year; never the clock', () => {
    const dated = [speech('a', '1927-04-08', 'x'), speech('b', '1930-03-02', 'y')];
    expect(bookDates(dated, {})).toEqual({ published: '1930-03-02', modified: '1930-03-02T00:00:00Z' });
    expect(bookDates([speech('a', null, 'x')], { sourceDateEpoch: 1700000000 }).published).toBe('2023-11-14');
    expect(bookDates([speech('a', null, 'x')], { year: '2024' }).published).toBe('2024-01-01');
    const { book, diagnostics } = assembleBook(plan(), [item(speech('a', null, 'x'))]);
    expect(book.date).toBe('1970-01-01');
    expect(diagnostics.map((d) => d.message)).toContain('no speech has a date and SOURCE_DATE_EPOCH is not set: the publication date is 1970-01-01');
  });

  it('decides both dates once: SOURCE_DATE_EPOCH is the instant of the build, the content the date of publication', () => {
    const { book } = assembleBook(plan({ sourceDateEpoch: 1700000000 }), [item(speech('a', '1927-04-08', 'x'))]);
    expect(book.date).toBe('1927-04-08');
    expect(book.modified).toBe('2023-11-14T22:13:20Z');
    expect(modifiedInstant(book).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(modifiedInstant({ ...book, modified: undefined }).toISOString()).toBe('1927-04-08T00:00:00.000Z');
  });

  it('reads SOURCE_DATE_EPOCH once, in the plan, and refuses a malformed one', () => {
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1700000000' })).toBe(1700000000);
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '' })).toBeUndefined();
    expect(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH=yesterday is not a number of seconds/);
  });

  it('makes ids unique and XML-safe', () => {
    const ids = uniqueIds([speech('talk', null, 'x'), speech('talk', null, 'y'), speech('2024-讲话', '2024-03-19', 'z'), speech('', null, 'w'), speech('2024-03-19-a', null, 'v')]);
    expect(ids.map((s) => s.id)).toEqual(['talk', 'talk-2', 'speech-20240319', 'speech-4', 's-2024-03-19-a']);
  });

  it('a single-speech book takes the speech title; a collection derives credits from sources', () => {
    const s = speech('a', '2024-03-19', 'x', { source: { file: 'a.txt', site: '某网站', url: 'https://example.org/a' } });
    const { book } = assembleBook(plan({ title: undefined }), [item(s)]);
    expect(book).toMatchObject({ title: '讲话a', year: '2024', date: '2024-03-19', credits: ['某网站 https://example.org/a'] });
    expect(assembleBook(plan({ credits: ['据某书'] }), [item(s)]).book.credits).toEqual(['据某书']);
  });

  it('reads front matter through the Markdown reader: its dialect, escapes and encodings', () => {
    const dir = makeCollection({ 'preface.md': '# 编辑说明\n\n本书收录**九篇**讲演，\n按日期编排\\*。\n\n## 体例\n\n- 一\n- 二\n\n> 引文\n' });
    const matter = readBookMatter({ frontMatter: [path.join(dir, 'preface.md')], backMatter: [] }, dir);
    const { book } = assembleBook(plan(), [item(speech('a', '1927-01-01', 'x'))], matter);
    const section = book.frontMatter[0]!;
    expect(section).toMatchObject({ id: 'front-1', title: '编辑说明', file: 'preface.md' });
    expect(section.blocks.map((b) => b.type)).toEqual(['paragraph', 'heading', 'list', 'quote']);
    expect(section.blocks[0]).toEqual({
      type: 'paragraph',
      content: [{ type: 'text', text: '本书收录' }, { type: 'strong', children: [{ type: 'text', text: '九篇' }] }, { type: 'text', text: '讲演，按日期编排*。' }],
      pos: { line: 3 },
    });
    // A preface saved as GB18030 reads like a speech would.
    const gb = path.join(dir, 'afterword.md');
    writeFileSync(gb, iconv.encode('# 后记\n\n这是一篇用国标码保存的后记，经济发展和人民生活都有新的进步。\n', 'gb18030'));
    expect(readMatterFile(gb, 'back-1')).toMatchObject({ title: '后记', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '这是一篇用国标码保存的后记，经济发展和人民生活都有新的进步。' }] }] });
  });

  it('reads footnotes in matter as in a speech', () => {
    const dir = makeCollection({ 'note.md': '# 前言\n\n正文[^1]。\n\n[^1]: 注。\n' });
    expect(readMatterFile(path.join(dir, 'note.md'), 'front-1')).toMatchObject({
      blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '正文' }, { type: 'noteRef', id: '1' }, { type: 'text', text: '。' }] }],
      notes: [{ id: '1', content: [{ type: 'text', text: '注。' }] }],
    });
  });

  it('refuses empty, unclosed or binary matter files with file and line', () => {
    const dir = makeCollection({
      'empty.md': '# 只有标题\n', 'bin.md': 'ab\u0000cd', 'open.md': '---\ntitle: x\n正文\n',
    });
    const read = (name: string) => () => readMatterFile(path.join(dir, name), 'front-1');
    expect(read('open.md')).toThrow('front matter opened with --- is never closed');
    expect(read('empty.md')).toThrow('has no text');
    expect(read('bin.md')).toThrow('binary');
  });
});

describe('duplicate detection', () => {
  const nala = corpusText('06-luxun-gemingshidaidewenxue.txt');
  const other = corpusText('07-luxun-dushuzatan.txt');
  const para = (t: string) => t.split(/\n\s*\n/).join('\n\n');

  it('finds the same speech scraped from another site (other punctuation, spacing, a cut paragraph)', () => {
    const original = speech('a', '1927-04-08', para(nala), { title: '革命时代的文学' });
    // Another site: ASCII punctuation, extra spaces, the last paragraph missing, the speaker before the title.
    const paras = para(nala).split('\n\n').filter((p) => p.trim());
    const copy = speech('b', '1927-04-08', paras.slice(0, -1).join('\n\n').replace(/，/g, ',').replace(/。/g, '. '), { title: '鲁迅：革命时代的文学' });
    expect(comparableText(original).length).toBeGreaterThan(3000);
    const found = findDuplicates([original, speech('c', '1927-07-16', para(other)), copy]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kept: 0, dropped: 2 });
    expect(found[0]!.similarity).toBeGreaterThan(0.8);
  });

  // Formulaic speeches (the same greeting every year, a standard address at each opening)
  // share most of their text; 4,686 of 5,000 such speeches were once dropped as 82–88% the same.
  it('keeps formulaic speeches with their own titles or dates apart', () => {
    const template = (place: string, year: string) =>
      `同志们：${year}年${place}工作会议今天开幕了。` +
      '过去一年，在上级党委的坚强领导下，全体干部职工团结一心，攻坚克难，圆满完成了各项目标任务，经济社会发展取得了新的成绩。' +
      '新的一年，我们要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，扎实推动高质量发展，不断增进民生福祉，确保各项工作取得新成效。' +
      '希望大家振奋精神，真抓实干，以优异成绩迎接新的挑战。谢谢大家！';
    const a = speech('a', '2023-01-05', template('东城区', '2023'), { title: '在东城区工作会议上的讲话' });
    const b = speech('b', '2023-01-06', template('西城区', '2023'), { title: '在西城区工作会议上的讲话' });
    const c = speech('c', '2024-01-05', template('东城区', '2024'), { title: '在东城区工作会议上的讲话' });
    expect(findDuplicates([a, b])[0]?.similarity ?? comparableSimilarity(a, b)).toBeGreaterThan(0.8);
    expect(findDuplicates([a, b, c])).toEqual([]);
    // The same title and date: one speech, whatever the site added to the title.
    expect(findDuplicates([a, { ...a, id: 'a2', title: '区委书记：在东城区工作会议上的讲话' }])).toHaveLength(1);
  });

  it('does not confuse two different speeches by the same speaker', () => {
    const texts = ['05-luxun-wushengdezhongguo.txt', '06-luxun-gemingshidaidewenxue.txt', '07-luxun-dushuzatan.txt', '09-luxun-zuolianyijian.txt'];
    expect(findDuplicates(texts.map((t, i) => speech(`s${i}`, null, para(corpusText(t)))))).toEqual([]);
  });

  it('reports a duplicate once, as a warning naming both files, and prints the speech once', () => {
    const a = speech('a', '1927-04-08', para(nala));
    const b = { ...a, id: 'b' };
    const c = { ...a, id: 'c' };
    const { book, diagnostics } = assembleBook(plan(), [a, b, c].map(item));
    expect(book.parts[0]!.speeches.map((s) => s.id)).toEqual(['a']);
    expect(diagnostics.filter((d) => d.message.startsWith('duplicate'))).toEqual([
      { severity: 'warning', code: 'W-BOOK-DUPLICATE', file: 'b.txt', message: 'duplicate of a.txt (100% the same text): printed once, from a.txt' },
      { severity: 'warning', code: 'W-BOOK-DUPLICATE', file: 'c.txt', message: 'duplicate of a.txt (100% the same text): printed once, from a.txt' },
    ]);
  });
});
