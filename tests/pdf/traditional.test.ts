/**
 * Traditional editions end to end: the real sample speech, read, converted to Taiwan and
 * Hong Kong characters, printed in both layouts by real Chromium. Checks the finished PDFs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import type { Book, Edition, Layout, Script } from '../../src/model/book.ts';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import { blockText } from '../../src/model/speech.ts';
import { readSource } from '../../src/readers/index.ts';
import { convertBook } from '../../src/transforms/script/index.ts';
import { writePdf } from '../../src/writers/pdf/index.ts';
import { SCRAPED_SAMPLE } from '../fixtures/paths.ts';
import { testFolder } from '../temp-folders.ts';

const out = testFolder('trad-pdf');
let browser: Browser;
let source: Book;

beforeAll(async () => {
  const { speech } = await readSource(SCRAPED_SAMPLE);
  source = { title: speech.title, date: speech.date!, lang: speech.lang, frontMatter: [], parts: [{ id: 'p1', speeches: [speech] }], backMatter: [] };
  browser = await launchBrowser();
}, 120_000);

afterAll(() => browser?.close());

function hanCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of text.match(/\p{Script=Han}/gu) ?? []) m.set(c, (m.get(c) ?? 0) + 1);
  return m;
}

async function build(script: Script, layout: Layout) {
  const { book } = await convertBook(source, script);
  const edition: Edition = {
    name: `${script}-${layout}`,
    preset: 'handout',
    layout,
    script,
    formats: ['pdf'],
    paper: 'A4',
    engine: layout === 'vertical' ? 'chromium' : 'pagedjs',
    embedFonts: true,
  };
  const file = path.join(out, `${edition.name}.pdf`);
  await writePdf(book, edition, { outFile: file, browser: async () => browser, diagnostics: new Diagnostics() });
  const speech = book.parts[0]!.speeches[0]!;
  return { file, expected: [speech.title, ...speech.blocks.map(blockText)].join('\n') };
}

describe.each([
  ['tw', 'vertical', 'NotoSerifTC', 'zh-Hant-TW', '實驗室裡'],
  ['hk', 'horizontal', 'NotoSerifHK', 'zh-Hant-HK', '實驗室裏'],
] as const)('%s edition, %s', (script, layout, face, lang, regional) => {
  let file: string;
  let expected: string;
  beforeAll(async () => {
    ({ file, expected } = await build(script, layout));
  }, 300_000);

  it('converts the text (幹部, 製藥, regional forms) and sets corner-bracket quotes', () => {
    expect(expected).toContain('幹部');
    expect(expected).toContain('製藥');
    expect(expected).toContain(regional);
    expect(expected).toContain('「行動標兵」');
    expect(expected).not.toMatch(/[“”]/);
  });

  it('prints every Han character of the converted speech', () => {
    const printed = hanCounts(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
    const missing = [...hanCounts(expected)].filter(([c, n]) => (printed.get(c) ?? 0) < n);
    expect(missing).toEqual([]);
  });

  it(`embeds the ${face} face as subset CID TrueType, no Type 3`, () => {
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.some((l) => l.includes(face))).toBe(true);
    for (const l of fonts) {
      expect(l).not.toMatch(/Type 3/);
      expect(l).toMatch(/ yes +yes +(yes|no) /); // embedded and subset
    }
  });

  it(`tags the document ${lang}`, async () => {
    const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
    const tag = doc.catalog.lookup(PDFName.of('Lang'));
    expect(tag instanceof PDFString ? tag.decodeText() : String(tag)).toContain(lang);
  });
});
