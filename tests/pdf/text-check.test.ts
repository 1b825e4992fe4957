/**
 * Every PDF checks its own text: the comparison with the model (pure), the text read back
 * from a real PDF, and real Chromium builds that used to lose text (Paged.js on repetitive
 * paragraphs) or that lose it on purpose (an engine dropping a page).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import type { Book, Edition, Engine, Preset } from '../../src/model/book.ts';
import { Diagnostics, WenjiError } from '../../src/model/diagnostics.ts';
import type { Speech } from '../../src/model/speech.ts';
import { checkEpubText } from '../../src/writers/epub/index.ts';
import { PDF_ENGINES, writePdf } from '../../src/writers/pdf/index.ts';
import { pageTexts, parseToUnicode } from '../../src/writers/pdf/text.ts';
import { compareSpeechText, expectedSpeech, hanCodePoints, TextCheckError } from '../../src/writers/text-check.ts';
import { main } from '../../src/cli/main.ts';
import { lanzhouSpeech } from '../render/fixtures.ts';
import { testFolder } from '../temp-folders.ts';

const paragraph = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] });

function speechOf(title: string, paragraphs: string[]): Speech {
  return {
    id: 'repeat',
    title,
    speaker: { name: '张三' },
    date: '2024-01-02',
    source: { file: 'speeches/repeat.md' },
    lang: 'zh-Hans',
    blocks: paragraphs.map(paragraph),
  };
}

const bookOf = (s: Speech): Book => ({ title: '文集', date: '2024-01-02', lang: 'zh-Hans', frontMatter: [], parts: [{ id: 'p', speeches: [s] }], backMatter: [] });

const editionOf = (preset: Preset, engine: Engine): Edition => ({
  name: `${preset}-${engine}`,
  preset,
  layout: 'horizontal',
  script: 'source',
  formats: ['pdf'],
  paper: preset === 'handout' ? 'A4' : 'A5',
  engine,
  embedFonts: true,
});

describe('compareSpeechText', () => {
  const speech = speechOf('重复测试', ['我们要坚定信心，继续努力工作。', '谢谢大家！']);
  const expected = expectedSpeech(speech, 'sp-repeat', bookOf(speech));

  describe('notes, checked as their own sequence', () => {
    const withNotes: Speech = {
      ...speechOf('注释测试', ['我们要坚定信心，继续努力工作。', '同志们要团结一致，共同奋斗。']),
      notes: [
        { id: 'a', content: [{ type: 'text', text: '此句出自会议纪要第三页。' }] },
        { id: 'b', content: [{ type: 'text', text: '原稿此处有删节，据录音补。' }] },
      ],
    };
    const e = expectedSpeech(withNotes, 'sp-notes', bookOf(withNotes));

    it('accepts notes at the foot of the page that calls them, in the middle of the text', () => {
      expect(compareSpeechText(e, ['注释测试我们要坚定信心，①继续此句出自会议纪要第三页。', '努力工作。同志们要团结一致，②共同奋斗。原稿此处有删节，据录音补。'])).toBeUndefined();
    });
    it('accepts notes after the speech, and a note split over two pages', () => {
      expect(compareSpeechText(e, ['注释测试我们要坚定信心，继续努力工作。同志们要团结一致，共同奋斗。此句出自会议纪要第三页。原稿此处', '有删节，据录音补。'])).toBeUndefined();
    });
    it('fails when a note is lost, naming the note', () => {
      expect(compareSpeechText(e, ['注释测试我们要坚定信心，继续努力工作。同志们要团结一致，共同奋斗。原稿此处有删节，据录音补。'])).toMatchObject({ kind: 'missing', note: 1 });
    });
    it('fails when the text is lost even though the notes are there', () => {
      expect(compareSpeechText(e, ['注释测试我们要坚定信心，此句出自会议纪要第三页。同志们要团结一致，共同奋斗。原稿此处有删节，据录音补。'])).toMatchObject({ kind: 'missing' });
    });
    it('reads pinyin (Latin) over the text as no Han characters', () => {
      expect(hanCodePoints('xīnqū新区lǜ绿cháng长ㄓㄨˋ')).toEqual([...'新区绿长'].map((c) => c.codePointAt(0)));
    });
  });

  it('accepts the text with running heads, a byline and folios between', () => {
    expect(compareSpeechText(expected, ['重复测试张三（二〇二四年一月二日）我们要坚定信心，继续', '文集 2 努力工作。谢谢大家！'])).toBeUndefined();
  });

  it('finds text missing at the end and says where', () => {
    const problem = compareSpeechText(expected, ['重复测试我们要坚定信心，继续努力工作。']);
    expect(problem).toMatchObject({ kind: 'missing', shown: 17, total: 21 });
    expect(problem!.context).toContain('〔此处〕谢谢大家');
  });

  it('finds text printed twice', () => {
    // A line printed again at the top of the next page.
    const problem = compareSpeechText(expected, ['重复测试我们要坚定信心，继续努力', '我们要坚定信心，继续努力工作。谢谢大家！']);
    expect(problem).toMatchObject({ kind: 'doubled', context: '我们要坚定信心继续努力' });
    // A few characters left over (a running head matched against the text) are not.
    expect(compareSpeechText(expected, ['重复测试我们要坚定信心，继续', '坚定信心，继续努力工作。谢谢大家！'])).toBeUndefined();
  });

  it('leaves out characters it is told no face has', () => {
    const rare = speechOf('罕见字', ['名叫𠀀𪚥的人。']);
    const e = expectedSpeech(rare, 'sp-repeat', bookOf(rare));
    expect(compareSpeechText(e, ['罕见字名叫的人。'])).toMatchObject({ kind: 'missing' });
    expect(compareSpeechText(e, ['罕见字名叫的人。'], { skip: new Set([0x20000, 0x2a6a5]) })).toBeUndefined();
  });
});

describe('EPUB text check', () => {
  const speech = speechOf('重复测试', ['我们要坚定信心，继续努力工作。', '谢谢大家！']);
  const contents = { documents: [{ kind: 'speech' as const, file: 's1.xhtml', title: speech.title, speech, sectionIds: new Map() }], nav: [], bodyStart: 's1.xhtml' };
  const epub = (body: string) =>
    zipSync({ 'OEBPS/s1.xhtml': strToU8(`<html><body><h1>重复测试</h1>${body}</body></html>`) });

  it('accepts a chapter with all its text, character references included', () => {
    expect(() => checkEpubText(bookOf(speech), contents, epub('<p>我们要坚定信心，&#x7EE7;&#32493;努力工作。</p><p>谢谢大家！</p>'))).not.toThrow();
  });

  it('fails an EPUB whose chapter lost a paragraph', () => {
    expect(() => checkEpubText(bookOf(speech), contents, epub('<p>我们要坚定信心，继续努力工作。</p>'))).toThrow(/the EPUB lost text of “重复测试”/);
  });
});

describe('parseToUnicode', () => {
  it('reads bfchar and both kinds of bfrange', () => {
    const cmap = `1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0010> <D840DC00> endbfchar
2 beginbfrange <0020> <0022> <4E00> <0030> <0031> [<56FD> <5BB6>] endbfrange`;
    const { map, bytes } = parseToUnicode(cmap);
    expect(bytes).toBe(2);
    expect([0x3, 0x10, 0x20, 0x21, 0x22, 0x30, 0x31].map((c) => map.get(c))).toEqual([' ', '𠀀', '一', '丁', '丂', '国', '家']);
  });
});

describe('PDFs check their own text (real Chromium)', () => {
  const out = testFolder('text-check');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);
  afterAll(() => browser?.close());
  const build = (s: Speech, edition: Edition, name: string) => {
    const outFile = path.join(out, `${name}.pdf`);
    return writePdf(bookOf(s), edition, { outFile, browser: async () => browser, diagnostics: new Diagnostics() }).then(() => outFile);
  };
  const hanOfPdf = (file: string) => String.fromCodePoint(...hanCodePoints(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })));

  it('reads the same Han characters back as pdftotext, page by page', async () => {
    const file = await build(lanzhouSpeech(), editionOf('handout', 'pagedjs'), 'lanzhou');
    const doc = await PDFDocument.load(readFileSync(file));
    const ours = pageTexts(doc).map((t) => String.fromCodePoint(...hanCodePoints(t)));
    const theirs = ours.map((_, i) =>
      String.fromCodePoint(...hanCodePoints(execFileSync('pdftotext', ['-f', `${i + 1}`, '-l', `${i + 1}`, file, '-'], { encoding: 'utf8' }))),
    );
    expect(ours).toEqual(theirs);
  }, 120_000);

  // Paged.js resumed a broken text node at the first place its rest occurs: in repetitive
  // text, too early; it printed pages again and then stopped (1,849 of 10,837 characters).
  it('a Paged.js PDF that loses text is refused by its check (a paragraph of one repeated sentence)', async () => {
    const s = speechOf('重复句子', ['我们要坚定信心，继续努力工作。'.repeat(833), '谢谢大家！']);
    await expect(build(s, editionOf('book', 'pagedjs'), 'sentences')).rejects.toThrow(TextCheckError);
    expect(existsSync(path.join(out, 'sentences.pdf'))).toBe(false);
  }, 300_000);

  it('the build prints such a book with the chromium engine instead, whole, and says so', async () => {
    const dir = testFolder('fallback');
    const file = path.join(dir, 'repeat.txt');
    writeFileSync(file, `重复句子\n\n张三\n\n（2024年3月1日）\n\n${'我们要坚定信心，继续努力工作。'.repeat(60)}\n\n谢谢大家！\n`);
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['build', file, '--preset', 'book', '--format', 'pdf', '--out', path.join(dir, 'out')])).toBe(0);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/\[W-PDF-ENGINE-FALLBACK\]/);
    const text = hanOfPdf(path.join(dir, 'out', 'repeat-book-horizontal.pdf')).replaceAll('重复句子', '');
    expect(text.split('我们要坚定信心继续努力工作').length - 1).toBe(60);
    expect(text).toMatch(/谢谢大家/);
  }, 300_000);

  it('Paged.js prints 3,000 of one character in one paragraph, no more, no fewer', async () => {
    const file = await build(speechOf('一字', ['国'.repeat(3000) + '。']), editionOf('handout', 'pagedjs'), 'guo');
    expect(hanOfPdf(file).match(/国/g)?.length).toBe(3000);
  }, 300_000);

  it('refuses to write a PDF that lost a page, naming the speech and the place', async () => {
    const real = PDF_ENGINES.chromium.print;
    PDF_ENGINES.chromium.print = async (b, job) => {
      const printed = await real(b, job);
      printed.document.removePage(1);
      return { ...printed, pages: printed.pages - 1 };
    };
    try {
      const attempt = build(lanzhouSpeech(), editionOf('handout', 'chromium'), 'short');
      await expect(attempt).rejects.toThrow(WenjiError);
      await expect(attempt).rejects.toThrow(/lost text of “在兰州新区高新技术企业座谈会上的讲话”.*〔此处〕/);
      expect(existsSync(path.join(out, 'short.pdf'))).toBe(false);
    } finally {
      PDF_ENGINES.chromium.print = real;
    }
  }, 120_000);
});
