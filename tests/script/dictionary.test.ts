import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Book } from '../../src/model/book.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import type { Speech } from '../../src/model/speech.ts';
import { thrown } from '../fixtures/thrown.ts';
import {
  convertBook,
  createScriptConverter,
  loadUserDictionary,
  parseUserDictionary,
} from '../../src/transforms/script/index.ts';
import { testFolder } from '../temp-folders.ts';

const dir = testFolder('dict');
function dictFile(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const errorOf = (fn: () => unknown): WenjiError => thrown(fn, WenjiError);

const GOOD = `# 人名、地名
protect 干国强\t# 人名
protect　于都县
replace 計劃 計畫
replace-tw 報道 報導
replace-hans 着 著

`;

describe('user dictionary format', () => {
  it('reads protect and replace lines, comments, ideographic spaces, CRLF and a BOM', () => {
    const d = parseUserDictionary('\uFEFF' + GOOD.replace(/\n/g, '\r\n'), 'terms.txt');
    expect(d.protect).toEqual(['干国强', '于都县']);
    expect(d.replace.map((r) => [r.from, r.to, r.editions.join('+'), r.line])).toEqual([
      ['計劃', '計畫', 'tw+hk', 4],
      ['報道', '報導', 'tw', 5],
      ['着', '著', 'hans', 6],
    ]);
  });

  it.each([
    ['protec 干国强', 1, 'unknown entry "protec"'],
    ['# ok\nprotect', 2, '"protect" takes one term, found 0'],
    ['protect 干 国强', 1, '"protect" takes one term, found 2'],
    ['\n\nreplace 計劃', 3, '"replace" takes two terms, found 1'],
    ['replace 計劃 計劃', 1, 'replaces a term with itself'],
    ['replace 計劃 計畫\nreplace-tw 計劃 企劃', 2, 'already replaced by "計畫" on line 1'],
  ])('%j fails on line %i', (text, line, message) => {
    const e = errorOf(() => parseUserDictionary(text, 'dict/terms.txt'));
    expect(e.file).toBe('dict/terms.txt');
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
    expect(e.format()).toMatch(new RegExp(`^dict/terms\\.txt:${line}: `));
  });

  it('names the file when it cannot be read or is not UTF-8', async () => {
    const missing = path.join(dir, 'missing.txt');
    await expect(loadUserDictionary(missing)).rejects.toMatchObject({ file: missing, message: expect.stringContaining('no such file') });
    const latin1 = dictFile('gbk.txt', Buffer.from([0x70, 0x72, 0x6f, 0x74, 0x65, 0x63, 0x74, 0x20, 0xb8, 0xc9]));
    await expect(loadUserDictionary(latin1)).rejects.toMatchObject({ file: latin1, message: expect.stringContaining('not UTF-8') });
  });
});

describe('the example dictionary', () => {
  it('loads and applies to a tw edition only', async () => {
    const d = await loadUserDictionary(new URL('../fixtures/script/dictionary-example.txt', import.meta.url).pathname);
    expect(d.protect).toEqual(['干国强', '于都县']);
    const s = '干国强指出，要落实行动计划，打造新标杆。据报道';
    expect(createScriptConverter('tw', 'zh-Hans', d).convert(s).text).toBe('干国强指出，要落實行動計畫，打造新標竿。據報導');
    expect(createScriptConverter('hk', 'zh-Hans', d).convert(s).text).toBe('干国强指出，要落實行動計劃，打造新標杆。據報道');
  });
});

describe('protect and replace in conversion', () => {
  const d = parseUserDictionary(GOOD, 'terms.txt');
  const tw = createScriptConverter('tw', 'zh-Hans', d);

  it('protects names on the simplified side', () => {
    // Without the dictionary the names are recognised (a name before 同志, a known place)
    // and converted as names; protected, they stay exactly as written.
    expect(createScriptConverter('tw', 'zh-Hans').convert('干国强同志在于都县').text).toBe('干國強同志在于都縣');
    expect(tw.convert('干国强同志在于都县调研').text).toBe('干国强同志在于都县調研');
  });

  it('replaces on the traditional side, after opencc', () => {
    expect(tw.convert('行动计划。据报道').text).toBe('行動計畫。據報導');
    expect(createScriptConverter('hk', 'zh-Hans', d).convert('行动计划。据报道').text).toBe('行動計畫。據報道');
  });

  it('reports the form a replacement put in', () => {
    const r = tw.convert('发展计划');
    expect(r.text).toBe('發展計畫');
    expect(r.hits.find((h) => h.char === '划')).toMatchObject({ chosen: '畫' });
  });

  it('convertBook reads the dictionary file named in the options', async () => {
    const file = dictFile('book.txt', GOOD);
    const speech: Speech = {
      id: 's1', title: '干国强在于都县', speaker: { name: '干国强' }, date: null, source: { file: 'x.txt' }, lang: 'zh-Hans',
      blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '行动计划' }] }],
    };
    const book: Book = { title: '讲话选', date: '2024-01-01', lang: 'zh-Hans', frontMatter: [], backMatter: [], parts: [{ id: 'p', speeches: [speech] }] };
    const { book: out } = await convertBook(book, 'tw', { dictionary: file });
    const s = out.parts[0]!.speeches[0]!;
    expect(s.title).toBe('干国强在于都县');
    expect(s.speaker?.name).toBe('干国强');
    expect(s.blocks[0]).toMatchObject({ content: [{ text: '行動計畫' }] });
    await expect(convertBook(book, 'tw', { dictionary: dictFile('bad.txt', 'protect 甲\nswap 乙 丙\n') })).rejects.toMatchObject({ line: 2 });
  });
});
