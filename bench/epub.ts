/**
 * EPUB benchmark: a 100-speech book (the simplified corpus speeches and the sample speech,
 * repeated with their own titles and dates, in four parts) built horizontal and vertical
 * with fonts subset to the book. Reports the whole build and each stage of writeEpub.
 * Target: under 5 s a build.
 *
 * Run alone: npx tsx bench/epub.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../src/browser/chromium.ts';
import type { Book, Edition } from '../src/model/book.ts';
import { Diagnostics } from '../src/model/diagnostics.ts';
import type { Speech } from '../src/model/speech.ts';
import { charactersByFace, clearSubsetCache, subsetFace } from '../src/writers/epub/fonts.ts';
import { writeEpub } from '../src/writers/epub/index.ts';
import { corpusSpeech, sampleSpeech } from '../tests/epub/fixtures.ts';
import type { BenchRow } from './types.ts';

const AREA = 'epub';
const SPEECHES = 100;

function hundredSpeechBook(): Book {
  const pool: Speech[] = [
    sampleSpeech(),
    ...['03-liangqichao-xuewenzhiquwei', '04-luxun-jitanhua', '05-luxun-wushengdezhongguo', '06-luxun-gemingshidaidewenxue',
      '07-luxun-dushuzatan', '08-luxun-weijinfengdu', '09-luxun-zuolianyijian'].map((f) => corpusSpeech(`${f}.txt`)),
  ];
  const speeches = Array.from({ length: SPEECHES }, (_, i): Speech => {
    const s = pool[i % pool.length]!;
    const month = String((i % 12) + 1).padStart(2, '0');
    return { ...s, id: `s${i + 1}`, title: `${s.title}（之${i + 1}）`, date: `2024-${month}-${String((i % 27) + 1).padStart(2, '0')}` };
  });
  const quarter = (q: number) => speeches.filter((s) => Math.floor((Number(s.date!.slice(5, 7)) - 1) / 3) === q);
  return {
    title: '二〇二四年讲话选编',
    editor: '文集编辑组',
    publisher: '文集出版社',
    date: '2024-12-31',
    lang: 'zh-Hans',
    frontMatter: [],
    parts: ['第一季度', '第二季度', '第三季度', '第四季度'].map((title, q) => ({ id: `q${q + 1}`, title, speeches: quarter(q) })),
    backMatter: [],
  };
}

function edition(layout: Edition['layout']): Edition {
  return { name: `ebook-${layout}`, preset: 'ebook', layout, script: 'source', formats: ['epub'], paper: 'A5', engine: 'chromium', embedFonts: true };
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  rows.push({ area: AREA, case: 'setup', metric: 'load average at start', value: Math.round(loadavg()[0]! * 10) / 10, unit: '', note: 'times scale with the machine load' });
  const dir = mkdtempSync(path.join(tmpdir(), 'wenji-bench-epub-'));
  const book = hundredSpeechBook();
  const chars = book.parts.flatMap((p) => p.speeches).reduce((n, s) => n + JSON.stringify(s.blocks).length, 0);
  let t = performance.now();
  const browser = await launchBrowser();
  rows.push({ area: AREA, case: 'setup', metric: 'browser launch', value: Math.round(performance.now() - t), unit: 'ms', note: 'shared by the whole build' });
  try {
    // Font subsetting on its own, cold: body face for the paragraphs, heading face for titles.
    const speeches = book.parts.flatMap((p) => p.speeches);
    const text = charactersByFace([`<body>${speeches.map((s) => `<h1>${s.title}</h1><p>${JSON.stringify(s.blocks)}</p>`).join('')}</body>`]);
    t = performance.now();
    const body = await subsetFace('SC', 'body', text.body);
    const heading = await subsetFace('SC', 'heading', text.heading);
    rows.push({
      area: AREA,
      case: `${SPEECHES} speeches`,
      metric: 'font subsetting alone',
      value: Math.round(performance.now() - t),
      unit: 'ms',
      note: `${new Set(text.body).size} + ${new Set(text.heading).size} characters, ${body.fonts.length} + ${heading.fonts.length} font files, TrueType`,
    });
    clearSubsetCache();
    for (const layout of ['horizontal', 'vertical'] as const) {
      const c = `${SPEECHES} speeches, ${layout}`;
      const stages: [string, number][] = [];
      let last = performance.now();
      let stage = 'start';
      const start = last;
      const result = await writeEpub(book, edition(layout), {
        outFile: path.join(dir, `${layout}.epub`),
        browser: async () => browser,
        diagnostics: new Diagnostics(),
        progress: (m) => {
          const now = performance.now();
          if (stage !== 'start') stages.push([stage, now - last]);
          stage = m.replace(/^epub [^:]+: /, '');
          last = now;
        },
      });
      const total = performance.now() - start;
      for (const [name, ms] of stages) rows.push({ area: AREA, case: c, metric: `stage ${name}`, value: Math.round(ms), unit: 'ms' });
      const note = layout === 'horizontal' ? `first edition, cold; target < 5000 ms; ${Math.round(chars / 1000)}k chars of model JSON` : 'second edition of the same book: font subsets reused';
      rows.push({ area: AREA, case: c, metric: 'total', value: Math.round(total), unit: 'ms', note });
      rows.push({ area: AREA, case: c, metric: 'size', value: Math.round(result.bytes / 1024), unit: 'KiB' });
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await bench()) console.log(`${r.area}\t${r.case}\t${r.metric}\t${r.value} ${r.unit}${r.note ? `\t(${r.note})` : ''}`);
}
