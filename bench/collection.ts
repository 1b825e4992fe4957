/**
 * Collection benchmark: a generated book of ~200 speeches (~1,000 A5 pages) built in every
 * edition (horizontal and vertical book PDF, EPUB, Taiwan vertical PDF + EPUB), with
 * per-stage times and the peak memory of wenji plus its Chromium; then a rebuild of the
 * EPUB after one speech changes. Targets: whole build < 60 s, < 2 GiB, rebuild < 10 s.
 *
 * Run alone: npx tsx bench/collection.ts   (WENJI_BENCH_SPEECHES=50 for a quicker run)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeBuild, type BuildResult } from '../src/build/execute.ts';
import { parseBuildArgs } from '../src/config/options.ts';
import { resolveBuild } from '../src/config/resolve.ts';
import type { BenchRow } from './types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.join(ROOT, 'tests/fixtures/corpus');
const AREA = 'collection';

/** Deterministic PRNG (mulberry32), so every run builds the same book. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sentences of the simplified corpus speeches: the pool generated speeches draw from. */
function corpusSentences(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => /^0[3-9].*\.txt$/.test(f))
    .flatMap((f) => readFileSync(path.join(CORPUS, f), 'utf8').replace(/<[^>]+>/g, '').match(/[^。！？\n]+[。！？]/g) ?? [])
    .map((t) => t.trim())
    .filter((t) => t.length > 12 && !t.startsWith('——'));
}

/**
 * Writes `count` Markdown speeches of ~1,900 characters (about five A5 pages each), each
 * paragraph a random draw of corpus sentences, so no two speeches count as duplicates.
 */
export function generateCollection(dir: string, count: number): void {
  const pool = corpusSentences();
  const rnd = random(20240319);
  mkdirSync(path.join(dir, 'speeches'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const paras: string[] = [];
    let chars = 0;
    while (chars < 1900) {
      let p = '';
      const n = 3 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) p += pool[Math.floor(rnd() * pool.length)]!;
      paras.push(p);
      chars += p.length;
    }
    const month = 1 + (i % 12);
    const day = 1 + (Math.floor(i / 12) % 28);
    const date = `2023-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const sections = paras.map((p, k) => (k > 0 && k % 4 === 0 ? `## ${'一二三四五六七八九十'[(k / 4 - 1) % 10]}、第${k / 4}部分\n\n${p}` : p));
    writeFileSync(
      path.join(dir, 'speeches', `speech-${String(i + 1).padStart(3, '0')}.md`),
      `---\ntitle: 第${i + 1}篇讲话\nspeaker: 讲者${(i % 7) + 1}\ndate: "${date}"\noccasion: 示例会议\n---\n\n${sections.join('\n\n')}\n`,
    );
  }
  writeFileSync(path.join(dir, 'preface.md'), '# 编辑说明\n\n本书为基准测试生成，收录讲话若干篇，按月编排。\n');
  writeFileSync(
    path.join(dir, 'book.yaml'),
    `title: 基准文集
editor: 基准编辑组
publisher: wenji
speeches: [speeches/*.md]
groupBy: month
frontMatter: [preface.md]
editions:
  - {name: book, preset: book, layout: horizontal, formats: [pdf]}
  - {name: book-vertical, preset: book, layout: vertical, formats: [pdf]}
  - {name: ebook, preset: ebook, formats: [epub]}
  - {name: taiwan-vertical, preset: book, layout: vertical, script: tw, formats: [pdf, epub]}
`,
  );
}

/**
 * Memory of this process and all its descendants (Chromium), from /proc: proportional set
 * size (shared pages split between the processes sharing them), else resident size.
 */
function treeMemoryBytes(pid = process.pid): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      let kb: string | undefined;
      try {
        kb = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1];
      } catch {
        kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      }
      if (kb) total += Number(kb) * 1024;
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        for (const c of children ? children.split(/\s+/) : []) visit(Number(c));
      }
    } catch {
      // the process ended while we looked
    }
  };
  visit(pid);
  return total;
}

async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peak: number }> {
  let peak = treeMemoryBytes();
  const timer = setInterval(() => {
    peak = Math.max(peak, treeMemoryBytes());
  }, 200);
  const t = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - t, peak: Math.max(peak, treeMemoryBytes()) };
  } finally {
    clearInterval(timer);
  }
}

function build(dir: string, args: string[]): Promise<BuildResult> {
  const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml'), '--out', path.join(dir, 'out'), ...args]), {
    env: { ...process.env, WENJI_CACHE_DIR: path.join(dir, 'cache') },
  });
  const start = performance.now();
  return executeBuild(plan, { progress: (l) => process.stderr.write(`  ${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s  ${l}\n`) });
}

export async function bench(): Promise<BenchRow[]> {
  const count = Number(process.env.WENJI_BENCH_SPEECHES ?? 200);
  const dir = mkdtempSync(path.join(tmpdir(), 'wenji-bench-collection-'));
  const rows: BenchRow[] = [];
  const caseName = `${count} speeches`;
  try {
    generateCollection(dir, count);
    const full = await measured(() => build(dir, []));
    const r = full.value;
    for (const s of r.stages) rows.push({ area: AREA, case: caseName, metric: `stage ${s.stage}`, value: +(s.ms / 1000).toFixed(2), unit: 's' });
    for (const o of r.outputs) {
      rows.push({
        area: AREA,
        case: caseName,
        metric: `${o.edition}.${o.format}`,
        value: o.ok ? (o.pages ?? +((o.bytes ?? 0) / 1024 / 1024).toFixed(2)) : -1,
        unit: o.ok ? (o.pages !== undefined ? 'pages' : 'MiB') : 'FAILED',
        note: o.ok ? undefined : o.error,
      });
    }
    const book = [...r.books.values()][0]!;
    const printed = book.parts.reduce((n, p) => n + p.speeches.length, 0);
    rows.push({ area: AREA, case: caseName, metric: 'speeches in the book', value: printed, unit: 'speeches', note: `${count - printed} dropped as duplicates` });
    rows.push({ area: AREA, case: caseName, metric: 'whole build', value: +(full.ms / 1000).toFixed(1), unit: 's', note: 'target < 60 s' });
    rows.push({ area: AREA, case: caseName, metric: 'peak memory (wenji + Chromium, PSS)', value: Math.round(full.peak / 1024 / 1024), unit: 'MiB', note: 'target < 2048 MiB' });

    // Rebuild after one speech changes: only that speech is normalised again.
    const one = path.join(dir, 'speeches', 'speech-007.md');
    writeFileSync(one, readFileSync(one, 'utf8').replace(/\n$/, '\n\n这是修改后新加的一段话。\n'));
    const again = await measured(() => build(dir, ['--edition', 'ebook']));
    for (const st of again.value.stages) {
      rows.push({ area: AREA, case: caseName, metric: `rebuild stage ${st.stage}`, value: +(st.ms / 1000).toFixed(2), unit: 's' });
    }
    rows.push({
      area: AREA,
      case: caseName,
      metric: 'EPUB rebuild after one speech changed',
      value: +(again.ms / 1000).toFixed(2),
      unit: 's',
      note: `target < 10 s; sources normalised again: ${again.value.cache.misses}, from cache: ${again.value.cache.hits}`,
    });
  } finally {
    if (!process.env.WENJI_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await bench();
  for (const r of rows) console.log(`${r.area}\t${r.case}\t${r.metric}\t${r.value}\t${r.unit}${r.note ? `\t${r.note}` : ''}`);
}
