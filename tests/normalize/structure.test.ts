import { describe, expect, it } from 'vitest';
import { blockText } from '../../src/model/speech.ts';
import { classifyParagraph, firstSentenceEnd, isClosing, isSalutation, parseHeading, sectionNumber, splitLead } from '../../src/normalize/structure.ts';

describe('sectionNumber', () => {
  it.each([
    ['一、总体要求', 1, '一、'],
    ['第二部分 重点任务', 1, '第二部分'],
    ['（一）坚持创新驱动', 2, '（一）'],
    ['(三)强化人才支撑', 2, '(三)'],
    ['1. 加强领导', 3, '1.'],
    ['（1）落实责任', 4, '（1）'],
  ])('%s → level %d, number %s', (s, level, number) => {
    expect(sectionNumber(s)).toMatchObject({ level, number });
  });
  it('does not take a year or a decimal for a number', () => {
    expect(sectionNumber('2024年，全省经济')).toBeUndefined();
    expect(sectionNumber('1.5倍的增长')).toBeUndefined();
  });
});

describe('run-in leads', () => {
  const sample =
    '一、因地制宜发展新质生产力，兰州新区有产业基础之实，要在增强科技创新驱动力上当好“行动标兵”。去年9月，习近平总书记在黑龙江考察调研期间首次提出“新质生产力”。';
  it('the sample page lead is the numbered first sentence', () => {
    expect(splitLead(sample)).toEqual({
      lead: '一、因地制宜发展新质生产力，兰州新区有产业基础之实，要在增强科技创新驱动力上当好“行动标兵”。',
      rest: '去年9月，习近平总书记在黑龙江考察调研期间首次提出“新质生产力”。',
    });
  });
  it('a lead may end with a colon (corpus 03: 第二，不息：)', () => {
    expect(splitLead('第二，不息：“鸦片烟怎样会上瘾？”“天天吃。”')?.lead).toBe('第二，不息：');
  });
  it('ignores stops inside quotes', () => {
    expect(firstSentenceEnd('他说：“好。”然后走了。')).toBe(3);
    expect(firstSentenceEnd('“好。”然后走了。')).toBe(9);
  });
  it('a long first sentence after 第一， leaves only the ordinal as lead (corpus 09)', () => {
    const s =
      '第一，倘若不和实际的社会斗争接触，单关在玻璃窗内做文章，研究问题，那是无论怎样的激烈，“左”，都是容易办到的；然而一碰到实际，便即刻要撞碎了，关在房子里，最容易高谈彻底的主义，然而也最容易“右倾”。';
    expect(splitLead(s)?.lead).toBe('第一，');
  });
  it('a paragraph without a number has no lead', () => {
    expect(splitLead('总之，发展新质生产力是一篇大文章。')).toBeUndefined();
  });
});

describe('headings, salutations, closings', () => {
  it('a short numbered line without a full stop is a heading', () => {
    expect(parseHeading('一、充分肯定过去一年的成绩')).toEqual({ level: 1, number: '一、', content: '充分肯定过去一年的成绩' });
    expect(parseHeading('（一）抓住关键环节')).toEqual({ level: 2, number: '（一）', content: '抓住关键环节' });
    expect(parseHeading('一、因地制宜发展新质生产力，兰州新区有产业基础之实。')).toBeUndefined();
  });
  it.each(['同志们：', '各位代表、同志们：', '女士们，先生们：', '诸君！', '尊敬的各位来宾：'])('salutation %s', (s) => {
    expect(isSalutation(s)).toBe(true);
  });
  it('a sentence mentioning 同志们 is not a salutation', () => {
    expect(isSalutation('同志们在座谈会上谈了很多好的意见，我都赞成。')).toBe(false);
  });
  it.each(['谢谢大家！', '谢谢！', '我這講演也就此完結了。', '预祝大会圆满成功！'])('closing %s', (s) => {
    expect(isClosing(s)).toBe(true);
  });
  it('classifies by position: a closing only near the end', () => {
    expect(classifyParagraph('谢谢大家！', 3, true).type).toBe('closing');
    expect(classifyParagraph('谢谢大家！', 3, false).type).toBe('paragraph');
    const b = classifyParagraph('二、因地制宜发展新质生产力，兰州新区有转型升级之需，要在增强绿色发展主导力上当好“动能引擎”。习近平总书记指出。', 22, false);
    expect(b.type).toBe('paragraph');
    expect(blockText(b)).toBe('二、因地制宜发展新质生产力，兰州新区有转型升级之需，要在增强绿色发展主导力上当好“动能引擎”。习近平总书记指出。');
    expect(b.pos).toEqual({ line: 22 });
  });
});
