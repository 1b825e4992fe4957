import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromeRule, isEndMarker, isHandOver } from '../../src/normalize/chrome.ts';

const corpus = (f: string) => readFileSync(new URL(`../fixtures/corpus/${f}`, import.meta.url), 'utf8');

describe('chromeRule', () => {
  // The sample page's chrome, and lines of the same kinds from other Chinese sites.
  it.each([
    '电脑桌面',
    '添加写作方程式到电脑桌面',
    '安装后可以在桌面快捷访问',
    '栏目:读报推荐发布:2024-05-09浏览:37收藏',
    '点击下载',
    '分享:',
    '确认删除?',
    '回到顶部',
    '客服微信',
    '  • 客服微信',
    '当前位置：首页 > 新闻中心 > 领导讲话',
    '首页 > 政务公开 > 讲话',
    '【字体：大 中 小】',
    '字号：大 中 小',
    '【打印本页】【关闭窗口】',
    '分享到：微信 微博 QQ空间',
    '发布时间：2024-03-20 09:15 来源：甘肃日报',
    '来源：人民网－人民日报',
    '（责任编辑：张三）',
    '责任编辑：王五',
    '阅读量：1234',
    '浏览次数：567',
    '版权所有：甘肃省人民政府办公厅 网站标识码6200000001',
    '陇ICP备05000001号',
    '剩余80%内容，付费后即可查看',
    '开通会员，解锁全文',
    '图为座谈会现场。',
    '记者 张三 摄',
    '上一篇：在全省经济工作会议上的讲话',
    '下一篇：政府工作报告',
    '相关阅读',
    '扫一扫在手机打开当前页',
    '原标题：在兰州新区高新技术企业座谈会上的讲话',
    '本文来源：甘肃日报',
    '声明：本文转载自甘肃日报，版权归原作者所有。',
    '（完）',
    '视频加载中，请稍候...',
    '点击图片进入下一页',
    '网友评论',
    '返回搜狐，查看更多',
    '举报/反馈',
    '附件：2024年重点工作任务分工.docx',
    '附件下载：',
    '原创 市委办公室 郑州发布 2024-01-10 18:00 发表于河南',
    '2024-02-20 10:35 来源：甘肃日报',
    '发布日期：113-10-10',
    '上一页 1 2 3 下一页',
  ])('%s', (line) => {
    expect(chromeRule(line)).toBeDefined();
  });

  it('no line of any corpus speech is taken for chrome', () => {
    for (const f of ['01-luxun-nala-trad.txt', '03-liangqichao-xuewenzhiquwei.txt', '04-luxun-jitanhua.txt', '07-luxun-dushuzatan.txt', '08-luxun-weijinfengdu.txt']) {
      for (const line of corpus(f).split('\n')) expect(chromeRule(line), `${f}: ${line.slice(0, 30)}`).toBeUndefined();
    }
  });

  it('the speech lines of the sample are not chrome', () => {
    for (const line of ['在兰州新区高新技术企业座谈会上的讲话', '甘肃省省长 任振鹤', '(2024年3月19日)', '谢谢大家！', '同志们：']) {
      expect(chromeRule(line)).toBeUndefined();
    }
  });
});

describe('end markers and hand-over', () => {
  it('related links, prev/next and copyright end the page', () => {
    expect(isEndMarker('相关阅读')).toBe(true);
    expect(isEndMarker('上一篇：政府工作报告')).toBe(true);
    expect(isEndMarker('（责任编辑：张三）')).toBe(true);
    expect(isEndMarker('今天到新区来，专门就高新技术企业发展情况作一调研。')).toBe(false);
  });
  it('a news report hands over to the speech text', () => {
    expect(isHandOver('会上，任振鹤发表讲话。讲话全文如下：')).toBe(true);
    expect(isHandOver('下面，我讲几点意见。')).toBe(false);
  });
});
