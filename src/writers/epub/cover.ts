/**
 * The cover image: the editor's file (checked to be a PNG, JPEG or GIF), or one rendered
 * from templates/epub/cover.hbs by Chromium. The rendered cover carries its own subset
 * font as a data: URL, so the page loads nothing else and renders the same every time.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'puppeteer-core';
import { openSandboxedPage } from '../../browser/chromium.ts';
import { WenjiError } from '../../model/diagnostics.ts';
import type { TemplateEnv } from '../../render/templates.ts';
import type { FaceSet } from '../../render/fonts.ts';
import { subsetFace } from './fonts.ts';
import { markRuns } from './xhtml.ts';

export interface CoverImage {
  /** File name inside OEBPS/ (epub-gen-memory stores the cover as cover.<ext>). */
  filename: string;
  mediaType: 'image/png' | 'image/jpeg' | 'image/gif';
  data: Uint8Array;
}

const COVER_WIDTH = 1200;
const COVER_HEIGHT = 1800;

/** Image type from the file's first bytes; the extension is not trusted. */
export function sniffImageType(data: Uint8Array): CoverImage['mediaType'] | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  return undefined;
}

const EXTENSIONS: Record<CoverImage['mediaType'], string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif' };

/** Reads the editor's cover image; a missing or non-image file is a WenjiError naming it. */
export async function readCoverImage(file: string): Promise<CoverImage> {
  let data: Uint8Array;
  try {
    data = new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new WenjiError(`cover image ${why}; give a PNG, JPEG or GIF file with --cover, or leave it out to have one made`, file);
  }
  const mediaType = sniffImageType(data);
  if (!mediaType) {
    throw new WenjiError('cover image is not a PNG, JPEG or GIF file; convert it or leave --cover out to have one made', file);
  }
  return { filename: `cover.${EXTENSIONS[mediaType]}`, mediaType, data };
}

export interface CoverText {
  lang: string;
  title: string;
  subtitle?: string;
  creator?: string;
  date?: string;
  vertical: boolean;
  faceSet: FaceSet;
}

/** Renders the cover template to a PNG in Chromium. */
export async function renderCoverImage(env: TemplateEnv, browser: Browser, text: CoverText): Promise<CoverImage> {
  const glyphs = [text.title, text.subtitle, text.creator, text.date].filter(Boolean).join('');
  // One face for the whole cover: the bold heading face, subset to the cover's text.
  const { fonts } = await subsetFace(text.faceSet, 'heading', glyphs);
  const fontFaces = fonts
    .map((f) => `@font-face { font-family: "wenji-cover"; font-weight: 700; src: url("data:font/ttf;base64,${Buffer.from(f.data).toString('base64')}") format("truetype"); unicode-range: ${f.unicodeRange}; }`)
    .join('\n');
  const Safe = env.handlebars.SafeString;
  const date = text.date && text.vertical ? new Safe(markRuns(text.date, true)) : text.date;
  const html = env.render('epub/cover', {
    ...text,
    date,
    width: COVER_WIDTH,
    height: COVER_HEIGHT,
    fontFaces: new Safe(fontFaces),
  });
  const page = await openSandboxedPage(browser, []);
  try {
    await page.setViewport({ width: COVER_WIDTH, height: COVER_HEIGHT, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: COVER_WIDTH, height: COVER_HEIGHT } });
    return { filename: 'cover.png', mediaType: 'image/png', data: new Uint8Array(png) };
  } finally {
    await page.close();
  }
}
