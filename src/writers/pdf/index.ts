/**
 * PDF writer: the renderer's print HTML → paginated by an engine (Paged.js or Chromium's own
 * print) → outline, metadata and reading direction added → written atomically.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { htmlLangTag, type Book, type Edition, type Engine } from '../../model/book.ts';
import { tempFolder } from '../../browser/temp-folder.ts';
import { prepareFigureImages, printImageTarget } from '../../render/figure-images.ts';
import { Diagnostics, WenjiError } from '../../model/diagnostics.ts';
import { reportMissingGlyphs } from '../../render/coverage.ts';
import { speechFaceSet } from '../../render/fonts.ts';
import { writeFileAtomically } from '../atomic.ts';
import { renderPrintHtml } from '../../render/index.ts';
import { warnCharactersWithoutFang } from '../../render/fang-coverage.ts';
import type { WriteContext, WriteResult } from '../types.ts';
import { reportMissingNotes } from '../note-references.ts';
import { chromiumEngine } from './chromium.ts';
import type { PdfEngine, PrintedPdf, RenderedHtml } from './engine.ts';
import { pagedjsEngine } from './pagedjs.ts';
import { checkEngine } from '../../render/page-engines.ts';
import { finishPdf, pdfMetadata } from './postprocess.ts';
import { checkPrintedText } from './text.ts';

export const PDF_ENGINES: Record<Engine, PdfEngine> = { pagedjs: pagedjsEngine, chromium: chromiumEngine };

/** Time limit for one engine run: WENJI_PDF_TIMEOUT seconds, default 10 minutes. */
export function engineTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.WENJI_PDF_TIMEOUT;
  if (v === undefined || v === '') return 600_000;
  if (!/^\d+$/.test(v) || Number(v) === 0) throw new WenjiError(`WENJI_PDF_TIMEOUT=${v} must be a whole number of seconds.`);
  return Number(v) * 1000;
}

/** The edition's engine, once it has said it can print the edition (its one refusal otherwise). */
export function engineFor(edition: Pick<Edition, 'engine' | 'layout'>): PdfEngine {
  const engine = PDF_ENGINES[edition.engine];
  if (!engine) throw new WenjiError(`unknown PDF engine "${edition.engine}". Valid engines: ${Object.keys(PDF_ENGINES).join(', ')}.`);
  checkEngine(edition);
  return engine;
}

/** Paginates print HTML with the edition's engine; the raw result, before post-processing. */
export async function printHtml(
  rendered: RenderedHtml,
  edition: Edition,
  ctx: Pick<WriteContext, 'browser' | 'progress'>,
): Promise<PrintedPdf> {
  const engine = engineFor(edition);
  const browser = await ctx.browser();
  return engine.print(browser, { rendered, layout: edition.layout, timeoutMs: engineTimeoutMs(), progress: ctx.progress });
}

/** HTML → finished PDF bytes (no file written). */
export async function renderPdfBytes(
  book: Book,
  edition: Edition,
  rendered: RenderedHtml,
  ctx: Pick<WriteContext, 'browser' | 'progress'> & Partial<Pick<WriteContext, 'diagnostics' | 'strict'>>,
): Promise<{ bytes: Uint8Array; printed: PrintedPdf }> {
  // Before rendering: what no face has is named (or, --strict, refused), and not expected back.
  const uncovered = reportMissingGlyphs(book, (s) => speechFaceSet(book, edition, s), ctx.diagnostics ?? new Diagnostics(), ctx.strict);
  const printed = await printHtml(rendered, edition, ctx);
  const engine = engineFor(edition);
  ctx.progress?.(`pdf: ${printed.pages} pages, adding outline and metadata`);
  const bytes = await finishPdf(printed, pdfMetadata(book, edition, htmlLangTag(book, edition)), (doc, p) => engine.finish(doc, p));
  // Never a short PDF with exit code 0: the finished document is read back and compared.
  ctx.progress?.('pdf: checking its text against the model');
  checkPrintedText(book, printed, edition.engine, uncovered);
  return { bytes, printed };
}

/**
 * The print HTML with its figures' pictures made for the paper and written as files to the
 * renderer's temp folder (the page may load them; a data: URL would be copied at every page
 * break Paged.js makes).
 */
export async function renderPrintHtmlWithImages(book: Book, edition: Edition, cacheDir?: string): Promise<RenderedHtml> {
  const figureImages = await prepareFigureImages(book, printImageTarget(edition.paper), cacheDir);
  if (figureImages.size === 0) return renderPrintHtml(book, edition);
  const dir = tempFolder('images-');
  await Promise.all([...new Set(figureImages.values())].map((image) => writeFile(path.join(dir, image.name), image.data)));
  const rendered = renderPrintHtml(book, edition, { figureImages, imageUrl: (image) => pathToFileURL(path.join(dir, image.name)).href });
  return { ...rendered, assetDirs: [...rendered.assetDirs, dir] };
}

export async function writePdf(book: Book, edition: Edition, ctx: WriteContext): Promise<WriteResult> {
  // Refuse before rendering anything: the error is about the options, not the content.
  engineFor(edition);
  reportMissingNotes(book, ctx.diagnostics);
  // Chromium starts (or its spare pages warm up) while the HTML renders.
  void ctx.browser().catch(() => {});
  const rendered = await renderPrintHtmlWithImages(book, edition, ctx.cacheDir);
  if (edition.preset === 'handout') warnCharactersWithoutFang(book, ctx.diagnostics);
  const { bytes, printed } = await renderPdfBytes(book, edition, rendered, ctx);
  await writeFileAtomically(ctx.outFile, bytes);
  return { file: ctx.outFile, bytes: bytes.length, pages: printed.pages };
}
