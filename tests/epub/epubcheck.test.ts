/**
 * epubcheck (the reference validator) on horizontal and vertical EPUBs of the sample
 * speech, a synthetic speech with every block kind, and a two-part book of corpus speeches.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Book, Layout } from '../../src/model/book.ts';
import { buildEpub, corpusBook, edition, lazyBrowser, sampleSpeech, singleSpeechBook, syntheticSpeech } from './fixtures.ts';
import { testFolder } from '../temp-folders.ts';

const run = promisify(execFile);
// epubcheck starts a JVM per file: ~4 s on an idle machine, over a minute on a busy one.
const EPUBCHECK_TIMEOUT = 300_000;
const EPUBCHECK = '/usr/share/java/epubcheck.jar';
// epubcheck validates recursively: a book of thousands of speeches overflows Java's default
// stack (StackOverflowError on 5,000 speeches), so it runs with a larger one, as the README says.

async function epubcheck(file: string): Promise<{ errors: number; warnings: number; output: string }> {
  let output: string;
  try {
    const r = await run('java', ['-Xss256m', '-jar', EPUBCHECK, file], { maxBuffer: 16 << 20 });
    output = r.stdout + r.stderr;
  } catch (e) {
    // epubcheck exits non-zero when it finds errors; its report is still on stdout/stderr.
    const err = e as { stdout?: string; stderr?: string };
    output = (err.stdout ?? '') + (err.stderr ?? '');
  }
  const m = /Messages: (\d+) fatals? \/ (\d+) errors? \/ (\d+) warnings?/.exec(output);
  if (!m) throw new Error(`epubcheck gave no summary:\n${output}`);
  return { errors: Number(m[1]) + Number(m[2]), warnings: Number(m[3]), output };
}

const browser = lazyBrowser();
let dir: string;
beforeAll(() => {
  dir = testFolder('epubcheck');
});
afterAll(() => browser.close());

const books: [string, () => Book, Layout[]][] = [
  ['sample speech', () => singleSpeechBook(sampleSpeech()), ['horizontal', 'vertical']],
  ['two-part corpus book', corpusBook, ['horizontal', 'vertical']],
  // Every block and inline kind (footnotes, lists, quotes, digit runs); vertical has the most markup.
  ['synthetic speech', () => singleSpeechBook(syntheticSpeech()), ['vertical']],
];

describe('epubcheck', () => {
  for (const [name, makeBook, layouts] of books) {
    for (const layout of layouts) {
      it(`${name}, ${layout}: 0 errors, 0 warnings`, async () => {
        const file = await buildEpub(makeBook(), edition(layout), path.join(dir, `${name.replace(/\W+/g, '-')}-${layout}.epub`), browser.get);
        const r = await epubcheck(file);
        expect(r.errors, r.output).toBe(0);
        expect(r.warnings, r.output).toBe(0);
      }, EPUBCHECK_TIMEOUT);
    }
  }

  it('a Taiwan edition without embedded fonts passes too', async () => {
    const file = await buildEpub(corpusBook(), edition('vertical', { embedFonts: false }, 'tw'), path.join(dir, 'tw.epub'), browser.get);
    const r = await epubcheck(file);
    expect(r.errors, r.output).toBe(0);
    expect(r.warnings, r.output).toBe(0);
  }, EPUBCHECK_TIMEOUT);
});
