/**
 * The reading copy end to end: a Markdown speech with a sidecar, through the plan, the pinyin
 * transform, the renderer and real Chromium (Paged.js horizontally, native vertically); every
 * check reads the finished PDF.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import { executeBuild } from '../../src/build/execute.ts';
import { parseBuildArgs } from '../../src/config/options.ts';
import { resolveBuild } from '../../src/config/resolve.ts';
import { lanzhouParagraphs } from '../render/fixtures.ts';
import { pdfGlyphs } from './glyphs.ts';
import { testFolder } from '../temp-folders.ts';

const dir = testFolder('reading-test');
let browser: Browser;

/** Paragraphs that fit on a page (at most ~240 characters: 10 of the 19 lines a page holds). */
function shortParagraphs(): string[] {
  const out: string[] = [];
  const all = lanzhouParagraphs();
  for (const p of [...all.slice(0, 4), ...all.slice(8)]) {
    let current = '';
    for (const sentence of p.match(/[^。！？]+[。！？]?/g) ?? []) {
      if (current && current.length + sentence.length > 240) {
        out.push(current);
        current = '';
      }
      current += sentence;
    }
    if (current) out.push(current);
  }
  return out;
}

const SHORT = shortParagraphs();
/** Some 2,300 characters, longer than four pages: it must split, and lose nothing. */
const LONG = lanzhouParagraphs().slice(4, 8).join('');
const RARE = '古人说饕餮之徒不可与谋，又说匈奴单于远来，此二者皆须读准。';

const han = (s: string) => (s.match(/\p{Script=Han}/gu) ?? []).join('');
const FOLIO = /第\s*(\d+)\s*页\s*共\s*(\d+)\s*页/;

/** The folio of a page's text as [N, M]; its two halves in either order (pdftotext reads vertical pages column by column). */
function folio(text: string): [number, number] | undefined {
  const n = /第\s*(\d+)\s*页/.exec(text);
  const m = /共\s*(\d+)\s*页/.exec(text);
  return n && m ? [Number(n[1]), Number(m[1])] : undefined;
}

/** Each page's text; `raw`: in the order it is drawn (vertical pages: pdftotext's layout reads them as a table). */
function pageTexts(file: string, raw = false): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', [...(raw ? ['-raw'] : []), '-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }),
  );
}

/** Each paragraph that fits on a page is on one page; the long one spans pages, all of it there. */
function expectWholeParagraphs(pages: string[]): void {
  const bodies = pages.map((p) => han(p.replace(/第\s*\d+\s*页/, '').replace(/共\s*\d+\s*页/, '')));
  for (const p of [...SHORT, RARE]) {
    const where = bodies.flatMap((b, i) => (b.includes(han(p)) ? [i + 1] : []));
    expect(where.length, p.slice(0, 20)).toBe(1);
  }
  const long = han(LONG);
  expect(bodies.some((b) => b.includes(long))).toBe(false);
  expect(bodies.join('')).toContain(long);
}

async function buildReading(layout: 'horizontal' | 'vertical'): Promise<string> {
  const src = path.join(dir, `talk-${layout}.md`);
  const body = [SHORT.slice(0, 6), RARE, LONG, SHORT.slice(6)].flat().join('\n\n');
  writeFileSync(src, `---\ntitle: 在座谈会上的讲话\nspeaker: 任振鹤\nrole: 甘肃省省长\ndate: 2024-03-19\n---\n\n${body}\n`);
  writeFileSync(path.join(dir, `talk-${layout}.meta.yaml`), 'ruby:\n  单于: chán yú\n');
  const plan = resolveBuild(parseBuildArgs([src, '--preset', 'reading', '--layout', layout, '--out', dir]), { env: {} });
  const result = await executeBuild(plan, { browser: async () => browser, noCache: true });
  expect(result.outputs.map((o) => o.error ?? 'ok')).toEqual(['ok']);
  return result.outputs[0]!.file;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(() => browser?.close());

describe('reading copy (horizontal, Paged.js)', () => {
  let file: string;
  let pages: string[];
  beforeAll(async () => {
    file = await buildReading('horizontal');
    pages = pageTexts(file);
  });

  it('prints 第 N 页 共 M 页 at the foot of every page', () => {
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((text, i) => {
      expect(FOLIO.exec(text), `page ${i + 1}`).not.toBeNull();
      expect(folio(text)).toEqual([i + 1, pages.length]);
    });
  });

  it('sets the pinyin over rare characters and forced words, above their base, 9 pt over 18 pt body', async () => {
    const all = pages.join('');
    for (const syllable of ['tāo', 'tiè', 'chán', 'yú', 'cuì']) expect(all, syllable).toContain(syllable);
    const glyphs = (await pdfGlyphs(file)).flatMap((p, page) => p.glyphs.map((g) => ({ ...g, page })));
    const hanSizes = new Map<number, number>();
    for (const g of glyphs) if (/\p{Script=Han}/u.test(g.text)) hanSizes.set(Math.round(g.size), (hanSizes.get(Math.round(g.size)) ?? 0) + 1);
    const body = [...hanSizes].sort((a, b) => b[1] - a[1])[0]![0];
    expect(body).toBe(18);
    const base = glyphs.find((g) => g.text === '饕')!;
    const mark = glyphs.find((g) => g.text === 'ā' && g.page === base.page && Math.abs(g.x - base.x) < base.size && g.y < base.y)!;
    expect(mark).toBeDefined();
    expect(mark.size).toBeCloseTo(9, 0);
    expect(base.y - mark.y).toBeLessThan(base.size * 1.2);
  });

  it('never splits a paragraph that fits on a page; splits a longer one and loses nothing', () => expectWholeParagraphs(pages));

  it('embeds only CID TrueType fonts', () => {
    const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row, row).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
  });
});

describe('reading copy (vertical, Chromium)', () => {
  it('prints the folio on every page (Chromium counts counter(pages) itself), the pinyin, and whole paragraphs', async () => {
    const file = await buildReading('vertical');
    const pages = pageTexts(file, true);
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((text, i) => expect(folio(text), `page ${i + 1}`).toEqual([i + 1, pages.length]));
    expectWholeParagraphs(pages);
    const all = pages.join('');
    for (const syllable of ['tāo', 'tiè', 'chán']) expect(all, syllable).toContain(syllable);
    const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    for (const row of rows) expect(row, row).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
  });
});
