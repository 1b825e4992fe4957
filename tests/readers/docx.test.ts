import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockText } from '../../src/model/speech.ts';
import { readSource } from '../../src/readers/index.ts';

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
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const bad = path.join(mkdtempSync(path.join(tmpdir(), 'wenji-docx-')), 'broken.docx');
    writeFileSync(bad, 'PK\u0003\u0004 not really a zip');
    await expect(readSource(bad)).rejects.toThrow(/not a readable Word \.docx file/);
  });
});
