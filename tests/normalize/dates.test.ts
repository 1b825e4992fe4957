import { describe, expect, it } from 'vitest';
import { chineseNumberValue, findDate, parseDateLine } from '../../src/normalize/dates.ts';

describe('chineseNumberValue', () => {
  it.each([
    ['十九', 19],
    ['二十', 20],
    ['二十六', 26],
    ['一百零一', 101],
    ['二〇二四', 2024],
    ['一九二七', 1927],
    ['１９', 19],
  ])('%s → %d', (s, n) => expect(chineseNumberValue(s)).toBe(n));
});

describe('findDate', () => {
  it('（2024年3月19日） from the sample page', () => {
    expect(findDate('（2024年3月19日）')?.iso).toBe('2024-03-19');
  });
  it('二〇二四年三月十九日', () => {
    expect(findDate('二〇二四年三月十九日')?.iso).toBe('2024-03-19');
  });
  it('ROC years: 民國101年3月5日 is 2012', () => {
    expect(findDate('中華民國101年3月5日於臺北')?.iso).toBe('2012-03-05');
    expect(findDate('民国十六年四月八日')?.iso).toBe('1927-04-08');
  });
  it('full-width digits', () => {
    expect(findDate('２０２４年３月１９日')?.iso).toBe('2024-03-19');
  });
  it('a month and day without a year (corpus 06 note) is partial', () => {
    const d = findDate('——四月八日在黄埔军官学校讲');
    expect(d).toMatchObject({ month: 4, day: 8, text: '四月八日' });
    expect(d?.iso).toBeUndefined();
  });
  it('九月间 (corpus 08 note) is a month only', () => {
    expect(findDate('——九月间在广州夏期学术演讲会讲')).toMatchObject({ month: 9, text: '九月间' });
  });
  it('numeric dates in page chrome (发布:2024-05-09)', () => {
    expect(findDate('栏目:读报推荐发布:2024-05-09浏览:37收藏')?.iso).toBe('2024-05-09');
  });
  it('rejects impossible dates', () => {
    expect(findDate('2024年2月30日')?.iso).toBeUndefined();
  });
});

describe('parseDateLine', () => {
  it('accepts a date alone, bracketed or with a short note', () => {
    expect(parseDateLine('(2024年3月19日)')?.iso).toBe('2024-03-19');
    expect(parseDateLine('（2024年3月19日，根据录音整理）')?.iso).toBe('2024-03-19');
    expect(parseDateLine('一九二六年十月十四日，鲁迅附记。')?.iso).toBe('1926-10-14');
  });
  it('refuses a sentence that merely contains a date', () => {
    expect(parseDateLine('去年9月，习近平总书记在黑龙江考察调研期间首次提出“新质生产力”。')).toBeUndefined();
    expect(parseDateLine('2024年3月19日，甘肃省省长任振鹤到兰州新区调研高新技术企业发展情况并召开座谈会。')).toBeUndefined();
  });
});

describe('dates of other sites', () => {
  it('reads a three-digit year without 民國 as an ROC year, and a date with its weekday', () => {
    expect(findDate('105年10月10日')?.iso).toBe('2016-10-10');
    expect(parseDateLine('2024年3月19日（星期二）')?.iso).toBe('2024-03-19');
    expect(parseDateLine('民國一〇五年十月十日')?.iso).toBe('2016-10-10');
  });
});
