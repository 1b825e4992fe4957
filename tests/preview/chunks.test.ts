/** The print HTML cut at its recto openings: each chunk a whole document, nothing lost or doubled. */
import { describe, expect, it } from 'vitest';
import { splitAtOpenings } from '../../src/cli/preview.ts';

const HEAD = '<!DOCTYPE html>\n<html lang="zh-Hans" class="layout-horizontal preset-book">\n<head>\n<meta charset="utf-8">\n<style>.toc > li { color: red; } @page { size: 148mm 210mm; }</style>\n</head>\n<body>';
const ELEMENTS = [
  '<section class="half-title" id="half-title"><h1>书名</h1></section>',
  '<section class="title-page" id="title-page" data-recto data-bookmark-level="1"><h1>书名</h1><p>编者<br>出版</p></section>',
  '<nav class="toc" id="toc" data-recto><ol><li><a href="#sp-a">甲<span class="toc-page" data-target="sp-a"></span></a></li></ol></nav>',
  '<article class="speech" id="sp-a" data-recto lang="zh-Hans"><h2>甲</h2><p>一段&lt;b&gt;文字<img src="data:," alt=""></p><!-- <section data-recto> --></article>',
  '<section class="notes"><ol><li>注</li></ol></section>',
  '<section class="part-like" data-recto-like="x"><p>不算</p></section>',
  '<article class="speech" id="sp-b" data-recto-like="no" data-recto><h2>乙</h2><p>二</p></article>',
];
const HTML = `${HEAD}\n${ELEMENTS.join('\n')}\n</body>\n</html>\n`;

describe('splitAtOpenings', () => {
  it('starts a chunk at every data-recto element; the rest stays with the one before', () => {
    const chunks = splitAtOpenings(HTML);
    const bodies = chunks.map((c) => c.slice(c.indexOf('<body>') + 6, c.indexOf('</body>')).trim());
    expect(bodies).toEqual([
      ELEMENTS[0],
      ELEMENTS[1],
      ELEMENTS[2],
      `${ELEMENTS[3]}\n${ELEMENTS[4]}\n${ELEMENTS[5]}`,
      ELEMENTS[6],
    ]);
    for (const c of chunks) {
      expect(c.startsWith(HEAD)).toBe(true);
      expect(c.endsWith('</body>\n</html>\n')).toBe(true);
    }
  });

  it('keeps a document it cannot cut whole: one opening, or unbalanced tags', () => {
    const single = `${HEAD}\n${ELEMENTS[3]}\n</body></html>`;
    expect(splitAtOpenings(single)).toEqual([single]);
    const broken = `${HEAD}\n${ELEMENTS[1]}\n<div data-recto><p>未闭合\n</body></html>`;
    expect(splitAtOpenings(broken)).toEqual([broken]);
  });
});
