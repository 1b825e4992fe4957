/**
 * Figures, tables, notes and ruby in real PDFs from real Chromium, in both layouts and with
 * both engines: the text is all there (each PDF passed its own check to be written), notes
 * stand at the foot of the page that calls them (Paged.js), a figure is never split from its
 * caption, a table that runs over a page repeats its header, a 19 MB photograph does not make a
 * large PDF, and the fonts are embedded TrueType.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import type { Engine, Layout } from '../../src/model/book.ts';
import { Diagnostics, WenjiError } from '../../src/model/diagnostics.ts';
import { printImageTarget } from '../../src/render/figure-images.ts';
import { writePdf } from '../../src/writers/pdf/index.ts';
import { pageTexts } from '../../src/writers/pdf/text.ts';
import { hanCodePoints } from '../../src/writers/text-check.ts';
import { richSpeech } from '../fixtures/rich-content.ts';
import { edition, singleSpeechBook } from '../render/fixtures.ts';
import type { Speech } from '../../src/model/speech.ts';
import { testFolder } from '../temp-folders.ts';

const out = testFolder('rich-pdf');
let browser: Browser;
let speech: Speech;
let photoBytes: number;
const MODES: [Layout, Engine][] = [
  ['horizontal', 'pagedjs'],
  ['horizontal', 'chromium'],
  ['vertical', 'chromium'],
];
const built = new Map<string, { file: string; pages: string[]; doc: PDFDocument }>();
/** What the writer said while printing each. */
const progress = new Map<string, string[]>();

const han = (s: string) => String.fromCodePoint(...hanCodePoints(s));

beforeAll(async () => {
  browser = await launchBrowser();
  ({ speech, photoBytes } = await richSpeech(path.join(out, 'src'), { longTable: true }));
  for (const [layout, engine] of MODES) {
    const file = path.join(out, `${layout}-${engine}.pdf`);
    const said: string[] = [];
    await writePdf(singleSpeechBook(speech), edition({ layout, engine }), { outFile: file, browser: async () => browser, diagnostics: new Diagnostics(), progress: (m) => said.push(m) });
    progress.set(`${layout}-${engine}`, said);
    const doc = await PDFDocument.load(readFileSync(file));
    built.set(`${layout}-${engine}`, { file, doc, pages: pageTexts(doc).map(han) });
  }
}, 240_000);

afterAll(() => browser?.close());

/** The images each page draws: page number (1-based), pixel size, bytes. */
function pageImages(doc: PDFDocument): { page: number; width: number; height: number; bytes: number }[] {
  const rows: { page: number; width: number; height: number; bytes: number }[] = [];
  doc.getPages().forEach((p, i) => {
    const xobjects = p.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    for (const [, ref] of xobjects?.entries() ?? []) {
      const x = doc.context.lookup(ref);
      if (x instanceof PDFRawStream && x.dict.get(PDFName.of('Subtype')) === PDFName.of('Image')) {
        const n = (k: string) => (x.dict.lookup(PDFName.of(k)) as PDFNumber).asNumber();
        rows.push({ page: i + 1, width: n('Width'), height: n('Height'), bytes: x.contents.length });
      }
    }
  });
  return rows;
}

const pageWith = (pages: string[], text: string) => pages.findIndex((p) => p.includes(han(text))) + 1;

describe.each(MODES)('%s PDF by %s', (layout, engine) => {
  const get = () => built.get(`${layout}-${engine}`)!;

  it('prints a 19 MB photograph downscaled: the whole PDF stays under 1.5 MB', () => {
    expect(photoBytes).toBeGreaterThan(15_000_000);
    expect(readFileSync(get().file).length).toBeLessThan(1_500_000);
    const target = printImageTarget('A5');
    const images = pageImages(get().doc);
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const im of images) {
      expect(im.width).toBeLessThanOrEqual(target.maxWidth);
      expect(im.height).toBeLessThanOrEqual(target.maxHeight);
    }
  });

  it('never splits a figure from its caption and credit', () => {
    const images = pageImages(get().doc).sort((a, b) => b.bytes - a.bytes);
    const photoPage = images[0]!.page;
    expect(pageWith(get().pages, layout === 'vertical' ? '图一兰州新区全景' : '图兰州新区全景')).toBe(photoPage);
    expect(pageWith(get().pages, '摄影新华社记者张明')).toBe(photoPage);
  });

  it('leaves no page of the speech empty (Chromium once set a blank page beside a vertical table)', () => {
    const { pages, doc } = get();
    const opening = pageWith(pages, '今天到新区来');
    const head = han(speech.title);
    const pictured = new Set(pageImages(doc).map((im) => im.page));
    const empty = pages.slice(opening - 1).flatMap((p, i) => (p.replace(head, '').length < 5 && !pictured.has(opening + i) ? [opening + i] : []));
    expect(empty).toEqual([]);
  });

  it.runIf(layout === 'vertical')('prints the speech on the pages planned for balanced spreads, figures and tables included', () => {
    expect(progress.get(`${layout}-${engine}`)!.filter((m) => /planned pages/.test(m))).toEqual([]);
  });

  it('repeats the header of a table that runs over a page', () => {
    const { pages } = get();
    const first = pageWith(pages, '兰州市');
    const last = pageWith(pages, '克州市');
    expect(last).toBeGreaterThan(first);
    for (let p = first; p <= last; p++) expect(pages[p - 1]).toContain(han('城市产值增速说明'));
    // Vertical: each piece after the first says it continues (表二（续）).
    if (layout === 'vertical') expect(pages[last - 1]).toContain(han('表二续'));
  });

  it('embeds only TrueType (CID) fonts, none Type 3: the pinyin letters with tone marks included', () => {
    const fonts = execFileSync('pdffonts', [get().file], { encoding: 'utf8' });
    expect(fonts).not.toMatch(/Type 3/);
    const text = execFileSync('pdftotext', [get().file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/xīnqū/);
    expect(text).toMatch(/lǜ/);
  });
});

describe('notes', () => {
  it('stand at the foot of the page that calls them with Paged.js', () => {
    const { pages } = built.get('horizontal-pagedjs')!;
    for (const [call, note] of [
      ['主要是听听大家的意见', '新区：指兰州新区'],
      ['请大家看表', '数据来源：甘肃省统计局'],
      ['会议纪要另行印发', '座谈会纪要由省政府办公厅整理'],
    ]) {
      expect(pageWith(pages, call!)).toBeGreaterThan(0);
      expect(pageWith(pages, note!)).toBe(pageWith(pages, call!));
    }
    // Not printed a second time after the speech.
    expect(pages.join('').split(han('座谈会纪要由省政府办公厅整理')).length).toBe(2);
  });

  it('follow the speech under a 注释 heading, in order, with Chromium (horizontal and vertical)', () => {
    for (const mode of ['horizontal-chromium', 'vertical-chromium']) {
      const { pages } = built.get(mode)!;
      const last = pageWith(pages, '以上情况供参考');
      expect(pageWith(pages, '新区：指兰州新区')).toBeGreaterThanOrEqual(last);
      const all = pages.join('');
      expect(all.indexOf(han('新区：指兰州新区'))).toBeLessThan(all.indexOf(han('座谈会纪要由省政府')));
      // Under a 注释 heading, after the speech's last words.
      const heading = all.lastIndexOf(han('注释'), all.indexOf(han('新区：指兰州新区')));
      expect(heading).toBeGreaterThan(all.indexOf(han('以上情况供参考')));
    }
  });
});

// Paged.js names page-foot notes (PDF destinations) itself; pictures sit in temp folders.
it.each([['vertical', 'chromium'], ['horizontal', 'pagedjs']] as const)('prints the same bytes again, %s by %s (pictures, notes and tables included)', async (layout, engine) => {
  const again = path.join(out, `again-${layout}-${engine}.pdf`);
  await writePdf(singleSpeechBook(speech), edition({ layout, engine }), { outFile: again, browser: async () => browser, diagnostics: new Diagnostics() });
  expect(readFileSync(again).equals(readFileSync(built.get(`${layout}-${engine}`)!.file))).toBe(true);
}, 120_000);

it('a figure whose picture is missing fails the PDF with the speech file and line', async () => {
  const broken: Speech = { ...speech, blocks: [{ type: 'figure', image: { src: 'images/gone.jpg' }, alt: '无', pos: { line: 42 } }, ...speech.blocks] };
  const err = await writePdf(singleSpeechBook(broken), edition(), {
    outFile: path.join(out, 'broken.pdf'),
    browser: async () => browser,
    diagnostics: new Diagnostics(),
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WenjiError);
  expect((err as WenjiError).format()).toMatch(/speech\.md:42: the picture images\/gone\.jpg of a figure cannot be read/);
});

describe('from Markdown, end to end through the CLI', () => {
  it('builds a PDF and an EPUB of a speech with a figure, a table, ruby and notes', async () => {
    const { main } = await import('../../src/cli/main.ts');
    const dir = path.join(out, 'md');
    const { mkdirSync, writeFileSync, readdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'images'), { recursive: true });
    const { lineArt } = await import('../fixtures/rich-content.ts');
    writeFileSync(path.join(dir, 'images', 'chart.png'), await lineArt(800, 540));
    const md = [
      '---',
      'title: 在图文座谈会上的讲话',
      'speaker: 张三',
      'date: 2024-03-19',
      '---',
      '',
      '同志们：',
      '',
      '今天到{新区|xīnqū}来，主要是听听大家的意见。[^1]',
      '',
      '![六个园区产值柱状图](images/chart.png "各园区产值对比")',
      '{.credit 制图　文集编辑组}',
      '',
      'Table: 新区主要经济指标',
      '| 指标 | 二〇二三年 | 增长 |',
      '|---|---|---|',
      '| 地区生产总值（亿元） | 412.5 | 9.7% |',
      '| 固定资产投资（亿元） | 566.8 | 8.9% |',
      '',
      '谢谢大家！',
      '',
      '[^1]: 座谈会纪要由省政府办公厅整理。',
      '',
    ].join('\n');
    const file = path.join(dir, 'speech.md');
    writeFileSync(file, md);
    const target = path.join(dir, 'out');
    expect(await main(['build', file, '--preset', 'book', '--format', 'pdf', '--engine', 'pagedjs', '--out', target])).toBe(0);
    expect(await main(['build', file, '--preset', 'ebook', '--format', 'epub', '--out', target])).toBe(0);
    const pdf = readdirSync(target).find((f) => f.endsWith('.pdf'))!;
    const text = execFileSync('pdftotext', [path.join(target, pdf), '-'], { encoding: 'utf8' });
    for (const s of ['xīnqū', '图1', '各园区产值对比', '制图', '表1', '新区主要经济指标', '412.5', '① 座谈会纪要由省政府办公厅整理']) expect(text).toContain(s);
    expect(readdirSync(target).some((f) => f.endsWith('.epub'))).toBe(true);
  }, 120_000);
});
