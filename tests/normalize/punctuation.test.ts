import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chineseDash,
  chineseEllipsis,
  curlyDoubleQuotes,
  curlySingleQuotes,
  fullWidthParentheses,
  fullWidthPunctuation,
  removeStraySpaces,
  repairText,
} from '../../src/normalize/punctuation.ts';

// Lines as they come in real scraped pages (the Lanzhou sample, corpus 03) and typical variants.
describe('fullWidthPunctuation', () => {
  it('converts ASCII commas in Chinese text (lanzhou sample, line 17)', () => {
    expect(fullWidthPunctuation('今天到新区来,专门就高新技术企业发展情况作一调研,主要是深入学习')).toBe(
      '今天到新区来，专门就高新技术企业发展情况作一调研，主要是深入学习',
    );
  });
  it('converts after a percent sign and before Han (超50%,还获评)', () => {
    expect(fullWidthPunctuation('对全省进出口总额增量贡献率超50%,还获评国家级')).toBe('对全省进出口总额增量贡献率超50%，还获评国家级');
  });
  it('converts ? ! : ; and removes the space after them', () => {
    expect(fullWidthPunctuation('为什么呢? 因为我想: 诸君; 好!')).toBe('为什么呢？因为我想：诸君；好！');
  });
  it('converts runs together (?!)', () => {
    expect(fullWidthPunctuation('这是真的吗?!')).toBe('这是真的吗？！');
  });
  it('leaves numbers, times and Latin text alone', () => {
    expect(fullWidthPunctuation('共1,000元，会议9:30开始，比分3:2')).toBe('共1,000元，会议9:30开始，比分3:2');
    expect(fullWidthPunctuation('Hello, world: yes')).toBe('Hello, world: yes');
  });
});

describe('fullWidthParentheses', () => {
  it('converts a bracketed date line (lanzhou sample, line 13)', () => {
    expect(fullWidthParentheses('(2024年3月19日)')).toBe('（2024年3月19日）');
  });
  it('converts brackets after Han even around Latin: 生产总值(GDP)', () => {
    expect(fullWidthParentheses('生产总值(GDP)增长5%')).toBe('生产总值（GDP）增长5%');
  });
  it('leaves f(x) alone', () => {
    expect(fullWidthParentheses('函数 f(x) 的值')).toBe('函数 f(x) 的值');
  });
});

describe('quotes', () => {
  it('straight double quotes become “ ” (corpus 03: 第一，"无所为")', () => {
    expect(curlyDoubleQuotes('第一，"无所为"（为读去声）：趣味主义最重要的条件是“无所为而为”。')).toBe(
      '第一，“无所为”（为读去声）：趣味主义最重要的条件是“无所为而为”。',
    );
  });
  it('reversed curly quotes are re-paired (corpus 03: ”欲罢不能“)', () => {
    expect(curlyDoubleQuotes('我说的趣味，是要”欲罢不能“的。')).toBe('我说的趣味，是要“欲罢不能”的。');
  });
  it('an odd number of quotes (a quotation over several paragraphs) is left alone', () => {
    const s = '“我们要记住，这是一段很长的引文，';
    expect(curlyDoubleQuotes(s)).toBe(s);
  });
  it('single quotes around Chinese become ‘ ’, apostrophes stay', () => {
    expect(curlySingleQuotes("所谓'为艺术而艺术'，即Art for Art's Sake")).toBe("所谓‘为艺术而艺术’，即Art for Art's Sake");
  });
});

describe('ellipsis and dash', () => {
  it('... and 。。。 become ……', () => {
    expect(chineseEllipsis('主要是深入学习...')).toBe('主要是深入学习……');
    expect(chineseEllipsis('等等。。。')).toBe('等等……');
    expect(chineseEllipsis('等等…')).toBe('等等……');
    expect(chineseEllipsis('已经是……了')).toBe('已经是……了');
  });
  it('leaves Latin ellipsis alone', () => {
    expect(chineseEllipsis('wait... what')).toBe('wait... what');
  });
  it('-- and ―― become ——; date ranges and flags stay', () => {
    expect(chineseDash('他说--我们')).toBe('他说——我们');
    expect(chineseDash('――四月八日在黄埔军官学校讲')).toBe('——四月八日在黄埔军官学校讲');
    expect(chineseDash('2024—2025年')).toBe('2024—2025年');
    expect(chineseDash('run --help')).toBe('run --help');
  });
});

describe('removeStraySpaces', () => {
  it('removes spaces between Chinese characters', () => {
    expect(removeStraySpaces('发展 新质生产力，　要在')).toBe('发展新质生产力，要在');
  });
  it('keeps spaces around Latin words', () => {
    expect(removeStraySpaces('学习 Python 语言')).toBe('学习 Python 语言');
  });
});

describe('repairText', () => {
  it('leaves URLs alone', () => {
    expect(repairText('详见https://example.com/a?x=1,2,网站')).toBe('详见https://example.com/a?x=1,2，网站');
  });

  const alphabet = fc.constantFrom(
    ...'的是新区发展。，、,.:;?!()"\'“”‘’ -—―…。abcXYZ019%/（）《》：？！'.split(''),
    '  ',
    '...',
    '--',
    'http://a.cn/x?y=1,2',
  );
  it('is idempotent on any mix of Chinese, Latin and punctuation (property)', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        const s = parts.join('');
        const once = repairText(s);
        expect(repairText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});
