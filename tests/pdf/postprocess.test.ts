/** The pure parts of the PDF post-processing and the Paged.js patcher (plus small Chromium checks). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGED_PATCHES, RUNNING_ELEMENT_CLASS, patchPagedPolyfill } from '../../src/writers/pdf/pagedjs-patches.ts';
import { outlineTree, withoutRunningHead } from '../../src/writers/pdf/postprocess.ts';
import { blankPagesNeeded, shiftedPage } from '../../src/writers/pdf/chromium.ts';
import { flattenAllPages, installPageFlattener } from '../../src/writers/pdf/in-page.ts';
import { launchBrowser } from '../../src/browser/chromium.ts';
import { printPdf, showOnlyToPrinter } from '../../src/writers/pdf/engine.ts';
import { subsetFontFile } from '../../src/render/font-subset.ts';
import { codePointsOf, wholeFontFile } from '../../src/render/fonts.ts';

const pdfText = (bytes: Uint8Array) => execFileSync('pdftotext', ['-', '-'], { input: bytes, encoding: 'utf8' });

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
    expect(patched).toContain('wenjiWidowsSettled(this, rendered, node, wrapper, bounds)');
    expect(patched).toContain('window.wenjiRedoSpread(this, breakToken)');
  });

  it('leaves no margin-box rule ending in a universal selector', () => {
    const patched = patchPagedPolyfill(source, file);
    // The display rule for margin-box children now targets the class running elements get.
    expect(source).toMatch(/type: "TypeSelector",\s*name: "\*"/);
    expect(patched).not.toMatch(/type: "TypeSelector",\s*name: "\*"/);
    expect(patched).toContain(`name: "${RUNNING_ELEMENT_CLASS}"`);
    expect(patched).toContain(`clone.classList.add("${RUNNING_ELEMENT_CLASS}")`);
  });

  it('fails loudly when the source no longer matches', () => {
    const changed = source.replace(PAGED_PATCHES[1].find, '/* changed upstream */');
    expect(() => patchPagedPolyfill(changed, file)).toThrow(/not the version wenji was written for/);
  });
});

describe('withoutRunningHead (Chromium page content)', () => {
  // The shape Chromium 156 writes: page background, margin boxes (head at the top, folio at
  // the foot), then a clip to the page area and the document's text.
  const page = [
    '.24 0 0 -.24 0 594.96 cm',
    'q 3.125 0 0 3.125 173 212 cm 1 1 1 rg 0 0 427 658 re f Q',
    'q 3.125 0 0 3.125 0 0 cm .2 .2 .2 rg',
    'BT /F22 10.66 Tf 1 0 0 -1 242.9 48 Tm <004a> Tj 10.6 0 Td <00b4> Tj ET',
    'BT /F24 10.66 Tf 1 0 0 -1 242.9 48 Tm <00a5> Tj ET',
    '0 0 0 rg BT /F19 12 Tf 1 0 0 -1 55.3 761 Tm <001a> Tj ET',
    'Q',
    'q 173 212 1334 2055 re W* n',
    'q 3.12 0 0 3.12 0 0 cm BT /F30 20 Tf 1 0 0 -1 60 63 Tm <004b> Tj ET Q',
    'Q',
  ].join('\n');

  it('drops the text of the head and keeps the folio and the document text', () => {
    const out = withoutRunningHead(page, 594.96);
    expect(out).not.toContain('<004a>');
    expect(out).not.toContain('<00a5>');
    expect(out).toContain('<001a>'); // folio
    expect(out).toContain('<004b>'); // document text near the top, after the clip
    expect(out).toContain('0 0 427 658 re f');
  });

  it('leaves a page without the expected shape alone', () => {
    const noClip = page.replace(' re W* n', ' re f');
    expect(withoutRunningHead(noClip, 594.96)).toBe(noClip);
  });
});

describe('shiftedPage (blank pages before recto openings)', () => {
  it('moves a page by the blanks inserted on or before it', () => {
    // Blanks go before openings that started on pass-1 pages 4 and 9.
    expect([1, 3, 4, 8, 9, 20].map((p) => shiftedPage(p, [4, 9]))).toEqual([1, 3, 5, 9, 11, 22]);
  });
});

describe('flattenAllPages (paint layers dropped before printing Paged.js pages)', () => {
  const bleeds = ['top', 'bottom', 'left', 'right'].map((s) => `<div class="pagedjs_bleed pagedjs_bleed-${s}" style="overflow: hidden"></div>`).join('');
  const pageHtml = (content: string, notes = '<div class="pagedjs_footnote_content pagedjs_footnote_empty"></div>') => `
    <div class="pagedjs_page"><div class="pagedjs_sheet" style="position: relative; overflow: hidden">${bleeds}<div class="pagedjs_pagebox" style="position: relative">
      <div class="pagedjs_area"><div class="pagedjs_page_content" style="position: relative">${content}</div>
      <div class="pagedjs_footnote_area" style="position: relative; overflow: hidden">${notes}</div></div>
    </div></div></div>`;
  const noBleed = ['', 'left-', 'right-'].flatMap((p) => ['top', 'right', 'bottom', 'left'].map((s) => `--pagedjs-bleed-${p}${s}: 0mm`)).join(';');

  it('flattens plain pages and leaves pages with footnotes, positioned content (inline, by rule, pseudo-element) or bleed alone', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setContent(
        `<style>.float { position: fixed; } .mark::after { content: "*"; position: absolute; }</style>` +
          `<div class="pagedjs_pages" style="${noBleed}">${pageHtml('<p>正文</p>')}${pageHtml('<p style="position: absolute; top: 1em">浮动</p>')}` +
          `${pageHtml('<p>正文</p>', '<div class="pagedjs_footnote_content"><p>注释</p></div>')}</div>` +
          `<div class="pagedjs_pages" style="${noBleed}; --pagedjs-bleed-top: 3mm">${pageHtml('<p>出血</p>')}</div>` +
          `<div class="pagedjs_pages" style="${noBleed}">${pageHtml('<p class="float">浮动</p>')}${pageHtml('<p class="mark">标记</p>')}</div>`,
      );
      // Test runners wrap named functions in __name(); the engines give their pages the same no-op.
      await page.evaluate('globalThis.__name = (f) => f');
      await page.evaluate(installPageFlattener);
      expect(await page.evaluate(flattenAllPages)).toBe(2);
      const styles = await page.evaluate(() =>
        [...document.querySelectorAll('.pagedjs_page')].map((p) => {
          const s = (sel: string) => getComputedStyle(p.querySelector(sel)!);
          return [
            s('.pagedjs_sheet').position,
            s('.pagedjs_sheet').overflow,
            s('.pagedjs_pagebox').position,
            s('.pagedjs_page_content').position,
            s('.pagedjs_footnote_area').overflow,
            s('.pagedjs_bleed').display,
          ].join(' ');
        }),
      );
      expect(styles).toEqual([
        'static hidden static static visible none',
        'relative hidden relative relative hidden block',
        'relative hidden relative relative hidden block',
        // Flattened, but its bleed boxes show the bleed and stay.
        'static hidden static static visible block',
        // Positioned by a style rule, on the element or on its pseudo-element.
        'relative hidden relative relative hidden block',
        'relative hidden relative relative hidden block',
      ]);
    } finally {
      await browser.close();
    }
  });
});

describe('blankPagesNeeded', () => {
  it('counts the shift each blank page causes', () => {
    const got = blankPagesNeeded([
      { id: 'a', page: 5 },
      { id: 'b', page: 8 }, // → blank, b on 9
      { id: 'c', page: 11 }, // now 12 → blank, c on 13
      { id: 'd', page: 13 }, // now 15
    ]);
    expect([...got]).toEqual(['b', 'c']);
  });
});

describe('showOnlyToPrinter (no layout for the screen)', () => {
  it('prints the text, and refuses pages too wide to be shown to the printer', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      // The page brings its own face: no test depends on the machine's fonts (Chromium sees none).
      const face = Buffer.from(await subsetFontFile(wholeFontFile('serifSC', 400), codePointsOf('印刷可见'))).toString('base64');
      const html = (size: string) =>
        `<style>@font-face { font-family: 'T'; src: url("data:font/ttf;base64,${face}") format('truetype'); } @page { size: ${size}; margin: 10mm; } p { font-family: 'T'; }</style><p>印刷可见</p>`;
      await page.setContent(html('148mm 210mm'));
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await showOnlyToPrinter(page);
      // Hidden on screen, shown in print.
      expect(await page.evaluate(() => document.querySelector('p')!.getBoundingClientRect().height)).toBe(0);
      const doc = await printPdf(page);
      expect(doc.getPageCount()).toBe(1);
      expect(Math.round((doc.getPage(0).getWidth() / 72) * 25.4)).toBe(148);
      expect(pdfText(await doc.save())).toContain('印刷可见');
      await page.setContent(html('2500mm 210mm'));
      await showOnlyToPrinter(page);
      await expect(printPdf(page)).rejects.toThrow(/2500 mm wide are not supported/);
    } finally {
      await browser.close();
    }
  });
});
