/**
 * Only wenji's own faces reach the renderer. A machine's fonts are simulated with a
 * fontconfig file (FONTCONFIG_FILE, what Chromium reads) listing a folder of fonts made here:
 * a real TrueType face under its own family name, plus whatever the machine has. A plain
 * puppeteer Chromium sees them (the control); wenji's does not, and builds the same bytes
 * with them and without any.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { findChromium, launchBrowser } from '../../src/browser/chromium.ts';
import type { Book, Edition } from '../../src/model/book.ts';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import { wholeFontFile } from '../../src/render/fonts.ts';
import { printPdf } from '../../src/writers/pdf/engine.ts';
import { writePdf } from '../../src/writers/pdf/index.ts';
import { lanzhouSpeech } from '../render/fixtures.ts';
import { main } from '../../src/cli/main.ts';
import { testFolder } from '../temp-folders.ts';

/** Symbols, CJK Extension B and emoji (with a skin tone and a variation selector). */
const RARE = '编号①②③※，气温25℃，№3；罕见字𠀀𪚥𡘙，表情😀👍🏽❤️。';

const tmp = testFolder('font-isolation');

/** A fontconfig file listing `dirs`, as a machine's own configuration would. */
function machineFonts(name: string, dirs: string[]): string {
  const file = path.join(tmp, `${name}.conf`);
  const cache = path.join(tmp, `${name}-cache`);
  writeFileSync(file, `<?xml version="1.0"?>\n<fontconfig>\n${dirs.map((d) => `  <dir>${d}</dir>\n`).join('')}  <cachedir>${cache}</cachedir>\n</fontconfig>\n`);
  return file;
}

/** A folder holding a real CJK TrueType face (Noto Sans SC), plus the machine's fonts if any. */
const systemDir = path.join(tmp, 'system-fonts');
mkdirSync(systemDir);
copyFileSync(wholeFontFile('sansSC', 400), path.join(systemDir, 'NotoSansSC-Regular.ttf'));
const FULL = machineFonts('full', [systemDir, ...['/usr/share/fonts', '/usr/local/share/fonts'].filter(existsSync)]);
const BARE = machineFonts('bare', []);

async function withMachineFonts<T>(conf: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.FONTCONFIG_FILE;
  process.env.FONTCONFIG_FILE = conf;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.FONTCONFIG_FILE;
    else process.env.FONTCONFIG_FILE = before;
  }
}

/** Fonts pdffonts lists for a page setting 印刷可见 in the machine's 'Noto Sans SC' (no @font-face). */
async function fontsOfSystemText(browser: Browser): Promise<string> {
  const page = await browser.newPage();
  await page.setContent(`<style>@page { size: 148mm 210mm; }</style><p style="font-family: 'Noto Sans SC'">印刷可见</p>`);
  const file = path.join(tmp, `system-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, await (await printPdf(page)).save());
  await page.close();
  return execFileSync('pdffonts', [file], { encoding: 'utf8' });
}

describe('the machine’s fonts never reach the page', () => {
  it('a plain Chromium uses a font of the machine; wenji’s Chromium does not see it', async () => {
    await withMachineFonts(FULL, async () => {
      const plain = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox'] });
      try {
        expect(await fontsOfSystemText(plain)).toMatch(/NotoSansSC/);
      } finally {
        await plain.close();
      }
      const ours = await launchBrowser();
      try {
        expect(await fontsOfSystemText(ours)).not.toMatch(/NotoSansSC/);
      } finally {
        await ours.close();
      }
    });
  }, 120_000);

  it('builds the same PDF bytes on a machine full of fonts and on one with none', async () => {
    const speech = lanzhouSpeech();
    speech.blocks.push({ type: 'paragraph', content: [{ type: 'text', text: RARE }] });
    const book: Book = { title: speech.title, date: '2024-03-19', lang: 'zh-Hans', frontMatter: [], parts: [{ id: 'p', speeches: [speech] }], backMatter: [] };
    const edition: Edition = { name: 'h', preset: 'handout', layout: 'horizontal', script: 'source', formats: ['pdf'], paper: 'A4', engine: 'pagedjs', embedFonts: true };
    const build = (conf: string, name: string) =>
      withMachineFonts(conf, async () => {
        const browser = await launchBrowser();
        try {
          const outFile = path.join(tmp, `${name}.pdf`);
          await writePdf(book, edition, { outFile, browser: async () => browser, diagnostics: new Diagnostics() });
          return readFileSync(outFile);
        } finally {
          await browser.close();
        }
      });
    const full = await build(FULL, 'full');
    const bare = await build(BARE, 'bare');
    expect(full.equals(bare)).toBe(true);
    // Symbols, Extension B names and emoji: each printed from a bundled face, found again in the text.
    const fonts = execFileSync('pdffonts', [path.join(tmp, 'full.pdf')], { encoding: 'utf8' });
    expect(fonts).not.toMatch(/Type 3|DejaVu/);
    expect(fonts).toMatch(/NotoEmoji/);
    expect(fonts).toMatch(/HanaMin/);
    const text = execFileSync('pdftotext', [path.join(tmp, 'full.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(RARE);
  }, 300_000);
});

describe('rare characters from a scraped text', () => {
  it('are kept by import and printed: symbols, Extension B, emoji', async () => {
    const file = path.join(tmp, 'rare.txt');
    writeFileSync(file, `罕见字测试\n\n张三\n\n（2024年3月1日）\n\n同志们：\n\n今天请大家核对名单上的每一个字。${RARE}\n\n谢谢大家！\n`);
    const quiet = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await main(['build', file, '--format', 'pdf', '--out', path.join(tmp, 'rare-out')])).toBe(0);
    } finally {
      process.stderr.write = quiet;
    }
    const pdf = path.join(tmp, 'rare-out', 'rare-handout-horizontal.pdf');
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain(RARE);
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoEmoji/);
    expect(fonts).not.toMatch(/Type 3/);
  }, 300_000);
});
