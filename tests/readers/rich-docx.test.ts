/**
 * A Word document with a picture and its caption (Word's caption style), a table with a header
 * row, a footnote and an endnote, built here as WordprocessingML the way Word writes it; read
 * by mammoth, then imported: the picture's bytes become a file next to the Markdown.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readSource } from '../../src/readers/index.ts';
import { testFolder } from '../temp-folders.ts';

const PHOTO = readFileSync(path.join(import.meta.dirname, '../fixtures/rich/images/huiyi.png'));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const run = (t: string) => `<w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r>`;
const p = (runs: string, style?: string) => `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}${runs}</w:p>`;
const footnoteRef = (id: number) => `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="${id}"/></w:r>`;
const endnoteRef = (id: number) => `<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="${id}"/></w:r>`;
const picture = (rId: string, alt: string) =>
  `<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="4572000" cy="3048000"/><wp:docPr id="1" name="图片 1" descr="${esc(alt)}"/>` +
  `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr>` +
  `<pic:blipFill><a:blip r:embed="${rId}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`;
const cell = (t: string) => `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>${p(run(t))}</w:tc>`;
const row = (cells: string[], header = false) => `<w:tr>${header ? '<w:trPr><w:tblHeader/></w:trPr>' : ''}${cells.map(cell).join('')}</w:tr>`;
const table = (rows: string[][]) => `<w:tbl><w:tblPr><w:tblW w:w="6000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>${rows.map((r, i) => row(r, i === 0)).join('')}</w:tbl>`;

const NS = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"',
].join(' ');
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

function buildDocx(): Uint8Array {
  const body = [
    p(run('在兰州新区建设工作推进会上的讲话'), 'Title'),
    p(run('甘肃省省长 任振鹤')),
    p(run('（2024年3月19日）')),
    p(run('同志们：')),
    p(run('今天我们在这里召开兰州新区建设工作推进会，主要任务是总结新区建设的成绩，分析面临的形势，部署下一步工作。') + footnoteRef(1)),
    p(picture('rId10', '推进会现场')),
    p(run('图1 兰州新区建设工作推进会现场'), 'Caption'),
    // A Word drawing saved as EMF: no renderer reads it.
    p(picture('rId11', '示意图')),
    p(run('去年以来，新区坚持把发展经济的着力点放在实体经济上，主要经济指标保持较快增长，高质量发展的基础更加坚实。')),
    p(run('表1 兰州新区2023年主要经济指标'), 'Caption'),
    table([
      ['指标', '数值', '同比增长'],
      ['地区生产总值', '368.6亿元', '7.2%'],
      ['规上工业增加值', '201.3亿元', '12.4%'],
    ]),
    p(run('这些成绩的取得，是省委、省政府坚强领导的结果，是新区广大干部群众团结奋斗的结果。') + endnoteRef(1)),
    p(run('谢谢大家！')),
  ].join('');
  const style = (id: string, name: string, type = 'paragraph') => `<w:style w:type="${type}" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ${W}>${style('Normal', 'Normal')}${style('Title', 'Title')}${style('Caption', 'caption')}${style('FootnoteReference', 'footnote reference', 'character')}${style('EndnoteReference', 'endnote reference', 'character')}</w:styles>`;
  const separators = (kind: 'footnote' | 'endnote') =>
    `<w:${kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:${kind}><w:${kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:${kind}>`;
  const notes = (kind: 'footnote' | 'endnote', text: string) =>
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:${kind}s ${W}>${separators(kind)}<w:${kind} w:id="1"><w:p><w:r><w:${kind}Ref/></w:r>${run(` ${text}`)}</w:p></w:${kind}></w:${kind}s>`;
  const RELS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
  const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
  const fixed = { mtime: new Date('2024-01-01T00:00:00Z') };
  const xml = (s: string): [Uint8Array, typeof fixed] => [strToU8(s), fixed];
  return zipSync({
    '[Content_Types].xml': xml(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="emf" ContentType="image/x-emf"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/></Types>`,
    ),
    '_rels/.rels': xml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships ${RELS}>${rel('rId1', 'officeDocument', 'word/document.xml')}</Relationships>`),
    'word/document.xml': xml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>${body}</w:body></w:document>`),
    'word/styles.xml': xml(styles),
    'word/footnotes.xml': xml(notes('footnote', '根据录音整理。')),
    'word/endnotes.xml': xml(notes('endnote', '数据来源：兰州新区统计局。')),
    'word/media/image1.png': [PHOTO, fixed],
    'word/media/image2.emf': [new Uint8Array([1, 0, 0, 0, 0x6c, 0, 0, 0]), fixed],
    'word/_rels/document.xml.rels': xml(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships ${RELS}>${rel('rId1', 'styles', 'styles.xml')}${rel('rId2', 'footnotes', 'footnotes.xml')}${rel('rId3', 'endnotes', 'endnotes.xml')}${rel('rId10', 'image', 'media/image1.png')}${rel('rId11', 'image', 'media/image2.emf')}</Relationships>`,
    ),
  });
}

const dir = testFolder('rich-docx');
const DOCX = path.join(dir, 'tuijinhui.docx');
writeFileSync(DOCX, buildDocx());

describe('a Word document with a picture, a table and notes', async () => {
  const { speech, diagnostics } = await readSource(DOCX);

  it('keeps metadata and the blocks in document order', () => {
    expect(speech).toMatchObject({ title: '在兰州新区建设工作推进会上的讲话', speaker: { name: '任振鹤', role: '甘肃省省长' }, date: '2024-03-19' });
    expect(speech.blocks.map((b) => b.type)).toEqual(['salutation', 'paragraph', 'figure', 'paragraph', 'table', 'paragraph', 'closing']);
    expect(diagnostics.map((d) => d.code)).toEqual(['W-IMPORT-IMAGE-UNSUPPORTED']);
    expect(diagnostics[0]!.message).toMatch(/figure-2\.emf is image\/x-emf, which wenji cannot print.*PNG or JPEG/);
  });

  it('the picture keeps its bytes, media type and alt text, named figure-1.png; the caption-style line under it is its caption (without its 图1 label: print numbers figures)', () => {
    expect(speech.blocks[2]).toEqual({
      type: 'figure',
      image: { src: 'figure-1.png', data: PHOTO.toString('base64'), mediaType: 'image/png' },
      alt: '推进会现场',
      caption: [{ type: 'text', text: '兰州新区建设工作推进会现场' }],
    });
  });

  it('the table: header row, rows, and the caption-style line above it', () => {
    const cells = (r: unknown[][]) => r.map((c) => (c as { text: string }[]).map((n) => n.text).join(''));
    const t = speech.blocks[4]!;
    if (t.type !== 'table') throw new Error('not a table');
    expect(t.caption).toEqual([{ type: 'text', text: '兰州新区2023年主要经济指标' }]);
    expect(cells(t.header!)).toEqual(['指标', '数值', '同比增长']);
    expect(t.rows.map(cells)).toEqual([
      ['地区生产总值', '368.6亿元', '7.2%'],
      ['规上工业增加值', '201.3亿元', '12.4%'],
    ]);
  });

  it('footnotes and endnotes are notes, referenced where Word refers to them', () => {
    expect(speech.blocks[1]).toMatchObject({ content: [{ type: 'text' }, { type: 'noteRef', id: '1' }] });
    expect(speech.blocks[5]).toMatchObject({ content: [{ type: 'text' }, { type: 'noteRef', id: '2' }] });
    expect(speech.notes).toEqual([
      { id: '1', content: [{ type: 'text', text: '根据录音整理。' }] },
      { id: '2', content: [{ type: 'text', text: '数据来源：兰州新区统计局。' }] },
    ]);
  });
});

describe('wenji import of the Word document', () => {
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes the picture as NAME.images/figure-1.png, the .md refers to it, and reading the .md gives the speech back', async () => {
    const out = path.join(dir, 'out');
    expect(await main(['import', DOCX, '--out', out])).toBe(0);
    const name = '2024-03-19-在兰州新区建设工作推进会上的讲话';
    expect(readdirSync(path.join(out, `${name}.images`))).toEqual(['figure-1.png']);
    expect(readFileSync(path.join(out, `${name}.images/figure-1.png`)).equals(PHOTO)).toBe(true);
    const md = readFileSync(path.join(out, `${name}.md`), 'utf8');
    expect(md).toContain(`![推进会现场](${name}.images/figure-1.png "兰州新区建设工作推进会现场")`);
    expect(md).toContain('[^1]: 根据录音整理。\n[^2]: 数据来源：兰州新区统计局。\n');
    const fromDocx = await readSource(DOCX);
    const fromMd = await readSource(path.join(out, `${name}.md`));
    expect(fromMd.diagnostics.map((d) => d.code)).toEqual([]);
    // Positions belong to the file read; the picture is a file now instead of bytes.
    const strip = (blocks: typeof fromDocx.speech.blocks) => blocks.map(({ pos: _pos, ...b }) => (b.type === 'figure' ? { ...b, image: {} } : b));
    expect(strip(fromMd.speech.blocks)).toEqual(strip(fromDocx.speech.blocks));
    expect(fromMd.speech.notes).toEqual(fromDocx.speech.notes);
    // Importing again gives the same bytes: nothing to refuse.
    expect(await main(['import', DOCX, '--out', out])).toBe(0);
  });
});
