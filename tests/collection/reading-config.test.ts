import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeBuild, type Writer } from '../../src/build/execute.ts';
import { parseBuildArgs } from '../../src/config/options.ts';
import { resolveBuild } from '../../src/config/resolve.ts';
import { parseBookConfig } from '../../src/config/schema.ts';
import type { Book } from '../../src/model/book.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { renderPrintHtml } from '../../src/render/index.ts';
import { rubies } from '../fixtures/rubies.ts';
import { configError, fakeReader, makeCollection, speech } from './fixtures.ts';

const BOOK = `title: 文集
speeches: [speeches/*.txt]
ruby:
  单于: Chán yú
  龟兹: true
  行长: false
editions:
  - {name: lectern, preset: reading}
  - {name: plain, preset: book}
`;


describe('reading copies in book.yaml and on the command line', () => {
  it('reads ruby: rules (reading, true, false), readings in lower case', () => {
    const c = parseBookConfig(BOOK, 'book.yaml');
    expect(c.ruby).toEqual({ 单于: 'chán yú', 龟兹: true, 行长: false });
    expect(c.editions[0]).toMatchObject({ name: 'lectern', preset: 'reading' });
  });

  it('names the file and line of every bad ruby entry', () => {
    const e = configError(`title: 文集
speeches: [a.txt]
ruby:
  单于: chan2 yu2
  GDP: ji dì pǐ
  行长: 3
  重庆: chóng
editions: [{name: r, preset: reading}]
`);
    expect(e.format().split('\n')).toEqual([
      "book.yaml:4: ruby '单于: chan2 yu2': write tone marks (chán yú), not tone numbers",
      "book.yaml:5: ruby word 'GDP' holds 'G', 'D', 'P': write Chinese characters only",
      "book.yaml:6: ruby '行长' must be a reading in pinyin (e.g. 行长: pīn pīn), true (always, reading from context) or false (never)",
      "book.yaml:7: ruby '重庆: chóng' gives 1 syllable for 2 characters: one syllable per character, separated by spaces",
    ]);
    expect(configError('title: t\nspeeches: [a.txt]\nruby: [单于]\neditions: [{name: r, preset: reading}]\n').format()).toBe(
      "book.yaml:3: 'ruby' must be a map of word: reading, e.g. 单于: chán yú (or 行长: false to suppress)",
    );
  });

  it('a reading edition is A4 PDF by Paged.js horizontally, by Chromium vertically; an EPUB is refused', async () => {
    const dir = makeCollection({ 'speeches/a.txt': '讲话|某人|2024-03-19\n\n匈奴单于。\n', 'book.yaml': BOOK.replace('{name: plain, preset: book}', '{name: v, preset: reading, layout: vertical}') });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} });
    expect(plan.editions.map((e) => [e.edition.preset, e.edition.paper, e.edition.formats, e.edition.engine, e.edition.layout])).toEqual([
      ['reading', 'A4', ['pdf'], 'pagedjs', 'horizontal'],
      ['reading', 'A4', ['pdf'], 'chromium', 'vertical'],
    ]);
    expect(plan.editions[0]!.ruby).toEqual({ 单于: 'chán yú', 龟兹: true, 行长: false });

    const bad = makeCollection({ 'speeches/a.txt': '讲话|某人|2024-03-19\n\n正文。\n', 'book.yaml': BOOK.replace('{name: lectern, preset: reading}', '{name: lectern, preset: reading, formats: [pdf, epub]}') });
    let message = '';
    try {
      resolveBuild(parseBuildArgs([path.join(bad, 'book.yaml')]), { env: {} });
    } catch (e) {
      if (!(e instanceof WenjiError)) throw e;
      message = e.format();
    }
    expect(message).toContain("book.yaml:8: edition 'lectern': preset reading is a printed copy for the lectern (PDF, or HTML to preview), not an EPUB");
  });

  it('--preset reading on the command line', () => {
    expect(parseBuildArgs(['a.md', '--preset', 'reading']).preset).toBe('reading');
    const plan = resolveBuild(parseBuildArgs([path.join(makeCollection({ 'a.txt': 'x' }), 'a.txt'), '--preset', 'reading']), { env: {} });
    expect(plan.editions[0]!.edition).toMatchObject({ name: 'reading-horizontal', preset: 'reading', paper: 'A4', formats: ['pdf'] });
  });

  it('only the reading edition gets pinyin, with the book.yaml rules', async () => {
    const dir = makeCollection({
      'speeches/a.txt': '讲话|某人|2024-03-19\n\n匈奴单于与龟兹国，银行行长说饕餮。\n',
      'book.yaml': BOOK,
    });
    const seen = new Map<string, Book>();
    const writer: Writer = async (book, edition, ctx) => {
      seen.set(edition.name, book);
      return { file: ctx.outFile, bytes: 0 };
    };
    const { read } = fakeReader();
    const result = await executeBuild(resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} }), {
      read,
      noCache: true,
      writers: { pdf: writer },
      launch: async () => {
        throw new Error('no browser needed');
      },
    });
    expect(result.failed).toBe(false);
    // 单于 forced with its reading, 龟兹 forced from context, 行长 suppressed, 饕餮 rare.
    expect(rubies(seen.get('lectern')!)).toEqual(['单(chán)', '于(yú)', '龟(qiū)', '兹(cí)', '饕(tāo)', '餮(tiè)']);
    expect(rubies(seen.get('plain')!)).toEqual([]);
  });

  it("the folio's words are in the edition's script: 第 N 页 共 M 页, 第 N 頁 共 M 頁", () => {
    const folioOf = (lang: 'zh-Hans' | 'zh-Hant') => {
      const s = speech('a', '2024-03-19', '正文。', { lang });
      const book: Book = { title: 't', date: '2024-03-19', lang, frontMatter: [], backMatter: [], parts: [{ id: 'p', speeches: [s] }] };
      const { html } = renderPrintHtml(book, { name: 'r', preset: 'reading', layout: 'horizontal', script: 'source', formats: ['pdf'], paper: 'A4', engine: 'pagedjs', embedFonts: true });
      return /@bottom-center \{ content: "第 " counter\(page\) " (.)\u3000共 " counter\(pages\) " (.)"/.exec(html)?.slice(1);
    };
    expect(folioOf('zh-Hans')).toEqual(['页', '页']);
    expect(folioOf('zh-Hant')).toEqual(['頁', '頁']);
  });
});
