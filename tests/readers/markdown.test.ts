import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block, Inline, Speech } from '../../src/model/speech.ts';
import { readSource } from '../../src/readers/index.ts';
import { readMarkdown } from '../../src/readers/markdown.ts';
import { speechToMarkdown } from '../../src/writers/markdown/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const sources = [
  path.join(fixtures, 'scraped/lanzhou-2024-scraped.txt'),
  path.join(fixtures, 'html/lanzhou-2024.html'),
  path.join(fixtures, 'docx/speech-with-headings.docx'),
  ...readdirSync(path.join(fixtures, 'corpus'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => path.join(fixtures, 'corpus', f)),
];

/** Positions belong to the file being read; the round trip compares everything else. */
function comparable(s: Speech): Speech {
  return { ...s, source: { ...s.source, file: '' }, blocks: s.blocks.map(({ pos: _pos, ...b }) => b as Block) };
}

describe('Markdown round trip', () => {
  it.each(sources.map((s) => [path.basename(s), s]))('%s: readMarkdown(speechToMarkdown(s)) gives s back', async (_name, file) => {
    const { speech } = await readSource(file);
    const md = speechToMarkdown(speech);
    const back = readMarkdown(md, 'x.md').speech;
    expect(comparable(back)).toEqual(comparable(speech));
    // And the Markdown of the read-back speech is the same bytes.
    expect(speechToMarkdown(back)).toBe(md);
  });

  it('the sample’s Markdown has front matter, bold leads and plain paragraphs', async () => {
    const { speech } = await readSource(sources[0]!);
    const md = speechToMarkdown(speech);
    expect(md).toMatch(/^---\nid: 2024-03-19-[0-9a-f]{6}\ntitle: 在兰州新区高新技术企业座谈会上的讲话\nspeaker: 任振鹤\nrole: 甘肃省省长\ndate: 2024-03-19\n/);
    expect(md).toContain('\n\n**一、因地制宜发展新质生产力，兰州新区有产业基础之实，要在增强科技创新驱动力上当好“行动标兵”。**去年9月');
  });

  it('headings, salutation and closing of the .docx fixture are written as ## lines and plain paragraphs', async () => {
    const { speech } = await readSource(sources[2]!);
    const md = speechToMarkdown(speech);
    expect(md).toContain('\n\n## 一、充分肯定过去一年的成绩\n\n');
    expect(md).toContain('\n\n### （一）抓住关键环节\n\n');
    expect(md).toContain('\n\n同志们：\n\n');
    expect(md).toMatch(/\n\n谢谢大家！\n$/);
  });

  // Generated speeches: any text (with Markdown-special characters), any block type.
  const plain = fc.string({ unit: fc.constantFrom(...'新区发展*[]\\#>-+1. {}|"!()<:讲话：！。“”abc'.split('')), minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s.length > 0);
  const inline: fc.Arbitrary<Inline> = fc.oneof(
    plain.map((t): Inline => ({ type: 'text', text: t })),
    plain.map((t): Inline => ({ type: 'emphasis', children: [{ type: 'text', text: t }] })),
    fc.tuple(plain, plain).map(([base, annotation]): Inline => ({ type: 'ruby', base, annotation })),
  );
  // Paths as editors write them: folders, dots, spaces, brackets, Chinese names.
  const imagePath = fc.string({ unit: fc.constantFrom(...'图片/a b()._-1\\"<>'.split('')), minLength: 1, maxLength: 10 }).filter((s) => s.trim() === s && s.length > 0 && !s.startsWith('//'));
  const inlines = fc.array(inline, { minLength: 1, maxLength: 3 }).map(mergeAdjacent).filter((xs) => xs.length > 0);
  const row = fc.array(fc.oneof(inlines, fc.constant([] as Inline[])), { minLength: 0, maxLength: 4 });
  const block: fc.Arbitrary<Block> = fc.oneof(
    inlines.map((content): Block => ({ type: 'paragraph', content })),
    fc.tuple(plain, inlines).map(([lead, content]): Block => ({ type: 'paragraph', lead: [{ type: 'text', text: lead }], content })),
    inlines.map((content): Block => ({ type: 'salutation', content })),
    inlines.map((content): Block => ({ type: 'closing', content })),
    inlines.map((content): Block => ({ type: 'note', content })),
    fc.tuple(fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>, plain).map(([level, t]): Block => ({ type: 'heading', level, content: [{ type: 'text', text: t }] })),
    fc.array(inlines, { minLength: 1, maxLength: 3 }).map((paragraphs): Block => ({ type: 'quote', paragraphs })),
    fc.tuple(fc.boolean(), fc.array(inlines, { minLength: 1, maxLength: 3 })).map(([ordered, items]): Block => ({ type: 'list', ordered, items })),
    fc
      .record({ src: imagePath, alt: fc.oneof(plain, fc.constant('')), caption: fc.option(fc.oneof(inlines, fc.constant([] as Inline[])), { nil: undefined }), credit: fc.option(plain, { nil: undefined }) })
      .map(({ src, alt, caption, credit }): Block => ({ type: 'figure', image: { src }, alt, ...(caption ? { caption } : {}), ...(credit !== undefined ? { credit } : {}) })),
    fc
      .record({ caption: fc.option(inlines, { nil: undefined }), header: fc.option(row, { nil: undefined }), rows: fc.array(row, { minLength: 1, maxLength: 3 }) })
      .map(({ caption, header, rows }): Block => ({ type: 'table', ...(caption ? { caption } : {}), ...(header ? { header } : {}), rows })),
  );

  it('holds for generated speeches (property)', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), plain, (blocks, title) => {
        const speech: Speech = { id: 'x-1', title, speaker: { name: '任振鹤' }, date: '2024-03-19', source: { file: 'x.md' }, lang: 'zh-Hans', blocks };
        const md = speechToMarkdown(speech);
        const back = readMarkdown(md, 'x.md').speech;
        expect(comparable(back)).toEqual(comparable(speech));
        expect(speechToMarkdown(back)).toBe(md);
      }),
      { numRuns: 1000 },
    );
  });
});

function mergeAdjacent(xs: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (x.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + x.text };
    else if (x.type === 'emphasis' && last?.type === 'emphasis') out.push({ type: 'text', text: '、' }, x);
    else out.push(x);
  }
  return out;
}

describe('hand-written Markdown', () => {
  it('reads front matter, headings, leads, salutation, closing, quotes, lists, emphasis and notes', () => {
    const md = `---
title: 在全市科技创新工作会议上的讲话
speaker: 龚正
role: 市委副书记、市长
date: 2024-02-20
occasion: 全市科技创新工作会议
---

同志们：

今天召开全市科技创新工作会议，
主要任务是*贯彻落实*部署。[^1]

## 一、充分肯定成绩

**一要抓创新。**创新是第一动力。

> 引文第一段。
>
> 引文第二段。

- 第一项
- 第二项

谢谢大家！

[^1]: 根据录音整理。
`;
    const { speech } = readMarkdown(md, 'speech.md');
    expect(speech).toMatchObject({
      title: '在全市科技创新工作会议上的讲话',
      speaker: { name: '龚正', role: '市委副书记、市长' },
      date: '2024-02-20',
      occasion: '全市科技创新工作会议',
      lang: 'zh-Hans',
      source: { file: 'speech.md' },
    });
    expect(speech.id).toMatch(/^2024-02-20-[0-9a-f]{6}$/);
    expect(speech.blocks.map((b) => b.type)).toEqual(['salutation', 'paragraph', 'heading', 'paragraph', 'quote', 'list', 'closing']);
    expect(speech.blocks[1]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: '今天召开全市科技创新工作会议，主要任务是' },
        { type: 'emphasis', children: [{ type: 'text', text: '贯彻落实' }] },
        { type: 'text', text: '部署。' },
        { type: 'noteRef', id: '1' },
      ],
      pos: { line: 11 },
    });
    expect(speech.blocks[2]).toMatchObject({ type: 'heading', level: 1, number: '一、', content: [{ type: 'text', text: '充分肯定成绩' }] });
    expect(speech.blocks[3]).toMatchObject({ lead: [{ type: 'text', text: '一要抓创新。' }], content: [{ type: 'text', text: '创新是第一动力。' }] });
    expect(speech.notes).toEqual([{ id: '1', content: [{ type: 'text', text: '根据录音整理。' }] }]);
  });

  it('an explicit class overrides the rules: 谢谢大家！ {.paragraph}', () => {
    const { speech } = readMarkdown('---\ntitle: 讲话\n---\n\n谢谢大家！ {.paragraph}\n', 'a.md');
    expect(speech.blocks).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: '谢谢大家！' }], pos: { line: 5 } }]);
  });

  it.each([
    ['---\ntitle: 讲话\ndate: 2024-3-19\n---\n\n正文。\n', /a\.md:3: .*date.*YYYY-MM-DD/],
    ['---\ntitle: 讲话\nauthor: 某某\n---\n\n正文。\n', /a\.md:3: unknown front matter key "author"/],
    ['---\ntitle: 讲话\n\n正文。\n', /a\.md:1: front matter .* never closed/],
    ['---\ntitle: [讲话\n---\n\n正文。\n', /a\.md:\d+: front matter is not valid YAML/],
    ['---\nspeaker: 某某\n---\n\n正文。\n', /a\.md:1: no title/],
    ['---\ntitle: 讲话\nlang: en\n---\n\n正文。\n', /a\.md:3: .*lang/],
  ])('bad front matter is an error with file and line (%#)', (md, message) => {
    try {
      readMarkdown(md, 'a.md');
      expect.unreachable();
    } catch (e) {
      expect((e as { format(): string }).format()).toMatch(message);
    }
  });
});
