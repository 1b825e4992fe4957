/**
 * The largest paragraph, checked before rendering: Paged.js mis-paginates a paragraph that
 * runs over many pages (measured: 12,000 characters on A5 came out as 323 pages holding the
 * text many times over), so such a PDF is printed by Chromium instead, with a warning; and no
 * engine is given a paragraph beyond MAX_PARAGRAPH_CHARS (a 20 MB one-line source).
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { executeBuild, MAX_PARAGRAPH_CHARS, PAGEDJS_MAX_PARAGRAPH_CHARS } from '../../src/build/execute.ts';
import { parseBuildArgs } from '../../src/config/options.ts';
import { resolveBuild } from '../../src/config/resolve.ts';
import type { Edition } from '../../src/model/book.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { makeCollection } from './fixtures.ts';

function source(chars: number): string {
  const text = '魏晋风度及文章与药及酒之关系，'.repeat(Math.ceil(chars / 15)).slice(0, chars);
  return `---\ntitle: 长段\nspeaker: 鲁迅\ndate: 1927-07-23\n---\n\n开头一段。\n\n${text}\n`;
}

async function build(chars: number, extra: string[] = []) {
  const dir = makeCollection({ 'long.md': source(chars) });
  const plan = resolveBuild(parseBuildArgs([path.join(dir, 'long.md'), '--preset', 'book', '--format', 'pdf,html', '--out', path.join(dir, 'out'), ...extra]), { env: {} });
  const editions: Edition[] = [];
  const writer = vi.fn(async (_book: unknown, edition: Edition) => {
    editions.push(edition);
    return { file: '', bytes: 0 };
  });
  const launch = vi.fn(async () => {
    throw new Error('no browser in this test');
  });
  const result = await executeBuild(plan, { writers: { pdf: writer, html: writer }, launch, noCache: true });
  return { dir, result, editions, writer };
}

describe('the largest paragraph', () => {
  it('a paragraph Paged.js would mis-paginate sends that PDF to the chromium engine, with a warning naming file and line', async () => {
    const { dir, result, editions } = await build(PAGEDJS_MAX_PARAGRAPH_CHARS + 1);
    expect(editions.map((e) => e.engine)).toEqual(['chromium', 'pagedjs']); // the PDF, then the HTML as asked
    expect(result.diagnostics.filter((d) => d.code === 'W-PDF-LONG-PARAGRAPH')).toEqual([
      {
        severity: 'warning',
        code: 'W-PDF-LONG-PARAGRAPH',
        file: path.join(dir, 'long.md'),
        line: 9,
        message: `a paragraph of ${PAGEDJS_MAX_PARAGRAPH_CHARS + 1} characters: Paged.js mis-paginates paragraphs over ${PAGEDJS_MAX_PARAGRAPH_CHARS} characters, so this PDF is printed by the chromium engine; split the paragraph to keep Paged.js`,
      },
    ]);
  });

  it('a paragraph within the limit stays with Paged.js', async () => {
    const { result, editions } = await build(PAGEDJS_MAX_PARAGRAPH_CHARS);
    expect(editions.map((e) => e.engine)).toEqual(['pagedjs', 'pagedjs']);
    expect(result.diagnostics.filter((d) => d.code === 'W-PDF-LONG-PARAGRAPH')).toEqual([]);
  });

  it('a paragraph beyond what any engine is given is refused before rendering, with file and line', async () => {
    let error: unknown;
    const dir = makeCollection({ 'huge.md': source(MAX_PARAGRAPH_CHARS + 1) });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'huge.md'), '--format', 'html', '--out', path.join(dir, 'out')]), { env: {} });
    const writer = vi.fn(async () => ({ file: '', bytes: 0 }));
    try {
      await executeBuild(plan, { writers: { pdf: writer, html: writer }, noCache: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WenjiError);
    expect((error as WenjiError).format()).toBe(
      `${path.join(dir, 'huge.md')}:9: a paragraph of ${MAX_PARAGRAPH_CHARS + 1} characters, more than the ${MAX_PARAGRAPH_CHARS} wenji sets in one paragraph: split it into paragraphs (a blank line between them)`,
    );
    expect(writer).not.toHaveBeenCalled();
  });
});
