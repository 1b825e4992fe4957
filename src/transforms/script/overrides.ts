/**
 * Built-in corrections for words opencc-js converts differently from official usage in
 * Taiwan (tw) or Hong Kong (hk). Each override applies to a whole word: where the word
 * sits inside a longer dictionary phrase (公布 in 公布于众) it still applies, but where its
 * characters belong to two different words (发|布 in 头发布满) it does not.
 *
 * Every entry says why, and tests/script/overrides.test.ts converts its example.
 * Regional vocabulary (信息 → 資訊, 报道 → 報導) is not here: that is an editor's choice,
 * made with `replace` lines in a user dictionary.
 */
import type { WordOverrides } from './opencc-pipeline.ts';

export interface BuiltInOverride {
  /** Simplified word. */
  from: string;
  /** Taiwan form; absent when opencc's own form is right for Taiwan. */
  tw?: string;
  /** Hong Kong form; absent when opencc's own form is right for Hong Kong. */
  hk?: string;
  /** One line: why opencc's form is wrong in this register. */
  reason: string;
  /** A sentence using the word, converted by the test. */
  example: string;
}

export const BUILT_IN_OVERRIDES: readonly BuiltInOverride[] = [
  {
    from: '公布', tw: '公布', hk: '公布',
    reason: 'ROC Constitution art. 37 (總統依法公布法律) and HK Basic Law art. 48/49 write 公布; opencc gives 公佈',
    example: '国家统计局公布了一季度数据，并公布于众。',
  },
  {
    from: '发布', tw: '發布', hk: '發布',
    reason: 'ROC Constitution art. 37 發布命令 and HK Basic Law art. 48 發布行政命令; opencc gives 發佈',
    example: '国家发改委发布了行动计划，并召开新闻发布会。',
  },
  {
    from: '宣布', tw: '宣布', hk: '宣布',
    reason: 'ROC Constitution art. 39 宣布戒嚴 and HK Basic Law art. 18 宣布進入緊急狀態; opencc gives 宣佈',
    example: '大会宣布：选举结果有效。',
  },
  {
    from: '颁布', tw: '頒布',
    reason: 'the MOE dictionary notes that legal usage writes 公布、頒布 with 布 (佈 is a variant of 布)',
    example: '颁布实施新的条例。',
  },
  {
    from: '分布', tw: '分布',
    reason: 'Taiwan legal and statistical usage writes 分布 (人口分布); 佈 is a variant of 布',
    example: '产业分布更加均衡。',
  },
  {
    from: '遍布', tw: '遍布',
    reason: 'the MOE dictionary has 遍布; 遍佈 is a variant',
    example: '服务网点遍布城乡。',
  },
  {
    from: '散布', tw: '散布',
    reason: 'the MOE dictionary has 散布; 散佈 is a variant',
    example: '不得散布谣言。',
  },
  {
    from: '布置', tw: '布置',
    reason: 'the MOE dictionary has 布置 (安排); 佈置 is a variant',
    example: '会议对下一步工作作出部署和布置。',
  },
  {
    from: '布局', tw: '布局',
    reason: 'Taiwan usage and the MOE dictionary write 布局 (產業布局); 佈局 is a variant',
    example: '优化产业布局。',
  },
  {
    from: '克制', tw: '克制', hk: '克制',
    reason: '克制 is self-restraint (MOE: 抑制); opencc gives 剋制, the 相剋 sense',
    example: '保持克制，理性表达诉求。',
  },
  {
    from: '家具', tw: '家具', hk: '家具',
    reason: 'the MOE dictionary and official usage write 家具; opencc gives the popular variant 傢俱',
    example: '家具家电以旧换新。',
  },
  {
    from: '坐标', hk: '坐標',
    reason: 'Hong Kong school mathematics writes 坐標 (坐標幾何); opencc gives the Taiwan form 座標',
    example: '增强方位感、找准坐标系。',
  },
];

/** Override words for one region, source → target. */
export function builtInOverrides(region: 'tw' | 'hk'): WordOverrides {
  const words = new Map<string, string>();
  for (const o of BUILT_IN_OVERRIDES) {
    const target = o[region];
    if (target !== undefined) words.set(o.from, target);
  }
  return words;
}
