/**
 * Rules for page shapes met on the held-out pages (tests/fixtures/heldout, addresses in each
 * expected/*.json), each with the real line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromeRule, isHandOver } from '../../src/normalize/chrome.ts';
import { isItemLabel } from '../../src/normalize/index.ts';
import { factsFromTitle, findRoleAndName } from '../../src/normalize/metadata.ts';
import { readScrapedText } from '../../src/readers/text.ts';

const source = (name: string) => readFileSync(new URL(`../fixtures/heldout/sources/${name}.txt`, import.meta.url), 'utf8');

describe('chrome on held-out pages', () => {
  it.each([
    ['editor intro', '以下是小编收集整理的毕业典礼校长致辞,欢迎阅读,希望大家能够喜欢。'],
    ['editor intro', '毕业对于老师和学生来说都是个值得纪念的日子。下面就是小编给大家整理的毕业典礼上校长讲话,仅供参考。'],
    [
      'editor intro',
      '在学习、工作、生活中,说到致辞,大家肯定都不陌生吧,有些致辞超出了某种仪式本身的约束,上升到议论说明更广泛的问题就兼具了演讲的特点。致辞的类型多样,你所见过的致辞是什么样的呢?以下是小编收集整理的毕业典礼校长致辞,欢迎阅读,希望大家能够喜欢。',
    ],
    ['record fields', '致辞 时间:2021-08-31 手机版'],
    ['navigation menu', '開業典禮首頁 | 典禮程序 | 校長祝福 | 貴賓演講 | 交通資訊 | 傑出貢獻獎 | 開業服申請 | 檔案下載'],
    ['site greeting', '欢迎来到010在线作文网!'],
    ['breadcrumb', '您的当前位置:首页毕业典礼校长致辞范文'],
    ['link banner', '↓↓更多关于“毕业”内容推荐↓↓'],
    ['link banner', '★毕业致辞大气简短★'],
  ])('%s: %s', (rule, line) => {
    expect(chromeRule(line)).toBe(rule);
  });

  it('keeps speech lines that share words with those rules', () => {
    expect(chromeRule('欢迎来到美丽的校园,欢迎你们加入这个大家庭!')).toBeUndefined();
    expect(chromeRule('一是认清形势 | 二是抢抓机遇')).toBeUndefined();
    expect(chromeRule('我们的小编辑部整理了一年的稿件,付出了很多心血。')).toBeUndefined();
  });
});

describe('hand-over at the end of a news lead', () => {
  it('the lead’s last sentence hands over to the speech', () => {
    expect(isHandOver('中新網11月12日電 第七屆中國2010年上海世博會國際論壇今天上午在北京舉行,國務院總理溫家寶出席論壇開幕式并發表演講。以下為溫家寶講話全文:')).toBe(true);
    expect(isHandOver('会议听取了汇报。以下几项工作要抓紧落实。')).toBe(false);
  });
});

describe('speaker from a title', () => {
  it('a two-character role before 在…的讲话 is a role, not a name', () => {
    expect(factsFromTitle('县长在2017年县政府全体会议上的讲话').speaker).toEqual({ role: '县长' });
  });
  it('祝福 after a role is a word, not a name', () => {
    expect(findRoleAndName('107學年度開業典禮校長祝福')).toBeUndefined();
  });
});

describe('collection item labels', () => {
  it('the page title and an item number label one text of a collection', () => {
    expect(isItemLabel('毕业典礼上校长讲话（一）：', '毕业典礼上校长讲话')).toBe(true);
    expect(isItemLabel('毕业典礼校长致辞1', '毕业典礼校长致辞')).toBe(true);
    expect(isItemLabel('【毕业典礼校长致辞一】', '毕业典礼校长致辞')).toBe(true);
    expect(isItemLabel('毕业典礼校长致辞', '毕业典礼校长致辞')).toBe(false);
    expect(isItemLabel('毕业典礼上校长讲话的第一个要求是守信。', '毕业典礼上校长讲话')).toBe(false);
  });
});

describe('whole pages', () => {
  it('a summary line that repeats the first paragraph does not remove the speech', () => {
    const s = readScrapedText(source('02-wdocx-summary-subtitle-date'), '02.txt').speech;
    expect(s.title).toBe('在全县处级领导和科级主要负责同志专题研讨班结业仪式上的讲话');
    expect(s.date).toBe('2019-03-31');
    expect(s.blocks.filter((b) => b.type === 'paragraph' || b.type === 'salutation')).toHaveLength(2);
  });
});
