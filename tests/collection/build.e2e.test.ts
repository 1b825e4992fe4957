/**
 * End to end: a small collection (three corpus speeches, plus one of them again as a saved
 * web page from "another site") built by `wenji build book.yaml` with the real readers,
 * writers and Chromium: contents order, table-of-contents page numbers against the real
 * opening pages, the EPUB navigation, the duplicate reported once, and a failing edition
 * that leaves the others built and the exit code non-zero.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/build.ts';
import { CORPUS, makeCollection } from './fixtures.ts';

const SPEECHES = ['03-liangqichao-xuewenzhiquwei', '06-luxun-gemingshidaidewenxue', '09-luxun-zuolianyijian'];
// In date order (1922, 1927, 1930), listed here out of order on purpose.
const TITLES = ['学问之趣味', '革命时代的文学', '对于左翼作家联盟的意见'];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wenji build` in-process, capturing what it prints. */
async function wenjiBuild(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await run(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function pageTexts(pdf: string): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }),
  );
}

/** The same speech as a page saved from another website: HTML, other punctuation. */
function asSavedWebPage(txt: string, title: string): string {
  const paras = txt
    .replace(/<[^>]+>/g, '')
    .split(/\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.replace(/，/g, ', ').replace(/：/g, ': ')}</p>`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}_某文学网</title></head><body>
<div class="nav">首页 &gt; 名家讲演</div>
<article><h1>${title}</h1>${paras.join('\n')}</article>
<div class="footer">版权所有 某文学网</div></body></html>`;
}

describe('wenji build book.yaml (real readers, writers, Chromium)', () => {
  let dir: string;
  let first: CliRun;
  let out: string;

  beforeAll(async () => {
    dir = makeCollection({});
    const files: Record<string, string> = {};
    for (const name of [SPEECHES[2], SPEECHES[0], SPEECHES[1]]) {
      files[`speeches/${name}.txt`] = readFileSync(path.join(CORPUS, `${name}.txt`), 'utf8');
    }
    const meta = JSON.parse(readFileSync(path.join(CORPUS, 'metadata.json'), 'utf8')) as Record<string, Record<string, string | null>>;
    for (const name of SPEECHES) {
      const m = meta[`${name}.txt`]!;
      files[`speeches/${name}.meta.yaml`] = ['title', 'speaker', 'date', 'venue', 'occasion']
        .filter((k) => m[k])
        .map((k) => `${k}: "${m[k]}"`)
        .join('\n');
    }
    files['speeches/zz-copy-from-another-site.html'] = asSavedWebPage(files[`speeches/${SPEECHES[1]}.txt`]!, TITLES[1]!);
    files['speeches/zz-copy-from-another-site.meta.yaml'] = 'speaker: 鲁迅\ndate: "1927-04-08"\n';
    files['preface.md'] = '# 编辑说明\n\n本书收录讲演三篇，按年分编。\n';
    files['book.yaml'] = `title: 测试文集
editor: 测试编辑
publisher: 测试出版
slug: e2e
speeches:
  - speeches/*.txt
  - speeches/*.html
groupBy: year
frontMatter: [preface.md]
editions:
  - {name: book, preset: book, layout: horizontal, formats: [pdf]}
  - {name: ebook, preset: ebook, formats: [epub]}
`;
    for (const [name, text] of Object.entries(files)) {
      const p = path.join(dir, name);
      execFileSync('mkdir', ['-p', path.dirname(p)]);
      writeFileSync(p, text);
    }
    out = path.join(dir, 'out');
    first = await wenjiBuild([path.join(dir, 'book.yaml'), '--out', out], { WENJI_CACHE_DIR: path.join(dir, 'cache') });
  });

  it('builds every edition, prints the paths and the table, exit code 0', () => {
    expect(first.stderr).not.toMatch(/FAILED/);
    expect(first.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['book.pdf', 'ebook.epub']);
    expect(first.stdout).toContain(`wrote ${path.join(out, 'book.pdf')}`);
    expect(first.stdout).toMatch(/^edition\s+format\s+pages\s+size\s+time\s+warnings\s+result$/m);
    expect(first.stdout).toMatch(/^book\s+pdf\s+\d+\s+[\d.]+ [KM]iB\s+[\d.]+ s\s+\d+\s+/m);
    expect(first.stdout).toMatch(/^ebook\s+epub\s+-\s+[\d.]+ [KM]iB/m);
    expect(first.stderr).toContain('read 4 sources (0 from cache, 4 normalised)');
    expect(first.stderr).toMatch(/\[1\/2 book\] pdf: done, \d+ pages/);
  });

  it('reports the speech imported twice once, as file: warning: naming both files', () => {
    const lines = first.stderr.split('\n').filter((l) => l.includes('duplicate of'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/zz-copy-from-another-site\.html: warning: duplicate of .*06-luxun-gemingshidaidewenxue\.txt \(\d+% the same text\)/);
    // …and the summary lists it under the table.
    expect(first.stdout).toMatch(/1 speech left out as duplicates:\n {2}.*zz-copy-from-another-site\.html: duplicate of /);
  });

  it('PDF: contents in date order, each speech once, and every contents page number is the real opening page', () => {
    const pages = pageTexts(path.join(out, 'book.pdf'));
    const tocIndex = pages.findIndex((t) => /目\s*录/.test(t));
    expect(tocIndex).toBeGreaterThanOrEqual(0);
    const toc = pages[tocIndex]!;
    const positions = TITLES.map((t) => toc.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(toc.split(TITLES[1]!).length - 1).toBe(1);
    for (const title of TITLES) {
      const line = toc.split('\n').find((l) => l.includes(title))!;
      const n = Number(/(\d+)\s*$/.exec(line)?.[1]);
      expect(n, `page number of ${title} in the contents`).toBeGreaterThan(tocIndex + 1);
      expect(pages[n - 1], `page ${n} opens ${title}`).toContain(title);
      expect(pages[n - 2], `page ${n - 1} is before ${title}`).not.toContain(title);
    }
    // The text of the duplicate was not printed twice: a sentence of it occurs once in the body.
    const body = pages.slice(tocIndex + 1).join('\n').replace(/\s+/g, '');
    expect(body.split('我首先正经学习的是开矿').length - 1).toBe(1);
  });

  it('EPUB: the collection (parts, front matter, index) passes epubcheck with no message', () => {
    const report = execFileSync('java', ['-Xss256m', '-jar', '/usr/share/java/epubcheck.jar', path.join(out, 'ebook.epub')], { encoding: 'utf8' });
    expect(report).toContain('Messages: 0 fatals / 0 errors / 0 warnings / 0 infos');
  });

  it('EPUB: navigation nested part → speech, in date order', () => {
    const files = unzipSync(new Uint8Array(readFileSync(path.join(out, 'ebook.epub'))));
    const navName = Object.keys(files).find((n) => n.endsWith('.xhtml') && /epub:type="toc"/.test(strFromU8(files[n]!)))!;
    expect(navName).toBeTruthy();
    const { document } = parseHTML(strFromU8(files[navName]!));
    const nav = [...document.querySelectorAll('nav')].find((n) => n.getAttribute('epub:type') === 'toc')!;
    const childrenNamed = (el: Element, tag: string) => [...el.children].filter((c) => c.tagName.toLowerCase() === tag);
    const entries = (ol: Element): { label?: string; children: string[] }[] =>
      childrenNamed(ol, 'li').map((li) => ({
        label: childrenNamed(li, 'a')[0]?.textContent?.trim(),
        children: childrenNamed(li, 'ol').flatMap((sub) => entries(sub).map((e) => e.label ?? '')),
      }));
    const top = entries(childrenNamed(nav, 'ol')[0]!);
    const parts = top.filter((t) => /年$/.test(t.label ?? ''));
    expect(parts.map((p) => p.label)).toEqual(['一九二二年', '一九二七年', '一九三〇年']);
    expect(parts.map((p) => p.children)).toEqual([[TITLES[0]], [TITLES[1]], [TITLES[2]]]);
  });

  it('one failing edition: the others still finish, the table shows the failure, exit code 1, sources come from the cache', async () => {
    const cover = path.join(dir, 'cover.png');
    const pdf = path.join(out, 'book.pdf');
    execFileSync('pdftoppm', ['-png', '-r', '20', '-f', '1', '-l', '1', '-singlefile', pdf, cover.replace(/\.png$/, '')]);
    copyFileSync(pdf, path.join(dir, 'book-before.pdf'));
    const second = await wenjiBuild([path.join(dir, 'book.yaml'), '--out', out, '--cover', cover], {
      WENJI_CACHE_DIR: path.join(dir, 'cache'),
      // No Chromium: the PDF edition cannot be printed; the EPUB, with a cover given, needs none.
      WENJI_CHROME: path.join(dir, 'no-such-chromium'),
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('read 4 sources (4 from cache, 0 normalised)');
    expect(second.stdout).toMatch(/^book\s+pdf\s+-\s+-\s+[\d.]+ s\s+\d+\s+FAILED: .*no-such-chromium/m);
    expect(second.stdout).toMatch(/^ebook\s+epub\s+-\s+[\d.]+ [KM]iB/m);
    expect(second.stderr).toContain('1 of 2 outputs failed');
    // The failed edition left the earlier PDF as it was and no temp file behind.
    expect(readFileSync(pdf).equals(readFileSync(path.join(dir, 'book-before.pdf')))).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(path.join(out, 'ebook.epub'))).toBe(true);
  });
});
