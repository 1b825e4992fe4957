import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { chineseDate, chineseDateHanzi, chineseDigits, chineseNumeral } from '../../src/model/chinese-numbers.ts';
import {
  cssString,
  escapeForLayout,
  escapeHtml,
  noteMark,
  registerRenderHelpers,
  renderInlines,
  sectionNumber,
} from '../../src/render/helpers.ts';
import type { Inline } from '../../src/model/speech.ts';

describe('Chinese numerals and dates', () => {
  it.each([
    [0, '〇'],
    [1, '一'],
    [10, '十'],
    [11, '十一'],
    [19, '十九'],
    [20, '二十'],
    [31, '三十一'],
    [100, '一百'],
    [103, '一百零三'],
    [110, '一百一十'],
    [1001, '一千零一'],
    [2024, '二千零二十四'],
  ])('%i → %s', (n, s) => expect(chineseNumeral(n)).toBe(s));

  it('reads years digit by digit', () => {
    expect(chineseDigits(2024)).toBe('二〇二四');
    expect(chineseDigits('1930')).toBe('一九三〇');
  });

  it('formats dates for horizontal and vertical text', () => {
    expect(chineseDate('2024-03-19')).toBe('2024年3月19日');
    expect(chineseDateHanzi('2024-03-19')).toBe('二〇二四年三月十九日');
    expect(chineseDateHanzi('1927-10-01')).toBe('一九二七年十月一日');
    expect(chineseDateHanzi('1930-03-20')).toBe('一九三〇年三月二十日');
    expect(chineseDate(null)).toBe('');
    expect(chineseDate('1923年')).toBe('1923年');
  });

  it('numbers sections by level', () => {
    expect([1, 2, 3, 4].map((l) => sectionNumber(l, 3))).toEqual(['三、', '（三）', '3.', '（3）']);
    expect(sectionNumber(1, 12)).toBe('十二、');
  });
});

describe('escaping', () => {
  it('escapes hostile text in every layout', () => {
    const hostile = '<script>alert("x")</script>&<img src=x onerror=1>';
    for (const layout of ['horizontal', 'vertical'] as const) {
      const out = renderInlines([{ type: 'text', text: hostile }], { layout });
      expect(out).not.toMatch(/<script|<img/);
      expect(out).toContain('&lt;script&gt;');
    }
  });

  it('never lets markup through, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('horizontal' as const, 'vertical' as const), (s, layout) => {
        const out = escapeForLayout(s, layout).replace(/<span class="(tcy|upright|nobr|pc|pc ps)">|<\/span>/g, '');
        expect(out).not.toMatch(/[<>"']/);
      }),
    );
  });

  it('escapes CSS strings so a title cannot close the style element', () => {
    const css = cssString('a"b\\c</style><script>');
    expect(css).not.toContain('</style');
    expect(css.slice(1, -1)).not.toMatch(/(^|[^\\])"/);
  });

  it('escapeHtml covers the five specials', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('縱中橫 in vertical text', () => {
  it('sets one or two characters upright in one cell', () => {
    expect(escapeForLayout('6个点', 'vertical')).toBe('<span class="tcy">6</span>个点');
    expect(escapeForLayout('提高到5%，', 'vertical')).toBe('提高到<span class="tcy">5%</span>，');
    expect(escapeForLayout('去年9月，19日', 'vertical')).toBe('去年<span class="tcy">9</span>月<span class="pc ps">，</span><span class="tcy">19</span>日');
  });

  it('sets longer numbers and decimals upright one character per cell, as one unit', () => {
    // Real lines of the sample speech and the corpus.
    expect(escapeForLayout('城市绿化率由不足5%提高到36%', 'vertical')).toBe('城市绿化率由不足<span class="tcy">5%</span>提高到<span class="upright">36%</span>');
    expect(escapeForLayout('增长35.6%', 'vertical')).toBe('增长<span class="upright">35.6%</span>');
    expect(escapeForLayout('从“10到1000”', 'vertical')).toBe('从“<span class="tcy">10</span>到<span class="upright">1000</span>”');
    expect(escapeForLayout('128家', 'vertical')).toBe('<span class="upright">128</span>家');
    expect(escapeForLayout('1,250万元', 'vertical')).toBe('<span class="upright">1,250</span>万元');
    // A full stop after a number ends the sentence, not the number.
    expect(escapeForLayout('2024年。3.', 'vertical')).toBe('<span class="upright">2024</span>年<span class="pc ps">。</span><span class="tcy">3</span>.');
  });

  it('keeps a Latin word joined by a full-width hyphen whole, in both layouts', () => {
    // 娜拉走後怎樣: "…各人去買一本note－book來，…"
    expect(escapeForLayout('做一本note－book来', 'horizontal')).toBe('做一本<span class="nobr">note－book</span>来');
    expect(escapeForLayout('做一本note－book来', 'vertical')).toBe('做一本<span class="nobr">note－book</span>来');
    expect(escapeForLayout('三－五', 'horizontal')).toBe('三－五');
  });

  it('sets closing punctuation half width with a half-em space after it that a line end drops', () => {
    // Real lines of the sample speech.
    expect(escapeForLayout('今天到新区来，专门就', 'horizontal')).toBe('今天到新区来<span class="pc ps">，</span>专门就');
    // A run of closing punctuation: the last one carries the space; the pair before is compressed.
    expect(escapeForLayout('当好“行动标兵”。去年', 'horizontal')).toBe('当好“行动标兵”<span class="pc ps">。</span>去年');
    // Before an opening bracket: an empty space (：“ takes 1.5 em like ，“; a break between trims both).
    expect(escapeForLayout('他说：“我们', 'horizontal')).toBe('他说<span class="pc pz">：</span>“我们');
    // Vertical ：； are upright and centred, with no half-height form: marked for the stylesheet's margins.
    expect(escapeForLayout('他说：我们；', 'vertical', '他')).toBe('他说<span class="pc pm ps">：</span>我们<span class="pc pm ps">；</span>');
    expect(escapeForLayout('他说：“我们', 'vertical')).toBe('他说<span class="pc pm pz">：</span>“我们');
    expect(escapeForLayout('好。”去年', 'vertical')).toBe('好。<span class="pc ps">”</span>去年');
    // At the end of a text, before ！？…— and spaces: left as it is.
    expect(escapeForLayout('感到非常欣慰。', 'horizontal')).toBe('感到非常欣慰。');
    expect(escapeForLayout('是吗，！', 'horizontal')).toBe('是吗，！');
  });

  it('trims the punctuation that ends a block, and looks past inline elements for what follows', () => {
    const t = (text: string): Inline => ({ type: 'text', text });
    // The block's last 。 may end a full last line: half width, nothing after it.
    expect(renderInlines([t('感到非常欣慰。')], { layout: 'horizontal' })).toBe('感到非常欣慰<span class="pc">。</span>');
    // A comma before emphasis is followed by its text.
    expect(renderInlines([t('必须，'), { type: 'emphasis', children: [t('坚持')] }], { layout: 'horizontal' })).toBe(
      '必须<span class="pc ps">，</span><em class="dots">坚持</em>',
    );
    // A run-in lead's last 。 is followed by the paragraph's text.
    expect(renderInlines([t('一、要点。')], { layout: 'horizontal', next: '去' })).toBe('一<span class="pc ps">、</span>要点<span class="pc ps">。</span>');
  });

  it('leaves horizontal text alone', () => {
    expect(escapeForLayout('2024年3月', 'horizontal')).toBe('2024年3月');
  });
});

describe('inline rendering', () => {
  const inl: Inline[] = [
    { type: 'text', text: '要' },
    { type: 'emphasis', children: [{ type: 'text', text: '因地制宜' }] },
    { type: 'strong', children: [{ type: 'text', text: '发展' }] },
    { type: 'noteRef', id: 'a' },
  ];
  it('renders emphasis as dots, strong, and numbered note references', () => {
    const html = renderInlines(inl, { layout: 'horizontal', noteNumber: () => 2, notePrefix: 'sp-x-' });
    expect(html).toBe(
      '要<em class="dots">因地制宜</em><strong>发展</strong><a class="noteref" id="sp-x-note-a-ref" href="#sp-x-note-a"><sup>②</sup></a>',
    );
  });
  it('sets a note where it is called when notes go to the page foot, its mark linking back', () => {
    const html = renderInlines(inl, {
      layout: 'horizontal',
      noteNumber: () => 2,
      notePrefix: 'sp-x-',
      footnoteContent: () => [{ type: 'text', text: '见原刊' }],
    });
    expect(html).toContain(
      '<a class="noteref" id="sp-x-note-a-ref" href="#sp-x-note-a"><sup>②</sup></a><span class="footnote" id="sp-x-note-a"><a class="footnote-mark" href="#sp-x-note-a-ref">②</a>见原刊</span>',
    );
  });
  it('numbers notes with circled numbers as Chinese books do, then in brackets past ㊿', () => {
    expect([1, 20, 21, 35, 36, 50, 51].map(noteMark)).toEqual(['①', '⑳', '㉑', '㉟', '㊱', '㊿', '(51)']);
  });
});

describe('Handlebars helpers', () => {
  const hb = Handlebars.create();
  registerRenderHelpers(hb, { layout: 'vertical' });
  it('date follows the layout unless told otherwise', () => {
    expect(hb.compile('{{date d}}|{{date d layout="horizontal"}}')({ d: '2024-03-19' })).toBe(
      '二〇二四年三月十九日|2024年3月19日',
    );
  });
  it('inlines and text escape their input', () => {
    const out = hb.compile('{{inlines xs}}|{{text t}}')({ xs: [{ type: 'text', text: '<b>12</b>' }], t: '<i>' });
    expect(out).toBe('&lt;b&gt;<span class="tcy">12</span>&lt;/b&gt;|&lt;i&gt;');
  });
  it('year: 二〇二四年 vertically, 2024年 horizontally', () => {
    expect(hb.compile('{{year y}}|{{year d layout="horizontal"}}')({ y: '2024', d: '1930-03-02' })).toBe('二〇二四年|1930年');
  });
  it('cnNumber and sectionNumber', () => {
    expect(hb.compile('{{cnNumber 21}} {{sectionNumber 2 4}}')({})).toBe('二十一 （四）');
  });
});
