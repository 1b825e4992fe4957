/** The pure parts of the PDF post-processing and the Paged.js patcher. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Book } from '../../src/model/book.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { PAGED_PATCHES, patchPagedPolyfill } from '../../src/writers/pdf/pagedjs-patches.ts';
import { documentDate, outlineTree } from '../../src/writers/pdf/postprocess.ts';

const book = { date: '2024-03-19' } as Book;

describe('documentDate', () => {
  it('uses the book date, never the clock', () => {
    expect(documentDate(book, {}).toISOString()).toBe('2024-03-19T00:00:00.000Z');
  });
  it('prefers SOURCE_DATE_EPOCH when the build sets it', () => {
    expect(documentDate(book, { SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });
  it('rejects a malformed SOURCE_DATE_EPOCH', () => {
    expect(() => documentDate(book, { SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(WenjiError);
  });
});

describe('outlineTree', () => {
  it('hangs level-2 marks under the level-1 mark before them', () => {
    const m = (id: string, level: number) => ({ id, level, title: id, page: 1 });
    const tree = outlineTree([m('toc', 1), m('a', 1), m('a1', 2), m('a2', 2), m('b', 1), m('b1', 2)]);
    expect(tree.map((n) => [n.mark.id, n.children.map((c) => c.mark.id)])).toEqual([
      ['toc', []],
      ['a', ['a1', 'a2']],
      ['b', ['b1']],
    ]);
  });
});

describe('patchPagedPolyfill', () => {
  const entry = createRequire(import.meta.url).resolve('pagedjs');
  const file = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}pagedjs${path.sep}`) + 8), 'dist/paged.polyfill.js');
  const source = readFileSync(file, 'utf8');

  it('applies every patch to Paged.js 0.4.3 exactly once', () => {
    const patched = patchPagedPolyfill(source, file);
    expect(patched).toContain('wenjiFirstOverflowingLetter(word, end, vEnd)');
    expect(patched).not.toContain('tokens.lastIndexOf(newToken)');
  });

  it('fails loudly when the source no longer matches', () => {
    const changed = source.replace(PAGED_PATCHES[1].find, '/* changed upstream */');
    expect(() => patchPagedPolyfill(changed, file)).toThrow(/not the version wenji was written for/);
  });
});
