/**
 * Import throughput: the corpus speeches and the scraped sample, repeated to a few hundred,
 * normalised in memory (decoding, chrome removal, metadata, structure, punctuation), then
 * written as Markdown and read back. Aim: at least 500 speeches a second on one core.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeSource } from '../src/readers/encoding.ts';
import { readMarkdown } from '../src/readers/markdown.ts';
import { readScrapedText } from '../src/readers/text.ts';
import { speechToMarkdown } from '../src/writers/markdown/index.ts';
import type { BenchRow } from './types.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(): { file: string; bytes: Uint8Array }[] {
  const corpus = path.join(root, 'tests/fixtures/corpus');
  const files = [
    path.join(root, 'tests/fixtures/scraped/lanzhou-2024-scraped.txt'),
    ...readdirSync(corpus)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => path.join(corpus, f)),
  ];
  return files.map((file) => ({ file, bytes: readFileSync(file) }));
}

/**
 * CPU seconds spent in `fn` (user + system): on a machine shared with other builds, wall
 * time measures the neighbours; CPU time is what one core spends on our work.
 */
function time(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

export async function bench(): Promise<BenchRow[]> {
  const inputs = sources();
  const count = 400;
  const batch = Array.from({ length: count }, (_, i) => inputs[i % inputs.length]!);
  const chars = batch.reduce((n, s) => n + s.bytes.length, 0);

  // Warm up the JIT and regex caches on one pass of every input.
  for (const s of inputs) readScrapedText(decodeSource(s.bytes, s.file).text, s.file);

  const speeches: ReturnType<typeof readScrapedText>['speech'][] = [];
  const tImport = time(() => {
    for (const s of batch) speeches.push(readScrapedText(decodeSource(s.bytes, s.file).text, s.file).speech);
  });
  let markdown: string[] = [];
  const tWrite = time(() => {
    markdown = speeches.map(speechToMarkdown);
  });
  const tRead = time(() => {
    for (const md of markdown) readMarkdown(md, 'speech.md');
  });
  const note = `${count} speeches (corpus + sample repeated), ${(chars / 1024 / 1024).toFixed(1)} MiB; per CPU second`;
  return [
    { area: 'import', case: 'scraped text → Speech', metric: 'throughput', value: count / tImport, unit: 'speeches/s', note },
    { area: 'import', case: 'scraped text → Speech', metric: 'throughput', value: chars / tImport / 1024 / 1024, unit: 'MiB/s' },
    { area: 'import', case: 'Speech → Markdown', metric: 'throughput', value: count / tWrite, unit: 'speeches/s' },
    { area: 'import', case: 'Markdown → Speech', metric: 'throughput', value: count / tRead, unit: 'speeches/s' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench()) console.log(`${r.area}\t${r.case}\t${r.metric}\t${r.value.toFixed(1)} ${r.unit}${r.note ? `\t${r.note}` : ''}`);
}
