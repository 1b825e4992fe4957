/**
 * Ctrl-C in the middle of a PDF: the real CLI in a child process is interrupted while
 * Chromium paginates. It must exit non-zero and leave neither the PDF nor a temp file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { CORPUS, makeCollection } from './fixtures.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/wenji.js');

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

it('an interrupted build leaves no partial output and exits non-zero', async () => {
  const dir = makeCollection({
    'speeches/a.txt': readFileSync(path.join(CORPUS, '08-luxun-weijinfengdu.txt'), 'utf8'),
    'speeches/a.meta.yaml': 'title: 魏晋风度及文章与药及酒之关系\nspeaker: 鲁迅\ndate: "1927-07-23"\n',
    'book.yaml': 'title: 中断测试\nspeeches: [speeches/*.txt]\neditions:\n  - {name: book, preset: book, layout: horizontal, formats: [pdf]}\n',
  });
  const out = path.join(dir, 'out');
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  const child = spawn(process.execPath, [BIN, 'build', path.join(dir, 'book.yaml'), '--out', out], {
    env: { ...process.env, TMPDIR: tmp, WENJI_CACHE_DIR: path.join(dir, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let interrupted = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Interrupt once Chromium is at work on the PDF.
    if (!interrupted && /pdf: .*(paginat|pass 1|load)/.test(stderr)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : null))));
  expect({ interrupted, stderr: interrupted ? '' : stderr }).toEqual({ interrupted: true, stderr: '' });
  expect(code).toBe(130); // the interrupt handler's exit, not a crash
  expect(listFiles(out)).toEqual([]);
  // nor Chromium's profile, its temp files or the page being printed (tsx keeps its cache there)
  expect(readdirSync(tmp).filter((n) => !n.startsWith('tsx-'))).toEqual([]);
}, 180_000);
