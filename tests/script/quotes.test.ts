import { describe, expect, it } from 'vitest';
import { createScriptConverter } from '../../src/transforms/script/index.ts';
import { toCornerQuotes, toCurlyQuotes } from '../../src/transforms/script/quotes.ts';

describe('quote style', () => {
  it('maps “” to 「」 and ‘’ to 『』, keeping the nesting', () => {
    expect(toCornerQuotes('他说：“要当好‘行动标兵’和‘动能引擎’。”')).toBe('他说：「要当好『行动标兵』和『动能引擎』。」');
  });

  it('handles three levels and adjacent quotations', () => {
    expect(toCornerQuotes('“甲‘乙“丙”乙’甲”“丁”')).toBe('「甲『乙「丙」乙』甲」「丁」');
  });

  it('keeps apostrophes between Latin letters', () => {
    expect(toCornerQuotes('Art for Art’s Sake，Xi’an，‘韧’')).toBe('Art for Art’s Sake，Xi’an，『韧』');
  });

  it('maps corner brackets back for the mainland, vertical presentation forms included', () => {
    expect(toCurlyQuotes('「娜拉走後怎樣？」『社會劇』﹁甲﹂')).toBe('“娜拉走後怎樣？”‘社會劇’“甲”');
  });

  it('tw and hk editions quote the same way; the text does not depend on the layout', () => {
    const s = '习近平总书记强调，“要牢牢把握高质量发展这个首要任务”。';
    const tw = createScriptConverter('tw', 'zh-Hans').convert(s).text;
    const hk = createScriptConverter('hk', 'zh-Hans').convert(s).text;
    expect(tw).toBe('習近平總書記強調，「要牢牢把握高質量發展這個首要任務」。');
    expect(hk).toBe('習近平總書記強調，「要牢牢把握高質量發展這個首要任務」。');
  });

  it('leaves a text without Chinese characters alone, quotes included', () => {
    const s = 'He said “Belt and Road” isn’t new.';
    expect(createScriptConverter('tw', 'zh-Hans').convert(s).text).toBe(s);
  });
});
