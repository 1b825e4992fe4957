import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readMarkdown } from '../../src/readers/markdown.ts';
import { testFolder } from '../temp-folders.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const SAMPLE = path.join(fixtures, 'scraped/lanzhou-2024-scraped.txt');

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const tmp = () => testFolder('import');

describe('wenji import', () => {
  it('writes one Markdown file named from date and title, and reports what it found and removed', async () => {
    const dir = tmp();
    const before = statSync(SAMPLE).mtimeMs;
    expect(await main(['import', SAMPLE, '--out', dir])).toBe(0);
    expect(readdirSync(dir)).toEqual(['2024-03-19-在兰州新区高新技术企业座谈会上的讲话.md']);
    const md = readFileSync(path.join(dir, readdirSync(dir)[0]!), 'utf8');
    expect(readMarkdown(md, 'x.md').speech.blocks).toHaveLength(9);
    expect(out).toContain('title     在兰州新区高新技术企业座谈会上的讲话');
    expect(out).toContain('speaker   任振鹤（甘肃省省长）');
    expect(out).toContain('date      2024-03-19');
    expect(out).toContain('9 paragraphs (4 with run-in leads), 0 headings');
    expect(out).toMatch(/removed {3}13 lines of page chrome:\n {12}电脑桌面/);
    expect(statSync(SAMPLE).mtimeMs).toBe(before);
  });

  it('--explain prints every source line with its role and rule, and writes nothing', async () => {
    const dir = tmp();
    const page = path.join(fixtures, 'devset/sources/16-hkfinance-corporate-signature.txt');
    expect(await main(['import', page, '--explain', '--out', dir])).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    const rows = out.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s{2,}/));
    // Every non-empty source line appears once, in order, with a role and a rule.
    const sourceLines = readFileSync(page, 'utf8').split('\n').flatMap((t, i) => (t.trim() ? [String(i + 1)] : []));
    expect(rows.map((r) => r[0])).toEqual(sourceLines);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['1', 'chrome', 'breadcrumb'],
      ['2', 'chrome', 'before the body and not a header line'],
      ['4', 'title', 'the speech title nearest the body'],
      ['6', 'chrome', 'record fields'],
      ['8', 'body', 'paragraph'],
      ['10', 'body', 'paragraph'],
      ['12', 'body', 'paragraph'],
      ['14', 'body', 'paragraph'],
      ['16', 'byline', 'signature after the speech'],
      ['18', 'date', 'date line closing the text'],
    ]);
  });

  it('--explain names the splitter of a flattened line and the rule that removed a notice inside it', async () => {
    const page = path.join(fixtures, 'devset/sources/19-uedoc-hidden-text-marker.txt');
    expect(await main(['import', page, '--explain'])).toBe(0);
    expect(out).toMatch(/ 14 {2}chrome {3}hidden-text notice +\.{6}此处隐藏1268字/);
    expect(out).toMatch(/ 7 {2}byline {3}speaker line +党委书记 \*\*/);
  });

  it('a role without a name (the page names nobody) is written as role: and read back', async () => {
    const dir = tmp();
    expect(await main(['import', path.join(fixtures, 'devset/sources/01-un-sg-unday-bullets.txt'), '--out', dir])).toBe(0);
    const md = readFileSync(path.join(dir, readdirSync(dir)[0]!), 'utf8');
    expect(md).toMatch(/\nrole: 秘书长\n/);
    expect(md).not.toMatch(/\nspeaker:/);
    expect(readMarkdown(md, 'x.md').speech.speaker).toEqual({ role: '秘书长' });
    expect(err + out).toContain('warning: the speaker is not named, only the role 秘书长 (from the title); set speaker: in 01-un-sg-unday-bullets.meta.yaml');
  });

  it('warns when title, speaker or date is only guessed, naming the sidecar key', async () => {
    const page = path.join(fixtures, 'devset/sources/02-govmo-newyear-flattened.txt');
    expect(await main(['import', page, '--json'])).toBe(0);
    expect(err).toMatch(/02-govmo-newyear-flattened\.txt: warning: speaker 何厚铧（澳门特别行政区行政长官） taken from the title; check it \(speaker: and role: in 02-govmo-newyear-flattened\.meta\.yaml\) \[W-IMPORT-SPEAKER-UNCERTAIN\]/);
    expect(err).toMatch(/warning: no date found \(set date: YYYY-MM-DD in 02-govmo-newyear-flattened\.meta\.yaml, or give --date\) \[W-IMPORT-DATE-MISSING\]/);
    expect(err).toContain('此页面有问题吗?');
  });

  it('--json prints the model: title, speaker, date, occasion, lang, blocks with type, text and lead', async () => {
    expect(await main(['import', SAMPLE, '--json'])).toBe(0);
    const j = JSON.parse(out);
    expect(j).toMatchObject({
      title: '在兰州新区高新技术企业座谈会上的讲话',
      speaker: { name: '任振鹤', role: '甘肃省省长' },
      date: '2024-03-19',
      occasion: '兰州新区高新技术企业座谈会',
      lang: 'zh-Hans',
    });
    expect(j.blocks).toHaveLength(9);
    expect(j.blocks[4]).toMatchObject({ type: 'paragraph', lead: '一、因地制宜发展新质生产力，兰州新区有产业基础之实，要在增强科技创新驱动力上当好“行动标兵”。' });
    expect(j.blocks[4].text.startsWith(j.blocks[4].lead)).toBe(true);
    expect(err).toContain('title     在兰州新区高新技术企业座谈会上的讲话');
  });

  it('--json with several files prints an array; options override the sidecar', async () => {
    const files = ['06-luxun-gemingshidaidewenxue.txt', '09-luxun-zuolianyijian.txt'].map((f) => path.join(fixtures, 'corpus', f));
    expect(await main(['import', ...files, '--json', '--venue', '广州'])).toBe(0);
    const j = JSON.parse(out);
    expect(j.map((s: { title: string }) => s.title)).toEqual(['革命时代的文学', '对于左翼作家联盟的意见']);
    expect(j.map((s: { date: string }) => s.date)).toEqual(['1927-04-08', '1930-03-02']);
    expect(j.map((s: { venue: string }) => s.venue)).toEqual(['广州', '广州']);
  });

  it('command-line metadata: title, speaker, date …', async () => {
    const file = path.join(fixtures, 'encodings/weiyoutiancai-big5.txt');
    expect(await main(['import', file, '--json', '--title', '未有天才之前', '--speaker', '魯迅', '--date', '1924-01-17'])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ title: '未有天才之前', speaker: { name: '魯迅', role: null }, date: '1924-01-17', lang: 'zh-Hant' });
    expect(err).not.toMatch(/no date found|no title|no speaker/);
  });

  it('warnings are printed as file:line: warning: … [CODE]', async () => {
    const file = path.join(tmp(), 'speech.txt');
    copyFileSync(path.join(fixtures, 'corpus/06-luxun-gemingshidaidewenxue.txt'), file);
    expect(await main(['import', file, '--json'])).toBe(0);
    expect(err).toContain(`${file}: warning: date without a year: 四月八日`);
    expect(err).toContain(`${file}: warning: no speaker found`);
    expect(err).toMatch(/warning: date without a year: 四月八日.* \[W-IMPORT-DATE-NO-YEAR\]/);
  });

  it('--help describes every option', async () => {
    expect(await main(['import', '--help'])).toBe(0);
    for (const o of ['--out', '--json', '--title', '--subtitle', '--speaker', '--role', '--date', '--occasion', '--venue', '.meta.yaml']) expect(out).toContain(o);
  });
});

describe('an existing Markdown file is never overwritten without --force', () => {
  it('re-importing over an edited file is refused, naming it; --force replaces it', async () => {
    const dir = tmp();
    expect(await main(['import', SAMPLE, '--out', dir])).toBe(0);
    const target = path.join(dir, readdirSync(dir)[0]!);
    const edited = `${readFileSync(target, 'utf8')}\n编辑补记：此稿已校。\n`;
    writeFileSync(target, edited);
    err = '';
    expect(await main(['import', SAMPLE, '--out', dir])).toBe(1);
    expect(err).toBe(`wenji import: ${target}: already exists and differs from this import (edited since?): wenji import never overwrites; pass --force to replace it, or --out another folder\nwenji import: nothing written\n`);
    expect(readFileSync(target, 'utf8')).toBe(edited);
    expect(await main(['import', SAMPLE, '--out', dir, '--force'])).toBe(0);
    expect(readFileSync(target, 'utf8')).not.toBe(edited);
  });

  it('importing the same source again, unchanged, is fine', async () => {
    const dir = tmp();
    expect(await main(['import', SAMPLE, '--out', dir])).toBe(0);
    expect(await main(['import', SAMPLE, '--out', dir])).toBe(0);
  });

  it('a second undated speech with the same title does not replace the first', async () => {
    const dir = tmp();
    const src = tmp();
    const one = path.join(src, 'one.md');
    const two = path.join(src, 'two.md');
    writeFileSync(one, '---\ntitle: 在座谈会上的讲话\nspeaker: 张三\n---\n\n第一篇的正文。\n');
    writeFileSync(two, '---\ntitle: 在座谈会上的讲话\nspeaker: 李四\n---\n\n第二篇的正文。\n');
    expect(await main(['import', one, '--out', dir])).toBe(0);
    expect(await main(['import', two, '--out', dir])).toBe(1);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readFileSync(path.join(dir, readdirSync(dir)[0]!), 'utf8')).toContain('第一篇的正文');
  });
});

describe('bad input: one-line error naming the file, exit 1, nothing written', () => {
  const dir = tmp();
  const make = (name: string, data: string | Uint8Array) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const subdir = path.join(dir, 'a-directory');
  mkdirSync(subdir);
  const cases: [string, string, RegExp][] = [
    ['missing file', path.join(dir, 'nope.txt'), /nope\.txt: file not found/],
    ['directory', subdir, /a-directory: is a directory/],
    ['empty file', make('empty.txt', ''), /empty\.txt: file is empty/],
    ['whitespace only', make('blank.txt', ' \n\u3000\n\t\n'), /blank\.txt: file is empty \(only whitespace\)/],
    ['binary file', make('image.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), /image\.txt: binary file/],
    ['undecodable', make('garbage.txt', Uint8Array.from({ length: 3000 }, (_, i) => 0x81 + ((i * 7919) % 0x7e))), /garbage\.txt:1: cannot decode byte 0x81 at byte offset 0/],
    ['no speech', make('chrome-only.txt', '电脑桌面\n首页 > 新闻\n分享到：微信 微博\n回到顶部\n版权所有 © 某某网\n'), /chrome-only\.txt: no speech found/],
    ['bad sidecar date', make('dated.md', '---\ntitle: 讲话\ndate: 19 March\n---\n\n正文。\n'), /dated\.md:3: .*YYYY-MM-DD/],
  ];
  it.each(cases)('%s', async (_what, file, message) => {
    const out = testFolder('out');
    const code = await main(['import', SAMPLE, file, '--out', out]);
    expect(code).toBe(1);
    const lines = err.trim().split('\n');
    expect(lines[0]).toMatch(message);
    expect(lines[0]!.startsWith('wenji import: ')).toBe(true);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a bad --date is refused before anything is read', async () => {
    const out = path.join(tmp(), 'out');
    expect(await main(['import', SAMPLE, '--date', '2024/3/19', '--out', out])).toBe(1);
    expect(err).toMatch(/--date must be YYYY-MM-DD/);
    expect(existsSync(out)).toBe(false);
  });
});
