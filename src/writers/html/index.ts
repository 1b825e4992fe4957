/**
 * html writer: the print HTML as the PDF engines get it, saved for inspection and preview.
 * It is self-contained: CSS is inline, and the font slices the text needs are copied into
 * `<name>_files/fonts/` beside it, so the folder can be opened in a browser anywhere.
 */
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Book, Edition } from '../../model/book.ts';
import { renderPrintHtml } from '../../render/index.ts';
import { writeFileAtomically } from '../../build/atomic.ts';
import type { WriteContext, WriteResult } from '../types.ts';

/** `book.html` → `book_files` (the name browsers use for a saved page's assets). */
export function assetDirName(outFile: string): string {
  return `${path.basename(outFile, path.extname(outFile))}_files`;
}

export async function writeHtml(book: Book, edition: Edition, ctx: WriteContext): Promise<WriteResult> {
  const outDir = path.dirname(path.resolve(ctx.outFile));
  const assets = assetDirName(ctx.outFile);
  const fontUrl = (file: string) => `${encodeURI(assets)}/fonts/${encodeURIComponent(path.basename(file))}`;
  const rendered = renderPrintHtml(book, edition, { fontUrl });
  ctx.progress?.(`html: ${rendered.fontSlices.length} font files`);

  // Fonts go to a temp folder that replaces the old one only when complete.
  const finalAssets = path.join(outDir, assets);
  const tmpAssets = path.join(outDir, `.${assets}.${process.pid}.tmp`);
  await rm(tmpAssets, { recursive: true, force: true });
  await mkdir(path.join(tmpAssets, 'fonts'), { recursive: true });
  try {
    for (const slice of rendered.fontSlices) {
      await copyFile(slice.file, path.join(tmpAssets, 'fonts', path.basename(slice.file)));
    }
    await rm(finalAssets, { recursive: true, force: true });
    await rename(tmpAssets, finalAssets);
  } finally {
    await rm(tmpAssets, { recursive: true, force: true });
  }
  await writeFileAtomically(ctx.outFile, rendered.html);
  const { size } = await stat(ctx.outFile);
  return { file: ctx.outFile, bytes: size };
}
