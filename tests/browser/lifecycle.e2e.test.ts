/**
 * Chromium's life is tied to ours: after a build nothing keeps the process alive, no
 * profile folder is left in the temp folder, and a build killed outright (SIGKILL) leaves
 * no Chromium running.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { removeStaleTempFolders } from '../../src/browser/temp-folder.ts';
import { CORPUS_DIR } from '../fixtures/paths.ts';
import { testFolder } from '../temp-folders.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = path.join(CORPUS_DIR, '08-luxun-weijinfengdu.txt');
const work = testFolder('lifecycle');

/** Processes whose command line contains `needle` (Chromium's carries its profile folder). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) pids.push(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** What a run left in its temp folder (tsx, which runs the TypeScript sources, keeps its cache there). */
function leftIn(tmp: string): string[] {
  return readdirSync(tmp).filter((n) => !n.startsWith('tsx-'));
}

/** Runs tests/browser/alive-after.mjs with its own temp folder; returns its report and that folder. */
async function aliveAfter(name: string, args: string[]): Promise<{ exit: number | null; report: unknown; tmp: string }> {
  const tmp = path.join(work, `tmp-${name}`);
  mkdirSync(tmp);
  const report = path.join(work, `${name}.json`);
  const exit = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'tests/browser/alive-after.mjs'), ...args], {
      cwd: work,
      env: { ...process.env, TMPDIR: tmp, WENJI_PDF_WORKERS: '1', WENJI_CACHE_DIR: path.join(work, `cache-${name}`), WENJI_TEST_REPORT: report },
      stdio: 'ignore',
    });
    child.on('exit', (c) => resolve(c));
  });
  return { exit, report: existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined, tmp };
}

it('closing the browser right after a page closes leaves nothing that keeps the process alive', async () => {
  const { exit, report, tmp } = await aliveAfter('close', ['close']);
  expect(exit).toBe(0);
  expect(report).toEqual({ code: 0, alive: [] });
  expect(leftIn(tmp)).toEqual([]);
}, 120_000);

it('after a PDF build the CLI exits by itself: no timer, browser or handle is left, nothing in the temp folder', async () => {
  const { exit, report, tmp } = await aliveAfter('build', ['cli', 'build', SOURCE, '--preset', 'book', '--out', path.join(work, 'out')]);
  expect(exit).toBe(0);
  expect(report).toEqual({ code: 0, alive: [] });
  expect(leftIn(tmp)).toEqual([]);
}, 180_000);

it('a build killed outright (SIGKILL) leaves no Chromium running; the next run removes its temp folder', async () => {
  const tmp = path.join(work, 'tmp-kill');
  mkdirSync(tmp);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wenji.js'), 'build', SOURCE, '--preset', 'book', '--out', path.join(work, 'out-kill')], {
    env: { ...process.env, TMPDIR: tmp, WENJI_PDF_WORKERS: '1', WENJI_CACHE_DIR: path.join(work, 'cache-kill') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const marker = `${tmp}/wenji-${child.pid}-`;
  let stderr = '';
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/pdf: writing/.test(stderr)) resolve();
    });
    child.on('exit', () => resolve());
  });
  // Wait until Chromium is really at work (its renderers started), then kill.
  for (let i = 0; i < 100 && processesWith(marker).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
  const running = processesWith(marker);
  expect(running.length).toBeGreaterThan(0);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  // Chromium notices its pipe closing; allow a generous while for ~15 processes to end.
  for (let i = 0; i < 200 && processesWith(marker).length; i++) await new Promise((r) => setTimeout(r, 100));
  const left = processesWith(marker);
  for (const pid of left) process.kill(pid, 'SIGKILL'); // never leave them to the machine
  expect(left).toEqual([]);
  expect(leftIn(tmp)).toEqual([expect.stringMatching(new RegExp(`^wenji-${child.pid}-`))]);
  removeStaleTempFolders(tmp);
  expect(leftIn(tmp)).toEqual([]);
  const out = path.join(work, 'out-kill');
  expect(existsSync(out) ? readdirSync(out).filter((n) => n.endsWith('.pdf')) : []).toEqual([]);
}, 180_000);
