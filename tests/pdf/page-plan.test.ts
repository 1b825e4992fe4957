/**
 * planSpreadPages, on flows built column by column (pitch 1): what Chromium's own breaks
 * would do to them (a page as full as widows, orphans and kept headings allow), and what the
 * plan does instead; then the measuring and the cutting in a real page. The printed books are
 * measured in typography.test.ts.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/browser/chromium.ts';
import { renderPrintHtml } from '../../src/render/index.ts';
import { loadPrintPage } from '../../src/writers/pdf/engine.ts';
import { SCREEN_LAYOUT_STYLE_ID } from '../../src/writers/pdf/in-page.ts';
import { balanceSpreads, flowsOffPlan, planSpreadPages, restoreFlows, type FlowAtom } from '../../src/writers/pdf/page-plan.ts';
import { corpusBook, edition } from '../render/fixtures.ts';

/** A column (px), and a type area of 16 columns and most of a 17th, as in the A5 vertical book. */
const PITCH = 25;
const EXTENT = 16.95 * PITCH;

/** A flow of paragraphs (their lengths in columns; widows and orphans 2) and headings ('h': one column, kept with what follows). */
function flow(...blocks: (number | 'h')[]): FlowAtom[] {
  const atoms: FlowAtom[] = [];
  let at = 0;
  let keep = false;
  for (const block of blocks) {
    const lines = block === 'h' ? 1 : block;
    for (let k = 0; k < lines; k++) {
      const breakBefore = k === 0 ? atoms.length > 0 && !keep : lines < 4 ? false : k >= 2 && lines - k >= 2;
      atoms.push({ start: at * PITCH, end: (at + 1) * PITCH, breakBefore });
      at++;
    }
    keep = block === 'h';
  }
  return atoms;
}

/** Page starts as Chromium breaks: each page takes all it can. */
function greedy(atoms: FlowAtom[]): number[] {
  const starts = [0];
  while (true) {
    const b = starts.at(-1)!;
    let end = -1;
    for (let c = b + 1; c <= atoms.length && atoms[c - 1]!.end - atoms[b]!.start <= EXTENT; c++) if (c === atoms.length || atoms[c]!.breakBefore) end = c;
    if (end === atoms.length || end < 0) return starts;
    starts.push(end);
  }
}

/** Columns on each page of a plan. */
const pageSizes = (atoms: FlowAtom[], starts: number[]) =>
  starts.map((b, i) => (atoms[(starts[i + 1] ?? atoms.length) - 1]!.end - atoms[b]!.start) / PITCH);

/** Spreads (pages 1–2, 3–4 …, the flow running on after them) whose pages end on different columns. */
function unbalanced(atoms: FlowAtom[], starts: number[]): string[] {
  const sizes = pageSizes(atoms, starts);
  const out: string[] = [];
  for (let v = 1; v + 2 < sizes.length; v += 2) if (Math.abs(sizes[v]! - sizes[v + 1]!) > 0.4) out.push(`${v}/${v + 1}: ${sizes[v]} / ${sizes[v + 1]}`);
  return out;
}

describe('planSpreadPages', () => {
  // A widow moves a column of the recto over; the verso before it stays full.
  const widowed = flow(18, 'h', 30, 20, 12);

  it('balances a spread Chromium’s breaks leave uneven', () => {
    expect(unbalanced(widowed, greedy(widowed))).toEqual(['1/2: 16 / 15']);
    const plan = planSpreadPages(widowed, EXTENT, PITCH)!;
    expect(unbalanced(widowed, plan)).toEqual([]);
  });

  it('keeps every page within the type area and starts pages only where a break is allowed', () => {
    const atoms = flow(6, 'h', 3, 25, 'h', 2, 9, 40, 3, 'h', 17, 5, 31);
    const plan = planSpreadPages(atoms, EXTENT, PITCH)!;
    expect(plan[0]).toBe(0);
    for (const b of plan.slice(1)) expect(atoms[b]!.breakBefore).toBe(true);
    for (const size of pageSizes(atoms, plan)) expect(size).toBeLessThanOrEqual(EXTENT);
    expect(unbalanced(atoms, plan)).toEqual([]);
    expect(unbalanced(atoms, greedy(atoms)).length).toBeGreaterThan(0);
  });

  it('fills the pages as Chromium would when its spreads are already even', () => {
    const atoms = flow(100);
    expect(planSpreadPages(atoms, EXTENT, PITCH)).toEqual(greedy(atoms));
  });

  it('spreads the white: two spreads a column short rather than one three short', () => {
    const plan = planSpreadPages(widowed, EXTENT, PITCH)!;
    const short = pageSizes(widowed, plan).slice(1, -1).map((s) => 16 - s);
    expect(Math.max(...short)).toBeLessThanOrEqual(1);
  });

  it('gives a last page of one or two columns more from a spread before it, when one can spare them', () => {
    // Chromium's breaks leave 2 columns for the last page (16 + 16 + 16 + 2).
    const atoms = flow(50);
    expect(pageSizes(atoms, greedy(atoms))).toEqual([16, 16, 16, 2]);
    const plan = planSpreadPages(atoms, EXTENT, PITCH)!;
    const sizes = pageSizes(atoms, plan);
    expect(sizes).toHaveLength(4);
    expect(sizes.at(-1)).toBeGreaterThanOrEqual(3);
    expect(unbalanced(atoms, plan)).toEqual([]);
  });

  it('leaves a flow that fits one page, or has a block larger than a page, alone', () => {
    expect(planSpreadPages(flow(10), EXTENT, PITCH)).toEqual([0]);
    const huge: FlowAtom[] = [...flow(5), { start: 5 * PITCH, end: 25 * PITCH, breakBefore: true }, { start: 25 * PITCH, end: 26 * PITCH, breakBefore: true }];
    expect(planSpreadPages(huge, EXTENT, PITCH)).toBeUndefined();
  });
});

describe('flowsOffPlan', () => {
  const planned = new Map([
    ['a', { pages: 4, last: false }],
    ['b', { pages: 3, last: true }],
  ]);
  it('names the flows whose printed page count differs from the plan', () => {
    expect(flowsOffPlan(planned, [{ id: 'a', page: 1 }, { id: 'b', page: 5 }], 7)).toEqual([]);
    expect(flowsOffPlan(planned, [{ id: 'a', page: 1 }, { id: 'b', page: 6 }], 8)).toEqual(['a']);
    expect(flowsOffPlan(planned, [{ id: 'a', page: 1 }, { id: 'b', page: 5 }], 8)).toEqual(['b']);
  });
});

describe.each(['vertical', 'horizontal'] as const)('in a %s book loaded in Chromium', (layout) => {
  let browser: Browser;
  let loaded: { page: Page; close: () => Promise<void> };
  const book = corpusBook();
  // 32k: the title page's margins run it over one page, a set piece all the same.
  const ed = edition({ preset: 'book', layout, paper: '32k', engine: 'chromium' });

  beforeAll(async () => {
    browser = await launchBrowser();
    loaded = await loadPrintPage(browser, renderPrintHtml(book, ed), { show: 'printer', keepScreenLayout: true });
  }, 120_000);
  afterAll(async () => {
    await loaded?.close();
    await browser?.close();
  });

  /** The body's text, its paragraphs, and the elements a page is forced to start at. */
  const state = () =>
    loaded.page.evaluate((styleId: string) => ({
      text: document.body.textContent,
      paragraphs: document.querySelectorAll('p').length,
      breaks: [...document.querySelectorAll<HTMLElement>('body *')].filter((e) => e.style.breakBefore === 'page').length,
      screen: !!document.getElementById(styleId),
    }), SCREEN_LAYOUT_STYLE_ID);

  it('plans every speech, cuts paragraphs at columns without losing a character, and can put it all back', async () => {
    const before = await state();
    expect(before.screen).toBe(true);
    const setPieces = await loaded.page.evaluate(() => [...document.querySelectorAll('body > .half-title, body > .title-page, body > .colophon, body > .part-title')].map((e) => e.id));
    const planned = await balanceSpreads(loaded.page);
    // Set pieces (laid out by their margins) keep their own pages.
    expect(setPieces.length).toBeGreaterThan(2);
    expect(setPieces.filter((id) => planned.has(id))).toEqual([]);
    expect([...planned.keys()].filter((id) => book.parts.some((p) => p.speeches.some((s) => id.endsWith(s.id)))).length).toBe(5);
    const after = await state();
    expect(after.text).toBe(before.text);
    expect(after.paragraphs).toBeGreaterThan(before.paragraphs);
    expect(after.breaks).toBeGreaterThan(10);
    expect(after.screen).toBe(false);
    await restoreFlows(loaded.page, [...planned.keys()]);
    expect(await state()).toEqual({ ...before, screen: false });
  });
});
