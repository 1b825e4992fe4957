import { describe, expect, it } from 'vitest';
import { BUILT_IN_OVERRIDES, createScriptConverter } from '../../src/transforms/script/index.ts';
import { buildOpenccPipeline } from '../../src/transforms/script/opencc-pipeline.ts';

const converters = { tw: createScriptConverter('tw', 'zh-Hans'), hk: createScriptConverter('hk', 'zh-Hans') };
// opencc without our overrides, to show each override changes something.
const plain = { tw: buildOpenccPipeline('tw'), hk: buildOpenccPipeline('hk') };
const plainConvert = (region: 'tw' | 'hk', s: string) =>
  plain[region].segment(s).map((seg) => plain[region].convertSegment(seg)).join('');

describe('built-in overrides', () => {
  for (const o of BUILT_IN_OVERRIDES) {
    for (const region of ['tw', 'hk'] as const) {
      const target = o[region];
      if (target === undefined) continue;
      it(`${region}: ${o.from} → ${target} (${o.reason})`, () => {
        expect(o.reason.length).toBeGreaterThan(10);
        expect(o.example).toContain(o.from);
        const converted = converters[region].convert(o.example).text;
        expect(converted).toContain(target);
        // Without the override opencc gives something else: the entry is not dead weight.
        expect(plainConvert(region, o.from)).not.toBe(target);
      });
    }
  }

  it('does not cut across a dictionary word: 头发布满 keeps 頭髮', () => {
    expect(converters.tw.convert('头发布满灰尘').text).toBe('頭髮佈滿灰塵');
  });

  it('applies inside a longer dictionary phrase: 公布于众, 新闻发布会, 坐标系', () => {
    expect(converters.tw.convert('公布于众').text).toBe('公布於眾');
    expect(converters.hk.convert('新闻发布会').text).toBe('新聞發布會');
    expect(converters.hk.convert('直角坐标系').text).toBe('直角坐標系');
    expect(converters.tw.convert('直角坐标系').text).toBe('直角座標系');
  });
});
