/**
 * `npm run bench [AREA...]`: runs every bench/<area>.ts (or the named ones) and prints one
 * table. Timings are measured here, never asserted in tests.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Cheap, independent areas first; the collection build last (it uses everything).
const ORDER = ['import', 'script', 'epub', 'pdf', 'figures', 'collection'];

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function printTable(rows: BenchRow[]): void {
  const header = ['area', 'case', 'metric', 'value', 'unit', 'note'];
  const cells = rows.map((r) => [r.area, r.case, r.metric, formatValue(r.value), r.unit, r.note ?? '']);
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]!))));
  const line = (cs: string[]) =>
    cs.map((c, i) => (i === 3 ? ' '.repeat(widths[i]! - width(c)) + c : c + ' '.repeat(widths[i]! - width(c)))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const available = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !['run.ts', 'types.ts'].includes(f))
    .map((f) => f.slice(0, -3))
    .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  const areas = wanted.length ? wanted : available;
  const rows: BenchRow[] = [];
  for (const area of areas) {
    if (!available.includes(area)) throw new Error(`no benchmark named ${area}; have: ${available.join(', ')}`);
    process.stderr.write(`bench: ${area} …\n`);
    const mod = (await import(pathToFileURL(path.join(here, `${area}.ts`)).href)) as { bench(): Promise<BenchRow[]> };
    rows.push(...(await mod.bench()));
  }
  printTable(rows);
}

await main();
