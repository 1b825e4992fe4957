import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockText, inlineText } from '../../src/model/speech.ts';
import { repairText } from '../../src/normalize/punctuation.ts';
import { readSource } from '../../src/readers/index.ts';
import { testFolder } from '../temp-folders.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const SAMPLE = path.join(fixtures, 'scraped/lanzhou-2024-scraped.txt');

describe('the sample scraped page', async () => {
  const { speech, report, diagnostics } = await readSource(SAMPLE);
  const paragraphs = speech.blocks.filter((b) => b.type === 'paragraph');

  it('gives exactly the title, speaker, role and date', () => {
    expect(speech.title).toBe('在兰州新区高新技术企业座谈会上的讲话');
    expect(speech.speaker).toEqual({ name: '任振鹤', role: '甘肃省省长' });
    expect(speech.date).toBe('2024-03-19');
    expect(speech.occasion).toBe('兰州新区高新技术企业座谈会');
    expect(speech.lang).toBe('zh-Hans');
    expect(diagnostics).toEqual([]);
  });
  it('has 9 paragraphs and 4 run-in leads 一、 to 四、, and nothing else', () => {
    expect(speech.blocks).toHaveLength(9);
    expect(paragraphs).toHaveLength(9);
    const leads = paragraphs.filter((p) => p.type === 'paragraph' && p.lead).map((p) => (p.type === 'paragraph' ? inlineText(p.lead!) : ''));
    expect(leads).toHaveLength(4);
    expect(leads.map((l) => l.slice(0, 2))).toEqual(['一、', '二、', '三、', '四、']);
    expect(leads[0]).toBe('一、因地制宜发展新质生产力，兰州新区有产业基础之实，要在增强科技创新驱动力上当好“行动标兵”。');
  });
  it('first and last paragraphs are the speech’s own', () => {
    expect(blockText(speech.blocks[0]!)).toMatch(/^今天到新区来，专门就高新技术企业发展情况作一调研/);
    expect(blockText(speech.blocks[8]!)).toMatch(/^总之，发展新质生产力是一篇大文章.*打造具有新区特色的新质生产力。$/);
  });
  it('uses full-width punctuation throughout', () => {
    const all = speech.blocks.map(blockText).join('');
    expect(all).not.toMatch(/[,:;?!()]/);
    expect(all).toContain('调研，主要是');
  });
  it('keeps none of the page chrome', () => {
    const all = speech.blocks.map(blockText).join('\n');
    for (const chrome of ['电脑桌面', '栏目', '浏览', '点击下载', '分享', '确认删除', '回到顶部', '客服微信', '甘肃省省长', '2024年3月19日', '主要...']) {
      expect(all).not.toContain(chrome);
    }
    expect(report.removed).toEqual(expect.arrayContaining(['电脑桌面', '点击下载', '分享:', '确认删除?', '回到顶部', '客服微信']));
  });
  it('puts the web page date in source.published, not in the speech date', () => {
    expect(speech.source.published).toBe('2024-05-09');
  });
  it('gives block positions in the source file', () => {
    expect(speech.blocks[0]!.pos).toEqual({ line: 17 });
    expect(speech.blocks[8]!.pos).toEqual({ line: 25 });
  });
});

const metadata = JSON.parse(readFileSync(path.join(fixtures, 'corpus/metadata.json'), 'utf8')) as Record<
  string,
  { title: string; speaker: string; date: string; venue: string; occasion: string | null }
>;
const corpusFiles = Object.keys(metadata).filter((k) => k.endsWith('.txt'));

/** The source's own paragraphs (non-empty lines), without the dash-led note and HTML tags. */
function sourceParagraphs(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/<[^>]+>/g, '').trim())
    .filter((l) => l && !l.startsWith('——'));
}

describe('every corpus speech', () => {
  // Read from a copy without the sidecar first: what the text alone gives.
  const bare = testFolder('corpus');
  for (const f of corpusFiles) copyFileSync(path.join(fixtures, 'corpus', f), path.join(bare, f));

  it.each(corpusFiles)('%s: first and last paragraphs are the speech’s own', async (f) => {
    const { speech } = await readSource(path.join(bare, f));
    const own = sourceParagraphs(path.join(bare, f));
    const texts = speech.blocks.map(blockText);
    expect(texts[0]).toBe(repairText(own[0]!));
    expect(texts[texts.length - 1]).toBe(repairText(own[own.length - 1]!));
    expect(texts).toHaveLength(own.length);
  });

  it.each(corpusFiles.filter((f) => /^0[5-9]/.test(f)))('%s: the dash-led note is date and venue, not body text', async (f) => {
    const { speech, diagnostics } = await readSource(path.join(bare, f));
    const note = readFileSync(path.join(bare, f), 'utf8').split('\n').find((l) => l.startsWith('——'))!;
    expect(speech.blocks.map(blockText).join('\n')).not.toContain(note.slice(2));
    expect(speech.dateText).toBeTruthy();
    expect(note).toContain(speech.dateText);
    expect(speech.venue ?? speech.occasion).toBeTruthy();
    expect(note).toContain((speech.venue ?? speech.occasion)!);
    expect(diagnostics.some((d) => /date without a year/.test(d.message))).toBe(true);
  });

  it('06: ——四月八日在黄埔军官学校讲 gives 四月八日 and 黄埔军官学校', async () => {
    const { speech } = await readSource(path.join(bare, '06-luxun-gemingshidaidewenxue.txt'));
    expect(speech).toMatchObject({ dateText: '四月八日', venue: '黄埔军官学校', date: null });
  });

  it.each(corpusFiles)('%s: with the sidecar metadata, the right title, speaker and date', async (f) => {
    const { speech } = await readSource(path.join(fixtures, 'corpus', f));
    const m = metadata[f]!;
    expect(speech.title).toBe(m.title);
    expect(speech.speaker?.name).toBe(m.speaker);
    expect(speech.date).toBe(m.date);
    expect(speech.venue).toBe(m.venue);
    if (m.occasion) expect(speech.occasion).toBe(m.occasion);
    expect(speech.id).toMatch(new RegExp(`^${m.date}-[0-9a-f]{6}$`));
  });

  it('the script is detected, never converted', async () => {
    const trad = await readSource(path.join(fixtures, 'corpus/01-luxun-nala-trad.txt'));
    expect(trad.speech.lang).toBe('zh-Hant');
    expect(blockText(trad.speech.blocks[0]!)).toBe('我今天要講的是「娜拉走後怎樣？」');
    expect((await readSource(path.join(fixtures, 'corpus/03-liangqichao-xuewenzhiquwei.txt'))).speech.lang).toBe('zh-Hans');
  });

  it('03: the irregular quotes of the source are repaired', async () => {
    const { speech } = await readSource(path.join(fixtures, 'corpus/03-liangqichao-xuewenzhiquwei.txt'));
    const all = speech.blocks.map(blockText).join('\n');
    expect(all).toContain('第一，“无所为”（为读去声）：');
    expect(all).toContain('“欲罢不能”');
    expect(all).not.toMatch(/[?"]/);
  });

  it('04: the closing date line is a note, and not the speech date', async () => {
    const { speech } = await readSource(path.join(bare, '04-luxun-jitanhua.txt'));
    const last = speech.blocks[speech.blocks.length - 1]!;
    expect(last.type).toBe('note');
    expect(blockText(last)).toBe('一九二六年十月十四日，鲁迅附记。');
    expect(speech.date).toBeNull();
  });
});

describe('sidecar and command-line metadata', () => {
  it('command-line overrides win over the sidecar, which wins over detection', async () => {
    const dir = testFolder('sidecar');
    const file = path.join(dir, 'speech.txt');
    copyFileSync(SAMPLE, file);
    writeFileSync(path.join(dir, 'speech.meta.yaml'), 'title: 在座谈会上的讲话\nvenue: 兰州新区\ndate: 2024-03-20\n');
    const { speech } = await readSource(file, { date: '2024-03-21', role: '省长' });
    expect(speech.title).toBe('在座谈会上的讲话');
    expect(speech.venue).toBe('兰州新区');
    expect(speech.date).toBe('2024-03-21');
    expect(speech.speaker).toEqual({ name: '任振鹤', role: '省长' });
    expect(speech.id.startsWith('2024-03-21-')).toBe(true);
  });
  it('a sidecar with an unknown key is an error naming the sidecar and line', async () => {
    const dir = testFolder('sidecar');
    copyFileSync(SAMPLE, path.join(dir, 'speech.txt'));
    writeFileSync(path.join(dir, 'speech.meta.yaml'), 'title: 讲话\nauthor: 某某\n');
    await expect(readSource(path.join(dir, 'speech.txt'))).rejects.toThrow(/unknown key "author"/);
    await expect(readSource(path.join(dir, 'speech.txt'))).rejects.toMatchObject({ file: path.join(dir, 'speech.meta.yaml'), line: 2 });
  });
});
