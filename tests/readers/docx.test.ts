import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockText } from '../../src/model/speech.ts';
import { readSource } from '../../src/readers/index.ts';
import { testFolder } from '../temp-folders.ts';

const DOCX = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/docx/speech-with-headings.docx');

describe('readDocx', async () => {
  const { speech, report } = await readSource(DOCX);
  it('finds title, speaker with a two-part role, and the date', () => {
    expect(report.format).toBe('docx');
    expect(speech).toMatchObject({
      title: '在全市科技创新工作会议上的讲话',
      speaker: { name: '龚正', role: '市委副书记、市长' },
      date: '2024-02-20',
      occasion: '全市科技创新工作会议',
    });
  });
  it('keeps headings and paragraphs, with salutation and closing', () => {
    expect(speech.blocks.map((b) => b.type)).toEqual([
      'salutation', 'paragraph', 'heading', 'paragraph', 'heading', 'paragraph', 'heading', 'paragraph', 'paragraph', 'heading', 'paragraph', 'closing',
    ]);
    const headings = speech.blocks.filter((b) => b.type === 'heading');
    expect(headings.map((h) => (h.type === 'heading' ? [h.level, h.number, blockText(h)] : []))).toEqual([
      [1, '一、', '一、充分肯定过去一年的成绩'],
      [1, '二、', '二、准确把握当前形势'],
      [2, '（一）', '（一）抓住关键环节'],
      [1, '三、', '三、扎实做好今年工作'],
    ]);
    expect(blockText(speech.blocks[11]!)).toBe('谢谢大家！');
  });
  it('a bold first run is the run-in lead', () => {
    expect(speech.blocks[8]).toMatchObject({
      type: 'paragraph',
      lead: [{ type: 'text', text: '要抓住人才这个关键。' }],
      content: [{ type: 'text', text: '人才是创新的第一要素，也是发展新质生产力的第一要素。' }],
    });
  });
  it('a file named .docx that is not a Word document is a clear error', async () => {
    const { writeFileSync } = await import('node:fs');
    const bad = path.join(testFolder('docx'), 'broken.docx');
    writeFileSync(bad, 'PK\u0003\u0004 not really a zip');
    await expect(readSource(bad)).rejects.toThrow(/not a complete Word \.docx file/);
  });
});

describe('readDocx keeps lists, quotes, bold and italic', async () => {
  const { zipSync, strToU8 } = await import('fflate');
  const { writeFileSync } = await import('node:fs');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const run = (t: string, props = '') => `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(t)}</w:t></w:r>`;
  const p = (runs: string, pPr = '') => `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${runs}</w:p>`;
  const item = (t: string, numId: number) => p(run(t), `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${numId}"/></w:numPr>`);
  // Lines of the UN Day message (tests/fixtures/devset/01) and a university address (09).
  const body = [
    p(run('秘书长联合国日献词'), '<w:pStyle w:val="Title"/>'),
    p(run('2006年10月24日')),
    p(run('值此联合国日，我第十次、也是') + run('最后一次', '<w:b/>') + run('作为秘书长，向世界各地的朋友、同事们致以最良好的祝愿。')),
    p(run('在过去十年中，我们在实现') + run('发展、安全和人权', '<w:i/>') + run('的共同奋斗中取得了一些长足进展。')),
    item('援助和债务减免规模扩大，令世界经济较趋公平。', 1),
    item('国家间的战争比以往减少；许多内战业已结束。', 1),
    p(run('然而，需做之事依然任重道远：')),
    item('穷富差距继续扩大。', 2),
    item('核不扩散机制迫切需加关注。', 2),
    p(run('青春是一场远行，回不去了。青春是一场相逢，忘不掉了。'), '<w:pStyle w:val="Quote"/>'),
    p(run('请敦促你们各国的领导人与我的继任者合作，使联合国更加强大，更有效力。')),
  ].join('');
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const level = (fmt: string) => `<w:lvl w:ilvl="0"><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${fmt === 'bullet' ? '•' : '%1.'}"/></w:lvl>`;
  const numbering = `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}><w:abstractNum w:abstractNumId="0">${level('bullet')}</w:abstractNum><w:abstractNum w:abstractNumId="1">${level('decimal')}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>`;
  const style = (id: string, name: string) => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  const styles = `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${style('Normal', 'Normal')}${style('Title', 'Title')}${style('Quote', 'Quote')}</w:styles>`;
  const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
  const RELS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
  const files = {
    '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships ${RELS}>${rel('rId1', 'officeDocument', 'word/document.xml')}</Relationships>`),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`),
    'word/styles.xml': strToU8(styles),
    'word/numbering.xml': strToU8(numbering),
    'word/_rels/document.xml.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships ${RELS}>${rel('rId1', 'styles', 'styles.xml')}${rel('rId2', 'numbering', 'numbering.xml')}</Relationships>`),
  };
  const file = path.join(testFolder('docx'), 'un-day.docx');
  writeFileSync(file, zipSync(files));
  const { speech } = await readSource(file);

  it('keeps bold and italic runs, lists and a quotation-styled paragraph', () => {
    expect(speech.blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'list', 'paragraph', 'list', 'quote', 'paragraph']);
    expect(speech.blocks[0]).toMatchObject({ content: [{ type: 'text' }, { type: 'strong', children: [{ text: '最后一次' }] }, { type: 'text' }] });
    expect(speech.blocks[1]).toMatchObject({ content: [{ type: 'text' }, { type: 'emphasis', children: [{ text: '发展、安全和人权' }] }, { type: 'text' }] });
    expect(speech.blocks[2]).toMatchObject({ type: 'list', ordered: false, items: [[{ text: '援助和债务减免规模扩大，令世界经济较趋公平。' }], [{}]] });
    expect(speech.blocks[4]).toMatchObject({ type: 'list', ordered: true });
    expect(speech.blocks[5]).toMatchObject({ type: 'quote', paragraphs: [[{ text: '青春是一场远行，回不去了。青春是一场相逢，忘不掉了。' }]] });
  });
});
