import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { renderPrintHtml } from '../../src/render/index.ts';
import { checkTheme } from '../../src/render/templates.ts';
import type { WenjiError } from '../../src/model/diagnostics.ts';
import { codePointRuns, formatUnicodeRange, splitByCoverage } from '../../src/render/fonts.ts';
import { blockText } from '../../src/model/speech.ts';
import { corpusBook, corpusSpeech, edition, lanzhouSpeech, singleSpeechBook } from './fixtures.ts';
import type { Book, Edition } from '../../src/model/book.ts';
import { testFolder } from '../temp-folders.ts';

function dom(html: string) {
  return parseHTML(html).document;
}
const hanCounts = (s: string) => {
  const m = new Map<string, number>();
  for (const ch of s.match(/\p{Script=Han}/gu) ?? []) m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
};

describe('the sample speech fixture', () => {
  it('has the shape the model describes', () => {
    const s = lanzhouSpeech();
    expect(s.blocks).toHaveLength(9);
    const leads = s.blocks.filter((b) => b.type === 'paragraph' && b.lead);
    expect(leads).toHaveLength(4);
  });
});

describe('print HTML structure', () => {
  const speech = lanzhouSpeech();
  const { html } = renderPrintHtml(singleSpeechBook(speech), edition({ preset: 'handout', paper: 'A4', mark: '内部资料　注意保存' }));
  const doc = dom(html);

  it('is a complete document with lang, layout, preset and engine on <html>', () => {
    const root = doc.documentElement;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(root.getAttribute('lang')).toBe('zh-Hans');
    expect(root.getAttribute('class')).toBe('layout-horizontal preset-handout');
    expect(root.getAttribute('data-engine')).toBe('chromium');
  });

  it('contains every Han character of the speech, as often as the speech has it', () => {
    const body = doc.querySelector('.speech-body')!.textContent!;
    const want = hanCounts(speech.blocks.map(blockText).join(''));
    const got = hanCounts(body);
    for (const [ch, n] of want) expect(got.get(ch), ch).toBe(n);
  });

  it('marks the speech and its four run-in sections for bookmarks', () => {
    const l1 = [...doc.querySelectorAll('[data-bookmark-level="1"]')];
    expect(l1.map((e) => e.getAttribute('data-bookmark-title'))).toEqual([speech.title]);
    const l2 = [...doc.querySelectorAll('[data-bookmark-level="2"]')];
    expect(l2.map((e) => e.getAttribute('data-bookmark-title'))).toEqual([
      '一、因地制宜发展新质生产力',
      '二、因地制宜发展新质生产力',
      '三、因地制宜发展新质生产力',
      '四、因地制宜发展新质生产力',
    ]);
    for (const e of [...l1, ...l2]) expect(e.id).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  });

  it('sets the run-in leads apart, with speaker, role, date and the mark', () => {
    expect(doc.querySelectorAll('.lead')).toHaveLength(4);
    expect(doc.querySelector('.speech-speaker')!.textContent).toBe('甘肃省省长\u3000任振鹤');
    expect(doc.querySelector('.speech-date')!.textContent).toBe('（2024年3月19日）');
    expect(doc.querySelector('.mark')!.textContent).toBe('内部资料　注意保存');
    expect(doc.querySelector('.toc')).toBeNull();
  });

  it('prints a speaker known only by role (the page names nobody) as the role alone', () => {
    const s = lanzhouSpeech();
    const roleOnly = { ...s, speaker: { role: '党委书记' } };
    const d = dom(renderPrintHtml(singleSpeechBook(roleOnly), edition({ preset: 'handout', paper: 'A4' })).html);
    expect(d.querySelector('.speech-speaker')!.textContent).toBe('党委书记');
  });

  it('declares the Noto SC faces and Kai from files that exist, and no generic CJK fallback', () => {
    const faces = [...html.matchAll(/@font-face\{font-family:'([^']+)'[^}]*src:url\("([^"]+)"\)/g)];
    // The handout adds 仿宋 (the body) and the Black Song (the title).
    expect(new Set(faces.map((f) => f[1]))).toEqual(new Set(['Noto Serif SC', 'Noto Sans SC', 'LXGW WenKai', 'FandolFang']));
    for (const [, , url] of faces) expect(existsSync(fileURLToPath(url!))).toBe(true);
    // The region's Song faces, then the fallbacks for emoji and rare ideographs (fonts-hanazono installed).
    expect(html).toMatch(/--font-serif: 'Noto Serif SC', 'Noto Serif TC', 'Noto Emoji', 'HanaMinA', 'HanaMinB';/);
    expect(html).not.toMatch(/font-family:[^;{}]*\bserif\s*[;}]/);
    // The Noto faces are whole TrueType files, declared for every character…
    const noto = html.match(/@font-face\{font-family:'Noto[^}]*\}/g) ?? [];
    expect(noto).toHaveLength(4); // Song 400, 700 and 900, Hei 400
    for (const rule of noto) expect(rule).toMatch(/\.ttf"\) format\("truetype"\);\}$/);
    // …and of Kai only the slices holding characters of this text.
    const kai = faces.filter((f) => f[1] === 'LXGW WenKai');
    expect(kai.length).toBeGreaterThan(0);
    expect(kai.length).toBeLessThan(60);
  });

  it('uses 16 pt on A4 and the GB/T folio', () => {
    expect(html).toContain("@page { size: 210mm 297mm; @top-left { font-family: 'Noto Serif SC', 'Noto Serif TC', 'Noto Emoji', 'HanaMinA', 'HanaMinB'; }");
    expect(html).toContain('content: "— " counter(page) " —"');
  });
});

describe('vertical layout', () => {
  const { html } = renderPrintHtml(singleSpeechBook(), edition({ layout: 'vertical' }));
  const doc = dom(html);
  it('dates in Chinese numerals and short numbers upright', () => {
    expect(doc.documentElement.getAttribute('class')).toBe('layout-vertical preset-book');
    expect(doc.querySelector('.speech-date')!.textContent).toBe('（二〇二四年三月十九日）');
    const tcy = [...doc.querySelectorAll('.tcy')].map((e) => e.textContent);
    expect(tcy).toContain('6');
    expect(tcy).toContain('5%');
    expect(tcy.every((t) => t!.length <= 2)).toBe(true);
    const upright = [...doc.querySelectorAll('.upright')].map((e) => e.textContent);
    expect(upright).toEqual(expect.arrayContaining(['36%', '1000']));
    expect(html).toContain('writing-mode: vertical-rl');
  });
});

describe('scripts choose lang tags and faces', () => {
  const trad = { ...corpusSpeech('01-luxun-nala-trad.txt') };
  for (const [script, tag, family] of [
    ['tw', 'zh-Hant-TW', 'Noto Serif TC'],
    ['hk', 'zh-Hant-HK', 'Noto Serif HK'],
  ] as const) {
    it(`${script}: ${tag} with ${family}`, () => {
      const book = { ...singleSpeechBook(trad), lang: 'zh-Hant' as const };
      const { html, assetDirs } = renderPrintHtml(book, edition({ script }));
      expect(dom(html).documentElement.getAttribute('lang')).toBe(tag);
      expect(dom(html).querySelector('article.speech')!.getAttribute('lang')).toBe(tag);
      expect(html).toContain(`--font-serif: '${family}', `);
      // The region's face whole, at both weights; the text needs no other region's face.
      const rules = (fam: string) => html.match(new RegExp(`@font-face\\{font-family:'${fam}'[^}]*\\}`, 'g')) ?? [];
      expect(rules(family)).toHaveLength(2);
      for (const rule of rules(family)) expect(rule).not.toContain('unicode-range');
      expect(rules('Noto Serif SC')).toEqual([]);
      expect(assetDirs.some((d) => d.includes(family.toLowerCase().replace(/ /g, '-')))).toBe(true);
    });
  }

  it("declares another region's face only for the characters the region's own face lacks", () => {
    const withText = (speech: ReturnType<typeof lanzhouSpeech>, text: string) => ({
      ...speech,
      blocks: [...speech.blocks, { type: 'paragraph' as const, content: [{ type: 'text' as const, text }] }],
    });
    const rules = (html: string, fam: string) =>
      (html.match(new RegExp(`@font-face\\{font-family:'${fam}'[^}]*\\}`, 'g')) ?? []).map((r) => /unicode-range:([^;]+);/.exec(r)?.[1] ?? 'all');
    // 𨋢 (lift) is in the TC and HK faces only: an SC book takes it, and only it, from TC.
    const sc = renderPrintHtml(singleSpeechBook(withText(lanzhouSpeech(), '坐𨋢上楼。')), edition()).html;
    expect(rules(sc, 'Noto Serif SC')).toEqual(['all', 'all']);
    expect(rules(sc, 'Noto Serif TC')).toEqual(['U+282e2', 'U+282e2']);
    expect(rules(sc, 'Noto Sans TC')).toEqual(['U+282e2']);
    expect(rules(sc, 'Noto Serif HK')).toEqual([]);
    // 们 is in no traditional face: a Taiwan book takes it from SC, after TC and HK.
    const trad = { ...corpusSpeech('01-luxun-nala-trad.txt') };
    const tc = renderPrintHtml({ ...singleSpeechBook(withText(trad, '我们')), lang: 'zh-Hant' as const }, edition({ script: 'tw' })).html;
    expect(rules(tc, 'Noto Serif TC')).toEqual(['all', 'all']);
    expect(rules(tc, 'Noto Serif HK')).toEqual([]);
    expect(rules(tc, 'Noto Serif SC')).toEqual(['U+4eec', 'U+4eec']);
    expect(rules(tc, 'Noto Sans SC')).toEqual(['U+4eec']);
  });

  it('a mixed book left in its source script gives each speech its own faces', () => {
    const book = corpusBook(['01-luxun-nala-trad.txt', '03-liangqichao-xuewenzhiquwei.txt']);
    const { html } = renderPrintHtml(book, edition());
    const langs = [...dom(html).querySelectorAll('article.speech')].map((a) => a.getAttribute('lang'));
    expect(langs).toEqual(['zh-Hans', 'zh-Hant']);
    expect(html).toMatch(/\[lang\|="zh-Hant"\] \{ --font-serif: 'Noto Serif TC', /);
  });
});

describe('font fallback helpers', () => {
  it('gives each face of a chain the characters it has and no earlier face has', () => {
    const faces = [new Set([1, 2, 3]), new Set([2, 4, 5]), new Set([5, 6])];
    expect(splitByCoverage([6, 5, 4, 3, 2, 1, 9], faces)).toEqual([[1, 2, 3], [4, 5], [6]]);
  });

  it('writes code points as unicode-range runs', () => {
    expect(formatUnicodeRange(codePointRuns([0x4e00, 0x4e01, 0x4e02, 0x4e0a, 0x282e2]))).toBe('U+4e00-4e02,U+4e0a,U+282e2');
    expect(codePointRuns([])).toEqual([]);
  });
});

describe('book preset', () => {
  const book = corpusBook();
  const { html } = renderPrintHtml(book, edition());
  const doc = dom(html);
  const ids = new Set([...doc.querySelectorAll('[id]')].map((e) => e.id));

  it('has half-title, title page, colophon, contents, parts, speeches, matter and index in order', () => {
    const order = [...doc.querySelectorAll('body > section, body > nav, body > article')].map((e) => e.getAttribute('class'));
    expect(order.slice(0, 5)).toEqual(['half-title', 'title-page', 'colophon', 'toc', 'matter front-matter']);
    expect(order.filter((c) => c === 'part-title')).toHaveLength(2);
    expect(order.filter((c) => c === 'speech')).toHaveLength(5);
    expect(order.slice(-2)).toEqual(['matter back-matter', 'speech-index']);
  });

  it('has unique ids, and every contents link has a target and a page slot', () => {
    expect(ids.size).toBe(doc.querySelectorAll('[id]').length);
    const links = [...doc.querySelectorAll('.toc a.toc-link')];
    expect(links.length).toBe(1 + 2 + 5 + 1 + 1);
    for (const a of links) {
      const target = a.getAttribute('href')!.slice(1);
      expect(ids.has(target), target).toBe(true);
      expect(a.querySelector('.toc-page')!.getAttribute('data-target')).toBe(target);
    }
  });

  it('groups the contents by part', () => {
    const parts = [...doc.querySelectorAll('.toc li.toc-part')];
    expect(parts.map((p) => p.querySelector('.toc-text')!.textContent)).toEqual(['第一编　北京时期', '第二编　广州与上海']);
    expect(parts.map((p) => p.querySelectorAll('li.toc-speech').length)).toEqual([2, 3]);
  });

  it('names a page per speech for Chromium, with its running heads', () => {
    for (const a of doc.querySelectorAll('article.speech')) {
      expect(html).toContain(`#${a.id} { page: ${a.id}; }`);
      expect(html).toContain(`@page ${a.id}:right { @top-center { content: "${a.getAttribute('data-bookmark-title')}"; } }`);
      expect(html).toContain(`@page ${a.id}:left { @top-center { content: "演讲选集"; } }`);
      expect(a.hasAttribute('data-recto')).toBe(true);
    }
    expect(html).not.toMatch(/string-set\s*:/);
  });

  it('sets the running heads with string-set for Paged.js, none on opening pages', () => {
    const paged = renderPrintHtml(book, edition({ engine: 'pagedjs' })).html;
    expect(dom(paged).documentElement.getAttribute('data-engine')).toBe('pagedjs');
    expect(paged).not.toMatch(/@page sp-/);
    expect(paged).toContain('string-set: running-head attr(data-bookmark-title)');
    expect(paged).toContain('@top-center { content: string(running-head, first-except); }');
    expect(paged).toContain('@top-center { content: "演讲选集"; }');
  });

  it('puts speaker, date and occasion under each title', () => {
    const first = doc.querySelector('article.speech')!;
    expect(first.querySelector('.speech-title')!.textContent).toBe('学问之趣味');
    expect(first.querySelector('.speech-speaker')!.textContent).toBe('梁启超');
    expect(first.querySelector('.speech-date')!.textContent).toBe('（1922年8月6日）');
    expect(first.querySelector('.speech-occasion')!.textContent).toBe('东南大学暑期学校');
  });

  it('prints edition, date, publisher, identifier and credits in the colophon', () => {
    const c = doc.querySelector('.colophon')!.textContent!;
    // The edition by what a reader calls it, not by its internal name ("test").
    for (const s of ['文集示例出版社', '简体横排本', '2024年5月1日', 'urn:wenji:sample-0001', book.credits![0]!]) expect(c).toContain(s);
    expect(c).not.toContain('test');
  });

  it('names an edition by its label, or by its script, layout and kind', () => {
    const colophon = (over: Partial<Edition>, b: Book = book) =>
      dom(renderPrintHtml(b, edition(over)).html).querySelector('.colophon dl')!.textContent!;
    expect(colophon({ layout: 'vertical', script: 'hans' })).toContain('简体竖排本');
    expect(colophon({ layout: 'vertical', script: 'tw' })).toContain('臺灣繁體直排本');
    expect(colophon({ layout: 'horizontal', script: 'hk' })).toContain('香港繁體橫排本');
    expect(colophon({ label: '纪念版（精装）' })).toContain('纪念版（精装）');
  });

  it('indexes speeches by date and by speaker', () => {
    const idx = doc.querySelector('.speech-index')!;
    const byDate = [...idx.querySelectorAll('ol')[0]!.querySelectorAll('.index-date')].map((e) => e.textContent);
    expect(byDate).toEqual([...byDate].sort((a, b) => a!.localeCompare(b!, 'en', { numeric: true })));
    expect([...idx.querySelectorAll('.index-speaker')].map((e) => e.textContent)).toEqual(['梁启超', '鲁迅']);
  });

  it('a single speech has no index, and its contents list its sections', () => {
    const one = dom(renderPrintHtml(singleSpeechBook(), edition()).html);
    expect(one.querySelector('.speech-index')).toBeNull();
    const sections = [...one.querySelectorAll('.toc-section a.toc-link')];
    expect(sections.map((a) => a.getAttribute('href'))).toEqual([1, 2, 3, 4].map((n) => `#sp-lanzhou-2024-s${n}`));
    for (const a of sections) expect(one.getElementById(a.getAttribute('href')!.slice(1))).not.toBeNull();
  });
});


describe('hostile content', () => {
  it('is escaped everywhere: titles, speaker, blocks, running heads', () => {
    const s = lanzhouSpeech();
    const evil = '</style><script>alert(1)</script>"';
    const book = singleSpeechBook({ ...s, title: evil, speaker: { name: evil, role: '<b>' }, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: evil }] }] });
    book.title = evil;
    const { html } = renderPrintHtml(book, edition());
    const doc = dom(html);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelector('.speech-title')!.textContent).toBe(evil);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
  });
});

describe('theme override', () => {
  it('takes templates and styles from the theme, file by file', () => {
    const theme = testFolder('theme');
    mkdirSync(path.join(theme, 'templates/partials'), { recursive: true });
    mkdirSync(path.join(theme, 'styles'), { recursive: true });
    writeFileSync(path.join(theme, 'templates/partials/colophon.hbs'), '<section class="colophon" id="colophon">THEMED {{text @root.book.title}}</section>');
    writeFileSync(path.join(theme, 'styles/book.css'), '.speech { color: rebeccapurple; }');
    const { html, assetDirs } = renderPrintHtml(corpusBook(), edition({ theme }));
    const doc = dom(html);
    expect(doc.querySelector('.colophon')!.textContent).toBe('THEMED 演讲选集');
    expect(html).toContain('rebeccapurple');
    expect(html).not.toContain('版权页 on the verso'); // our book.css is replaced, not added to
    expect(doc.querySelector('.toc')).not.toBeNull(); // other partials still ours
    expect(html).toContain(readFileSync(path.resolve(import.meta.dirname, '../../styles/base.css'), 'utf8').slice(0, 200));
    expect(assetDirs).toContain(theme);
  });
});

describe('a theme is checked before anything renders', () => {
  function theme(files: Record<string, string>): string {
    const dir = testFolder('theme');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }
  function failure(dir: string): string {
    try {
      checkTheme(dir);
    } catch (e) {
      return (e as WenjiError).format();
    }
    return '';
  }

  it('a template with an unclosed {{#if}} names the file and line', () => {
    const dir = theme({ 'templates/book.hbs': '<html>\n<body>\n{{#if book.title}}<h1>{{book.title}}</h1>\n</body>\n</html>\n' });
    expect(failure(dir)).toBe(
      `${path.join(dir, 'templates/book.hbs')}:5: the template does not parse (a block is not closed: expected {{else}} or {{/…}}, found the end of the file): close each {{#…}} with its {{/…}}`,
    );
  });

  it('a partial whose blocks do not match names the file and line', () => {
    const dir = theme({ 'templates/partials/colophon.hbs': '<p>\n{{#each list}}{{/if}}\n</p>\n' });
    expect(failure(dir)).toMatch(new RegExp(`^${path.join(dir, 'templates/partials/colophon.hbs')}:2: the template does not parse \\(each doesn't match if\\)`));
  });

  it.each([
    ['body { background: url(file:///etc/passwd); }', 'file:///etc/passwd'],
    ['@import "http://example.com/theme.css";', 'http://example.com/theme.css'],
    ["@import url('https://fonts.example.com/x.css');", 'https://fonts.example.com/x.css'],
    ['h1 { background: url( "//cdn.example.com/a.png" ) }', '//cdn.example.com/a.png'],
    ['h1 { background: url(/etc/hostname) }', '/etc/hostname'],
  ])('CSS that loads from outside (%s) names the file, line and URL', (css, url) => {
    const dir = theme({ 'styles/book.css': `/* a theme */\n.speech { color: red; }\n${css}\n` });
    expect(failure(dir)).toBe(
      `${path.join(dir, 'styles/book.css')}:3: the theme asks for ${url}, which the renderer never loads (it loads only the build's own files): copy the file into the theme folder and refer to it by a relative path, or remove it`,
    );
  });

  it.each([
    ['<link rel="stylesheet" href="http://example.com/x.css">', 'http://example.com/x.css'],
    ['<img src="file:///etc/passwd">', 'file:///etc/passwd'],
    ["<script src='https://cdn.example.com/a.js'></script>", 'https://cdn.example.com/a.js'],
  ])('a template that loads from outside (%s) names the file, line and URL', (markup, url) => {
    const dir = theme({ 'templates/book.hbs': `<html>\n<head>\n${markup}\n</head><body><a href="https://example.com/">a link is not loaded</a></body></html>\n` });
    expect(failure(dir)).toBe(
      `${path.join(dir, 'templates/book.hbs')}:3: the theme asks for ${url}, which the renderer never loads (it loads only the build's own files): copy the file into the theme folder and refer to it by a relative path, or remove it`,
    );
  });

  it('relative and data: URLs and URLs in comments are fine', () => {
    const dir = theme({ 'styles/book.css': '/* url(http://x.example/) */\nh1 { background: url(img/a.png), url("data:image/png;base64,AAAA"); }\n' });
    expect(failure(dir)).toBe('');
  });
});

describe('footnotes in front matter', () => {
  it('print and EPUB number a preface note and link to it, as in a speech', async () => {
    const book: Book = {
      ...corpusBook(),
      frontMatter: [
        {
          id: 'front-1',
          title: '前言',
          blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '本书所收' }, { type: 'noteRef', id: 'a' }, { type: 'text', text: '。' }] }],
          notes: [{ id: 'a', content: [{ type: 'text', text: '据原刊。' }] }],
        },
      ],
    };
    const { html } = renderPrintHtml(book, edition());
    const { document } = parseHTML(html);
    const ref = document.querySelector('#mt-front-1 a.noteref')!;
    expect(ref.getAttribute('href')).toBe('#mt-front-1-note-a');
    // After the section (the chromium engine): the mark links back to the call.
    expect(document.querySelector('#mt-front-1 li.note#mt-front-1-note-a')?.textContent).toBe('①据原刊。');
    expect(document.querySelector('#mt-front-1 li.note a.note-mark')?.getAttribute('href')).toBe('#mt-front-1-note-a-ref');
    // At the page foot (Paged.js): the note is set where it is called, and not again after the section.
    const paged = parseHTML(renderPrintHtml(book, edition({ engine: 'pagedjs' })).html).document;
    expect(paged.querySelector('#mt-front-1 p span.footnote#mt-front-1-note-a')?.textContent).toBe('①据原刊。');
    expect(paged.querySelector('#mt-front-1 .note-list')).toBeNull();

    const { createEpubTemplateEnv } = await import('../../src/writers/epub/index.ts');
    const { renderDocuments } = await import('../../src/writers/epub/chapters.ts');
    const { planContents } = await import('../../src/writers/epub/contents.ts');
    const { LABELS } = await import('../../src/model/labels.ts');
    const contents = planContents(book, LABELS['zh-Hans']);
    const docs = renderDocuments(book, contents, createEpubTemplateEnv(), {
      lang: 'zh-Hans', vertical: false, coverImage: 'cover.png', labels: LABELS['zh-Hans'], editionLabel: 'e', identifier: 'urn:x',
    });
    const preface = docs.get('fm-01.xhtml')!;
    expect(preface).toContain('href="#fn-1"');
    expect(preface).toContain('id="fnref-1" href="#fn-1">①</a>');
    expect(preface).toMatch(/<aside id="fn-1"[^>]*><p><a class="fn-mark" href="#fnref-1" role="doc-backlink">①<\/a> 据原刊。<\/p><\/aside>/);
  });
});
