/**
 * Preview benchmark: `wenji preview` on the generated 200-speech collection (bench/collection.ts),
 * opened in Chromium at a speech in the middle of the book; one sentence of that speech is
 * changed on disk, and the time is taken until the changed text is on the page (save →
 * rebuild → reload → laid out up to that speech). Target ≤ 1 s. The vertical edition, shown
 * as the printed PDF, is measured the same way up to the new PDF being served.
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

export async function bench(): Promise<BenchRow[]> {
  const count = Number(process.env.WENJI_BENCH_SPEECHES ?? 200);
  const dir = mkdtempSync(path.join(tmpdir(), 'wenji-bench-preview-'));
  const startDir = process.cwd();
  const rows: BenchRow[] = [];
  const browser = await launchBrowser();
  try {
    generateCollection(dir, count);
    // wenji reads sources by the paths it shows, relative to the working directory.
    process.chdir(dir);
    const middle = Math.ceil(count / 2);
    const file = path.join(dir, 'speeches', `speech-${String(middle).padStart(3, '0')}.md`);
    const title = `第${middle}篇讲话`;

    // Horizontal: Paged.js in the page.
    {
      const log: string[] = [];
      const session = await startPreview(parsePreviewArgs(['book.yaml', '--edition', 'book', '--port', '0']), { say: (l) => log.push(l) });
      const page = await browser.newPage();
      await page.setViewport({ width: 1000, height: 900 });
      let t = performance.now();
      await page.goto(session.url);
      await page.waitForFunction(
        (t: string) =>
          [...document.querySelectorAll<HTMLIFrameElement>('#frames iframe:not(.loading)')].some((f) =>
            f.contentDocument?.querySelector(`article[data-bookmark-title="${t}"]`),
          ),
        { timeout: 600_000, polling: 20 },
        title,
      );
      rows.push({ area: AREA, case: `horizontal, ${count} speeches`, metric: 'first view at speech', value: (performance.now() - t) / 1000, unit: 's' });
      await page.waitForFunction(() => document.documentElement.dataset.laidOut === 'all', { timeout: 600_000 });
      const pages = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLIFrameElement>('#frames iframe:not(.loading)')].reduce((n, f) => n + f.contentDocument!.querySelectorAll('.pagedjs_page').length, 0),
      );
      rows.push({ area: AREA, case: `horizontal, ${count} speeches`, metric: 'whole book laid out', value: (performance.now() - t) / 1000, unit: 's', note: `${pages} pages` });
      await page.evaluate((t: string) => {
        const scroller = document.getElementById('frames')!;
        for (const frame of document.querySelectorAll<HTMLIFrameElement>('#frames iframe:not(.loading)')) {
          const el = frame.contentDocument!.querySelector(`article[data-bookmark-title="${t}"]`);
          if (el) scroller.scrollTop += frame.getBoundingClientRect().top + el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + 200;
        }
      }, title);
      const times: number[] = [];
      const rebuilds: number[] = [];
      for (let i = 1; i <= RUNS; i++) {
        // Let the previous reload finish laying out the rest of the book.
        await page.waitForFunction(() => document.documentElement.dataset.laidOut === 'all', { timeout: 600_000 });
        await session.idle();
        const marker = edit(file, i);
        t = performance.now();
        await page.waitForFunction(
          (m: string) => [...document.querySelectorAll<HTMLIFrameElement>('#frames iframe:not(.loading)')].some((f) => f.contentDocument?.body.textContent?.includes(m)),
          { timeout: 600_000, polling: 10 },
          marker,
        );
        times.push(performance.now() - t);
        const updated = log.filter((l) => l.startsWith('updated in ')).at(-1);
        rebuilds.push(Number(/updated in ([\d.]+) s/.exec(updated ?? '')?.[1] ?? NaN));
      }
      rows.push({
        area: AREA,
        case: `horizontal, ${count} speeches`,
        metric: 'save → changed text shown',
        value: median(times) / 1000,
        unit: 's',
        note: `median of ${RUNS}; rebuild ${median(rebuilds).toFixed(2)} s of it; target ≤ 1 s`,
      });
      await page.close();
      await session.close();
    }

    // Vertical: the printed PDF.
    {
      const session = await startPreview(parsePreviewArgs(['book.yaml', '--edition', 'book-vertical', '--port', '0']), { say: () => {} });
      await session.idle();
      const t = performance.now();
      edit(file, RUNS + 1);
      // The watcher's event arrives, the build runs; idle() covers a build once it started.
      while (!session.server.version || performance.now() - t < 200) await new Promise((r) => setTimeout(r, 20));
      const before = session.server.version;
      while (session.server.version === before) await new Promise((r) => setTimeout(r, 20));
      rows.push({ area: AREA, case: `vertical, ${count} speeches`, metric: 'save → new PDF served', value: (performance.now() - t) / 1000, unit: 's', note: 'the whole book printed again' });
      await session.close();
    }
  } finally {
    process.chdir(startDir);
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
