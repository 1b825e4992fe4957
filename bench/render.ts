/**
 * Print HTML rendering speed: a 200-speech book (the corpus speeches repeated, about
 * 1,000 A5 pages) rendered to one HTML document, horizontal and vertical. The first render
 * includes reading the font packages' CSS and building their coverage maps (once per
 * process); the second shows the steady cost per edition.
 */
import { fileURLToPath } from 'node:url';
import type { Book } from '../src/model/book.ts';
import { renderPrintHtml } from '../src/render/index.ts';
import { corpusSpeech, edition, SIMPLIFIED_CORPUS_FILES } from '../tests/render/fixtures.ts';
import type { BenchRow } from './types.ts';

function bigBook(speeches: number): Book {
  const base = SIMPLIFIED_CORPUS_FILES.map(corpusSpeech);
  const all = Array.from({ length: speeches }, (_, i) => ({ ...base[i % base.length]!, id: `s${i}` }));
  const parts = Array.from({ length: 10 }, (_, p) => ({ id: `p${p}`, title: `第${p + 1}编`, speeches: all.slice(p * 20, p * 20 + 20) }));
  return { title: '大型文集', date: '2024-01-01', lang: 'zh-Hans', frontMatter: [], parts, backMatter: [] };
}

export async function bench(): Promise<BenchRow[]> {
  const book = bigBook(200);
  const chars = book.parts.flatMap((p) => p.speeches).reduce((n, s) => n + JSON.stringify(s.blocks).length, 0);
  const rows: BenchRow[] = [];
  for (const layout of ['horizontal', 'vertical'] as const) {
    for (const round of ['first', 'again']) {
      const t0 = performance.now();
      const { html, fontSlices } = renderPrintHtml(book, edition({ layout }));
      const ms = performance.now() - t0;
      rows.push({ area: 'render', case: `200 speeches ${layout} (${round})`, metric: 'time', value: ms, unit: 'ms', note: `${(html.length / 1e6).toFixed(1)} M chars HTML, ${fontSlices.length} @font-face rules, ~${(chars / 1e6).toFixed(1)} M chars model` });
    }
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await bench()) console.log(`${r.area}\t${r.case}\t${r.metric}\t${r.value.toFixed(0)} ${r.unit}\t${r.note ?? ''}`);
}
