/**
 * Opens built EPUBs and checks what a reading system relies on: zip layout, package
 * metadata, navigation, landmarks, spine direction, chapter text, fonts, cover, and that a
 * rebuild gives the same bytes.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Book } from '../../src/model/book.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { blockText, inlineText, type Speech } from '../../src/model/speech.ts';
import { openEpub, type OpenedEpub } from './epub-reading.ts';
import { readSource } from '../../src/readers/index.ts';
import { SAMPLE_FILE, buildEpub, corpusBook, edition, lazyBrowser, sampleSpeech, singleSpeechBook, syntheticSpeech } from './fixtures.ts';
import { testFolder } from '../temp-folders.ts';

const readSample = async () => (await readSource(SAMPLE_FILE)).speech;
const browser = lazyBrowser();
let dir: string;
const built: Record<string, OpenedEpub> = {};

beforeAll(async () => {
  dir = testFolder('epub');
  const jobs: [string, Book, ReturnType<typeof edition>][] = [
    ['sample-h', singleSpeechBook(sampleSpeech()), edition('horizontal')],
    ['sample-v', singleSpeechBook(sampleSpeech()), edition('vertical')],
    ['corpus-h', corpusBook(), edition('horizontal')],
    ['corpus-v', corpusBook(), edition('vertical')],
    ['synthetic-v', singleSpeechBook(syntheticSpeech()), edition('vertical')],
    ['corpus-tw-nofonts', corpusBook(), edition('horizontal', { embedFonts: false }, 'tw')],
    // The real reader on the real scraped page, end to end.
    ['read-sample-v', singleSpeechBook(await readSample()), edition('vertical')],
  ];
  for (const [name, book, ed] of jobs) {
    built[name] = openEpub(await buildEpub(book, ed, path.join(dir, `${name}.epub`), browser.get));
  }
});
afterAll(() => browser.close());

const tag = (doc: Document | Element, name: string) => [...doc.getElementsByTagName(name)];
const epubType = (el: Element) => el.getAttribute('epub:type');

describe('zip container', () => {
  it('starts with an uncompressed mimetype entry without extra fields', () => {
    const b = built['sample-h']!.bytes;
    const view = new DataView(b.buffer, b.byteOffset);
    expect(view.getUint32(0, true)).toBe(0x04034b50); // local file header
    expect(view.getUint16(8, true)).toBe(0); // stored
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    expect(new TextDecoder().decode(b.subarray(30, 30 + nameLength))).toBe('mimetype');
    expect(extraLength).toBe(0);
    expect(new TextDecoder().decode(b.subarray(30 + nameLength, 30 + nameLength + 20))).toBe('application/epub+zip');
  });

  it('uses ASCII file names only', () => {
    for (const e of Object.values(built)) {
      for (const n of e.names) expect(n).toMatch(/^[A-Za-z0-9._\/-]+$/);
    }
  });

  it('stores text as UTF-8 characters, never numeric character references', () => {
    for (const e of Object.values(built)) {
      for (const n of e.names.filter((x) => /\.(xhtml|opf|ncx|css)$/.test(x))) {
        expect(e.text(n), n).not.toMatch(/&#/);
      }
    }
    expect(built['synthetic-v']!.text('OEBPS/sp-001.xhtml')).toContain("a&lt;b &amp; 'c' &quot;d&quot; = `e`");
  });
});

describe('package metadata', () => {
  it('has language, identifier, dates, creator and accessibility metadata', () => {
    const opf = built['sample-h']!.xml('OEBPS/content.opf');
    expect(opf.documentElement.getAttribute('xml:lang')).toBe('zh-CN');
    expect(tag(opf, 'dc:language')[0]!.textContent).toBe('zh-CN');
    expect(tag(opf, 'dc:identifier')[0]!.textContent).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(tag(opf, 'dc:title')[0]!.textContent).toBe('在兰州新区高新技术企业座谈会上的讲话');
    expect(tag(opf, 'dc:creator')[0]!.textContent).toBe('任振鹤');
    expect(tag(opf, 'dc:date')[0]!.textContent).toBe('2024-03-19');
    const metas = tag(opf, 'meta');
    const prop = (p: string) => metas.filter((m) => m.getAttribute('property') === p).map((m) => m.textContent);
    expect(prop('dcterms:modified')).toEqual(['2024-03-19T00:00:00Z']);
    expect(prop('schema:accessMode')).toContain('textual');
    expect(prop('schema:accessModeSufficient')).toEqual(['textual']);
    expect(prop('schema:accessibilityFeature')).toContain('structuralNavigation');
    expect(prop('schema:accessibilityHazard')).toEqual(['none']);
    expect(prop('schema:accessibilitySummary')[0]).toMatch(/横排/);
  });

  it('names the editor of a collection, and Taiwan editions are zh-TW', () => {
    const opf = built['corpus-h']!.xml('OEBPS/content.opf');
    expect(tag(opf, 'dc:creator').map((c) => c.textContent)).toEqual(['文集编辑组']);
    expect(tag(opf, 'meta').find((m) => m.getAttribute('refines') === '#creator-0')!.textContent).toBe('edt');
    expect(tag(opf, 'dc:publisher')[0]!.textContent).toBe('文集出版社');
    const tw = built['corpus-tw-nofonts']!;
    expect(tag(tw.xml('OEBPS/content.opf'), 'dc:language')[0]!.textContent).toBe('zh-TW');
    expect(tw.xml('OEBPS/sp-001.xhtml').documentElement.getAttribute('xml:lang')).toBe('zh-Hant-TW');
  });

  it('keeps the identifier across builds and gives each edition its own', () => {
    const id = (e: OpenedEpub) => tag(e.xml('OEBPS/content.opf'), 'dc:identifier')[0]!.textContent;
    expect(id(built['corpus-h']!)).not.toBe(id(built['corpus-v']!));
    expect(id(built['sample-h']!)).not.toBe(id(built['corpus-h']!));
  });

  it('uses an ISBN given by the editor', async () => {
    const book = { ...singleSpeechBook(syntheticSpeech()), identifier: 'ISBN 978-7-01-012345-6' };
    const e = openEpub(await buildEpub(book, edition('horizontal', { embedFonts: false }), path.join(dir, 'isbn.epub'), browser.get));
    const opf = e.xml('OEBPS/content.opf');
    expect(tag(opf, 'dc:identifier')[0]!.textContent).toBe('urn:isbn:9787010123456');
    expect(e.text('OEBPS/toc.ncx')).toContain('<meta name="dtb:uid" content="urn:isbn:9787010123456"/>');
  });
});

describe('navigation', () => {
  it('nests part → speech → section in the nav document and toc.ncx', () => {
    const e = built['corpus-h']!;
    const nav = e.xml('OEBPS/toc.xhtml');
    const toc = tag(nav, 'nav').find((n) => epubType(n) === 'toc')!;
    const top = [...toc.querySelector('ol')!.children].map((li) => li.querySelector('a')!.textContent);
    expect(top).toEqual(['编辑说明', '一九二二年至一九二六年', '一九二七年以后', '讲话索引']);
    const part2 = [...toc.querySelector('ol')!.children][2]!;
    const speeches = [...part2.querySelector('ol')!.children];
    expect(speeches.map((li) => li.querySelector('a')!.textContent)).toEqual(['无声的中国', '革命时代的文学', '对于左翼作家联盟的意见']);
    const sections = [...speeches[2]!.querySelector('ol')!.children].map((li) => li.querySelector('a')!.getAttribute('href'));
    expect(sections).toEqual(['sp-005.xhtml#s1']);
    expect(e.xml('OEBPS/sp-005.xhtml').getElementById('s1')!.textContent).toMatch(/^第二，倘不明白革命的实际情形/);
    const ncx = e.xml('OEBPS/toc.ncx');
    const deepest = tag(ncx, 'content').find((c) => c.getAttribute('src') === 'sp-005.xhtml#s1')!;
    expect(deepest.parentElement!.parentElement!.parentElement!.querySelector('text')!.textContent).toBe('一九二七年以后');
    const orders = tag(ncx, 'navPoint').map((p) => Number(p.getAttribute('playOrder')));
    expect(orders).toEqual(orders.map((_, i) => i + 1));
  });

  it('gives a single speech its sections (the run-in leads 一、…) at the top', () => {
    const toc = tag(built['sample-h']!.xml('OEBPS/toc.xhtml'), 'nav').find((n) => epubType(n) === 'toc')!;
    const speech = toc.querySelector('ol')!.children[0]!;
    expect(speech.querySelector('a')!.textContent).toBe('在兰州新区高新技术企业座谈会上的讲话');
    const sections = [...speech.querySelector('ol')!.children].map((li) => li.textContent!.slice(0, 2));
    expect(sections).toEqual(['一、', '二、', '三、', '四、']);
  });

  it('nests （一） under 一、 for headings', () => {
    const toc = tag(built['synthetic-v']!.xml('OEBPS/toc.xhtml'), 'nav').find((n) => epubType(n) === 'toc')!;
    const speech = toc.querySelector('ol')!.children[0]!;
    const first = speech.querySelector('ol')!.children[0]!;
    expect(first.querySelector('a')!.textContent).toBe('一、总体情况');
    expect(first.querySelector('ol')!.querySelector('a')!.textContent).toBe('（一）关于产业');
  });

  it('has landmarks for cover, toc and the start of the body', () => {
    const landmarks = (e: OpenedEpub) =>
      tag(tag(e.xml('OEBPS/toc.xhtml'), 'nav').find((n) => epubType(n) === 'landmarks')!, 'a').map((a) => [epubType(a), a.getAttribute('href')]);
    expect(landmarks(built['corpus-h']!)).toEqual([
      ['cover', 'cover.xhtml'],
      ['toc', 'toc.xhtml#toc'],
      ['bodymatter', 'part-01.xhtml'],
    ]);
    expect(landmarks(built['sample-h']!)[2]).toEqual(['bodymatter', 'sp-001.xhtml']);
  });

  it('indexes a collection by date and by speaker', () => {
    const index = built['corpus-h']!.xml('OEBPS/index.xhtml');
    const byDate = [...index.querySelector('.index-by-date')!.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(byDate).toEqual(['sp-001.xhtml', 'sp-002.xhtml', 'sp-003.xhtml', 'sp-004.xhtml', 'sp-005.xhtml']);
    const speakers = [...index.querySelector('.index-by-speaker')!.querySelectorAll('h3')].map((h) => h.textContent);
    expect(speakers).toEqual(['梁启超', '鲁迅']);
    expect(built['sample-h']!.has('OEBPS/index.xhtml')).toBe(false);
  });
});

describe('layout', () => {
  const spineDirection = (e: OpenedEpub) => tag(e.xml('OEBPS/content.opf'), 'spine')[0]!.getAttribute('page-progression-direction');
  const writingMode = (e: OpenedEpub) =>
    tag(e.xml('OEBPS/content.opf'), 'meta').find((m) => m.getAttribute('name') === 'primary-writing-mode')?.getAttribute('content');

  it('vertical editions progress right to left and say they are vertical', () => {
    expect(spineDirection(built['sample-v']!)).toBe('rtl');
    expect(writingMode(built['sample-v']!)).toBe('vertical-rl');
    expect(built['sample-v']!.text('OEBPS/style.css')).toMatch(/-epub-writing-mode: vertical-rl/);
    expect(built['sample-v']!.text('OEBPS/sp-001.xhtml')).toContain('<span class="tcy">19</span>');
  });

  it('horizontal editions do not', () => {
    expect(spineDirection(built['sample-h']!)).toBeNull();
    expect(writingMode(built['sample-h']!)).toBeUndefined();
    expect(built['sample-h']!.text('OEBPS/style.css')).not.toMatch(/vertical-rl/);
    expect(built['sample-h']!.text('OEBPS/sp-001.xhtml')).not.toContain('class="tcy"');
  });

  it('puts cover, title page and table of contents before the body in the spine', () => {
    const spine = tag(built['corpus-v']!.xml('OEBPS/content.opf'), 'itemref').map((i) => i.getAttribute('idref'));
    expect(spine.slice(0, 6)).toEqual(['cover', 'title', 'nav', 'fm-01', 'part-01', 'sp-001']);
    expect(spine.at(-1)).toBe('index');
  });
});

describe('chapters', () => {
  /** Text of each block element of a chapter body, note marks removed. */
  function chapterBlocks(e: OpenedEpub, file: string): string[] {
    const doc = e.xml(`OEBPS/${file}`);
    for (const a of [...doc.querySelectorAll('a.noteref')]) a.remove();
    const body = doc.querySelector('.speech-body')!;
    return [...body.children].map((el) =>
      el.tagName === 'blockquote' || el.tagName === 'ol' || el.tagName === 'ul'
        ? [...el.children].map((c) => c.textContent).join('\n')
        : el.textContent!,
    );
  }

  function expectSpeechText(e: OpenedEpub, file: string, speech: Speech): void {
    const doc = e.xml(`OEBPS/${file}`);
    expect(doc.querySelector('h1.speech-title')!.textContent).toBe(speech.title);
    expect(chapterBlocks(e, file)).toEqual(speech.blocks.map(blockText));
  }

  it('holds exactly the text of each speech, horizontal and vertical', () => {
    const speech = sampleSpeech();
    expectSpeechText(built['sample-h']!, 'sp-001.xhtml', speech);
    expectSpeechText(built['sample-v']!, 'sp-001.xhtml', speech);
    const book = corpusBook();
    const speeches = book.parts.flatMap((p) => p.speeches);
    speeches.forEach((s, i) => {
      expectSpeechText(built['corpus-h']!, `sp-00${i + 1}.xhtml`, s);
      expectSpeechText(built['corpus-v']!, `sp-00${i + 1}.xhtml`, s);
    });
    expectSpeechText(built['synthetic-v']!, 'sp-001.xhtml', syntheticSpeech());
  });

  it('holds the text of the sample speech as the reader imports it', async () => {
    const speech = await readSample();
    expect(speech.blocks.length).toBeGreaterThan(5);
    expectSpeechText(built['read-sample-v']!, 'sp-001.xhtml', speech);
    expect(built['read-sample-v']!.xml('OEBPS/sp-001.xhtml').querySelector('.byline')!.textContent).toBe('甘肃省省长 任振鹤');
  });

  it('marks up every block kind, emphasis dots and footnotes', () => {
    const doc = built['synthetic-v']!.xml('OEBPS/sp-001.xhtml');
    expect(doc.querySelector('p.salutation')!.textContent).toBe('同志们：');
    expect(doc.querySelector('h2.level-1')!.querySelector('.heading-number')!.textContent).toBe('一、');
    expect(doc.querySelector('h3.level-2')).not.toBeNull();
    expect(doc.querySelector('em.dots')!.textContent).toBe('必须');
    expect(doc.querySelector('p.closing')!.textContent).toBe('谢谢大家！');
    const ref = doc.querySelector('a.noteref')!;
    expect(doc.getElementById(ref.getAttribute('href')!.slice(1))!.textContent).toContain('数据来自统计公报。');
    expect([...doc.querySelectorAll('.tcy')].map((s) => s.textContent)).toEqual(expect.arrayContaining(['5']));
    expect([...doc.querySelectorAll('.upright')].map((s) => s.textContent)).toEqual(expect.arrayContaining(['12%', '365', '1000', '2024']));
  });
});

describe('fonts', () => {
  it('embeds body and heading faces holding exactly the characters used', () => {
    const e = built['sample-h']!;
    const css = e.text('OEBPS/style.css');
    const fonts = e.names.filter((n) => n.startsWith('OEBPS/fonts/'));
    expect(fonts.some((f) => f.includes('/body-400-'))).toBe(true);
    expect(fonts.some((f) => f.includes('/heading-700-'))).toBe(true);
    for (const f of fonts) expect(css).toContain(`url("${f.replace('OEBPS/', '')}")`);
    const declared = new Set<number>();
    for (const m of css.matchAll(/font-family: "wenji-body";[^}]*unicode-range: ([^;]+);/g)) {
      for (const r of m[1]!.split(',')) {
        const [a, b] = r.replace('U+', '').split('-').map((x) => parseInt(x, 16));
        for (let c = a!; c <= (b ?? a!); c++) declared.add(c);
      }
    }
    const paragraphText = sampleSpeech().blocks.map((b) => (b.type === 'paragraph' ? inlineText(b.content) : '')).join('');
    for (const ch of paragraphText) expect(declared.has(ch.codePointAt(0)!), ch).toBe(true);
    expect(declared.has('鑫'.codePointAt(0)!)).toBe(false);
  });

  it('leaves fonts out when asked', () => {
    const e = built['corpus-tw-nofonts']!;
    expect(e.names.filter((n) => n.startsWith('OEBPS/fonts/'))).toEqual([]);
    expect(e.text('OEBPS/style.css')).not.toMatch(/@font-face\s*\{/);
  });
});

describe('cover', () => {
  it('renders a PNG cover and marks it cover-image', () => {
    const e = built['corpus-v']!;
    const item = tag(e.xml('OEBPS/content.opf'), 'item').find((i) => i.getAttribute('properties') === 'cover-image')!;
    expect(item.getAttribute('href')).toBe('cover.png');
    expect(e.has('OEBPS/cover.png')).toBe(true);
    expect(e.xml('OEBPS/cover.xhtml').querySelector('img')!.getAttribute('src')).toBe('cover.png');
  });

  it("uses the editor's image as it is", async () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(60).fill(7)]);
    const file = path.join(dir, 'cover-given.jpg');
    writeFileSync(file, jpeg);
    const book = { ...singleSpeechBook(syntheticSpeech()), cover: file };
    const e = openEpub(await buildEpub(book, edition('horizontal', { embedFonts: false }), path.join(dir, 'given.epub'), browser.get));
    expect(e.names).toContain('OEBPS/cover.jpeg');
    expect(readFileSync(file).equals(Buffer.from(e.entry('OEBPS/cover.jpeg')))).toBe(true);
  });

  it.each([
    ['missing', 'no-such-cover.png', /cover image does not exist/],
    ['not an image', 'cover.txt', /cover image is not a PNG, JPEG or GIF file/],
  ])('refuses a cover that is %s, writing nothing', async (_, name, message) => {
    const cover = path.join(dir, name);
    if (name.endsWith('.txt')) writeFileSync(cover, 'not an image');
    const out = path.join(dir, `bad-cover-${name}.epub`);
    const book = { ...singleSpeechBook(syntheticSpeech()), cover };
    const error = await buildEpub(book, edition('horizontal'), out, browser.get).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WenjiError);
    expect((error as WenjiError).message).toMatch(message);
    expect((error as WenjiError).file).toBe(cover);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('bad-cover') || f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('reproducibility', () => {
  it('builds the same bytes twice, in any time zone', async () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Shanghai';
      const again = openEpub(await buildEpub(corpusBook(), edition('vertical'), path.join(dir, 'again.epub'), browser.get));
      expect(Buffer.from(again.bytes).equals(Buffer.from(built['corpus-v']!.bytes))).toBe(true);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});
