/**
 * Typography a Chinese typesetter checks, measured on the built PDFs glyph by glyph
 * (tests/pdf/glyphs.ts): the GB/T 9704 grid of the handout (22 lines of 28 characters, 仿宋
 * body), and, for the books, punctuation trimmed at line ends, numbers in vertical text,
 * widows and balanced spreads.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import { run } from '../../src/cli/build.ts';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import { writePdf } from '../../src/writers/pdf/index.ts';
import { edition, lanzhouSpeech, singleSpeechBook } from '../render/fixtures.ts';
import { pdfGlyphs, textLines, type Glyph, type GlyphPage } from './glyphs.ts';
import { testFolder } from '../temp-folders.ts';

const out = testFolder('typography');

/** `wenji build ARGS --out DIR`, quietly; the PDFs it wrote. */
async function wenjiBuild(args: string[], dir: string): Promise<string[]> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    expect(await run([...args, '--out', dir])).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => path.join(dir, f));
}

const MM = 72 / 25.4;
/** Characters that may not start a line, and opening brackets, which may not end one. */
const NO_LINE_START = /[、，。．：；！？）］｝〕〉》」』】〙〗’”…—]/u;
const OPENING = /[（［｛〔〈《「『【〘〖‘“]/u;
const FULL_WIDTH = /[\u2e80-\u9fff\uf900-\ufaff\uff01-\uff5e\u3000-\u303f\u2018-\u201d\u2014\u2026]|[\u{20000}-\u{3ffff}]/u;

describe('handout on the GB/T 9704 grid', () => {
  let pages: GlyphPage[];
  let file: string;
  const cell = (156 * MM) / 28;
  const left = (page: number) => (page % 2 === 1 ? 28 : 26) * MM;

  beforeAll(async () => {
    const sources = readdirSync('content/speeches').filter((f) => f.endsWith('.md')).map((f) => path.join('content/speeches', f));
    [file] = await wenjiBuild([...sources, '--preset', 'handout'], path.join(out, 'handout'));
    pages = await pdfGlyphs(file!);
  }, 300_000);

  /** Body lines: inside the 225 mm type area under the 37 mm top margin (the folio is below it). */
  const bodyLines = (p: GlyphPage) => textLines(p.glyphs.filter((g) => g.y > 37 * MM && g.y < (37 + 225) * MM + 2), false);

  it('holds 22 lines on every page but a speech’s last', () => {
    expect(pages.length).toBeGreaterThan(3);
    // Pages 2 … n-1: the first carries the title block, the last ends the speech.
    const counts = pages.slice(1, -1).map((p, i) => ({ page: i + 2, lines: bodyLines(p).length }));
    expect(counts).toEqual(counts.map((c) => ({ ...c, lines: 22 })));
    // Lines 225/22 mm apart (to the nearest device pixel).
    for (const p of pages.slice(1, -1)) {
      const ys = bodyLines(p).map((l) => l[0]!.y);
      expect(Math.abs(ys[21]! - ys[0]! - (21 * 225 * MM) / 22)).toBeLessThan(1.5);
    }
  });

  it('sets 28 characters a full line, the first line of a paragraph two cells in', () => {
    let full = 0;
    let exact = 0;
    pages.forEach((p, i) => {
      const lines = bodyLines(p);
      const x0 = left(i + 1);
      lines.forEach((l, j) => {
        const start = l[0]!.x - x0;
        const end = l.at(-1)!.x + l.at(-1)!.advance - x0;
        // Every line starts at the margin or two cells in (a paragraph's first line; the title block is centred).
        // An opening bracket that starts a line is trimmed: its origin is half a cell out.
        const cellStart = Math.round((start + (OPENING.test(l[0]!.text) ? cell / 2 : 0)) / cell) || 0;
        if (i > 0) expect({ page: i + 1, line: j + 1, start: cellStart }).toEqual({ page: i + 1, line: j + 1, start: Math.abs(start - 2 * cell) < 1 ? 2 : 0 });
        if (Math.abs(end - 156 * MM) > 1) return; // a paragraph's last line
        full++;
        const cells = l.reduce((n, g) => n + (FULL_WIDTH.test(g.text) ? 1 : 0.5), 0) + start / cell;
        const next = lines[j + 1] ?? bodyLines(pages[i + 1] ?? { glyphs: [], width: 0, height: 0 })[0];
        // Characters moved over because the next line would start with 、。” or this one end with “
        // (a quotation mark keeps to its neighbours on both sides): the line is justified.
        const pushed = !!next && (NO_LINE_START.test(next[1]?.text ?? '') || OPENING.test(next[0]!.text) || OPENING.test(next[1]?.text ?? ''));
        const text = l.map((g) => g.text).join('');
        if (Math.round(cells) === 28) exact++;
        // Half-width digits and Latin leave less than a cell over.
        else if (!pushed && l.some((g) => !FULL_WIDTH.test(g.text))) expect({ text, cells }).toEqual({ text, cells: expect.closeTo(27.5, 0) });
        // Two punctuation marks in a row share a cell and a half: one more character fits.
        else if (/[、，。：；！？）》」』”’][、，。：；！？）》」』”’（《「『“‘]/u.test(text)) expect({ text, cells: Math.round(cells) }).toEqual({ text, cells: 29 });
        else expect({ page: i + 1, text, short: pushed ? 28 - Math.round(cells) <= 2 : false }).toEqual({ page: i + 1, text, short: true });
      });
    });
    expect(full).toBeGreaterThan(90);
    // Most lines hold 28 characters; each other one has a reason checked above.
    expect(exact / full).toBeGreaterThan(0.75);
  });

  it('sets the body in FangSong and the title in the heaviest Song', () => {
    const body = pages.slice(1).flatMap((p) => bodyLines(p).flat());
    const fang = body.filter((g) => g.font === 'FandolFang-Regular').length;
    expect(fang / body.length).toBeGreaterThan(0.85);
    const title = pages[0]!.glyphs.filter((g) => g.size > 20);
    expect(title.length).toBeGreaterThan(10);
    expect(new Set(title.map((g) => g.font))).toEqual(new Set(['NotoSerifSC-Black']));
  });

  it('embeds only TrueType (CID) fonts', () => {
    const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(rows.some((r) => r.startsWith('MAAAAA+FandolFang') || /\+FandolFang-Regular\s/.test(r))).toBe(true);
    expect(rows.filter((r) => !/CID TrueType\s+Identity-H\s+yes yes yes/.test(r))).toEqual([]);
  });
});

describe('numbers in vertical text', () => {
  let browser: Browser;
  let pages: GlyphPage[];
  beforeAll(async () => {
    browser = await launchBrowser();
    const speech = lanzhouSpeech();
    // The sample speech has 3, 5%, 36%, 10 and 1000; a decimal, thousands and a three-digit count added.
    speech.blocks.push({ type: 'paragraph', content: [{ type: 'text', text: '全年增速达到35.6%，新增高新技术企业128家，总数达到1,250家，占比36%。' }] });
    const file = path.join(out, 'numbers-vertical.pdf');
    await writePdf(singleSpeechBook(speech), edition({ name: 'numbers', layout: 'vertical' }), { outFile: file, browser: async () => browser, diagnostics: new Diagnostics() });
    pages = await pdfGlyphs(file);
  }, 300_000);
  afterAll(() => browser?.close());

  /** Runs of number characters in drawing order, each glyph within an em of the one before. */
  function numberRuns(p: GlyphPage): Glyph[][] {
    const runs: Glyph[][] = [];
    let cur: Glyph[] = [];
    for (const g of p.glyphs) {
      const prev = cur.at(-1);
      const isNum = /^[0-9.,%]$/.test(g.text) && g.y < p.height - 60; // not the folio
      if (isNum && prev && Math.hypot(g.x - prev.x, g.y - prev.y) < 1.3 * prev.size) cur.push(g);
      else {
        if (cur.length) runs.push(cur);
        cur = isNum ? [g] : [];
      }
    }
    if (cur.length) runs.push(cur);
    return runs;
  }

  it('sets one or two characters in one cell, longer numbers upright one per cell, never split', () => {
    const runs = pages.flatMap(numberRuns);
    const texts = runs.map((r) => r.map((g) => g.text).join(''));
    expect(texts).toEqual(expect.arrayContaining(['3', '5%', '36%', '1000', '10', '35.6%', '128', '1,250']));
    for (const r of runs) {
      const text = r.map((g) => g.text).join('');
      // Never broken at a column end: each run is a whole number.
      expect(text).toMatch(/^[0-9]+(?:[.,][0-9]+)*%?$/);
      const em = Math.max(...r.map((g) => g.size));
      const oneCell = Math.max(...r.map((g) => g.y)) - Math.min(...r.map((g) => g.y)) < 0.3 * em;
      const column = Math.max(...r.map((g) => g.x + g.advance / 2)) - Math.min(...r.map((g) => g.x + g.advance / 2)) < 0.3 * em;
      const steps = r.slice(1).map((g, i) => g.y - r[i]!.y);
      expect({ text, oneCell, upright: !oneCell && column && steps.every((d) => d > 0.8 * em) && r.every((g) => !g.rotated) }).toEqual(
        text.length <= 2 ? { text, oneCell: true, upright: false } : { text, oneCell: false, upright: true },
      );
    }
  });
});

describe.each([
  ['book', false, 'pagedjs'],
  ['book', false, 'chromium'],
  ['book-vertical', true, 'chromium'],
] as const)('sample collection, edition %s by %s', (name, vertical, engine) => {
  let pages: GlyphPage[];
  let file: string;
  beforeAll(async () => {
    [file] = await wenjiBuild(['content/collection/book.yaml', '--edition', name, '--engine', engine], path.join(out, `${name}-${engine}`));
    pages = await pdfGlyphs(file!);
  }, 300_000);

  const CLOSING = /^[、，。．：；）〕］｝〉》」』】〙〗”’]$/u;
  /** Body lines (10.5 pt text, between the running head and the folio) of a page. */
  const lines = (p: GlyphPage) =>
    textLines(p.glyphs.filter((g) => g.size > 10 && g.size < 11 && g.y > 45 && g.y < p.height - 40), vertical).filter((l) => l.length > 15);
  const along = (g: Glyph) => (vertical ? g.y : g.x);

  it('ends no full line or column with punctuation at full width', () => {
    let full = 0;
    const untrimmed: string[] = [];
    pages.forEach((p, i) => {
      const ls = lines(p);
      // Where a line ending in a character (not punctuation) puts its last character: the end cell.
      const ends = ls.filter((l) => !CLOSING.test(l.at(-1)!.text) && FULL_WIDTH.test(l.at(-1)!.text)).map((l) => Math.round(along(l.at(-1)!)));
      if (ends.length < 3) return;
      const mode = (xs: number[]) => xs.sort((a, b) => xs.filter((e) => e === b).length - xs.filter((e) => e === a).length)[0]!;
      const endCell = mode(ends);
      // Where lines start: the first character of an unindented line (an opening bracket there is trimmed).
      const startCell = Math.min(...ls.map((l) => along(l[0]!) + (OPENING.test(l[0]!.text) ? l[0]!.size / 2 : 0)));
      ls.forEach((l, j) => {
        const g = l.at(-1)!;
        // A paragraph's last line is not justified: what ends it keeps its place (the next line
        // is indented, or the text ends: no line follows on this page or at the next one's start).
        const next = ls[j + 1] ?? (pages[i + 1] ? lines(pages[i + 1]!)[0] : undefined);
        if (!next || along(next[0]!) - startCell > g.size) return;
        const d = (along(g) - endCell) / g.size;
        if (Math.abs(d) < 0.2) full++;
        // Punctuation in the end cell keeps a half-em of white after it; trimmed, it sits half an em further on.
        if (CLOSING.test(g.text) && Math.abs(d) < 0.2) untrimmed.push(`page ${i + 1}: …${l.slice(-10).map((x) => x.text).join('')}`);
      });
    });
    expect(full).toBeGreaterThan(300);
    expect(untrimmed).toEqual([]);
  });

  it('leaves no widow or orphan: no paragraph’s last line alone at a page’s head, nor its first at a page’s foot', () => {
    // Text pages (with a running head: not a speech's opening page), their body lines, where lines start and end.
    const head = (p: GlyphPage) => p.glyphs.some((g) => g.y < 40);
    const geometry = pages.map((p) => {
      // Every body line (a widow may be short).
      const ls = textLines(p.glyphs.filter((g) => g.size > 10 && g.size < 11 && g.y > 45 && g.y < p.height - 40), vertical);
      const long = ls.filter((l) => l.length > 15);
      if (long.length < 3) return undefined;
      const start = Math.min(...long.map((l) => along(l[0]!) + (OPENING.test(l[0]!.text) ? l[0]!.size / 2 : 0)));
      const ends = long.filter((l) => !CLOSING.test(l.at(-1)!.text) && FULL_WIDTH.test(l.at(-1)!.text)).map((l) => Math.round(along(l.at(-1)!)));
      return { ls, start, ends };
    });
    // The end cell of each side of a spread (the margins differ): where most lines ending in a character put it.
    const endCell = [0, 1].map((side) => {
      const ends = geometry.flatMap((g, i) => (g && i % 2 === side ? g.ends : []));
      const count = new Map<number, number>();
      for (const e of ends) count.set(e, (count.get(e) ?? 0) + 1);
      return [...count].sort((a, b) => b[1] - a[1])[0]![0];
    });
    const indented = (l: Glyph[], start: number) => along(l[0]!) - start > l[0]!.size;
    const full = (l: Glyph[], end: number) => along(l.at(-1)!) >= end - 0.2 * l.at(-1)!.size;
    const widows: string[] = [];
    const orphans: string[] = [];
    let checked = 0;
    geometry.forEach((g, i) => {
      const next = geometry[i + 1];
      if (!g) return;
      checked++;
      const end = endCell[i % 2]!;
      const [first, second] = g.ls;
      // A page's first line that goes on from the page before and ends its paragraph.
      if (head(pages[i]!) && first && !indented(first, g.start) && (!full(first, end) || (second && indented(second, g.start))))
        widows.push(`page ${i + 1}: ${first.map((x) => x.text).join('')}`);
      // A page's last line that starts a paragraph going on at the next page's head.
      const last = g.ls.at(-1)!;
      if (next && head(pages[i + 1]!) && indented(last, g.start) && full(last, end) && !indented(next.ls[0]!, next.start))
        orphans.push(`page ${i + 1}: ${last.map((x) => x.text).join('')}`);
    });
    expect(checked).toBeGreaterThan(40);
    expect({ widows, orphans }).toEqual({ widows: [], orphans: [] });
  });

  it('ends the two pages of a spread on the same line (column) when the text runs on across it', () => {
    const head = (p: GlyphPage) => p.glyphs.some((g) => g.y < 40);
    const body = (p: GlyphPage) => p.glyphs.filter((g) => g.size > 10 && g.size < 13 && g.y > 45 && g.y < p.height - 40);
    // Horizontal: the last baseline of the body (headings included). Vertical: how far left the
    // last column stands, against the fullest page of its side (the two sides' margins differ), in columns.
    const leftmost = (p: GlyphPage) => Math.min(...body(p).map((g) => g.x));
    const fullest = [0, 1].map((side) => Math.min(...pages.flatMap((p, i) => (i % 2 === side && body(p).length ? [leftmost(p)] : []))));
    const pitch = 10.5 * 1.8;
    const depth = (p: GlyphPage, i: number) => (vertical ? (leftmost(p) - fullest[i % 2]!) / pitch : Math.max(...body(p).map((g) => g.y)));
    let spreads = 0;
    const deeper: string[] = [];
    const unequal: string[] = [];
    // Verso 2k (left; right in a vertical book), recto 2k+1; both running on to the next page (it has a running head).
    for (let verso = 2; verso + 2 <= pages.length; verso += 2) {
      const [v, r, after] = [pages[verso - 1]!, pages[verso]!, pages[verso + 1]!];
      if (!head(v) || !head(r) || !head(after) || !body(v).length || !body(r).length) continue;
      spreads++;
      const [dv, dr] = [depth(v, verso - 1), depth(r, verso)];
      const label = `${verso}/${verso + 1}: ${dv.toFixed(2)} / ${dr.toFixed(2)}`;
      if (Math.abs(dv - dr) > (vertical ? 0.5 : 2)) unequal.push(label);
      if (!vertical && dr - dv > 2) deeper.push(label);
    }
    expect(spreads).toBeGreaterThan(10);
    // Horizontal (Paged.js): a short verso makes its recto as short; a recto still shorter has
    // the spread laid out again with the verso as short (installSpreadBalancer). Vertical
    // (Chromium): each speech's pages are planned before printing (page-plan.ts).
    expect(deeper).toEqual([]);
    expect(unequal).toEqual([]);
  });

  it('sets lines of a whole number of characters', () => {
    const lengths = new Map<number, number>();
    for (const p of pages) {
      const ls = lines(p).filter((l) => l.length > 20);
      if (ls.length < 5) continue;
      const start = Math.min(...ls.map((l) => along(l[0]!)));
      // Lines ending in a character (not trimmed punctuation): from the first cell to the end of the last.
      for (const l of ls.filter((l) => FULL_WIDTH.test(l.at(-1)!.text) && !CLOSING.test(l.at(-1)!.text))) {
        // To a quarter em: glyph positions are rounded to device pixels.
        const ems = Math.round(((along(l.at(-1)!) + l.at(-1)!.size - start) / l.at(-1)!.size) * 4) / 4;
        lengths.set(ems, (lengths.get(ems) ?? 0) + 1);
      }
    }
    const [measure] = [...lengths].sort((a, b) => b[1] - a[1])[0]!;
    expect(measure).toBe(vertical ? 47 : 30);
  });

  it('names the edition in the colophon by script and layout, not by its file name', () => {
    const text = pages.slice(0, 6).flatMap((p) => p.glyphs.map((g) => g.text)).join('');
    expect(text).toContain(vertical ? '简体竖排本' : '简体横排本');
    expect(text).not.toContain(name);
  });

  it('embeds only TrueType (CID) fonts', () => {
    const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(rows.filter((r) => !/CID TrueType\s+Identity-H\s+yes yes yes/.test(r))).toEqual([]);
  });
});

export type { Glyph };
