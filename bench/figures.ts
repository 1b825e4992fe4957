/**
 * Figures benchmark: a 100-speech book with 200 figures — 100 photographs (2400 × 1600 JPEG,
 * quality 95) and 100 line drawings (PNG), all different, made by sharp from a seed, so the
 * same bytes every run. Measures preparing the pictures (cold, from the disk cache, from
 * memory), then the EPUB and the horizontal PDF (both engines): time and size.
 *
 * Run alone: npx tsx bench/figures.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../src/browser/chromium.ts';
import type { Book, Edition, Engine } from '../src/model/book.ts';
import { Diagnostics } from '../src/model/diagnostics.ts';
import type { Block, Speech } from '../src/model/speech.ts';
import { EPUB_IMAGE_TARGET, forgetPreparedImages, prepareFigureImages, printImageTarget } from '../src/render/figure-images.ts';
import { writeEpub } from '../src/writers/epub/index.ts';
import { writePdf } from '../src/writers/pdf/index.ts';
import { corpusSpeech } from '../tests/render/fixtures.ts';
import { lineArt, photograph } from '../tests/fixtures/rich-content.ts';
import type { BenchRow } from './types.ts';

const AREA = 'figures';
const SPEECHES = 100;

async function figureBook(dir: string): Promise<{ book: Book; sourceBytes: number }> {
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const pool = ['04-luxun-jitanhua', '05-luxun-wushengdezhongguo', '07-luxun-dushuzatan', '09-luxun-zuolianyijian'].map((f) => corpusSpeech(`${f}.txt`));
  let sourceBytes = 0;
  const speeches: Speech[] = [];
  for (let i = 0; i < SPEECHES; i++) {
    const photo = await photograph(2400, 1600, i + 1, 95);
    const chart = await lineArt(1120 + (i % 7) * 16, 760);
    writeFileSync(path.join(dir, 'images', `p${i}.jpg`), photo);
    writeFileSync(path.join(dir, 'images', `c${i}.png`), chart);
    sourceBytes += photo.length + chart.length;
    const base = pool[i % pool.length]!;
    const fig = (src: string, caption: string): Block => ({ type: 'figure', image: { src }, alt: caption, caption: [{ type: 'text', text: caption }], credit: '摄影　文集编辑组' });
    const blocks = [...base.blocks];
    blocks.splice(1, 0, fig(`images/p${i}.jpg`, `会场全景之${i + 1}`));
    blocks.splice(4, 0, fig(`images/c${i}.png`, `各项指标对比之${i + 1}`));
    speeches.push({ ...base, id: `s${i + 1}`, title: `${base.title}（之${i + 1}）`, blocks, source: { file: path.join(dir, `s${i + 1}.md`) } });
  }
  return {
    book: { title: '图文讲话选编', date: '2024-12-31', lang: 'zh-Hans', frontMatter: [], parts: [{ id: 'p', speeches }], backMatter: [] },
    sourceBytes,
  };
}

const edition = (over: Partial<Edition>): Edition => ({ name: 'bench', preset: 'book', layout: 'horizontal', script: 'source', formats: ['pdf'], paper: 'A5', engine: 'chromium', embedFonts: true, ...over });

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const row = (c: string, metric: string, value: number, unit: string, note?: string) => rows.push({ area: AREA, case: c, metric, value, unit, note });
  row('setup', 'load average at start', Math.round(loadavg()[0]! * 10) / 10, '', 'times scale with the machine load');
  const dir = mkdtempSync(path.join(tmpdir(), 'wenji-bench-figures-'));
  const cache = path.join(dir, 'cache');
  try {
    let t = performance.now();
    const { book, sourceBytes } = await figureBook(dir);
    row('200 figures', 'source pictures', sourceBytes / 2 ** 20, 'MiB', `made in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const [name, target] of [['print A5', printImageTarget('A5')], ['EPUB', EPUB_IMAGE_TARGET]] as const) {
      forgetPreparedImages();
      t = performance.now();
      const made = await prepareFigureImages(book, target, cache);
      row('200 figures', `prepare for ${name}, cold`, (performance.now() - t) / 1000, 's', `${([...made.values()].reduce((n, im) => n + im.data.length, 0) / 2 ** 20).toFixed(1)} MiB out`);
      forgetPreparedImages();
      t = performance.now();
      await prepareFigureImages(book, target, cache);
      row('200 figures', `prepare for ${name}, disk cache`, (performance.now() - t) / 1000, 's');
    }
    const browser = await launchBrowser();
    try {
      t = performance.now();
      const epub = await writeEpub(book, edition({ preset: 'ebook', formats: ['epub'] }), { outFile: path.join(dir, 'book.epub'), browser: async () => browser, diagnostics: new Diagnostics(), cacheDir: cache });
      row('100 speeches, 200 figures', 'EPUB', (performance.now() - t) / 1000, 's', `${(epub.bytes / 2 ** 20).toFixed(1)} MiB`);
      for (const engine of ['chromium', 'pagedjs'] as Engine[]) {
        t = performance.now();
        const pdf = await writePdf(book, edition({ engine }), { outFile: path.join(dir, `book-${engine}.pdf`), browser: async () => browser, diagnostics: new Diagnostics(), cacheDir: cache });
        row('100 speeches, 200 figures', `PDF A5 horizontal, ${engine}`, (performance.now() - t) / 1000, 's', `${pdf.pages} pages, ${(pdf.bytes / 2 ** 20).toFixed(1)} MiB`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) console.log(r);
}
