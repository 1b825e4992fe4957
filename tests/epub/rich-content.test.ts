/**
 * Figures, tables, notes and ruby in real EPUBs, horizontal and vertical: pictures in the
 * package (manifest, media types) downscaled for a screen, <figure> with alt and caption,
 * tables with <caption> and th scope, notes as footnotes that link back to their call; the
 * same bytes twice; epubcheck with no message; Ace by DAISY with no serious or critical violation.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchBrowser } from '../../src/browser/chromium.ts';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import type { Layout } from '../../src/model/book.ts';
import { writeEpub } from '../../src/writers/epub/index.ts';
import { richSpeech } from '../fixtures/rich-content.ts';
import { edition, singleSpeechBook } from '../render/fixtures.ts';
import type { Speech } from '../../src/model/speech.ts';
import { testFolder } from '../temp-folders.ts';

const run = promisify(execFile);
const out = testFolder('rich-epub');
let browser: Browser;
let speech: Speech;

async function build(layout: Layout, name: string = layout): Promise<string> {
  const file = path.join(out, `${name}.epub`);
  await writeEpub(singleSpeechBook(speech), edition({ layout, preset: 'ebook', formats: ['epub'] }), {
    outFile: file,
    browser: async () => browser,
    diagnostics: new Diagnostics(),
  });
  return file;
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ speech } = await richSpeech(path.join(out, 'src'), { longTable: true, photo: [3000, 2000] }));
}, 120_000);

afterAll(() => browser?.close());

describe.each(['horizontal', 'vertical'] as const)('%s EPUB', (layout) => {
  let file: string;
  let files: Record<string, Uint8Array>;
  const text = (name: string) => new TextDecoder().decode(files[name]);
  beforeAll(async () => {
    file = await build(layout);
    files = unzipSync(readFileSync(file));
  }, 120_000);

  it('stores the pictures, declared in the manifest with their media types, at most 1600 px', async () => {
    const opf = text('OEBPS/content.opf');
    const images = Object.keys(files).filter((f) => f.startsWith('OEBPS/images/'));
    expect(images.map((f) => path.extname(f)).sort()).toEqual(['.jpg', '.png']);
    for (const f of images) {
      const href = f.slice('OEBPS/'.length);
      expect(opf).toMatch(new RegExp(`href="${href}" media-type="image/${f.endsWith('.jpg') ? 'jpeg' : 'png'}"`));
    }
    const sharp = (await import('sharp')).default;
    for (const f of images) {
      const meta = await sharp(files[f]).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600);
      expect(meta.exif).toBeUndefined();
    }
  });

  it('marks up figures, tables, notes and ruby for reading systems and assistive technology', () => {
    const x = text('OEBPS/sp-001.xhtml');
    expect(x).toMatch(/<figure class="figure" id="fig-1">\s*<img src="images\/[0-9a-f]+\.jpg" alt="新区全景航拍照片，远处是山"/);
    expect(x).toContain(`<span class="figure-label">${layout === 'vertical' ? '图一' : '图1'}</span><span class="figure-title">兰州新区全景</span>`);
    expect(x).toMatch(/<caption><span class="table-label">表(1|一)<\/span><span class="table-title">新区主要经济指标<\/span><\/caption>/);
    expect(x).toContain('<th scope="col">指标</th>');
    // (Vertical text stands the number upright: a span inside the cell.)
    expect(x).toMatch(/<td class="num">(<span class="upright">)?376\.1(<\/span>)?<\/td>/);
    expect(x).toMatch(/<a class="noteref" epub:type="noteref" role="doc-noteref" id="fnref-1" href="#fn-1">①<\/a>/);
    expect(x).toMatch(/<aside id="fn-1" class="footnote" epub:type="footnote" role="doc-footnote"><p><a class="fn-mark" href="#fnref-1" role="doc-backlink">①<\/a> 新区：/);
    expect(x).toContain('<ruby>新区<rp>(</rp><rt>xīnqū</rt><rp>)</rp></ruby>');
  });

  it('passes epubcheck with no message, and builds to the same bytes again', async () => {
    let output: string;
    try {
      const r = await run('java', ['-Xss256m', '-jar', '/usr/share/java/epubcheck.jar', file], { maxBuffer: 16 << 20 });
      output = r.stdout + r.stderr;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      output = (err.stdout ?? '') + (err.stderr ?? '');
    }
    expect(output).toMatch(/Messages: 0 fatals \/ 0 errors \/ 0 warnings/);
    const again = await build(layout, `${layout}-again`);
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true);
  }, 300_000);

  it('Ace by DAISY finds no serious or critical accessibility violation', async () => {
    const report = path.join(out, `ace-${layout}`);
    const ace = path.resolve(import.meta.dirname, '../../node_modules/.bin/ace-cli');
    await run(ace, ['--silent', '--force', '--outdir', report, file], {
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: findChromium() },
      maxBuffer: 16 << 20,
    });
    const json = JSON.parse(readFileSync(path.join(report, 'report.json'), 'utf8')) as {
      data: { images: { alt: string; figcaption?: string }[] };
      assertions: { 'earl:testSubject': { url: string }; assertions: { 'earl:test': { 'dct:title': string; 'earl:impact': string } }[] }[];
    };
    // Ace read the speech itself: it lists the figures' pictures with their alt text and captions.
    expect(json.data.images.filter((i) => i.figcaption?.includes('兰州新区全景')).length).toBe(1);
    const found = json.assertions.flatMap((doc) => doc.assertions.map((a) => `${a['earl:test']['earl:impact']}: ${a['earl:test']['dct:title']} (${doc['earl:testSubject'].url})`));
    expect(found.filter((f) => /^(serious|critical)/.test(f))).toEqual([]);
  }, 300_000);
});
