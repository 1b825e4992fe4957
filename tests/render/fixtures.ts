/**
 * Render fixtures built from the real sample texts, without the readers: the lanzhou speech
 * as the model describes it, and collections of corpus speeches (metadata from
 * metadata.json). The texts are taken from the files at run time, so the fixtures stay
 * faithful to them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Book, Edition, Part } from '../../src/model/book.ts';
import type { Block, Inline, Speech } from '../../src/model/speech.ts';

export { CORPUS_DIR, SCRAPED_SAMPLE as SAMPLE_FILE } from '../fixtures/paths.ts';
import { CORPUS_DIR, SCRAPED_SAMPLE as SAMPLE_FILE } from '../fixtures/paths.ts';

const t = (s: string): Inline => ({ type: 'text', text: s });

/** ASCII punctuation of the scraped page made full-width (what the normaliser does). */
function fullWidth(s: string): string {
  return s.replace(/,/g, '，').replace(/:/g, '：').replace(/\(/g, '（').replace(/\)/g, '）').trim();
}

/** The 9 body paragraphs of the sample page: the lines between the date line and the repeated title. */
export function lanzhouParagraphs(): string[] {
  const lines = readFileSync(SAMPLE_FILE, 'utf8').split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith('今天到新区来'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('总之'));
  return lines.slice(start, end + 1).filter(Boolean).map(fullWidth);
}

/** The sample speech as the readers should produce it: 9 paragraphs, 4 with run-in leads. */
export function lanzhouSpeech(): Speech {
  const blocks: Block[] = lanzhouParagraphs().map((p) => {
    const m = /^([一二三四]、[^。]*。)(.*)$/.exec(p);
    if (m) return { type: 'paragraph', lead: [t(m[1]!)], content: [t(m[2]!)] };
    return { type: 'paragraph', content: [t(p)] };
  });
  return {
    id: 'lanzhou-2024',
    title: '在兰州新区高新技术企业座谈会上的讲话',
    speaker: { name: '任振鹤', role: '甘肃省省长' },
    date: '2024-03-19',
    source: { file: SAMPLE_FILE, published: '2024-05-09' },
    lang: 'zh-Hans',
    blocks,
  };
}

interface CorpusMeta {
  title: string;
  speaker: string;
  date: string;
  venue?: string;
  occasion?: string | null;
  script: 'zh-Hans' | 'zh-Hant';
}

/** The seven simplified corpus speeches, the material long benchmark books repeat. */
export const SIMPLIFIED_CORPUS_FILES = [
  '03-liangqichao-xuewenzhiquwei.txt',
  '04-luxun-jitanhua.txt',
  '05-luxun-wushengdezhongguo.txt',
  '06-luxun-gemingshidaidewenxue.txt',
  '07-luxun-dushuzatan.txt',
  '08-luxun-weijinfengdu.txt',
  '09-luxun-zuolianyijian.txt',
];

/** A corpus speech: paragraphs are its non-empty lines; a leading ——… note becomes an editor's note. */
export function corpusSpeech(file: string): Speech {
  const meta = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'metadata.json'), 'utf8'))[file] as CorpusMeta;
  const lines = readFileSync(path.join(CORPUS_DIR, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const blocks: Block[] = lines.map((l) =>
    l.startsWith('——') ? { type: 'note', content: [t(l)] } : { type: 'paragraph', content: [t(l)] },
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

export function edition(over: Partial<Edition> = {}): Edition {
  return {
    name: 'test',
    preset: 'book',
    layout: 'horizontal',
    script: 'source',
    formats: ['pdf'],
    paper: 'A5',
    engine: 'chromium',
    embedFonts: true,
    ...over,
  };
}

/** A single-speech book, as a single-file build makes it. */
export function singleSpeechBook(speech: Speech = lanzhouSpeech()): Book {
  return {
    title: speech.title,
    date: speech.date ?? '2024-01-01',
    lang: speech.lang,
    frontMatter: [],
    parts: [{ id: 'part-1', speeches: [speech] }],
    backMatter: [],
  };
}

/** A collection in two parts (1920s Beijing / Guangzhou and after), with front and back matter. */
export function corpusBook(files = ['03-liangqichao-xuewenzhiquwei.txt', '04-luxun-jitanhua.txt', '06-luxun-gemingshidaidewenxue.txt', '07-luxun-dushuzatan.txt', '09-luxun-zuolianyijian.txt']): Book {
  const speeches = files.map(corpusSpeech).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const parts: Part[] = [
    { id: 'part-beijing', title: '第一编　北京时期', speeches: speeches.filter((s) => (s.date ?? '') < '1927') },
    { id: 'part-later', title: '第二编　广州与上海', speeches: speeches.filter((s) => (s.date ?? '') >= '1927') },
  ];
  return {
    title: '演讲选集',
    subtitle: '一九二二—一九三〇',
    editor: '文集编辑组',
    publisher: '文集示例出版社',
    year: '2024',
    identifier: 'urn:wenji:sample-0001',
    date: '2024-05-01',
    lang: 'zh-Hans',
    frontMatter: [
      {
        id: 'editorial',
        title: '编辑说明',
        blocks: [
          { type: 'paragraph', content: [t('本书收录一九二二年至一九三〇年间的公开演讲，按讲话日期排列，分为两编。')] },
          { type: 'paragraph', content: [t('文字以原刊为据，'), { type: 'emphasis', children: [t('不作改动')] }, t('；讲话日期与场合依通行注本。')] },
        ],
      },
    ],
    parts,
    backMatter: [{ id: 'afterword', title: '后记', blocks: [{ type: 'paragraph', content: [t('谨以此书纪念这些演讲。')] }] }],
    credits: ['鲁迅、梁启超演讲文本：公有领域，据公开整理本。'],
  };
}
