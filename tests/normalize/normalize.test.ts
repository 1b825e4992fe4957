import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { blockText, type Block, type Speech } from '../../src/model/speech.ts';
import { continuesLine, normalizeDocument, wrapWidth } from '../../src/normalize/index.ts';

const fixture = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');
const sample = fixture('scraped/lanzhou-2024-scraped.txt');
const sampleParagraphs = sample.split('\n').slice(16, 25);

function normalize(text: string, file = 'page.txt') {
  return normalizeDocument({ file, lines: text.split('\n').map((t, i) => ({ text: t, line: i + 1 })) });
}

const texts = (blocks: Block[]) => blocks.map(blockText);

/** Breaks a paragraph into lines of `width` characters, as a PDF copy or an e-mail does. */
function hardWrap(p: string, width: number): string[] {
  const chars = [...p];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

const header = ['在兰州新区高新技术企业座谈会上的讲话', '', '甘肃省省长 任振鹤', '', '（2024年3月19日）', ''];
const expected = texts(normalize(sample).speech.blocks);

describe('joining lines', () => {
  it('finds the wrap width of hard-wrapped text', () => {
    expect(wrapWidth(sampleParagraphs.flatMap((p) => hardWrap(p, 33)))).toBe(33);
    expect(wrapWidth(sampleParagraphs)).toBeUndefined();
  });
  it('a line ending mid-sentence continues; a full stop or a header line does not', () => {
    expect(continuesLine('今天到新区来，专门就高新技术企业发展情况作一调研，', '主要是深入学习', undefined)).toBe(true);
    expect(continuesLine('让人感到非常欣慰。', '兰州新区是全国第五个', 40)).toBe(false);
    expect(continuesLine('甘肃省省长 任振鹤', '（2024年3月19日）', 10)).toBe(false);
  });
  it('hard-wrapped paragraphs are joined back (wrapped at 33 characters)', () => {
    const page = [...header, ...sampleParagraphs.flatMap((p) => [...hardWrap(p, 33), ''])].join('\n');
    expect(texts(normalize(page).speech.blocks)).toEqual(expected);
  });
  it('hard-wrapped text without blank lines, paragraphs marked by U+3000 indentation', () => {
    const page = [...header, ...sampleParagraphs.flatMap((p) => hardWrap(p, 37).map((l, i) => (i === 0 ? `\u3000\u3000${l}` : l)))].join('\n');
    expect(texts(normalize(page).speech.blocks)).toEqual(expected);
  });
  it('a paragraph split across page chunks (上一页 / 下一页 in between) is joined', () => {
    const p = sampleParagraphs[2]!;
    const cut = p.indexOf('西北第一个') + 5;
    const page = [...header, sampleParagraphs[0], '', sampleParagraphs[1], '', p.slice(0, cut), '', '上一页 1 2 下一页', '', p.slice(cut), '', ...sampleParagraphs.slice(3)].join('\n');
    const { speech, removed } = normalize(page);
    expect(texts(speech.blocks)).toEqual(expected);
    expect(removed).toContain('上一页 1 2 下一页');
  });
  it('drops indentation made of U+00A0 and U+3000', () => {
    const page = [...header, ...sampleParagraphs.map((p) => `\u00a0\u00a0\u3000${p}`)].join('\n');
    expect(texts(normalize(page).speech.blocks)).toEqual(expected);
  });
});

describe('header and page chrome', () => {
  it('a news report lead before the speech goes (…讲话全文如下：)', () => {
    const page = [
      '新华社兰州3月20日电 3月19日，甘肃省省长任振鹤到兰州新区调研高新技术企业发展情况并主持召开座谈会，听取意见建议，研究部署相关工作。',
      '会上，任振鹤发表讲话。讲话全文如下：',
      '',
      sample,
    ].join('\n');
    const { speech, removed } = normalize(page);
    expect(speech.title).toBe('在兰州新区高新技术企业座谈会上的讲话');
    expect(texts(speech.blocks)).toEqual(expected);
    expect(removed[1]).toBe('会上，任振鹤发表讲话。讲话全文如下：');
  });
  it('speaker and role given only in the title', () => {
    const page = ['首页 > 领导讲话', '甘肃省省长任振鹤在兰州新区高新技术企业座谈会上的讲话', '（2024年3月19日）', '', ...sampleParagraphs].join('\n');
    const { speech } = normalize(page);
    expect(speech.speaker).toEqual({ name: '任振鹤', role: '甘肃省省长' });
    expect(speech.date).toBe('2024-03-19');
  });
  it('title with a dash-led subtitle and a two-part role line', () => {
    const page = ['坚定信心 真抓实干', '——在全市经济工作会议上的讲话', '市委副书记、市长 龚正', '二〇二四年一月五日', '同志们：', ...sampleParagraphs.slice(0, 3)].join('\n');
    const { speech } = normalize(page);
    expect(speech).toMatchObject({
      title: '坚定信心 真抓实干',
      subtitle: '在全市经济工作会议上的讲话',
      speaker: { name: '龚正', role: '市委副书记、市长' },
      date: '2024-01-05',
      occasion: '全市经济工作会议',
    });
    expect(speech.blocks[0]!.type).toBe('salutation');
  });
  it('a web publication date goes to source.published, never to the speech date', () => {
    const page = ['在兰州新区高新技术企业座谈会上的讲话', '发布时间：2024-05-09 10:20  来源：甘肃日报', '', ...sampleParagraphs].join('\n');
    const { speech, diagnostics } = normalize(page);
    expect(speech.date).toBeNull();
    expect(speech.source.published).toBe('2024-05-09');
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/no date found/);
  });
  it('a ROC-year date line', () => {
    const page = ['在臺北市政會議上的致詞', '中華民國101年3月5日', '', ...sampleParagraphs.slice(0, 2)].join('\n');
    expect(normalize(page).speech.date).toBe('2012-03-05');
  });
  it('a page with no speech in it is an error naming the file', () => {
    const page = ['电脑桌面', '首页 > 新闻', '分享到：微信 微博', '回到顶部', '版权所有 © 某某网'].join('\n');
    expect(() => normalize(page, 'empty-page.txt')).toThrow(WenjiError);
    expect(() => normalize(page, 'empty-page.txt')).toThrow(/no speech found/);
  });
});

/** The speech as a plain page again: title, speaker, date, paragraphs. */
function renderPlain(s: Speech): string {
  const lines = [s.title, ''];
  if (s.speaker) lines.push(`${s.speaker.role ? `${s.speaker.role} ` : ''}${s.speaker.name}`, '');
  if (s.date) {
    const [y, m, d] = s.date.split('-').map(Number);
    lines.push(`（${y}年${m}月${d}日）`, '');
  }
  for (const b of s.blocks) lines.push(blockText(b), '');
  return lines.join('\n');
}

const withoutPos = (blocks: Block[]) => blocks.map(({ pos: _pos, ...b }) => b);

describe('idempotence', () => {
  it('normalising the normalised sample changes nothing', () => {
    const once = normalize(sample).speech;
    const twice = normalize(renderPlain(once)).speech;
    expect({ ...twice, source: once.source, blocks: withoutPos(twice.blocks) }).toEqual({ ...once, blocks: withoutPos(once.blocks) });
  });

  it('holds for pages assembled from real paragraphs with ASCII punctuation noise (property)', () => {
    const paragraphs = [
      ...sampleParagraphs,
      ...fixture('corpus/07-luxun-dushuzatan.txt').split('\n').filter((l) => l.length > 20),
    ];
    const noisy = fc
      .tuple(fc.constantFrom(...paragraphs), fc.constantFrom('，', ','), fc.constantFrom('：', ':'), fc.constantFrom('', ' ', '\u3000'))
      .map(([p, comma, colon, indent]) => indent + p.replace(/，/g, comma).replace(/：/g, colon));
    fc.assert(
      fc.property(fc.array(noisy, { minLength: 1, maxLength: 6 }), (ps) => {
        const once = normalize([...header, ...ps.flatMap((p) => [p, ''])].join('\n')).speech;
        const twice = normalize(renderPlain(once)).speech;
        expect(texts(twice.blocks)).toEqual(texts(once.blocks));
        expect(twice.blocks.map((b) => b.type)).toEqual(once.blocks.map((b) => b.type));
      }),
      { numRuns: 150 },
    );
  });
});

// Page shapes from other kinds of sites, written the way those pages copy out as text.
describe('pages from other sites', () => {
  const body = sampleParagraphs.slice(4, 8).map((p) => `\u3000\u3000${p.replace(/,/g, '，')}`);
  it('a government portal page: broken breadcrumb, timestamp line, print controls, name-only speaker', () => {
    const page = [
      '首页', '>', '政务公开', '>', '领导讲话',
      '在全省优化营商环境大会上的讲话',
      '2024-02-20 10:35 来源：甘肃日报',
      '【字体：大 中 小】 打印',
      '在全省优化营商环境大会上的讲话',
      '（2024年2月18日）',
      '胡昌升',
      '同志们：',
      ...body,
      '\u3000\u3000同志们，优化营商环境使命光荣、责任重大。让我们更加紧密地团结在以习近平同志为核心的党中央周围，为谱写中国式现代化甘肃篇章作出新的更大贡献！',
      '扫一扫在手机打开当前页',
      '【打印】【关闭】',
      '主办单位：甘肃省人民政府办公厅',
    ].join('\n');
    const { speech, removed } = normalize(page);
    expect(speech).toMatchObject({ title: '在全省优化营商环境大会上的讲话', speaker: { name: '胡昌升' }, date: '2024-03-19'.replace('03-19', '02-18') });
    expect(speech.source.published).toBe('2024-02-20');
    expect(speech.blocks.map((b) => b.type)).toEqual(['salutation', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'paragraph']);
    expect(speech.blocks.filter((b) => b.type === 'paragraph' && b.lead)).toHaveLength(4);
    expect(removed).toEqual(expect.arrayContaining(['扫一扫在手机打开当前页', '【打印】【关闭】', '主办单位：甘肃省人民政府办公厅', '2024-02-20 10:35 来源：甘肃日报']));
  });

  it('a WeChat article: account header, END and the reading-footer', () => {
    const page = [
      '在全市三级干部大会上的讲话',
      '原创 市委办公室 郑州发布 2024-01-10 18:00 发表于河南',
      '市委书记 安伟',
      '（2024年1月8日）',
      '同志们：',
      '',
      ...body.flatMap((p) => [p, '']),
      '谢谢大家！',
      'END',
      '来源：郑州日报',
      '编辑：李四',
      '审核：王五',
      '预览时标签不可点',
      '阅读原文',
      '在看',
    ].join('\n');
    const { speech } = normalize(page);
    expect(speech).toMatchObject({ title: '在全市三级干部大会上的讲话', speaker: { name: '安伟', role: '市委书记' }, date: '2024-01-08' });
    expect(speech.blocks.map((b) => b.type)).toEqual(['salutation', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'closing']);
  });

  it('a traditional-script page with a ROC date and full-width spaces', () => {
    const page = [
      '首頁 > 新聞稿',
      '總統出席中華民國113年國慶大會致詞',
      '發布日期：113-10-10',
      '中華民國113年10月10日',
      '各位貴賓、各位好朋友，全體國人同胞，大家好：',
      '今天是中華民國一百一十三年的國慶日，我們在這裡，一起慶祝國家的生日。這是我就任總統之後第一次參加國慶大會，感謝大家的參與和支持。',
      '我們要繼續團結，讓國家更加強大，讓人民生活得更好。謝謝大家。',
    ].join('\n');
    const { speech } = normalize(page);
    expect(speech.title).toBe('總統出席中華民國113年國慶大會致詞');
    expect(speech.date).toBe('2024-10-10');
    expect(speech.lang).toBe('zh-Hant');
    expect(speech.blocks[0]!.type).toBe('salutation');
    expect(speech.blocks).toHaveLength(3);
  });
});

describe('more header shapes', () => {
  const body = sampleParagraphs.slice(0, 3);
  it('speaker and date on one line', () => {
    const { speech } = normalize(['在兰州新区高新技术企业座谈会上的讲话', '甘肃省省长 任振鹤（2024年3月19日）', ...body].join('\n'));
    expect(speech).toMatchObject({ speaker: { name: '任振鹤', role: '甘肃省省长' }, date: '2024-03-19' });
    expect(speech.blocks).toHaveLength(3);
  });
  it('a title broken over two lines', () => {
    const { speech } = normalize(['在2024年全省经济工作会议暨', '高质量发展推进大会上的讲话', '省长 任振鹤', '（2024年1月12日）', ...body].join('\n'));
    expect(speech.title).toBe('在2024年全省经济工作会议暨高质量发展推进大会上的讲话');
    expect(speech.occasion).toBe('2024年全省经济工作会议暨高质量发展推进大会');
  });
  it('a transcript that gives its date at the end', () => {
    const { speech, removed } = normalize(['在兰州新区高新技术企业座谈会上的讲话', '', ...body, '', '（2024年3月19日）'].join('\n'));
    expect(speech.date).toBe('2024-03-19');
    expect(speech.blocks).toHaveLength(3);
    expect(removed).toContain('（2024年3月19日）');
  });
});

describe('sections', () => {
  it('a short unpunctuated line between paragraphs is an unnumbered heading', () => {
    const page = ['在兰州新区高新技术企业座谈会上的讲话', '（2024年3月19日）', sampleParagraphs[0], '关于科技创新', sampleParagraphs[1], sampleParagraphs[2]].join('\n');
    const { speech } = normalize(page);
    expect(speech.blocks.map((b) => b.type)).toEqual(['paragraph', 'heading', 'paragraph', 'paragraph']);
    expect(speech.blocks[1]).toMatchObject({ level: 1, content: [{ type: 'text', text: '关于科技创新' }] });
    expect(speech.blocks[1]).not.toHaveProperty('number');
  });
  it('numbered headings by level: 一、 （一） 1. （1）', () => {
    const page = ['在兰州新区高新技术企业座谈会上的讲话', '（2024年3月19日）', '一、总体要求', sampleParagraphs[0], '（一）坚持创新驱动', sampleParagraphs[1], '1.加强基础研究', sampleParagraphs[2], '（1）建强科创平台', sampleParagraphs[3]].join('\n');
    const headings = normalize(page).speech.blocks.filter((b) => b.type === 'heading');
    expect(headings.map((h) => (h.type === 'heading' ? [h.level, h.number] : []))).toEqual([[1, '一、'], [2, '（一）'], [3, '1.'], [4, '（1）']]);
  });
});

describe('bylines', () => {
  it('a byline removed as chrome (作者：) names the speaker when the page says nothing else', () => {
    const page = ['在兰州新区高新技术企业座谈会上的讲话', '作者：任振鹤  来源：甘肃日报', '', ...sampleParagraphs.slice(0, 3)].join('\n');
    const { speech, removed } = normalize(page);
    expect(speech.speaker).toEqual({ name: '任振鹤' });
    expect(removed).toContain('作者：任振鹤 来源：甘肃日报');
  });
});

describe('hard-wrapped corpus speeches', () => {
  const files = ['01-luxun-nala-trad.txt', '03-liangqichao-xuewenzhiquwei.txt', '06-luxun-gemingshidaidewenxue.txt', '08-luxun-weijinfengdu.txt', '09-luxun-zuolianyijian.txt'];
  // A word wrapped across lines comes back with a space: compare without spaces between Latin letters.
  const latinJoined = (xs: string[]) => xs.map((x) => x.replace(/([A-Za-z]) ([A-Za-z])/g, '$1$2'));
  it.each(files.flatMap((f) => [25, 33, 40].flatMap((w) => ['blank lines', 'indentation'].map((style) => [f, w, style] as const))))(
    '%s wrapped at %d, paragraphs marked by %s, gives the same blocks',
    (f, width, style) => {
      const text = fixture(`corpus/${f}`);
      const lines = text.split('\n').filter((l) => l.trim());
      const wrapped = lines.flatMap((l) =>
        l.startsWith('——') ? [l, ''] : style === 'blank lines' ? [...hardWrap(l, width), ''] : hardWrap(l, width).map((x, i) => (i === 0 ? `\u3000\u3000${x}` : x)),
      );
      expect(latinJoined(texts(normalize(wrapped.join('\n'), f).speech.blocks))).toEqual(latinJoined(texts(normalize(text, f).speech.blocks)));
    },
  );
});

describe('more page shapes', () => {
  it('a press release: headline, report lead, 演說全文如下：, traditional script', () => {
    const page = [
      '總統出席「中華民國113年國慶大會」',
      '發布日期：113-10-10',
      '總統今（10）日上午出席「中華民國113年國慶大會」，並發表國慶演說。演說全文如下：',
      '各位貴賓、各位現場及電視機前的國人同胞，大家好：',
      '今天是中華民國一百一十三年的國慶日，我們在這裡，一起慶祝國家的生日。這是我就任總統之後第一次參加國慶大會，感謝大家的參與和支持。',
      '我們要繼續團結，讓國家更加強大，讓人民生活得更好。',
      '謝謝大家。',
    ].join('\n');
    const { speech, removed } = normalize(page);
    expect(speech.title).toBe('總統出席「中華民國113年國慶大會」');
    expect(speech.lang).toBe('zh-Hant');
    expect(speech.blocks.map((b) => b.type)).toEqual(['salutation', 'paragraph', 'paragraph', 'closing']);
    expect(removed).toContain('總統今（10）日上午出席「中華民國113年國慶大會」，並發表國慶演說。演說全文如下：');
  });
  it('text copied from a PDF handout: folios “— 2 —” and page splits', () => {
    const p = sampleParagraphs[2]!;
    const cut = p.indexOf('承担着') + 3;
    const page = [...header, sampleParagraphs[0], sampleParagraphs[1], p.slice(0, cut), '', '— 2 —', '', p.slice(cut), sampleParagraphs[3]].join('\n');
    const { speech, removed } = normalize(page);
    expect(texts(speech.blocks)).toEqual(expected.slice(0, 4));
    expect(removed).toContain('— 2 —');
  });
});

describe('markup in plain text', () => {
  const lines = (text: string) => normalize(text).speech.blocks.map(blockText);
  const speech = (body: string) => `在全市工作会议上的讲话\n张三\n2024年3月19日\n\n同志们：\n\n${body}\n\n谢谢大家！`;

  it('text shaped like a tag that is not HTML is text: vector<int>, map<string,int>, a<b且b>c', () => {
    const line = '我们要学习vector<int>与map<string,int>的用法，以及a<b且b>c这样的关系式，把基础打牢。';
    expect(lines(speech(line))).toContain(line.replace(/,/g, ','));
  });

  it('real HTML markup leaked into scraped text still goes, entities decoded', () => {
    const out = lines(speech('<p class="text">我们要<strong>坚持</strong>创新驱动发展，<br/>推动高质量发展&nbsp;取得新成效。<o:p></o:p></p>'));
    expect(out).toContain('我们要坚持创新驱动发展，推动高质量发展取得新成效。');
  });

  it('says which tags it removed, at the first line holding one', () => {
    const { diagnostics } = normalize(speech('<p class="text">我们要<strong>坚持</strong>创新驱动发展，<br/>推动高质量发展。</p>'));
    expect(diagnostics.filter((d) => d.code === 'W-IMPORT-HTML-REMOVED')).toEqual([
      { severity: 'warning', code: 'W-IMPORT-HTML-REMOVED', file: 'page.txt', line: 7, message: 'HTML tags removed from 1 line of plain text: <p> <strong> </strong> <br> </p>' },
    ]);
    expect(normalize(speech('我们要学习vector<int>的用法，把基础打牢。')).diagnostics.filter((d) => d.code === 'W-IMPORT-HTML-REMOVED')).toEqual([]);
  });
});
