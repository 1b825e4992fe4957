/**
 * html writer: the print HTML as the PDF engines get it, saved for inspection and preview.
 * It is self-contained: CSS is inline, and the fonts it declares are written into
 * `<name>_files/fonts/` beside it, so the folder can be opened in a browser anywhere. The
 * whole Noto faces (~15 MB each) are written as subsets to the document's characters; the
 * Kai web-font slices are copied as they are.
 */
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Book, Edition } from '../../model/book.ts';
import { renderPrintHtml } from '../../render/index.ts';
import { prepareFigureImages, printImageTarget, type PreparedImage } from '../../render/figure-images.ts';
import { codePointsOf } from '../../render/fonts.ts';
import { subsetForDocument } from '../../render/font-subset.ts';
import { writeFileAtomically } from '../atomic.ts';
import type { WriteContext, WriteResult } from '../types.ts';
import { reportMissingNotes } from '../note-references.ts';

/** `book.html` → `book_files` (the name browsers use for a saved page's assets). */
export function assetDirName(outFile: string): string {
  return `${path.basename(outFile, path.extname(outFile))}_files`;
}

export async function writeHtml(book: Book, edition: Edition, ctx: WriteContext): Promise<WriteResult> {
  reportMissingNotes(book, ctx.diagnostics);
  const outDir = path.dirname(path.resolve(ctx.outFile));
  const assets = assetDirName(ctx.outFile);
  const fontUrl = (file: string) => `${encodeURI(assets)}/fonts/${encodeURIComponent(path.basename(file))}`;
  // Figures' pictures are saved with the fonts, under images/.
  const figureImages = await prepareFigureImages(book, printImageTarget(edition.paper), ctx.cacheDir);
  const imageUrl = (image: PreparedImage) => `${encodeURI(assets)}/images/${image.name}`;
  const rendered = renderPrintHtml(book, edition, { fontUrl, figureImages, imageUrl });
  ctx.progress?.(`html: ${rendered.fontSlices.length} font files`);
  const documentCharacters = codePointsOf(rendered.html);

  // Fonts go to a temp folder that replaces the old one only when complete.
  const finalAssets = path.join(outDir, assets);
  const tmpAssets = path.join(outDir, `.${assets}.${process.pid}.tmp`);
  await rm(tmpAssets, { recursive: true, force: true });
  await mkdir(path.join(tmpAssets, 'fonts'), { recursive: true });
  try {
    if (figureImages.size) await mkdir(path.join(tmpAssets, 'images'), { recursive: true });
    for (const image of new Set(figureImages.values())) await writeFile(path.join(tmpAssets, 'images', image.name), image.data);
    for (const font of rendered.fontSlices) {
      const target = path.join(tmpAssets, 'fonts', path.basename(font.file));
      if (font.kind === 'whole') await writeFile(target, await subsetForDocument(font, documentCharacters));
      else await copyFile(font.file, target);
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
