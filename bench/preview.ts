/**
 * Preview benchmark: `wenji preview` on the generated 200-speech collection (bench/collection.ts),
 * opened in Chromium; as soon as the first speech is on show, a sentence is added to it on
 * disk, and the time is taken until the changed text is on the page (save → rebuild →
 * the changed chunk laid out and swapped in), while the rest of the book is still being laid
 * out. Target ≤ 1 s. The vertical edition, shown as the printed PDF, is measured up to the
 * new PDF being served.
 *
 * Run alone: npx tsx bench/run.ts preview   (WENJI_BENCH_SPEECHES=50 for a quicker run)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../src/browser/chromium.ts';
import { parsePreviewArgs, startPreview } from '../src/cli/preview.ts';
import { generateCollection } from './collection.ts';
import type { BenchRow } from './types.ts';

const AREA = 'preview';
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Adds a sentence of its own to the first paragraph of the speech file. */
function edit(file: string, n: number): string {
  const marker = `预览基准第${n}次改动。`;
  const text = readFileSync(file, 'utf8');
  const body = text.indexOf('\n---\n') + 5;
  const para = text.indexOf('\n\n', body) + 2;
  writeFileSync(file, `${text.slice(0, para)}${marker}${text.slice(para)}`);
  return marker;
}

/** The frames on show, in order. */
const SHOWN = '#frames iframe:not(.loading)';

export async function bench(): Promise<BenchRow[]> {
  const count = Number(process.env.WENJI_BENCH_SPEECHES ?? 200);
  const dir = mkdtempSync(path.join(tmpdir(), 'wenji-bench-preview-'));
  const startDir = process.cwd();
  const rows: BenchRow[] = [];
  const browser = await launchBrowser();
  const name = `${count} speeches`;
  try {
    generateCollection(dir, count);
    // wenji reads sources by the paths it shows, relative to the working directory.
    process.chdir(dir);

    // Horizontal: Paged.js in the page.
    {
      const log: string[] = [];
      const session = await startPreview(parsePreviewArgs(['book.yaml', '--edition', 'book', '--port', '0']), { say: (l) => log.push(l) });
      const page = await browser.newPage();
      await page.setViewport({ width: 1000, height: 900 });
      let t = performance.now();
      await page.goto(session.url);
      // The first speech of the book, as soon as it is on show.
      const title = (await (
        await page.waitForFunction(
          (sel: string) => {
            for (const f of document.querySelectorAll<HTMLIFrameElement>(sel)) {
              const el = f.contentDocument?.querySelector<HTMLElement>('article.speech');
              if (el) return el.dataset.bookmarkTitle;
            }
            return undefined;
          },
          { timeout: 600_000, polling: 20 },
          SHOWN,
        )
      ).jsonValue()) as string;
      rows.push({ area: AREA, case: `horizontal, ${name}`, metric: 'open → first speech shown', value: (performance.now() - t) / 1000, unit: 's' });
      const n = Number(/第(\d+)篇/.exec(title)![1]);
      const file = path.join(dir, 'speeches', `speech-${String(n).padStart(3, '0')}.md`);
      const times: number[] = [];
      const rebuilds: number[] = [];
      for (let i = 1; i <= RUNS; i++) {
        await session.idle();
        const marker = edit(file, i);
        t = performance.now();
        await page.waitForFunction(
          (sel: string, m: string) => [...document.querySelectorAll<HTMLIFrameElement>(sel)].some((f) => f.contentDocument?.body.textContent?.includes(m)),
          { timeout: 600_000, polling: 10 },
          SHOWN,
          marker,
        );
        times.push(performance.now() - t);
        const updated = log.filter((l) => l.startsWith('updated in ')).at(-1);
        rebuilds.push(Number(/updated in ([\d.]+) s/.exec(updated ?? '')?.[1] ?? NaN));
      }
      const pages = await page.evaluate(
        (sel: string) => [...document.querySelectorAll<HTMLIFrameElement>(sel)].reduce((k, f) => k + (f.contentDocument?.querySelectorAll('.pagedjs_page').length ?? 0), 0),
        SHOWN,
      );
      rows.push({
        area: AREA,
        case: `horizontal, ${name}`,
        metric: 'save → changed text shown',
        value: median(times) / 1000,
        unit: 's',
        note: `median of ${RUNS}; rebuild ${median(rebuilds).toFixed(2)} s of it; rest of the book still laying out (${pages} pages so far); target ≤ 1 s`,
      });
      await page.close();
      await session.close();
    }

    // Vertical: the printed PDF.
    {
      const log: string[] = [];
      const session = await startPreview(parsePreviewArgs(['book.yaml', '--edition', 'book-vertical', '--port', '0']), { say: (l) => log.push(l) });
      await session.idle();
      const before = session.server.version;
      if (!before) {
        rows.push({ area: AREA, case: `vertical, ${name}`, metric: 'save → new PDF served', value: NaN, unit: 's', note: `build failed: ${log.at(-1)}` });
      } else {
        const t = performance.now();
        edit(path.join(dir, 'speeches', 'speech-001.md'), RUNS + 1);
        await new Promise((r) => setTimeout(r, 200));
        await session.idle();
        const ok = session.server.version !== before;
        rows.push({
          area: AREA,
          case: `vertical, ${name}`,
          metric: 'save → new PDF served',
          value: ok ? (performance.now() - t) / 1000 : NaN,
          unit: 's',
          note: ok ? 'the whole book printed again' : `build failed: ${log.at(-1)}`,
        });
      }
      await session.close();
    }
  } finally {
    process.chdir(startDir);
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
