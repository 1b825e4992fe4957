/**
 * Script conversion speed: a million characters of speech prose to tw and hk, converted
 * paragraph by paragraph as convertBook does (word segmentation, names and context rules
 * included). Building the pipelines (once per process) is measured separately.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js/core';
import * as Locale from 'opencc-js/preset';
import { createScriptConverter } from '../src/transforms/script/index.ts';
import type { BenchRow } from './types.ts';
import { SCRAPED_SAMPLE } from '../tests/fixtures/paths.ts';

const SAMPLE = SCRAPED_SAMPLE;
const MILLION = 1_000_000;

function millionCharacters(): string[] {
  const body = readFileSync(SAMPLE, 'utf8').split('\n').slice(16, 25).filter((l) => l.trim());
  const paragraphs: string[] = [];
  let total = 0;
  for (let i = 0; total < MILLION; i++) {
    const p = body[i % body.length]!;
    paragraphs.push(p);
    total += p.length;
  }
  return paragraphs;
}

export async function bench(): Promise<BenchRow[]> {
  const paragraphs = millionCharacters();
  const chars = paragraphs.reduce((n, p) => n + p.length, 0);
  const rows: BenchRow[] = [];
  for (const script of ['tw', 'hk'] as const) {
    let t = performance.now();
    const converter = createScriptConverter(script, 'zh-Hans');
    converter.convert('发展');
    const build = performance.now() - t;
    t = performance.now();
    const cpu = process.cpuUsage();
    let ambiguous = 0;
    for (const p of paragraphs) ambiguous += converter.convert(p).hits.length;
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    rows.push(
      { area: 'script', case: `cn→${script} pipeline build`, metric: 'time', value: Math.round(build), unit: 'ms', note: 'once per process' },
      { area: 'script', case: `cn→${script} 1M chars`, metric: 'time', value: Number(seconds.toFixed(3)), unit: 's', note: `target ≤ 1.5 s, word segmentation included; ${paragraphs.length} paragraphs, ${ambiguous} ambiguous hits recorded` },
      { area: 'script', case: `cn→${script} 1M chars`, metric: 'cpu time', value: Number(cpuSeconds.toFixed(3)), unit: 's', note: 'what the process itself used: less sensitive to a busy machine' },
      { area: 'script', case: `cn→${script} 1M chars`, metric: 'throughput', value: Math.round(chars / seconds), unit: 'chars/s' },
    );
    // opencc-js's own converter on the same paragraphs, for comparison on the same machine load.
    const plain = OpenCC.ConverterBuilder(Locale)({ from: 'cn', to: script });
    t = performance.now();
    const plainCpu = process.cpuUsage();
    for (const p of paragraphs) plain(p);
    const plainUsed = process.cpuUsage(plainCpu);
    rows.push(
      { area: 'script', case: `cn→${script} 1M chars, plain opencc-js`, metric: 'time', value: Number(((performance.now() - t) / 1000).toFixed(3)), unit: 's', note: 'baseline: no quotes, overrides, protection or report' },
      { area: 'script', case: `cn→${script} 1M chars, plain opencc-js`, metric: 'cpu time', value: Number(((plainUsed.user + plainUsed.system) / 1e6).toFixed(3)), unit: 's' },
    );
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await bench()) console.log(`${r.area}\t${r.case}\t${r.metric}\t${r.value} ${r.unit}${r.note ? `\t${r.note}` : ''}`);
}
