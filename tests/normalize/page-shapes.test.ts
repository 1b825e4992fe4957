/**
 * The rules added for page shapes met on other sites, each with real lines from the pages in
 * tests/fixtures/devset (their addresses are in its README).
 */
import { describe, expect, it } from 'vitest';
import { chromeRule, isHandOver } from '../../src/normalize/chrome.ts';
import { splitGluedHeading, splitLine, stripPinyin } from '../../src/normalize/flattened.ts';
import { cleanLine, parseSignature } from '../../src/normalize/index.ts';
import { factsFromTitle, findRoleAndName, parseSpeakerLine } from '../../src/normalize/metadata.ts';

describe('chrome by page shape', () => {
  it.each([
    ['record fields', '上传人:b****4 文档编号:4028123 上传时间:2022-11-27 格式:DOCX 页数:50 大小:73.98KB'],
    ['record fields', '时间:2005-02-09 来源:礼仪 点击:'],
    ['record fields', '日期:2023.01.21 来源:香江集团'],
    ['record fields', '时间:2022-05-11 11:04:00'],
    ['dated record', '2017-01-20 | 唐納•川普總統就職演說'],
    ['dated record', '  • 2024-05-03 任职讲话 248'],
    ['dated record', '2021-02-20 佤邦之音'],
    ['file name', '秘书长讲话.docx_第1页'],
    ['file name', '《秘书长讲话.docx》由会员分享,可在线阅读,更多相关《秘书长讲话.docx(50页珍藏版)》请在冰豆网上搜索。'],
    ['site notice', '导语:全县项目建设增长工作会议讲话一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。'],
    ['feedback form', '此页面有问题吗?'],
    ['control', '* 必填项'],
    ['forum post header', '[楼主] clclcl 2017-01-21 11:12:42'],
    ['number alone', '149027'],
    ['ornament', '|'],
    ['byline', '| 小龙'],
    ['font-size control', '字体大小:'],
    ['assistant reply', '这篇内容既符合您的需求,又保持了一定的独特性,希望能满足您的期待。'],
    ['photo caption', '(以上圖片均為採訪現場)'],
    ['photo caption', '▲ 图为活动现场'],
    // Shapes the issue lists, in the words real pages use for them.
    ['record fields', '索引号：000014349/2024-00012'],
    ['record fields', '发文机关：国务院办公厅 成文日期：2024年03月19日'],
    ['style rules', '@page { margin: 2cm }'],
    ['style rules', 'P { margin-bottom: 0.21cm; direction: ltr; line-height: 120% }'],
    ['style rules', 'font-family: 宋体; font-size: 16pt;'],
    ['preview notice', '预览已结束，剩余3页可下载查看'],
    ['preview notice', '本文共3200字，还剩5页未读，继续阅读'],
    ['contact ad', '专业代写各类讲话稿、发言稿，QQ：123456789'],
    ['wiki notice', '本作品在全世界都属于公有领域，因为作者逝世已经超过100年'],
    ['prev/next link', '← 在全市经济工作会议上的讲话'],
    ['folio', '第1页 / 共50页'],
    ['control', '下载 相关 举报'],
    ['control', '点击查看更多>>'],
    ['control', '跳过导航'],
    ['control', '跳到主要內容區'],
    ['control', '- 其他語言版本:'],
  ])('%s: %s', (rule, line) => {
    expect(chromeRule(cleanLine(line))).toBe(rule);
  });

  it('leaves speech lines alone', () => {
    for (const line of [
      '同志们、朋友们:',
      '2009年11月6日',
      '然而,需做之事依然任重道远:',
      '我国不选边站 反对强权即公理',
      '祝我们的地球和它养育',
      '首先,我要代表学校向所有顺利完成学业的学生表示最热烈的祝贺!',
      '▲DVB電視臺記者:我是DVB臺記者,我想問的問題是:佤邦對NCA(全國停火協議)有什麼看法?',
    ]) expect(chromeRule(cleanLine(line))).toBeUndefined();
  });
});

describe('lines that carry more than one thing', () => {
  it('splits a speech flattened onto one line at blanks after sentence ends, and the salutation', () => {
    const line = cleanLine('各位亲爱的市民: 爆竹一声除旧岁,普天同庆贺新春。踏入丙戌年的伊始,我首先代表澳门特别行政区政府,恭祝全澳市民身体健康。 在过去的一年,澳门社会经历了不同的演练,磨练了我们的意志。 在未来的一年,我衷心祝愿澳门继续欣欣向荣。');
    expect(splitLine(line, false).map((p) => p.text)).toEqual([
      '各位亲爱的市民:',
      '爆竹一声除旧岁,普天同庆贺新春。踏入丙戌年的伊始,我首先代表澳门特别行政区政府,恭祝全澳市民身体健康。',
      '在过去的一年,澳门社会经历了不同的演练,磨练了我们的意志。',
      '在未来的一年,我衷心祝愿澳门继续欣欣向荣。',
    ]);
  });

  it('splits a date glued to the salutation', () => {
    expect(splitLine('(2006年8月30日) 同志们:', false).map((p) => p.text)).toEqual(['(2006年8月30日)', '同志们:']);
  });

  it('splits a doubled title glued to the text, only near the top of a page', () => {
    const line = '在经贸工作会议上的讲话经济工作 在经贸工作会议上的讲话经济工作今日召开全市经贸工作会,也就是召开城市经济工作会。';
    expect(splitLine(line, true)).toEqual([
      { text: '在经贸工作会议上的讲话经济工作', split: 'doubled title' },
      { text: '在经贸工作会议上的讲话经济工作', chrome: 'doubled title' },
      { text: '今日召开全市经贸工作会,也就是召开城市经济工作会。', split: 'doubled title' },
    ]);
    expect(splitLine(line, false)).toHaveLength(1);
  });

  it('cuts a hidden-text notice out of a paragraph and a media tag off its start', () => {
    const pieces = splitLine('在近年学校事业的发展中作出了重要的引领性贡献,在**大学校史上......此处隐藏1268字,下载文档可见......对学校党的工作和各项事业的发', false);
    expect(pieces.map((p) => p.chrome ?? 'text')).toEqual(['text', 'hidden-text notice', 'text']);
    const tagged = splitLine('【Now新聞台】273. 主席、 各位議員、各位市民, 今年是香港回歸祖國的20周年。', false);
    expect(tagged[0]).toEqual({ text: '【Now新聞台】', chrome: 'media tag' });
    expect(tagged[1]!.text).toBe('273. 主席、 各位議員、各位市民, 今年是香港回歸祖國的20周年。');
  });

  it('splits a heading glued to the text in a flattened document where the text starts again', () => {
    expect(splitGluedHeading('一、提高认识,增加做好城市经济工作的紧迫性我们整个国民经济,农业是基础,民以食为天,吃饭,这是毫不讳言的。')).toEqual([
      '一、提高认识,增加做好城市经济工作的紧迫性',
      '我们整个国民经济,农业是基础,民以食为天,吃饭,这是毫不讳言的。',
    ]);
    // A run-in lead whose sentence goes on after a comma stays whole.
    const lead = '一、因地制宜发展新质生产力，兰州新区有产业基础之实，要在增强科技创新驱动力上当好“行动标兵”。去年9月，我们实地看了。';
    expect(splitGluedHeading(lead)).toEqual([lead]);
  });

  it('splits a speech title glued to the salutation that opens the text', () => {
    expect(splitLine('在全县项目建设工作会议上的讲话同志们:今天的这个会议非常重要,也非常必要。', true).map((p) => p.text)).toEqual([
      '在全县项目建设工作会议上的讲话',
      '同志们:今天的这个会议非常重要,也非常必要。',
    ]);
  });

  it('drops flattened pinyin; keeps emoji, which are text (nothing is lost silently)', () => {
    expect(stripPinyin('同學(xué)們,不要把這些歸結(jié)為無(wú)謂的小事')).toBe('同學們,不要把這些歸結為無謂的小事');
    expect(cleanLine('大家好💵,2022年即將到來。我在北京向大家致以新年祝福🎪!')).toBe('大家好💵,2022年即將到來。我在北京向大家致以新年祝福🎪!');
    // A joiner inside an emoji sequence stays; one between words goes.
    expect(cleanLine('新年前夕👨\u200d👩\u200d👧,國家\u200d主席')).toBe('新年前夕👨\u200d👩\u200d👧,國家主席');
  });
});

describe('who spoke', () => {
  it.each([
    ['澳门特别行政区行政长官何厚铧丙戌年新春献辞', '何厚铧', '澳门特别行政区行政长官'],
    ['翟美卿总裁2023年新春致辞', '翟美卿', '总裁'],
    ['唐納•川普總統就職演說', '唐納•川普', '總統'],
    ['蘇慧貞校長108級畢業典禮致詞全文', '蘇慧貞', '校長'],
  ])('a title that opens with the speaker: %s', (title, name, role) => {
    expect(factsFromTitle(title).speaker).toEqual({ name, role });
  });

  it('finds the role alone where a title names nobody, or the byline masks the name', () => {
    expect(factsFromTitle('秘书长联合国日献词').speaker).toEqual({ role: '秘书长' });
    expect(factsFromTitle('大学校长毕业典礼致辞').speaker).toEqual({ role: '大学校长' });
    expect(factsFromTitle('县委书记在全县经济工作会议上的讲话').speaker).toEqual({ role: '县委书记' });
    expect(parseSpeakerLine('党委书记  **')).toEqual({ role: '党委书记' });
    expect(factsFromTitle('经济增长与就业工作会议讲话').speaker).toBeUndefined();
  });

  it('finds no person in a title without one', () => {
    for (const t of ['毕业典礼园长讲话', '[史密斯热水器]对史密斯教授的欢送词', '全县项目建设增长工作会议讲话']) expect(factsFromTitle(t).speaker).toBeUndefined();
    expect(parseSpeakerLine('毕业典礼园长讲话')).toBeUndefined();
    expect(parseSpeakerLine('唐納•川普總統就職演說')).toBeUndefined();
  });

  it('finds a role and name in a news lead', () => {
    expect(findRoleAndName('以下为行政长官曾荫权今日(六月二十八日)傍晚在国家政协主席贾庆林的欢迎晚宴上致辞全文:')).toEqual({ name: '曾荫权', role: '行政长官' });
    expect(findRoleAndName('新華社北京12月31日電 新年前夕,國家主席習近平通過中央廣播電視總臺和互聯網,發表了二〇二二年新年賀詞。全文如下:')).toEqual({ name: '習近平', role: '國家主席' });
  });

  it('reads a signature closing the text', () => {
    expect(parseSignature('香江集团总裁 翟美卿')).toEqual({ speaker: { name: '翟美卿', role: '香江集团总裁' } });
    expect(parseSignature('宗良勇2019.9.9')?.date?.iso).toBe('2019-09-09');
  });

  it('recognises a news report handing over to the speech', () => {
    expect(isHandOver('以下为特朗普就职演说全文(观察者网独家翻译):')).toBe(true);
    expect(isHandOver('以下为行政长官曾荫权今日(六月二十八日)傍晚在国家政协主席贾庆林的欢迎晚宴上致辞全文:')).toBe(true);
    expect(isHandOver('具体讲,有以下这么几点考虑:')).toBe(false);
  });
});
