/**
 * The output folder is checked before anything is read or rendered: a --out that is a file,
 * lies below a file or cannot be written to is a one-line error naming it.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { executeBuild } from '../../src/build/execute.ts';
import { parseBuildArgs } from '../../src/config/options.ts';
import { resolveBuild } from '../../src/config/resolve.ts';
import { CORPUS, makeCollection } from './fixtures.ts';

function setUp(): string {
  return makeCollection({
    'speeches/a.txt': readFileSync(path.join(CORPUS, '08-luxun-weijinfengdu.txt'), 'utf8'),
    'speeches/a.meta.yaml': 'title: 魏晋风度及文章与药及酒之关系\nspeaker: 鲁迅\ndate: "1927-07-23"\n',
    'book.yaml': 'title: 输出测试\nspeeches: [speeches/*.txt]\neditions:\n  - {name: book, preset: book, layout: horizontal, formats: [pdf, html]}\n',
  });
}

/** Runs the build with stand-in writers and browser; returns the error and whether anything ran. */
async function buildInto(dir: string, out: string): Promise<{ error: string; ran: number }> {
  const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml'), '--out', out]), { env: {} });
  const writer = vi.fn(async () => ({ file: '', bytes: 0 }));
  const launch = vi.fn(async () => {
    throw new Error('no browser in this test');
  });
  const read = vi.fn(async () => {
    throw new Error('nothing should be read');
  });
  try {
    await executeBuild(plan, { writers: { pdf: writer, html: writer }, launch, read, noCache: true });
    return { error: '', ran: writer.mock.calls.length + launch.mock.calls.length + read.mock.calls.length };
  } catch (e) {
    return { error: (e as Error & { format?: () => string }).format?.() ?? String(e), ran: writer.mock.calls.length + launch.mock.calls.length + read.mock.calls.length };
  }
}

describe('the output folder', () => {
  it('an existing file as --out is refused before anything is read or rendered', async () => {
    const dir = setUp();
    const file = path.join(dir, 'taken.pdf');
    writeFileSync(file, 'x');
    const { error, ran } = await buildInto(dir, file);
    expect(error).toBe(`${file}: the output folder is a file: name a folder with --out (it is made if missing)`);
    expect(error.split('\n')).toHaveLength(1);
    expect(ran).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('a --out below a file is refused, naming the file in the way', async () => {
    const dir = setUp();
    const file = path.join(dir, 'taken');
    writeFileSync(file, 'x');
    const { error, ran } = await buildInto(dir, path.join(file, 'out'));
    expect(error).toBe(`${file}: is a file, so the output folder ${path.join(file, 'out')} cannot be made below it: name another folder with --out`);
    expect(ran).toBe(0);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only --out is refused before rendering', async () => {
    const dir = setUp();
    const out = path.join(dir, 'locked');
    mkdirSync(out);
    chmodSync(out, 0o555);
    const { error, ran } = await buildInto(dir, out);
    expect(error).toMatch(new RegExp(`^${out}: cannot write in the output folder \\(EACCES\\)`));
    expect(ran).toBe(0);
  });
});
