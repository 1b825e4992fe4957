import { describe, expect, it } from 'vitest';
import { minChunkChars, placeChunks, planChunks, printWorkers } from '../../src/writers/pdf/chunks.ts';

const el = (chars: number, recto = true) => ({ chars, recto });

describe('planChunks', () => {
  it('keeps a small book in one chunk', () => {
    expect(planChunks([el(100), el(30_000), el(30_000)], 4, 80_000)).toEqual([{ start: 0, end: 3 }]);
  });

  it('splits a long book into runs of about equal text, at most one per worker', () => {
    const speeches = Array.from({ length: 20 }, () => el(10_000));
    expect(planChunks(speeches, 2, 50_000)).toEqual([
      { start: 0, end: 10 },
      { start: 10, end: 20 },
    ]);
    expect(planChunks(speeches, 4, 50_000)).toEqual([
      { start: 0, end: 5 },
      { start: 5, end: 10 },
      { start: 10, end: 15 },
      { start: 15, end: 20 },
    ]);
    // Text allows only three chunks of 60,000.
    expect(planChunks(speeches, 4, 60_000).length).toBe(3);
  });

  it('starts every chunk at a recto opening, never inside front matter', () => {
    const book = [el(10, false), el(10, true), el(10, false), el(50_000, true), el(10, false), el(50_000, true), el(50_000, true)];
    const chunks = planChunks(book, 2, 50_000);
    expect(chunks.length).toBe(2);
    for (const c of chunks.slice(1)) expect(book[c.start]!.recto).toBe(true);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(book.length);
  });

  it('gives up a split where no recto opening follows', () => {
    expect(planChunks([el(100_000), el(100_000, false)], 2, 50_000)).toEqual([{ start: 0, end: 2 }]);
  });
});

describe('placeChunks', () => {
  it('puts a blank page before a chunk that would open on a verso', () => {
    expect(placeChunks([11, 6, 5])).toEqual([
      { blankBefore: 0, offset: 0 },
      { blankBefore: 1, offset: 12 },
      { blankBefore: 0, offset: 18 },
    ]);
  });
});

describe('print worker settings', () => {
  it('reads WENJI_PDF_WORKERS and WENJI_PDF_CHUNK_CHARS, and rejects nonsense', () => {
    expect(printWorkers({ WENJI_PDF_WORKERS: '3' })).toBe(3);
    expect(printWorkers({})).toBeGreaterThanOrEqual(1);
    expect(minChunkChars({ WENJI_PDF_CHUNK_CHARS: '5000' })).toBe(5000);
    expect(minChunkChars({})).toBe(80_000);
    expect(() => printWorkers({ WENJI_PDF_WORKERS: '0' })).toThrow(/WENJI_PDF_WORKERS=0/);
    expect(() => minChunkChars({ WENJI_PDF_CHUNK_CHARS: 'many' })).toThrow(/whole number/);
  });
});
