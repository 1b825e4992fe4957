/**
 * Each concept is defined once. These tests fail when a second copy returns: a table of the
 * words a book supplies, a Chinese date formatter, …
 */
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../src/model/labels.ts';
import { copiesOutside } from './source-files.ts';

describe('one home for each concept', () => {
  it('labels: the placeholder and heading words live in model/labels.ts only', () => {
    const words = Object.values(LABELS).flatMap((l) => [l.unknownDate, l.unknownSpeaker, l.index, l.bySpeaker]);
    const pattern = new RegExp([...new Set([...words, '佚名', '讲者不详', '講者不詳'])].join('|'));
    expect(copiesOutside(pattern, 'src/model/labels.ts')).toEqual([]);
  });

  it('dates and numerals: formatted in model/chinese-numbers.ts only', () => {
    // A date formatter writes 年 after a number it interpolated; a numeral table lists 〇一二三.
    expect(copiesOutside(/\}年|'〇一二三|"〇一二三|一月', '二月/, 'src/model/chinese-numbers.ts')).toEqual([]);
  });

  it("the build's date: SOURCE_DATE_EPOCH is read in config/resolve.ts only, the dates decided in book/assemble.ts", () => {
    expect(copiesOutside(/\.SOURCE_DATE_EPOCH|\[['"]SOURCE_DATE_EPOCH/, 'src/config/resolve.ts')).toEqual([]);
    expect(copiesOutside(/T00:00:00Z/, ['src/book/assemble.ts', 'src/model/book.ts'])).toEqual([]);
  });

  it('source formats: their file name endings are listed in readers/formats.ts only', () => {
    // Where sources are found and read (writers name their own output files, e.g. an EPUB's .xhtml).
    const inputSide = ['src/readers', 'src/normalize', 'src/config', 'src/book', 'src/build'];
    expect(copiesOutside(/['"]\.(txt|text|html?|xhtml|md|markdown|docx)['"]/, 'src/readers/formats.ts', inputSide)).toEqual([]);
  });

  it('Markdown: one dialect (readers/markdown-dialect.ts), one parser (readers/markdown.ts) for speeches and matter', () => {
    const home = ['src/readers/markdown.ts', 'src/readers/markdown-dialect.ts', 'src/writers/markdown/index.ts'];
    // An inline parser matches ** (strong) or a heading's #; a block parser splits on '---' front matter.
    expect(copiesOutside(/\\\*\\\*|\^\(#\{1,|\^#\{1,|'---'/, home, ['src'])).toEqual([]);
  });

  it('script detection: one detector, transforms/script/script-detection.ts', () => {
    expect(copiesOutside(/function (detectScript|scriptOf|scriptEvidence)\b|这這|們们|们們/, 'src/transforms/script/script-detection.ts', ['src'])).toEqual([]);
  });

  it('PDF engines: only render/page-engines.ts and the engines themselves branch on an engine name', () => {
    const engines = ['src/render/page-engines.ts', 'src/writers/pdf/pagedjs.ts', 'src/writers/pdf/chromium.ts'];
    expect(copiesOutside(/engine\s*===?\s*['"](pagedjs|chromium)|['"](pagedjs|chromium)['"]\s*===?\s*\w*engine|eq engine/i, engines)).toEqual([]);
  });

  it('the template/engine contract: its selectors are written in render/template-contract.ts only', () => {
    expect(copiesOutside(/span\.toc-page\[data-target\]|\[data-recto\]\[id\]|\[data-bookmark-level\]\[id\]|['"]data-recto['"]|['"]data-bookmark-level['"]|['"]blank-page['"]/, 'src/render/template-contract.ts', ['src'])).toEqual([]);
  });

  it('code for the browser page is written as functions (writers/pdf/in-page.ts …), never as script text', () => {
    // A script in a string: a template literal that opens an (async) arrow or a function.
    // The one exception: patches to Paged.js's own source text, which are text by nature.
    expect(copiesOutside(/`\s*\(\s*(async\s*)?(\(\)\s*=>|function\b)|`\s*function\s+\w+\s*\(/, ['src/writers/pdf/pagedjs-patches.ts'], ['src/writers', 'src/render'])).toEqual([]);
  });
});
