/**
 * Figures, data tables, ruby and footnotes of a saved web page: kept in their place through
 * Readability and the normaliser; page chrome images and layout tables are not content.
 */
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { Block, Inline } from '../../src/model/speech.ts';
import { readHtml } from '../../src/readers/html.ts';
import { chromeImageReason, isDataTable, splitCredit } from '../../src/readers/html-rich.ts';
import { captionWithoutLabel } from '../../src/normalize/index.ts';
import { readSource } from '../../src/readers/index.ts';
import { testFolder } from '../temp-folders.ts';

const rich = path.join(import.meta.dirname, '../fixtures/rich');
const PAGE = path.join(rich, 'page-with-figure.html');

describe('a government page with a photo, a data table, ruby and footnotes', async () => {
  const { speech, diagnostics, report } = await readSource(PAGE);

  it('keeps the speech’s metadata and the blocks in page order', () => {
    expect(speech).toMatchObject({ title: '在兰州新区建设工作推进会上的讲话', speaker: { name: '任振鹤', role: '甘肃省省长' }, date: '2024-03-19' });
    expect(speech.blocks.map((b) => b.type)).toEqual(['salutation', 'paragraph', 'figure', 'paragraph', 'table', 'paragraph', 'figure', 'paragraph', 'closing']);
  });

  it('a <figure>: image path as the page writes it, alt text, caption and the photographer’s credit split off', () => {
    expect(speech.blocks[2]).toEqual({
      type: 'figure',
      image: { src: 'images/huiyi.png' },
      alt: '推进会现场',
      caption: [{ type: 'text', text: '兰州新区建设工作推进会现场。' }],
      credit: '新华社记者 王某某 摄',
      pos: { line: 30 },
    });
  });

  it('a bare <img> in its own paragraph is a figure, and the 图2 line under it its caption', () => {
    expect(speech.blocks[6]).toEqual({ type: 'figure', image: { src: 'images/xinqu.png' }, alt: '新区远景', caption: [{ type: 'text', text: '兰州新区远景' }], pos: { line: 44 } });
  });

  it('a data table: <thead> is the header, the 表1 line above it the caption; the layout table around the page is not a table', () => {
    const text = (b: Block) => (b.type === 'table' ? [b.header, ...b.rows].map((r) => r?.map((c) => (c[0]?.type === 'text' ? c[0].text : '')).join('|')) : []);
    expect(speech.blocks.filter((b) => b.type === 'table')).toHaveLength(1);
    expect(speech.blocks[4]).toMatchObject({ caption: [{ type: 'text', text: '兰州新区2023年主要经济指标' }] });
    expect(text(speech.blocks[4]!)).toEqual(['指标|数值|同比增长', '地区生产总值|368.6亿元|7.2%', '规上工业增加值|201.3亿元|12.4%', '固定资产投资|412.0亿元|9.8%']);
  });

  it('<ruby> is ruby (the <rp> brackets dropped), footnote references are note references to the page’s notes', () => {
    const p = speech.blocks[1]!;
    expect(p.type === 'paragraph' && p.content).toEqual([
      { type: 'text', text: '今天我们在这里召开兰州新区建设工作推进会，主要任务是总结新区建设的成绩，分析面临的形势，部署下一步工作。兰州新区地处' },
      { type: 'ruby', base: '秦王川', annotation: 'qín wáng chuān' },
      { type: 'text', text: '盆地，是国务院批复的第五个国家级新区。' },
      { type: 'noteRef', id: '1' },
    ]);
    expect(speech.notes).toEqual([
      { id: '1', content: [{ type: 'text', text: '秦王川盆地位于兰州市北部，面积约1744平方公里。' }] },
      { id: '2', content: [{ type: 'text', text: '根据录音整理，有删节。' }] },
    ]);
    expect(speech.blocks.map((b) => JSON.stringify(b)).join('')).not.toMatch(/秦王川盆地位于|↑|\[1\]/);
  });

  it('logos, share icons, the QR code, a spacer and footer images are not figures', () => {
    const srcs = speech.blocks.flatMap((b) => (b.type === 'figure' ? [b.image.src] : []));
    expect(srcs).toEqual(['images/huiyi.png', 'images/xinqu.png']);
    expect(diagnostics.map((d) => d.code)).not.toContain('W-IMPORT-IMAGE-MISSING');
    expect(report.removed).toEqual(expect.arrayContaining(['分享到：', '扫一扫在手机打开当前页']));
  });

  it('--explain gives figures and tables their own role and says what captioned them', () => {
    const roles = report.explain!.filter((e) => e.role === 'figure' || e.role === 'table');
    expect(roles.map((e) => [e.role, e.rule, e.text])).toEqual([
      ['figure', 'figure', '[figure] 兰州新区建设工作推进会现场。'],
      ['table', 'table, captioned by a 表N line next to it', '[table] 兰州新区2023年主要经济指标'],
      ['figure', 'figure, captioned by a 图N line next to it', '[figure] 兰州新区远景'],
    ]);
  });
});

const BODY = [
  '今天我们在这里召开兰州新区建设工作推进会，主要任务是总结新区建设的成绩，分析面临的形势，部署下一步工作。',
  '去年以来，新区坚持把发展经济的着力点放在实体经济上，主要经济指标保持较快增长，高质量发展的基础更加坚实。',
  '下一步，要坚持以习近平新时代中国特色社会主义思想为指导，完整准确全面贯彻新发展理念，加快建设现代化产业体系。',
];
const page = (middle: string) =>
  `<html><body><article><h1>在兰州新区建设工作推进会上的讲话</h1><p>甘肃省省长 任振鹤</p><p>（2024年3月19日）</p><p>${BODY[0]}</p>${middle}<p>${BODY[1]}</p><p>${BODY[2]}</p></article></body></html>`;

describe('images and tables in HTML, one rule at a time', () => {
  it('a remote image is never fetched: left out with W-IMPORT-REMOTE-IMAGE naming file and line, its caption still chrome', () => {
    const html = page('\n<p><img src="https://img.example.com/a.jpg" alt="现场"></p>\n<p>图为会议现场。记者 张三 摄</p>');
    const { speech, diagnostics, removed } = readHtml(html, 'remote.html');
    expect(speech.blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'paragraph']);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'W-IMPORT-REMOTE-IMAGE', file: 'remote.html', line: 2, message: expect.stringContaining('https://img.example.com/a.jpg') }));
    expect(removed).toContain('图为会议现场。记者 张三 摄');
  });

  it('a lazy-loaded image is read from data-src; percent escapes in a local path are decoded', () => {
    const html = page('<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="images/%E7%8E%B0%E5%9C%BA.jpg?v=2" alt="现场"></p>');
    const { speech } = readHtml(html, 'lazy.html');
    expect(speech.blocks[1]).toEqual({ type: 'figure', image: { src: 'images/现场.jpg' }, alt: '现场', pos: { line: 1 } });
  });

  it('a small data: image is embedded (bytes and media type), named figure-1.png', () => {
    const html = page('<figure><img src="data:image/png;base64,iVBORw0KGgo=" alt="图"><figcaption>图1 示意图</figcaption></figure>');
    const { speech } = readHtml(html, 'data.html');
    expect(speech.blocks[1]).toEqual({ type: 'figure', image: { src: 'figure-1.png', data: 'iVBORw0KGgo=', mediaType: 'image/png' }, alt: '图', caption: [{ type: 'text', text: '示意图' }], pos: { line: 1 } });
  });

  it('a table of one row, or of long paragraphs, is not a data table: its text stays text', () => {
    const oneRow = page('<table><tr><td>左</td><td>右</td></tr></table>');
    expect(readHtml(oneRow, 'a.html').speech.blocks.some((b) => b.type === 'table')).toBe(false);
    const layout = page(`<table><tr><td>${BODY[1]}${BODY[1]}</td><td>右栏</td></tr><tr><td>${BODY[2]}${BODY[2]}</td><td>下栏</td></tr></table>`);
    const read = readHtml(layout, 'b.html').speech;
    expect(read.blocks.some((b) => b.type === 'table')).toBe(false);
    expect(read.blocks.filter((b) => b.type === 'paragraph').length).toBeGreaterThan(3);
  });

  it('merged cells (colspan, rowspan) keep their text in their first place and the columns after them aligned', () => {
    const html = page(
      '<table><thead><tr><th rowspan="2">地区</th><th colspan="2">产值（亿元）</th><th rowspan="2">备注</th></tr><tr><th>2022年</th><th>2023年</th></tr></thead>' +
        '<tbody><tr><td rowspan="2">兰州</td><td>100</td><td>110</td><td>省会</td></tr><tr><td>95</td><td>105</td><td>新区</td></tr><tr><td>天水</td><td colspan="2">未统计</td><td>无</td></tr></tbody></table>',
    );
    const t = readHtml(html, 'merged.html').speech.blocks.find((b) => b.type === 'table')!;
    const text = (row: Inline[][]) => row.map((cell) => cell.map((n) => (n.type === 'text' ? n.text : '')).join(''));
    if (t.type !== 'table') throw new Error('no table');
    expect(text(t.header!)).toEqual(['地区', '产值（亿元）', '', '备注']);
    expect(t.rows.map(text)).toEqual([
      ['', '2022年', '2023年', ''],
      ['兰州', '100', '110', '省会'],
      ['', '95', '105', '新区'],
      ['天水', '未统计', '', '无'],
    ]);
  });

  it('a first row bold throughout is the header of a table without <th>', () => {
    const html = page('<table><tr><td><strong>项目</strong></td><td><b>金额</b></td></tr><tr><td>道路</td><td>12亿元</td></tr><tr><td>学校</td><td>3亿元</td></tr></table>');
    const t = readHtml(html, 'bold.html').speech.blocks[1]!;
    expect(t).toMatchObject({ type: 'table', header: [[{ text: '项目' }], [{ text: '金额' }]], rows: [[[{ text: '道路' }], [{ text: '12亿元' }]], [[{ text: '学校' }], [{ text: '3亿元' }]]] });
  });

  it('bold and italic inside body cells are kept (a total row, a figure stressed); spaces still collapse', () => {
    const html = page(
      '<table><thead><tr><th>项目</th><th>金额</th></tr></thead><tbody><tr><td>道路</td><td>12亿元 <em>（预计）</em></td></tr>' +
        '<tr><td><b> 合计 </b></td><td><strong>15<i>亿元</i></strong></td></tr></tbody></table>',
    );
    const t = readHtml(html, 'total.html').speech.blocks.find((b) => b.type === 'table')!;
    if (t.type !== 'table') throw new Error('no table');
    expect(t.rows).toEqual([
      [[{ type: 'text', text: '道路' }], [{ type: 'text', text: '12亿元 ' }, { type: 'emphasis', children: [{ type: 'text', text: '（预计）' }] }]],
      [
        [{ type: 'strong', children: [{ type: 'text', text: '合计' }] }],
        [{ type: 'strong', children: [{ type: 'text', text: '15' }, { type: 'emphasis', children: [{ type: 'text', text: '亿元' }] }] }],
      ],
    ]);
  });

  it('a missing local image is left out by readSource with W-IMPORT-IMAGE-MISSING', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = testFolder('html');
    const file = path.join(dir, 'p.html');
    writeFileSync(file, page('\n<p><img src="photos/none.jpg" alt="现场"></p>'));
    const { speech, diagnostics } = await readSource(file);
    expect(speech.blocks.some((b) => b.type === 'figure')).toBe(false);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'W-IMPORT-IMAGE-MISSING', file, line: 2, message: expect.stringContaining(path.join(dir, 'photos/none.jpg')) }));
  });
});

describe('page chrome images', () => {
  const img = (html: string) => parseHTML(`<html><body>${html}</body></html>`).document.querySelector('img[data-t]')!;
  it.each([
    ['<header><img data-t src="a.png"></header>', 'in the navigation, header or footer'],
    ['<img data-t src="a.png" width="16" height="16">', 'a small image (icon or spacer)'],
    ['<img data-t src="a.png" style="width: 24px">', 'a small image (icon or spacer)'],
    ['<img data-t src="/images/site-logo.png">', 'named as page chrome (logo, icon, share, QR code …)'],
    ['<img data-t src="a.png" alt="扫一扫在手机打开当前页">', 'named as page chrome (logo, icon, share, QR code …)'],
    ['<div class="bdsharebuttonbox share"><img data-t src="a.png"></div>', 'inside a page-chrome box'],
    ['<a href="/news/2024/1.html"><img data-t src="thumb.jpg"></a>', 'a link to another page'],
  ])('%s: %s', (html, reason) => {
    expect(chromeImageReason(img(html) as never)).toBe(reason);
  });
  it('a photo in the article is content', () => {
    expect(chromeImageReason(img('<div class="content"><p><img data-t src="images/huiyi.png" width="600" alt="推进会现场"></p></div>') as never)).toBeUndefined();
    expect(chromeImageReason(img('<a href="images/big.jpg"><img data-t src="images/small.jpg"></a>') as never)).toBeUndefined();
  });
  it('a data table has 2 rows, 2 columns and short cells', () => {
    const table = (html: string) => parseHTML(`<html><body>${html}</body></html>`).document.querySelector('table')!;
    expect(isDataTable(table('<table><tr><th>甲</th><th>乙</th></tr><tr><td>1</td><td>2</td></tr></table>') as never)).toBe(true);
    expect(isDataTable(table('<table><tr><td>甲</td></tr><tr><td>1</td></tr></table>') as never)).toBe(false);
    expect(isDataTable(table('<table><tr><td><table><tr><td>x</td><td>y</td></tr><tr><td>x</td><td>y</td></tr></table></td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>') as never)).toBe(false);
  });
  it('a caption loses its 图N / 表N label (print numbers figures and tables), and only that', () => {
    const t = (text: string) => captionWithoutLabel([{ type: 'text', text }]);
    expect(t('图1 兰州新区全景')).toEqual([{ type: 'text', text: '兰州新区全景' }]);
    expect(t('图 2：新区夜景')).toEqual([{ type: 'text', text: '新区夜景' }]);
    expect(t('表1-1. 主要指标')).toEqual([{ type: 'text', text: '主要指标' }]);
    expect(t('圖三 校園一景')).toEqual([{ type: 'text', text: '校園一景' }]);
    expect(t('图为会议现场')).toEqual([{ type: 'text', text: '图为会议现场' }]);
    expect(t('图1')).toEqual([{ type: 'text', text: '图1' }]);
  });
  it('splits a credit from a caption', () => {
    expect(splitCredit([{ type: 'text', text: '兰州新区全景。（新华社记者 王某某 摄）' }])).toEqual({ caption: [{ type: 'text', text: '兰州新区全景。' }], credit: '新华社记者 王某某 摄' });
    expect(splitCredit([{ type: 'text', text: '新区夜景 摄影：李四' }])).toEqual({ caption: [{ type: 'text', text: '新区夜景' }], credit: '摄影：李四' });
    expect(splitCredit([{ type: 'text', text: '图1 新区规划图' }])).toEqual({ caption: [{ type: 'text', text: '图1 新区规划图' }] });
  });
});
