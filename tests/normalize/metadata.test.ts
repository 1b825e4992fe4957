import { describe, expect, it } from 'vitest';
import { factsFromTitle, findPublishedDate, parseDashNote, parseSpeakerLine } from '../../src/normalize/metadata.ts';

describe('parseSpeakerLine', () => {
  it.each([
    ['甘肃省省长 任振鹤', '任振鹤', '甘肃省省长'],
    ['甘肃省省长\u3000任振鹤', '任振鹤', '甘肃省省长'],
    ['市委副书记、市长 龚正', '龚正', '市委副书记、市长'],
    ['任振鹤（甘肃省省长）', '任振鹤', '甘肃省省长'],
    ['甘肃省省长任振鹤', '任振鹤', '甘肃省省长'],
    ['国务院总理 李强', '李强', '国务院总理'],
  ])('%s', (line, name, role) => {
    expect(parseSpeakerLine(line)).toEqual({ name, role });
  });
  it('refuses titles and sentences', () => {
    expect(parseSpeakerLine('在兰州新区高新技术企业座谈会上的讲话')).toBeUndefined();
    expect(parseSpeakerLine('今天到新区来，专门就高新技术企业发展情况作一调研。')).toBeUndefined();
  });
});

describe('factsFromTitle', () => {
  it('the occasion inside 在……上的讲话', () => {
    expect(factsFromTitle('在兰州新区高新技术企业座谈会上的讲话')).toEqual({ occasion: '兰州新区高新技术企业座谈会' });
  });
  it('a title marked （摘要）', () => {
    expect(factsFromTitle('在全省经济工作会议上的讲话（摘要）')).toEqual({ occasion: '全省经济工作会议' });
  });
  it('a role given only inside the title', () => {
    expect(factsFromTitle('甘肃省省长任振鹤在兰州新区高新技术企业座谈会上的讲话').speaker).toEqual({ name: '任振鹤', role: '甘肃省省长' });
    expect(factsFromTitle('市委副书记、市长龚正在市政府全体会议上的讲话').speaker).toEqual({ name: '龚正', role: '市委副书记、市长' });
    expect(factsFromTitle('任振鹤同志在全省经济工作会议上的讲话').speaker).toEqual({ name: '任振鹤' });
  });
});

describe('parseDashNote (corpus notes)', () => {
  it('——四月八日在黄埔军官学校讲 → date and venue', () => {
    expect(parseDashNote('——四月八日在黄埔军官学校讲')).toMatchObject({ date: { month: 4, day: 8 }, venue: '黄埔军官学校' });
  });
  it('——二月十六日在香港青年会讲 → a venue (the YMCA), not a meeting', () => {
    expect(parseDashNote('——二月十六日在香港青年会讲')).toMatchObject({ venue: '香港青年会' });
  });
  it('——三月二日在左翼作家联盟成立大会讲 → the occasion', () => {
    expect(parseDashNote('——三月二日在左翼作家联盟成立大会讲')).toMatchObject({ occasion: '左翼作家联盟成立大会' });
  });
  it('a full date with year', () => {
    expect(parseDashNote('——一九二三年十二月二十六日在北京女子高等師範學校文藝會講')?.date?.iso).toBe('1923-12-26');
  });
  it('——在全市经济工作会议上的讲话 is a subtitle', () => {
    expect(parseDashNote('——在全市经济工作会议上的讲话')).toMatchObject({ subtitle: '在全市经济工作会议上的讲话' });
  });
  it('a sentence with a dash is not a note', () => {
    expect(parseDashNote('——我想，嗜好的读书，该如爱打牌的一样。')).toBeUndefined();
  });
});

describe('findPublishedDate', () => {
  it('the web page date in the sample chrome', () => {
    expect(findPublishedDate('栏目:读报推荐发布:2024-05-09浏览:37收藏')).toBe('2024-05-09');
    expect(findPublishedDate('发布时间：2024年05月09日 10:20 来源：甘肃日报')).toBe('2024-05-09');
  });
});
