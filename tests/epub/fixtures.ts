/**
 * Test inputs for the EPUB writer: the real scraped sample speech and corpus speeches,
 * turned into Speech objects with the editor's metadata (corpus/metadata.json). Built here
 * by hand so the writer's tests do not depend on the readers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../../src/browser/chromium.ts';
import type { Book, Edition, Layout, Script } from '../../src/model/book.ts';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import { writeEpub } from '../../src/writers/epub/index.ts';
import type { Block, Speech } from '../../src/model/speech.ts';

export { CORPUS_DIR, SCRAPED_SAMPLE as SAMPLE_FILE } from '../fixtures/paths.ts';
import { CORPUS_DIR, SCRAPED_SAMPLE as SAMPLE_FILE } from '../fixtures/paths.ts';

/** ASCII punctuation inside Chinese prose, as scraped pages have it, made full-width. */
function fullWidth(s: string): string {
  return s.replace(/,/g, '，').replace(/:/g, '：').replace(/;/g, '；').replace(/\?/g, '？').replace(/!/g, '！').replace(/\(/g, '（').replace(/\)/g, '）');
}

/** A paragraph; one opening with 一、 or 第一， … gets its first sentence as the run-in lead. */
function paragraph(text: string): Block {
  const m = /^((?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+，)[^。]*。)(.*)$/s.exec(text);
  if (m) return { type: 'paragraph', lead: [{ type: 'text', text: m[1]! }], content: [{ type: 'text', text: m[2]! }] };
  return { type: 'paragraph', content: [{ type: 'text', text }] };
}

export function sampleSpeech(): Speech {
  const lines = readFileSync(SAMPLE_FILE, 'utf8').split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith('今天到新区来'));
  const end = lines.findIndex((l) => l.startsWith('总之'));
  const body = lines.slice(start, end + 1).filter((l) => l !== '');
  return {
    id: 'lanzhou-2024',
    title: '在兰州新区高新技术企业座谈会上的讲话',
    speaker: { name: '任振鹤', role: '甘肃省省长' },
    date: '2024-03-19',
    source: { file: SAMPLE_FILE, published: '2024-05-09' },
    lang: 'zh-Hans',
    blocks: body.map((l) => paragraph(fullWidth(l))),
  };
}

interface CorpusMeta {
  title: string;
  speaker: string;
  date: string;
  venue: string;
  occasion: string | null;
  script: 'zh-Hans' | 'zh-Hant';
}

export function corpusSpeech(file: string): Speech {
  const meta = (JSON.parse(readFileSync(path.join(CORPUS_DIR, 'metadata.json'), 'utf8')) as Record<string, CorpusMeta>)[file]!;
  const lines = readFileSync(path.join(CORPUS_DIR, file), 'utf8')
    .split('\n')
    .map((l) => l.replace(/<[^>]+>/g, '').trim())
    .filter((l) => l !== '');
  const blocks: Block[] = lines.map((l) =>
    l.startsWith('——') ? { type: 'note', content: [{ type: 'text', text: l }] } : paragraph(l),
  );
  return {
    id: file.replace(/\.txt$/, ''),
    title: meta.title,
    speaker: { name: meta.speaker },
    date: meta.date,
    occasion: meta.occasion ?? undefined,
    venue: meta.venue,
    source: { file: path.join(CORPUS_DIR, file) },
    lang: meta.script,
    blocks,
  };
}

/** A speech with every block and inline kind, digits for 縱中橫 and characters to escape. */
export function syntheticSpeech(): Speech {
  return {
    id: 'synthetic',
    title: '关于<标记>与“引号”的说明 & 2024年工作',
    speaker: { name: '张三', role: '某市市长' },
    date: '2024-01-05',
    occasion: '全市工作会议',
    source: { file: 'synthetic.md' },
    lang: 'zh-Hans',
    blocks: [
      { type: 'salutation', content: [{ type: 'text', text: '同志们：' }] },
      { type: 'heading', level: 1, number: '一、', content: [{ type: 'text', text: '总体情况' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: '去年增长了12%，完成投资1000亿元，新增企业365户；' },
          { type: 'emphasis', children: [{ type: 'text', text: '必须' }] },
          { type: 'strong', children: [{ type: 'text', text: '坚持' }] },
          { type: 'text', text: "a<b & 'c' \"d\" = `e`。" },
          { type: 'noteRef', id: 'n1' },
        ],
      },
      { type: 'heading', level: 2, number: '（一）', content: [{ type: 'text', text: '关于产业' }] },
      { type: 'quote', paragraphs: [[{ type: 'text', text: '引文第一段。' }], [{ type: 'text', text: '引文第二段。' }]] },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: '第一项' }], [{ type: 'text', text: '第二项' }]] },
      { type: 'heading', level: 1, number: '二、', content: [{ type: 'text', text: '下一步工作' }] },
      { type: 'note', content: [{ type: 'text', text: '编者按：此处有删节。' }] },
      { type: 'closing', content: [{ type: 'text', text: '谢谢大家！' }] },
    ],
    notes: [{ id: 'n1', content: [{ type: 'text', text: '数据来自统计公报。' }] }],
  };
}

export function singleSpeechBook(speech: Speech): Book {
  return {
    title: speech.title,
    date: speech.date ?? '2024-01-01',
    lang: speech.lang,
    frontMatter: [],
    parts: [{ id: 'p1', speeches: [speech] }],
    backMatter: [],
  };
}

/** Several corpus speeches in two parts, with an editor, front matter and credits. */
export function corpusBook(): Book {
  const early = ['03-liangqichao-xuewenzhiquwei.txt', '04-luxun-jitanhua.txt'].map(corpusSpeech);
  const later = ['05-luxun-wushengdezhongguo.txt', '06-luxun-gemingshidaidewenxue.txt', '09-luxun-zuolianyijian.txt'].map(corpusSpeech);
  return {
    title: '演讲选集',
    subtitle: '一九二二—一九三〇',
    editor: '文集编辑组',
    publisher: '文集出版社',
    year: '2024',
    date: '1930-03-02',
    lang: 'zh-Hans',
    frontMatter: [
      { id: 'preface', title: '编辑说明', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '本书收录演讲五篇，按时间编排。' }] }] },
    ],
    parts: [
      { id: 'early', title: '一九二二年至一九二六年', speeches: early },
      { id: 'later', title: '一九二七年以后', speeches: later },
    ],
    backMatter: [],
    credits: ['文本来源：hmtx233/luxunwenji、pandazki/pneuma-skills（公有领域）'],
  };
}

export function edition(layout: Layout, overrides: Partial<Edition> = {}, script: Script = 'source'): Edition {
  return {
    name: `epub-${layout}`,
    preset: 'ebook',
    layout,
    script,
    formats: ['epub'],
    paper: 'A5',
    engine: 'chromium',
    embedFonts: true,
    ...overrides,
  };
}

/** Builds an EPUB with the writer, sharing one browser across a test file. */
export async function buildEpub(book: Book, ed: Edition, outFile: string, browser: () => Promise<Browser>): Promise<string> {
  await writeEpub(book, ed, { outFile, browser, diagnostics: new Diagnostics() });
  return outFile;
}

/** A browser launched on first use and closed by `close()`. */
export function lazyBrowser(): { get: () => Promise<Browser>; close: () => Promise<void> } {
  let launched: Promise<Browser> | undefined;
  return {
    get: () => (launched ??= launchBrowser()),
    close: async () => {
      if (launched) await (await launched).close();
    },
  };
}
