/**
 * Figures, tables and ruby in wenji Markdown: the syntax as an editor writes it, the images it
 * refers to (local only, relative to the .md), and what `wenji import` writes for embedded ones.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Speech } from '../../src/model/speech.ts';
import { readSource } from '../../src/readers/index.ts';
import { readMarkdown } from '../../src/readers/markdown.ts';
import { speechToMarkdown } from '../../src/writers/markdown/index.ts';
import { testFolder } from '../temp-folders.ts';

const rich = path.join(import.meta.dirname, '../fixtures/rich');
const SPEECH = path.join(rich, 'speech-with-figure.md');

describe('figures, tables and ruby in Markdown', () => {
  it('reads a figure with caption and credit, a captioned pipe table and ruby', () => {
    const { speech, diagnostics } = readMarkdown(readFileSync(SPEECH, 'utf8'), SPEECH);
    expect(speech.blocks[1]).toMatchObject({
      type: 'paragraph',
      content: [{ type: 'text', text: '今天我们在这里召开推进会，主要任务是总结' }, { type: 'ruby', base: '兰', annotation: 'lán' }, { type: 'text', text: '州新区建设的成绩，部署下一步工作。' }],
    });
    expect(speech.blocks[2]).toEqual({
      type: 'figure',
      image: { src: 'images/huiyi.png' },
      alt: '推进会现场',
      caption: [{ type: 'text', text: '兰州新区建设工作推进会现场' }],
      credit: '摄影：本报记者 王某某',
      pos: { line: 12 },
    });
    expect(speech.blocks[4]).toEqual({
      type: 'table',
      caption: [{ type: 'text', text: '兰州新区2023年主要指标' }],
      header: [[{ type: 'text', text: '指标' }], [{ type: 'text', text: '数值' }], [{ type: 'text', text: '增长' }]],
      rows: [
        [[{ type: 'text', text: '地区生产总值' }], [{ type: 'text', text: '368.6亿元' }], [{ type: 'text', text: '7.2%' }]],
        [[{ type: 'text', text: '规上工业增加值' }], [{ type: 'text', text: '201.3亿元' }], [{ type: 'text', text: '12.4%' }]],
      ],
      pos: { line: 17 },
    });
    // The remote image is left out with a warning naming file, line and the fix.
    expect(speech.blocks.filter((b) => b.type === 'figure').map((b) => b.type === 'figure' && b.image.src)).toEqual(['images/huiyi.png', 'images/yejing.png', 'images/xinqu.png']);
    expect(diagnostics.filter((d) => d.code === 'W-IMPORT-REMOTE-IMAGE')).toEqual([
      expect.objectContaining({ file: SPEECH, line: 23, message: expect.stringMatching(/https:\/\/www\.example\.gov\.cn\/images\/xinqu\.jpg is on another computer and is never fetched.*download it/) }),
    ]);
  });

  it('a caption may follow the table (pandoc style, `: 标题`), and a table may have no header', () => {
    const md = '---\ntitle: 讲话\n---\n\n正文。\n\n| 甲 | 乙 |\n|:--|--:|\n| 1 | 2 |\n: 表2 说明\n\n|---|\n| 只有一格 |\n';
    const { speech } = readMarkdown(md, 'a.md');
    expect(speech.blocks[1]).toMatchObject({ type: 'table', caption: [{ type: 'text', text: '表2 说明' }], header: [[{ text: '甲' }], [{ text: '乙' }]], rows: [[[{ text: '1' }], [{ text: '2' }]]] });
    expect(speech.blocks[2]).toEqual({ type: 'table', rows: [[[{ type: 'text', text: '只有一格' }]]], pos: { line: 12 } });
  });

  it('writes the syntax an editor reads: image line, credit line, Table: caption, pipe rows, ruby', () => {
    const { speech } = readMarkdown(readFileSync(SPEECH, 'utf8'), SPEECH);
    const md = speechToMarkdown(speech);
    expect(md).toContain('\n\n![推进会现场](images/huiyi.png "兰州新区建设工作推进会现场")\n{.credit 摄影：本报记者 王某某}\n\n');
    expect(md).toContain('\n\nTable: 兰州新区2023年主要指标\n| 指标 | 数值 | 增长 |\n|---|---|---|\n| 地区生产总值 | 368.6亿元 | 7.2% |\n');
    expect(md).toContain('总结{兰|lán}州新区');
  });

  it('text that looks like the new syntax stays text: braces, bars, an image line, a table line', () => {
    const texts = ['用{汉字|注音}写', '甲|乙', '![图](a.png)', '| 甲 | 乙 |', 'Table: 表1', '{.credit 某}', '结尾{.note}'];
    for (const text of texts) {
      const speech: Speech = { id: 'x', title: '讲话', speaker: null, date: null, source: { file: 'x.md' }, lang: 'zh-Hans', blocks: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
      const back = readMarkdown(speechToMarkdown(speech), 'x.md').speech;
      expect(back.blocks).toEqual([{ type: 'paragraph', content: [{ type: 'text', text }], pos: { line: 8 } }]);
    }
  });

  it('reading the file leaves out a figure whose image does not exist, naming file, line and the path looked for', async () => {
    const { speech, diagnostics } = await readSource(SPEECH);
    const figures = speech.blocks.filter((b) => b.type === 'figure');
    expect(figures.map((b) => b.type === 'figure' && b.image.src)).toEqual(['images/huiyi.png', 'images/xinqu.png']);
    const missing = diagnostics.filter((d) => d.code === 'W-IMPORT-IMAGE-MISSING');
    expect(missing).toEqual([expect.objectContaining({ file: SPEECH, line: 25, message: expect.stringContaining(path.join(rich, 'images/yejing.png')) })]);
  });

  it('a picture in a format no renderer reads (BMP, EMF) is left out with W-IMPORT-IMAGE-UNSUPPORTED', async () => {
    const dir = testFolder('bmp');
    const file = path.join(dir, 'a.md');
    writeFileSync(path.join(dir, 'scan.bmp'), 'BM');
    writeFileSync(file, '---\ntitle: 讲话\n---\n\n正文。\n\n![扫描件](scan.bmp)\n');
    const { speech, diagnostics } = await readSource(file);
    expect(speech.blocks.map((b) => b.type)).toEqual(['paragraph']);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'W-IMPORT-IMAGE-UNSUPPORTED', file, line: 7 }));
  });

  it('a small data: URI is an embedded image; a large one is remote', () => {
    const small = `data:image/png;base64,${readFileSync(path.join(rich, 'images/huiyi.png')).toString('base64')}`;
    const large = `data:image/png;base64,${'A'.repeat(3 << 20)}`;
    const md = `---\ntitle: 讲话\n---\n\n正文。\n\n![小图](${small})\n\n![大图](${large})\n`;
    const { speech, diagnostics } = readMarkdown(md, 'a.md');
    expect(speech.blocks[1]).toMatchObject({ type: 'figure', alt: '小图', image: { src: 'figure-1.png', mediaType: 'image/png', data: readFileSync(path.join(rich, 'images/huiyi.png')).toString('base64') } });
    expect(speech.blocks).toHaveLength(2);
    expect(diagnostics.filter((d) => d.code === 'W-IMPORT-REMOTE-IMAGE')).toEqual([expect.objectContaining({ line: 9, message: expect.stringContaining('a data: URI of 2304 KiB') })]);
  });
});

describe('wenji import with images', () => {
  let out = '';
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes embedded images next to the .md and makes other paths relative to it; never overwrites an image that differs', async () => {
    const dir = testFolder('rich');
    const bytes = readFileSync(path.join(rich, 'images/huiyi.png'));
    const source = path.join(dir, 'src', 'speech.md');
    const text = readFileSync(SPEECH, 'utf8').replace('images/huiyi.png', `data:image/png;base64,${bytes.toString('base64')}`).replace('images/xinqu.png', path.join(rich, 'images/xinqu.png'));
    await import('node:fs').then((fs) => fs.mkdirSync(path.dirname(source), { recursive: true }));
    writeFileSync(source, text);
    const outDir = path.join(dir, 'out');
    expect(await main(['import', source, '--out', outDir])).toBe(0);
    const name = '2024-03-19-在兰州新区建设工作推进会上的讲话';
    expect(readdirSync(outDir).sort()).toEqual([`${name}.images`, `${name}.md`]);
    expect(readFileSync(path.join(outDir, `${name}.images/figure-1.png`)).equals(bytes)).toBe(true);
    const md = readFileSync(path.join(outDir, `${name}.md`), 'utf8');
    expect(md).toContain(`![推进会现场](${name}.images/figure-1.png "兰州新区建设工作推进会现场")`);
    expect(md).toContain(`![](${path.relative(outDir, path.join(rich, 'images/xinqu.png'))})`);
    expect(out).toMatch(/2 figure, 1 table/);
    // The written Markdown reads back with both images found.
    const back = await readSource(path.join(outDir, `${name}.md`));
    expect(back.speech.blocks.filter((b) => b.type === 'figure')).toHaveLength(2);
    expect(back.diagnostics.filter((d) => d.code === 'W-IMPORT-IMAGE-MISSING')).toEqual([]);
    // An image an editor replaced is not overwritten.
    writeFileSync(path.join(outDir, `${name}.images/figure-1.png`), 'edited');
    expect(await main(['import', source, '--out', outDir])).toBe(1);
    expect(readFileSync(path.join(outDir, `${name}.images/figure-1.png`), 'utf8')).toBe('edited');
  });
});
