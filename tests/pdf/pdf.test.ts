/**
 * The PDF writer end to end on the real sample speech: real reader, real renderer, real
 * Chromium; every check reads the finished PDF (poppler tools and pdf-lib).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import type { Book, Edition, Engine, Layout, Preset } from '../../src/model/book.ts';
import { Diagnostics, WenjiError } from '../../src/model/diagnostics.ts';
import { blockText, type Speech } from '../../src/model/speech.ts';
import { readSource } from '../../src/readers/index.ts';
import { renderPrintHtml } from '../../src/render/index.ts';
import { printHtml, writePdf } from '../../src/writers/pdf/index.ts';
import { SCRAPED_SAMPLE } from '../fixtures/paths.ts';
import { testFolder } from '../temp-folders.ts';

const SAMPLE = SCRAPED_SAMPLE;
const out = testFolder('pdf-test');
let browser: Browser;
let speech: Speech;

function bookOf(s: Speech): Book {
  return { title: s.title, date: s.date ?? '2024-01-01', lang: s.lang, frontMatter: [], parts: [{ id: 'p1', speeches: [s] }], backMatter: [] };
}

function editionOf(preset: Preset, layout: Layout, engine: Engine): Edition {
  return { name: `${preset}-${layout}-${engine}`, preset, layout, script: 'source', formats: ['pdf'], paper: preset === 'handout' ? 'A4' : 'A5', engine, embedFonts: true };
}

async function build(preset: Preset, layout: Layout, engine: Engine, name = `${preset}-${layout}-${engine}`) {
  const file = path.join(out, `${name}.pdf`);
  const ctx = { outFile: file, browser: async () => browser, diagnostics: new Diagnostics() };
  const result = await writePdf(bookOf(speech), editionOf(preset, layout, engine), ctx);
  return { file, result };
}

const pdftotext = (file: string, page?: number) =>
  execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' });

function hanCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of text.match(/\p{Script=Han}/gu) ?? []) m.set(c, (m.get(c) ?? 0) + 1);
  return m;
}

function speechText(s: Speech): string {
  return [s.title, ...s.blocks.map(blockText)].join('\n');
}

/** Outline titles with their depth, read from the catalog. */
async function outline(file: string): Promise<{ title: string; depth: number }[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const rows: { title: string; depth: number }[] = [];
  const walk = (first: unknown, depth: number) => {
    let item = doc.context.lookupMaybe(first as never, PDFDict);
    while (item) {
      const t = item.lookup(PDFName.of('Title'));
      rows.push({ title: t instanceof PDFHexString || t instanceof PDFString ? t.decodeText() : '?', depth });
      if (item.get(PDFName.of('First'))) walk(item.get(PDFName.of('First')), depth + 1);
      item = doc.context.lookupMaybe(item.get(PDFName.of('Next')) as never, PDFDict);
    }
  };
  const root = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  if (root) walk(root.get(PDFName.of('First')), 1);
  return rows;
}

async function direction(file: string): Promise<string | undefined> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const vp = doc.catalog.lookupMaybe(PDFName.of('ViewerPreferences'), PDFDict);
  return vp?.get(PDFName.of('Direction'))?.toString();
}

/** Number words of a page in reading order (vertical: columns right to left). */
function numbersOnPage(file: string, page: number, vertical: boolean): number[] {
  const xml = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
  const words = [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(\d+)<\/word>/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    n: Number(m[3]),
  }));
  words.sort((a, b) => (vertical ? b.x - a.x || a.y - b.y : a.y - b.y || a.x - b.x));
  return words.map((w) => w.n);
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/**
 * Checks the printed table of contents against where things really are: each entry's
 * target text is searched page by page after the contents page; the page numbers printed
 * on the contents page must list exactly those pages, in order.
 */
function checkToc(file: string, edition: Edition, pages: number): void {
  const { document } = parseHTML(renderPrintHtml(bookOf(speech), edition).html);
  const targets = [...document.querySelectorAll('span.toc-page[data-target]')].map((span) => {
    const el = document.getElementById(span.getAttribute('data-target')!);
    const heading = el?.matches('h1,h2,h3,h4,p') ? el : el?.querySelector('h1,h2,h3');
    return squeeze(heading?.textContent ?? '').slice(0, 6);
  });
  expect(targets.length).toBeGreaterThan(1);
  const texts = Array.from({ length: pages }, (_, i) => squeeze(pdftotext(file, i + 1)));
  const tocPage = texts.findIndex((t) => targets.every((t6) => t.includes(t6))) + 1;
  expect(tocPage).toBeGreaterThan(0);
  const expected = targets.map((t6) => texts.findIndex((t, i) => i + 1 > tocPage && t.includes(t6)) + 1);
  expect(targets.filter((_, i) => !(expected[i]! > tocPage))).toEqual([]);
  const printed = numbersOnPage(file, tocPage, edition.layout === 'vertical');
  const at = printed.findIndex((_, i) => expected.every((p, j) => printed[i + j] === p));
  expect({ printed, expected, found: at >= 0 }).toMatchObject({ found: true });
}

beforeAll(async () => {
  speech = (await readSource(SAMPLE)).speech;
  browser = await launchBrowser();
}, 120_000);

afterAll(() => browser?.close());

const CASES: [Preset, Layout, Engine, [number, number]][] = [
  ['handout', 'horizontal', 'pagedjs', [3, 15]],
  ['handout', 'vertical', 'chromium', [3, 15]],
  ['book', 'horizontal', 'pagedjs', [6, 30]],
  ['book', 'vertical', 'chromium', [6, 30]],
  ['book', 'horizontal', 'chromium', [6, 30]],
];

describe.each(CASES)('%s %s via %s', (preset, layout, engine, [minPages, maxPages]) => {
  let file: string;
  let pages: number;
  beforeAll(async () => {
    const b = await build(preset, layout, engine);
    file = b.file;
    pages = b.result.pages!;
  }, 300_000);

  it('keeps every Han character of the speech (count per character)', () => {
    const inPdf = hanCounts(pdftotext(file));
    const missing = [...hanCounts(speechText(speech))].filter(([c, n]) => (inPdf.get(c) ?? 0) < n);
    expect(missing).toEqual([]);
  });

  it('embeds every font, none of them Type 3', () => {
    const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => /Type 3/.test(r))).toEqual([]);
    // columns: name type encoding emb sub uni object ID — "emb" is the 4th from the end
    expect(rows.filter((r) => r.trim().split(/\s+/).slice(-5)[0] !== 'yes')).toEqual([]);
  });

  it('has a sane page count and the metadata', () => {
    expect(pages).toBeGreaterThanOrEqual(minPages);
    expect(pages).toBeLessThanOrEqual(maxPages);
    const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`Pages:\\s+${pages}\\n`));
    expect(info).toMatch(new RegExp(`Title:\\s+${speech.title}\\n`));
    expect(info).toMatch(new RegExp(`Author:\\s+${speech.speaker!.name}\\n`));
    expect(info).toMatch(/Producer:\s+wenji/);
    expect(info).toMatch(new RegExp(`CreationDate:\\s+${speech.date}T00:00:00`));
    expect(info).not.toMatch(/HeadlessChrome|Skia/);
  });

  it('has bookmarks: the speech, then its sections', async () => {
    const rows = await outline(file);
    expect(rows.some((r) => r.depth === 1 && r.title === speech.title)).toBe(true);
    expect(rows.filter((r) => r.depth === 2).length).toBeGreaterThan(0);
  });

  it(`reading direction is ${layout === 'vertical' ? 'right to left' : 'the default'}`, async () => {
    expect(await direction(file)).toBe(layout === 'vertical' ? '/R2L' : undefined);
  });

  if (preset === 'book') {
    it('prints table-of-contents numbers equal to the real opening pages', () => {
      checkToc(file, editionOf(preset, layout, engine), pages);
    });
  }
});

describe('pdf writer faults and guarantees', () => {
  it('refuses Paged.js for vertical text and says why', async () => {
    const file = path.join(out, 'refused.pdf');
    const attempt = writePdf(bookOf(speech), editionOf('book', 'vertical', 'pagedjs'), {
      outFile: file,
      browser: async () => browser,
      diagnostics: new Diagnostics(),
    });
    await expect(attempt).rejects.toThrow(WenjiError);
    await expect(attempt).rejects.toThrow(/vertical.*--engine chromium/s);
    expect(existsSync(file)).toBe(false);
  });

  it('gives the same bytes for the same input', async () => {
    const a = await build('handout', 'vertical', 'chromium', 'same-a');
    const b = await build('handout', 'vertical', 'chromium', 'same-b');
    expect(readFileSync(a.file).equals(readFileSync(b.file))).toBe(true);
    const c = await build('handout', 'horizontal', 'pagedjs', 'same-c');
    const d = await build('handout', 'horizontal', 'pagedjs', 'same-d');
    expect(c.result.pages).toBe(d.result.pages);
    expect(pdftotext(c.file)).toBe(pdftotext(d.file));
  }, 300_000);

  it('lets no request reach the network, whatever the HTML asks for', async () => {
    let hits = 0;
    const server: Server = createServer((_, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}`;
    const hostile = `<img src="${url}/a.png"><iframe src="${url}/c"></iframe><video src="${url}/d.mp4"></video>`;
    const withHostile = (engine: Engine, extra = '') => {
      const rendered = renderPrintHtml(bookOf(speech), editionOf('handout', 'horizontal', engine));
      rendered.html = rendered.html.replace(/<body([^>]*)>/, `<body$1>${hostile}${extra}`);
      return printHtml(rendered, editionOf('handout', 'horizontal', engine), { browser: async () => browser });
    };
    const sheet = `<link rel="stylesheet" href="${url}/b.css">`;
    try {
      expect((await withHostile('chromium', sheet)).pages).toBeGreaterThan(0);
      expect((await withHostile('pagedjs')).pages).toBeGreaterThan(0);
      // Paged.js reads stylesheets itself: a remote one is refused outright.
      await expect(withHostile('pagedjs', sheet)).rejects.toThrow(/not a local file/);
    } finally {
      server.close();
    }
    expect(hits).toBe(0);
  }, 300_000);

  it('leaves no file behind when Chromium fails', async () => {
    const file = path.join(out, 'crashed.pdf');
    const dead = await launchBrowser();
    await dead.close();
    const attempt = writePdf(bookOf(speech), editionOf('handout', 'vertical', 'chromium'), {
      outFile: file,
      browser: async () => dead,
      diagnostics: new Diagnostics(),
    });
    await expect(attempt).rejects.toThrow(WenjiError);
    expect(readdirSync(out).filter((f) => f.includes('crashed'))).toEqual([]);
  }, 120_000);
});
