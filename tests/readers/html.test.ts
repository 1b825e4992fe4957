import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockText } from '../../src/model/speech.ts';
import { readHtml, titleWithoutSite } from '../../src/readers/html.ts';
import { readSource } from '../../src/readers/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const PAGE = path.join(fixtures, 'html/lanzhou-2024.html');

describe('readHtml on a saved news page', async () => {
  const fromHtml = await readSource(PAGE);
  const fromText = await readSource(path.join(fixtures, 'scraped/lanzhou-2024-scraped.txt'));

  it('gives the same speech as the scraped text of the same page', () => {
    const s = fromHtml.speech;
    expect(s.title).toBe('在兰州新区高新技术企业座谈会上的讲话');
    expect(s.speaker).toEqual({ name: '任振鹤', role: '甘肃省省长' });
    expect(s.date).toBe('2024-03-19');
    expect(s.blocks.map(blockText)).toEqual(fromText.speech.blocks.map(blockText));
    expect(s.blocks.filter((b) => b.type === 'paragraph' && b.lead)).toHaveLength(4);
  });
  it('takes the site, URL and publication date from the page’s metadata, into source only', () => {
    expect(fromHtml.speech.source).toMatchObject({ site: '写作方程式', url: 'https://www.example.com/article/2024/05/09/12345.html', published: '2024-05-09' });
    expect(fromHtml.report.format).toBe('html');
  });
  it('drops scripts, styles, iframes, forms, navigation, images and their captions', () => {
    const all = fromHtml.speech.blocks.map(blockText).join('\n');
    for (const s of ['_hmt', 'jquery', 'font-family', '搜索', '要闻', '图为', '记者 张三', '责任编辑', '相关阅读', '版权所有', 'document.write', 'http']) {
      expect(all).not.toContain(s);
    }
    expect(fromHtml.report.removed).toEqual(expect.arrayContaining(['当前位置：首页 > 读报推荐 > 正文', '图为兰州新区全景。记者 张三 摄', '（责任编辑：李四）']));
  });
  it('runs no script from the page and fetches nothing', () => {
    // A page whose scripts would throw or write if run: reading it has no effect.
    const html = `<html><head><script>globalThis.__ran = true; throw new Error('ran')</script></head><body>
      <img src="https://example.com/x.png" onerror="globalThis.__ran = true">
      <h1>在兰州新区高新技术企业座谈会上的讲话</h1><p>甘肃省省长 任振鹤</p><p>（2024年3月19日）</p>
      ${readFileSync(path.join(fixtures, 'scraped/lanzhou-2024-scraped.txt'), 'utf8').split('\n').slice(16, 25).map((p) => `<p>${p}</p>`).join('')}
      <script>globalThis.__ran = true</script></body></html>`;
    const { speech } = readHtml(html, 'inline.html');
    expect((globalThis as { __ran?: boolean }).__ran).toBeUndefined();
    expect(speech.blocks).toHaveLength(9);
  });
});

describe('titleWithoutSite', () => {
  it('drops the site name after a separator', () => {
    expect(titleWithoutSite('在兰州新区高新技术企业座谈会上的讲话_读报推荐_写作方程式')).toBe('在兰州新区高新技术企业座谈会上的讲话');
    expect(titleWithoutSite('政府工作报告 - 中国政府网')).toBe('政府工作报告');
    expect(titleWithoutSite('学问之趣味')).toBe('学问之趣味');
  });
});

describe('a government portal page (title outside the article body, name-only speaker line)', () => {
  it('takes the title from the page, the speaker from the name line, sections from bold lines', async () => {
    const { speech, report } = await readSource(path.join(fixtures, 'html/gov-portal-speech.html'));
    expect(speech).toMatchObject({
      title: '在全省优化营商环境大会上的讲话',
      speaker: { name: '胡昌升' },
      date: '2024-02-18',
      occasion: '全省优化营商环境大会',
      source: { published: '2024-02-20' },
    });
    expect(speech.blocks.map((b) => b.type)).toEqual(['salutation', 'paragraph', 'heading', 'paragraph', 'heading', 'paragraph', 'paragraph']);
    expect(report.removed).toEqual(expect.arrayContaining(['当前位置：首页 > 领导讲话', '分享到：微信微博']));
  });
});

describe('bold run-in leads in HTML', () => {
  it('a paragraph opening with a bold sentence has it as lead, numbered or not', () => {
    const paras = readFileSync(path.join(fixtures, 'scraped/lanzhou-2024-scraped.txt'), 'utf8').split('\n').slice(16, 25);
    const html = `<html><body><article><h1>在兰州新区高新技术企业座谈会上的讲话</h1><p>甘肃省省长 任振鹤</p><p>（2024年3月19日）</p>
      <p>${paras[0]}</p>
      <p>　　<strong>要坚持创新驱动。</strong>${paras[1]}</p>
      <p><b>总之，</b>这一句不是完整的句子开头，粗体不算导语。${paras[2]}</p>
      <p><strong>这一段全是粗体，不是导语。</strong></p>
      <p>${paras[3]}</p></article></body></html>`;
    const { speech } = readHtml(html, 'bold.html');
    const leads = speech.blocks.map((b) => (b.type === 'paragraph' && b.lead ? b.lead.map((n) => (n.type === 'text' ? n.text : '')).join('') : null));
    expect(leads).toEqual([null, '要坚持创新驱动。', null, null, null]);
    expect(blockText(speech.blocks[1]!)).toBe(`要坚持创新驱动。${paras[1]!.replace(/,/g, '，')}`);
  });
});

describe('readHtml keeps inline emphasis, block quotes and lists', () => {
  // Lines of the UN Day message (tests/fixtures/devset/01) and a university address (09), as
  // their pages mark them up.
  const page = `<!doctype html><html><head><title>秘书长联合国日献词</title></head><body><article>
<h1>秘书长联合国日献词</h1>
<p>2006年10月24日</p>
<p>值此联合国日，我第十次、也是<strong>最后一次</strong>作为秘书长，向世界各地的朋友、同事们致以最良好的祝愿。我几乎毕生任职于联合国，故这一天及其所代表的价值，将始终对我意义非凡。</p>
<p>在过去十年中，我们在实现<em>发展、安全和人权</em>的共同奋斗中取得了一些长足进展。</p>
<ul><li>援助和债务减免规模扩大，令世界经济较趋公平。</li><li>全世界终于在加强对艾滋病毒/艾滋病的应对措施。</li><li>国家间的战争比以往减少；许多内战业已结束。</li></ul>
<p>然而，需做之事依然任重道远：</p>
<ol><li>穷富差距继续扩大。</li><li>核不扩散机制迫切需加关注。</li></ol>
<blockquote><p>青春是一场远行，回不去了。青春是一场相逢，忘不掉了。青春是一场伤痛，来不及了。</p></blockquote>
<p>请敦促你们各国的领导人与我的继任者合作，使联合国更加强大，更有效力。</p>
</article></body></html>`;
  const { speech } = readHtml(page, 'un-day.html');

  it('keeps strong and emphasis runs inside paragraphs', () => {
    expect(speech.blocks[0]).toMatchObject({
      type: 'paragraph',
      content: [
        { type: 'text', text: '值此联合国日，我第十次、也是' },
        { type: 'strong', children: [{ type: 'text', text: '最后一次' }] },
        { type: 'text', text: '作为秘书长，向世界各地的朋友、同事们致以最良好的祝愿。我几乎毕生任职于联合国，故这一天及其所代表的价值，将始终对我意义非凡。' },
      ],
    });
    expect(speech.blocks[1]).toMatchObject({ content: [{ type: 'text' }, { type: 'emphasis', children: [{ type: 'text', text: '发展、安全和人权' }] }, { type: 'text' }] });
  });

  it('keeps lists as lists, ordered or not, and a block quote as a quote', () => {
    expect(speech.blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'list', 'paragraph', 'list', 'quote', 'paragraph']);
    expect(speech.blocks[2]).toMatchObject({ type: 'list', ordered: false, items: [[{ text: '援助和债务减免规模扩大，令世界经济较趋公平。' }], [{}], [{}]] });
    expect(speech.blocks[4]).toMatchObject({ type: 'list', ordered: true, items: [[{ text: '穷富差距继续扩大。' }], [{ text: '核不扩散机制迫切需加关注。' }]] });
    expect(speech.blocks[5]).toMatchObject({ type: 'quote', paragraphs: [[{ text: '青春是一场远行，回不去了。青春是一场相逢，忘不掉了。青春是一场伤痛，来不及了。' }]] });
  });
});

describe('bulleted lines of scraped text', () => {
  it('become one list per run, without the bullet glyph', async () => {
    const { speech } = await readSource(path.join(fixtures, 'devset/sources/01-un-sg-unday-bullets.txt'));
    const lists = speech.blocks.filter((b) => b.type === 'list');
    expect(lists).toHaveLength(2);
    expect(lists.map((l) => (l.type === 'list' ? l.items.length : 0))).toEqual([5, 5]);
    expect(blockText(lists[0]!).startsWith('援助和债务减免规模扩大')).toBe(true);
  });
});

describe("readHtml uses the page's own metadata", () => {
  // The opening of the Macao New Year address (tests/fixtures/devset/02), as a news page
  // that prints no title line and states its headline and date only in its metadata.
  const body = '<article><p>各位亲爱的市民：</p><p>爆竹一声除旧岁，普天同庆贺新春。踏入丙戌年的伊始，我首先代表澳门特别行政区政府，恭祝全澳市民身体健康，年年有馀，心想事成，万事胜意。</p><p>在过去的一年，澳门社会经历了不同的演练，磨练了我们的意志，丰富了我们的阅历，凝聚了我们的信心。</p></article>';
  it('takes the headline and publication date from JSON-LD', () => {
    const ld = JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: '澳门特别行政区行政长官何厚铧丙戌年新春献辞', datePublished: '2006-01-28T10:00:00+08:00', publisher: { '@type': 'Organization', name: '澳门特别行政区政府入口网站' } });
    const { speech } = readHtml(`<!doctype html><html><head><title>新闻 | 入口网站</title><script type="application/ld+json">${ld}</script></head><body>${body}</body></html>`, 'p.html');
    expect(speech.title).toBe('澳门特别行政区行政长官何厚铧丙戌年新春献辞');
    expect(speech.speaker).toEqual({ name: '何厚铧', role: '澳门特别行政区行政长官' });
    expect(speech.source).toMatchObject({ published: '2006-01-28', site: '澳门特别行政区政府入口网站' });
    expect(speech.date).toBeNull();
  });
  it('takes the publication date from <time datetime> when nothing else gives it, and ignores broken JSON-LD', () => {
    const { speech } = readHtml(`<!doctype html><html><head><script type="application/ld+json">{ not json</script></head><body><time datetime="2006-01-28">1月28日</time>${body}</body></html>`, 'p.html');
    expect(speech.source.published).toBe('2006-01-28');
  });
});
