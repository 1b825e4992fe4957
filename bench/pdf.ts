/**
 * PDF engines on a long book: the seven simplified corpus speeches (tests/render/fixtures.ts)
 * repeated until the book has about WENJI_BENCH_PDF_ROUNDS × 50 A5 pages (default 20 rounds
 * ≈ 1,000 pages), rendered by the real templates, paginated by each engine. Prints pages, seconds, pages per second,
 * Chromium CPU seconds and peak memory (this process + every Chromium process).
 *
 *   npx tsx bench/pdf.ts
 *   WENJI_BENCH_PDF_ROUNDS=5 WENJI_BENCH_PDF_CASES="horizontal pagedjs" npx tsx bench/pdf.ts
 *
 * Each case also reports its phases (paginate, print, ...), timed between the engine's
 * progress messages. Every case runs WENJI_BENCH_PDF_RUNS times (default 3), interleaved;
 * the median run is shown.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../src/browser/chromium.ts';
import type { Book, Edition, Engine, Layout } from '../src/model/book.ts';
import type { Speech } from '../src/model/speech.ts';
import { renderPrintHtml } from '../src/render/index.ts';
import { renderPdfBytes } from '../src/writers/pdf/index.ts';
import type { BenchRow } from './types.ts';
import { corpusSpeech, SIMPLIFIED_CORPUS_FILES } from '../tests/render/fixtures.ts';

export function longBook(rounds: number): Book {
  const base = SIMPLIFIED_CORPUS_FILES.map(corpusSpeech);
  const speeches: Speech[] = [];
  for (let r = 0; r < rounds; r++) base.forEach((s, i) => speeches.push({ ...s, id: `r${r}s${i}` }));
  return {
    title: '演讲集',
    editor: '编者',
    date: '1930-03-02',
    lang: 'zh-Hans',
    frontMatter: [],
    parts: [{ id: 'all', speeches }],
    backMatter: [],
  };
}

function edition(layout: Layout, engine: Engine): Edition {
  return { name: `bench-${layout}-${engine}`, preset: 'book', layout, script: 'hans', formats: ['pdf'], paper: 'A5', engine, embedFonts: true };
}

interface ProcSample {
  memory: number;
  cpu: number;
}

/**
 * Memory and CPU seconds of each process in a tree. Memory is resident anonymous + shared
 * memory: file-backed pages (Chromium's code, fonts) are left out, since summing them per
 * process would count the same pages many times.
 */
function sampleTree(root: number): Map<number, ProcSample> {
  const children = new Map<number, number[]>();
  const own = new Map<number, ProcSample>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(f[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      own.set(Number(d), { memory: (kib('RssAnon') + kib('RssShmem')) * 1024, cpu: (Number(f[11]) + Number(f[12])) / 100 });
    } catch {
      // the process ended while we looked
    }
  }
  const tree = new Map<number, ProcSample>();
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    const s = own.get(p);
    if (s) tree.set(p, s);
    stack.push(...(children.get(p) ?? []));
  }
  return tree;
}

async function run(browser: Browser, book: Book, layout: Layout, engine: Engine): Promise<BenchRow[]> {
  const pid = browser.process()?.pid;
  const cpuBefore = new Map([...(pid ? sampleTree(pid) : [])].map(([p, s]) => [p, s.cpu]));
  // Renderer processes come and go with pages: remember the last CPU time seen for each.
  const cpuSeen = new Map(cpuBefore);
  let peak = 0;
  const sample = () => {
    const tree = pid ? sampleTree(pid) : new Map<number, ProcSample>();
    let memory = process.memoryUsage().rss;
    for (const [p, s] of tree) {
      memory += s.memory;
      cpuSeen.set(p, s.cpu);
    }
    peak = Math.max(peak, memory);
  };
  const timer = setInterval(sample, 250);
  const t0 = performance.now();
  const ed = edition(layout, engine);
  const steps: { message: string; at: number }[] = [{ message: 'render HTML + load page', at: t0 }];
  const progress = (message: string) => steps.push({ message, at: performance.now() });
  const { printed } = await renderPdfBytes(book, ed, renderPrintHtml(book, ed), { browser: async () => browser, progress });
  const seconds = (performance.now() - t0) / 1000;
  steps.push({ message: 'end', at: performance.now() });
  clearInterval(timer);
  sample();
  let cpu = 0;
  for (const [p, c] of cpuSeen) cpu += c - (cpuBefore.get(p) ?? 0);
  const c = `${layout} ${engine}`;
  return [
    { area: 'pdf', case: c, metric: 'pages', value: printed.pages, unit: 'pages' },
    { area: 'pdf', case: c, metric: 'time', value: round(seconds), unit: 's', note: 'render HTML + paginate + print + outline/metadata' },
    ...steps.slice(0, -1).map((step, i) => ({
      area: 'pdf',
      case: c,
      metric: `phase ${i + 1}`,
      value: round((steps[i + 1].at - step.at) / 1000),
      unit: 's',
      note: step.message.replace(/\d+ pages/, 'N pages'),
    })),
    { area: 'pdf', case: c, metric: 'speed', value: round(printed.pages / seconds), unit: 'pages/s' },
    { area: 'pdf', case: c, metric: 'chromium cpu', value: round(cpu), unit: 's', note: 'all Chromium processes; less sensitive to a busy machine than wall time' },
    { area: 'pdf', case: c, metric: 'peak memory', value: Math.round(peak / 2 ** 20), unit: 'MiB', note: 'node RSS + Chromium processes (anonymous + shared memory), sampled every 250 ms' },
  ];
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The run whose time is the median (the lower middle one for an even count). */
function medianRun(runs: BenchRow[][]): BenchRow[] {
  const time = (rows: BenchRow[]) => rows.find((r) => r.metric === 'time')!.value;
  return [...runs].sort((a, b) => time(a) - time(b))[Math.floor((runs.length - 1) / 2)]!;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

export async function bench(): Promise<BenchRow[]> {
  const rounds = Number(process.env.WENJI_BENCH_PDF_ROUNDS ?? 20);
  // This machine's speed drifts by up to 2× from minute to minute (a shared host): each case
  // runs several times, interleaved with the others, and the median run is reported.
  const runs = Number(process.env.WENJI_BENCH_PDF_RUNS ?? 3);
  const book = longBook(rounds);
  const all = [
    ['vertical', 'chromium'],
    ['horizontal', 'chromium'],
    ['horizontal', 'pagedjs'],
  ] as const;
  // WENJI_BENCH_PDF_CASES="horizontal pagedjs,vertical chromium" runs only those cases.
  const wanted = process.env.WENJI_BENCH_PDF_CASES?.split(',').map((c) => c.trim());
  const cases = wanted ? all.filter(([layout, engine]) => wanted.includes(`${layout} ${engine}`)) : all;
  if (cases.length === 0) throw new Error(`WENJI_BENCH_PDF_CASES matches no case; cases: ${all.map((c) => c.join(' ')).join(', ')}`);
  const results = new Map<string, BenchRow[][]>(cases.map(([layout, engine]) => [`${layout} ${engine}`, []]));
  for (let r = 0; r < runs; r++) {
    for (const [layout, engine] of cases) {
      // One browser per run, so one run's leftovers do not weigh on the next.
      const browser = await launchBrowser();
      try {
        results.get(`${layout} ${engine}`)!.push(await run(browser, book, layout, engine));
      } finally {
        await browser.close();
      }
    }
  }
  const rows: BenchRow[] = [];
  const timeOf = (rows: BenchRow[]) => rows.find((r) => r.metric === 'time')!.value;
  for (const list of results.values()) {
    const peak = Math.max(...list.map((rows) => rows.find((r) => r.metric === 'peak memory')!.value));
    for (const row of medianRun(list)) {
      if (row.metric === 'time' && list.length > 1) rows.push({ ...row, note: `median of ${list.length} runs: ${list.map((l) => timeOf(l)).join(', ')} s` });
      else if (row.metric === 'peak memory') rows.push({ ...row, value: peak, note: `highest of ${list.length} runs; ${row.note}` });
      else rows.push(row);
    }
  }
  const paged = results.get('horizontal pagedjs');
  const native = results.get('horizontal chromium');
  if (paged && native) {
    // Each round ran the two back to back, on the same HTML apart from data-engine.
    const ratios = paged.map((p, i) => round(timeOf(p) / timeOf(native[i]!)));
    rows.push({
      area: 'pdf',
      case: 'horizontal',
      metric: 'pagedjs / native',
      value: median(ratios),
      unit: '×',
      note: `median of the ratios within each run: ${ratios.join(', ')}`,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench()) console.log([r.area, r.case, r.metric, r.value, r.unit, r.note ?? ''].join('\t'));
}
