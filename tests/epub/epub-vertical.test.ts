/**
 * A vertical chapter as a reading system that honours the EPUB's CSS shows it: rendered in
 * Chromium from the built EPUB's own files, with its embedded fonts.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandboxedPage } from '../../src/browser/chromium.ts';
import { openEpub } from './epub-reading.ts';
import { buildEpub, edition, lazyBrowser, singleSpeechBook, syntheticSpeech } from './fixtures.ts';
import { testFolder } from '../temp-folders.ts';

const browser = lazyBrowser();
let dir: string;
beforeAll(async () => {
  dir = testFolder('epub-vertical');
  const e = openEpub(await buildEpub(singleSpeechBook(syntheticSpeech()), edition('vertical'), path.join(dir, 'v.epub'), browser.get));
  for (const name of e.names) {
    mkdirSync(path.dirname(path.join(dir, 'x', name)), { recursive: true });
    writeFileSync(path.join(dir, 'x', name), e.entry(name));
  }
});
afterAll(() => browser.close());

describe('vertical chapter in Chromium', () => {
  it('runs columns right to left, numbers upright, with the embedded fonts', async () => {
    const page = await openSandboxedPage(await browser.get(), [path.join(dir, 'x')]);
    try {
      await page.setViewport({ width: 1000, height: 700 });
      await page.goto(pathToFileURL(path.join(dir, 'x/OEBPS/sp-001.xhtml')).href, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const r = await page.evaluate(() => {
        const box = (el: Element) => el.getBoundingClientRect();
        const paragraphs = [...document.querySelectorAll('.speech-body > p')].map(box);
        const tcy = document.querySelector('.tcy')!;
        const upright = [...document.querySelectorAll('.upright')].find((s) => s.textContent === '365')!;
        const fontSize = parseFloat(getComputedStyle(tcy).fontSize);
        return {
          writingMode: getComputedStyle(document.documentElement).writingMode,
          rightToLeft: paragraphs.every((p, i) => i === 0 || p.right <= paragraphs[i - 1]!.left + 1),
          tcyHeight: box(tcy).height / fontSize,
          uprightHeight: box(upright).height / fontSize,
          uprightColumns: upright.getClientRects().length,
          bodyFontLoaded: document.fonts.check(`16px wenji-body`, '增长') && [...document.fonts].some((f) => f.family.includes('wenji-body') && f.status === 'loaded'),
        };
      });
      expect(r.writingMode).toBe('vertical-rl');
      expect(r.rightToLeft).toBe(true);
      // One or two characters upright take one em of the column; three stand one per em, in one column.
      expect(r.tcyHeight).toBeLessThan(1.3);
      expect(r.uprightHeight).toBeGreaterThan(2.7);
      expect(r.uprightColumns).toBe(1);
      expect(r.bodyFontLoaded).toBe(true);
    } finally {
      await page.close();
    }
  });
});
