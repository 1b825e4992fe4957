import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import { writeHtml } from '../../src/writers/html/index.ts';
import { corpusBook, edition } from './fixtures.ts';
import { testFolder } from '../temp-folders.ts';

const require = createRequire(import.meta.url);

const ctx = (outFile: string) => ({
  outFile,
  browser: () => Promise.reject(new Error('the html writer needs no browser')),
  diagnostics: new Diagnostics(),
});

describe('writeHtml', () => {
  it('reports a note reference without its note, with a code, file and line', async () => {
    const dir = testFolder('html');
    const book = corpusBook();
    const s = book.parts[0]!.speeches[0]!;
    const dangling = { ...s, notes: [], blocks: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text: '正文' }, { type: 'noteRef' as const, id: 'x' }], pos: { line: 7 } }, ...s.blocks] };
    const c = ctx(path.join(dir, 'book.html'));
    await writeHtml({ ...book, parts: [{ ...book.parts[0]!, speeches: [dangling] }] }, edition(), c);
    expect(c.diagnostics.items).toEqual([
      { severity: 'warning', code: 'W-WRITE-NOTE-MISSING', file: s.source.file, line: 7, message: 'note reference [^x] has no note: add "[^x]: …" or remove the reference' },
    ]);
  });


  it('writes a self-contained preview: inline CSS, the fonts it needs written beside it', async () => {
    const dir = testFolder('html');
    const out = path.join(dir, 'book.html');
    const res = await writeHtml(corpusBook(), edition({ layout: 'vertical' }), ctx(out));
    expect(res.file).toBe(out);
    const html = readFileSync(out, 'utf8');
    expect(res.bytes).toBe(Buffer.byteLength(html));
    expect(html).not.toContain('file://');
    const urls = [...html.matchAll(/src:url\("([^"]+)"\)/g)].map((m) => decodeURIComponent(m[1]!));
    expect(urls.length).toBeGreaterThan(10);
    for (const u of urls) expect(existsSync(path.join(dir, u)), u).toBe(true);
    // Exactly the referenced files, and nothing left over from the write.
    expect(readdirSync(path.join(dir, 'book_files/fonts')).sort()).toEqual(urls.map((u) => path.basename(u)).sort());
    expect(readdirSync(dir).sort()).toEqual(['book.html', 'book_files']);
    // Whole Noto faces (~15 MB) are written as TrueType subsets; Kai slices are copied as they are.
    const fontsDir = path.join(dir, 'book_files/fonts');
    const noto = readdirSync(fontsDir).filter((f) => f.endsWith('.ttf'));
    expect(noto.sort()).toEqual(['NotoSansSC_400Regular.ttf', 'NotoSerifSC_400Regular.ttf', 'NotoSerifSC_700Bold.ttf']);
    for (const f of noto) {
      const bytes = readFileSync(path.join(fontsDir, f));
      expect([...bytes.subarray(0, 4)], f).toEqual([0, 1, 0, 0]);
      expect(bytes.length, f).toBeLessThan(2_000_000);
    }
    const kai = readdirSync(fontsDir).filter((f) => f.endsWith('.woff2'));
    expect(kai.length).toBeGreaterThan(0);
    const kaiDir = path.join(path.dirname(require.resolve('lxgw-wenkai-webfont/package.json')), 'files');
    for (const f of kai) expect(readFileSync(path.join(fontsDir, f)).equals(readFileSync(path.join(kaiDir, f))), f).toBe(true);

    // Writing again replaces the folder rather than adding to it.
    await writeHtml(corpusBook(['03-liangqichao-xuewenzhiquwei.txt']), edition(), ctx(out));
    const again = [...readFileSync(out, 'utf8').matchAll(/src:url\("([^"]+)"\)/g)].map((m) => path.basename(decodeURIComponent(m[1]!)));
    expect(readdirSync(path.join(dir, 'book_files/fonts')).sort()).toEqual(again.sort());
  });
});
