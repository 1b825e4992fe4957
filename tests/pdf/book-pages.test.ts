/**
 * Page-level guarantees of printed books, read from the finished PDFs of a real collection
 * (five corpus speeches in two parts, front and back matter) and of the sample handout:
 * every opening (title page, contents, matter, part title, speech) on a recto, no running
 * head on a speech's opening page, folios at the outer side of every page.
 * Recto = odd page. Horizontal books: odd pages are right-hand pages (outer side right).
 * Vertical books are bound on the right and their pages run right to left: odd pages are
 * left-hand pages (outer side left).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import type { Book, Edition, Engine, Layout } from '../../src/model/book.ts';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import { writePdf } from '../../src/writers/pdf/index.ts';
import { corpusBook, edition as editionOf, lanzhouSpeech, singleSpeechBook } from '../render/fixtures.ts';
import { testFolder } from '../temp-folders.ts';

const out = testFolder('book-pages');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
}, 120_000);

afterAll(() => browser?.close());

async function build(book: Book, edition: Edition): Promise<string> {
  const file = path.join(out, `${edition.name}.pdf`);
  await writePdf(book, edition, { outFile: file, browser: async () => browser, diagnostics: new Diagnostics() });
  return file;
}

interface Word {
  x: number;
  y: number;
  /** Bottom edge. */
  bottom: number;
  /** Right edge. */
  right: number;
  text: string;
}

/** The words of every page with their top-left corner, and the page size (pt). */
function pageWords(file: string): { width: number; height: number; pages: Word[][] } {
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const [, width, height] = /<page width="([\d.]+)" height="([\d.]+)"/.exec(xml)!.map(Number);
  const pages = xml
    .split('<page ')
    .slice(1)
    .map((p) =>
      [...p.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
        right: Number(m[3]),
        bottom: Number(m[4]),
        text: m[5]!,
      })),
    );
  return { width, height, pages };
}

/** Level-1 outline entries (title page, contents, matter, parts, speeches) and their pages. */
async function openings(file: string): Promise<{ title: string; page: number }[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const pageNumbers = new Map(doc.getPages().map((p, i) => [p.ref.objectNumber, i + 1]));
  const root = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)!;
  const rows: { title: string; page: number }[] = [];
  let item = doc.context.lookupMaybe(root.get(PDFName.of('First')) as never, PDFDict);
  while (item) {
    const t = item.lookup(PDFName.of('Title'));
    const dest = item.lookup(PDFName.of('Dest'), PDFArray);
    const ref = dest.get(0) as PDFRef;
    rows.push({ title: t instanceof PDFHexString || t instanceof PDFString ? t.decodeText() : '?', page: pageNumbers.get(ref.objectNumber)! });
    item = doc.context.lookupMaybe(item.get(PDFName.of('Next')) as never, PDFDict);
  }
  return rows;
}

/** The folio of a page: the word that is its page number, in the lowest 70 pt. */
function folio(words: Word[], page: number, height: number, handout = false): Word | undefined {
  return words.find((w) => w.y > height - (handout ? 90 : 70) && w.text === String(page));
}

/** Pages that the document's internal links (contents, index) jump to, through /Dests. */
async function linkTargets(file: string): Promise<number[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const pageNumbers = new Map(doc.getPages().map((p, i) => [p.ref.objectNumber, i + 1]));
  const dests = doc.catalog.lookup(PDFName.of('Dests'), PDFDict);
  const targets: number[] = [];
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let i = 0; annots && i < annots.size(); i++) {
      const a = annots.lookup(i, PDFDict);
      const dest = a.get(PDFName.of('Dest'));
      if (!(dest instanceof PDFName)) continue;
      const arr = dests.lookup(dest, PDFArray);
      targets.push(pageNumbers.get((arr.get(0) as PDFRef).objectNumber)!);
    }
  }
  return targets;
}

/** Long books are printed in chunks (one renderer each) and joined: force it on a small book. */
const CHUNKED = { WENJI_PDF_WORKERS: '3', WENJI_PDF_CHUNK_CHARS: '1000' };

const CASES: [Layout, Engine, string][] = [
  ['horizontal', 'pagedjs', ''],
  ['horizontal', 'chromium', ''],
  ['vertical', 'chromium', ''],
  ['horizontal', 'pagedjs', 'in 3 chunks'],
  ['horizontal', 'chromium', 'in 3 chunks'],
  ['vertical', 'chromium', 'in 3 chunks'],
];

describe.each(CASES)('book %s via %s %s', (layout, engine, chunked) => {
  const book = corpusBook();
  const speechTitles = book.parts.flatMap((p) => p.speeches.map((s) => s.title));
  let file: string;
  let words: ReturnType<typeof pageWords>;
  let opened: { title: string; page: number }[];
  beforeAll(async () => {
    const saved = { ...process.env };
    if (chunked) Object.assign(process.env, CHUNKED);
    try {
      file = await build(book, editionOf({ name: `corpus-${layout}-${engine}${chunked ? '-chunked' : ''}`, layout, engine }));
    } finally {
      for (const k of Object.keys(CHUNKED)) if (saved[k] === undefined) delete process.env[k];
    }
    words = pageWords(file);
    opened = await openings(file);
  }, 300_000);

  it('is one tagged document: every page and link has its own entry in the structure parent tree', async () => {
    const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray).asArray();
    const keys = nums.filter((_, i) => i % 2 === 0).map((n) => Number(n.toString()));
    expect(keys.length).toBe(new Set(keys).size);
    const used: number[] = [];
    for (const page of doc.getPages()) {
      const sp = page.node.get(PDFName.of('StructParents'));
      if (sp) used.push(Number(sp.toString()));
      const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
      for (let i = 0; annots && i < annots.size(); i++) {
        const k = annots.lookup(i, PDFDict).get(PDFName.of('StructParent'));
        if (k) used.push(Number(k.toString()));
      }
    }
    expect(used.length).toBeGreaterThan(words.pages.length / 2);
    expect(used.length).toBe(new Set(used).size);
    expect(used.filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('jumps from the contents and the index to the opening pages', async () => {
    const targets = await linkTargets(file);
    const openingPages = new Set(opened.map((o) => o.page));
    expect(targets.filter((p) => !openingPages.has(p))).toEqual([]);
    for (const o of opened.filter((o) => speechTitles.includes(o.title))) expect(targets).toContain(o.page);
  });

  it('opens the title page, contents, matter, parts and every speech on a recto (odd page)', () => {
    expect(opened.map((o) => o.title)).toEqual(expect.arrayContaining([...speechTitles, '编辑说明', '后记', '第一编　北京时期']));
    expect(opened.filter((o) => o.page % 2 === 0)).toEqual([]);
    // Each opening page shows its own title (the outline points at the right page).
    for (const o of opened.filter((o) => speechTitles.includes(o.title))) {
      expect(words.pages[o.page - 1]!.map((w) => w.text).join('')).toContain(o.title.slice(0, 4));
    }
  });

  it('prints no running head on a speech opening page, and heads on the pages after it', () => {
    // Words wholly above the type area (an opening bracket trimmed at a column's head reaches into it).
    const headZone = (page: number) => words.pages[page - 1]!.filter((w) => w.bottom < 45).map((w) => w.text).join('');
    const speeches = opened.filter((o) => speechTitles.includes(o.title));
    for (const o of speeches) {
      expect({ page: o.page, head: headZone(o.page) }).toEqual({ page: o.page, head: '' });
      // The next page belongs to the same speech (each runs over several pages): a verso with the book title.
      expect({ page: o.page + 1, head: headZone(o.page + 1) }).toEqual({ page: o.page + 1, head: book.title });
      expect({ page: o.page + 2, head: headZone(o.page + 2) }).toEqual({ page: o.page + 2, head: o.title });
    }
  });

  it('gives every speech its real opening page in the index (by date and by speaker)', () => {
    const index = opened.find((o) => o.title === '讲话索引')!;
    expect(index).toBeDefined();
    const numbers: number[] = [];
    for (let page = index.page; page <= words.pages.length; page++) {
      const f = folio(words.pages[page - 1]!, page, words.height);
      const ws = words.pages[page - 1]!;
      // Digits followed by 年/月/日 belong to a date, not to a page number.
      ws.forEach((w, i) => {
        if (w !== f && /^\d+$/.test(w.text) && !/^[年月日]/.test(ws[i + 1]?.text ?? '')) numbers.push(Number(w.text));
      });
    }
    const starts = opened.filter((o) => speechTitles.includes(o.title)).map((o) => o.page);
    // Each speech is listed twice: once by date, once under its speaker.
    expect(numbers.sort((a, b) => a - b)).toEqual([...starts, ...starts].sort((a, b) => a - b));
  });

  it('sets every folio at the outer side: odd pages ' + (layout === 'vertical' ? 'left' : 'right'), () => {
    let seen = 0;
    words.pages.forEach((ws, i) => {
      const f = folio(ws, i + 1, words.height);
      if (!f) return;
      seen++;
      const odd = (i + 1) % 2 === 1;
      const right = f.x > words.width / 2;
      expect({ page: i + 1, side: right ? 'right' : 'left' }).toEqual({
        page: i + 1,
        side: odd === (layout === 'horizontal') ? 'right' : 'left',
      });
    });
    // Folios on the contents, the matter and the speeches, not only on a few pages.
    expect(seen).toBeGreaterThan(words.pages.length / 2);
    for (const o of opened.filter((o) => o.title === '编辑说明' || speechTitles.includes(o.title))) {
      expect({ page: o.page, folio: !!folio(words.pages[o.page - 1]!, o.page, words.height) }).toEqual({ page: o.page, folio: true });
    }
  });

  // Horizontal only: pdftotext gives vertical text no lines to compare.
  if (layout === 'horizontal') it('justifies the last line of a page whose paragraph goes on overleaf', () => {
    // Body lines (below the running head, above the folio), from the words on each baseline.
    const lines = (page: Word[]) => {
      const byY = new Map<number, { x: number; right: number; chars: number }>();
      for (const w of page.filter((w) => w.y > 45 && w.y < words.height - 70)) {
        const l = byY.get(w.y) ?? { x: Infinity, right: 0, chars: 0 };
        byY.set(w.y, { x: Math.min(l.x, w.x), right: Math.max(l.right, w.right), chars: l.chars + w.text.length });
      }
      return [...byY.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
    };
    let checked = 0;
    words.pages.forEach((page, i) => {
      const here = lines(page);
      const next = lines(words.pages[i + 1] ?? []);
      if (here.length < 10 || next.length < 2) return;
      // The right margin: where most lines end (a line ending in trimmed punctuation reaches
      // half an em further, as the punctuation's full box overhangs).
      const rights = here.map((l) => Math.round(l.right));
      const right = rights.sort((a, b) => rights.filter((r) => r === b).length - rights.filter((r) => r === a).length)[0]!;
      // The paragraph goes on when the next page starts at its margin, without the 2-em indent.
      if (Math.abs(next[0]!.x - Math.min(...next.map((l) => l.x))) > 1) return;
      const last = Math.round(here[here.length - 1]!.right);
      expect({ page: i + 1, justified: Math.abs(last - right) <= 1 || Math.abs(last - right - 5.25) <= 1.5 }).toEqual({ page: i + 1, justified: true });
      checked++;
    });
    expect(checked).toBeGreaterThan(5);
  });

  it('embeds every font, none of them Type 3', () => {
    const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => /Type 3/.test(r))).toEqual([]);
    expect(rows.filter((r) => r.trim().split(/\s+/).slice(-5)[0] !== 'yes')).toEqual([]);
    // One name per subset, also when chunks printed separately are joined.
    const names = rows.map((r) => r.split(/\s+/)[0]);
    expect(names.length).toBe(new Set(names).size);
    // A joined part's subsets are retagged …B+, …C+: proof that the book really was chunked.
    expect(names.some((n) => /^[A-Z]{5}[B-Z]\+/.test(n!))).toBe(!!chunked);
  });
});

describe('handout folios', () => {
  it('prints “— N —” at the outer side: odd pages right, even pages left', async () => {
    const file = await build(singleSpeechBook(lanzhouSpeech()), editionOf({ name: 'handout-folios', preset: 'handout', paper: 'A4', engine: 'pagedjs' }));
    const { width, height, pages } = pageWords(file);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((ws, i) => {
      const n = folio(ws, i + 1, height, true);
      const dashes = ws.filter((w) => w.text === '—' && w.y > height - 90);
      expect(n && dashes.length === 2).toBe(true);
      const odd = (i + 1) % 2 === 1;
      expect({ page: i + 1, side: n!.x > width / 2 ? 'right' : 'left' }).toEqual({ page: i + 1, side: odd ? 'right' : 'left' });
    });
  }, 300_000);
});
