/**
 * The pictures of a book's figures, made fit for an output: read (a file next to the speech's
 * source, or bytes the source embeds), turned upright by their EXIF orientation, converted to
 * sRGB, scaled down to what the output can show, re-encoded — JPEG for photographs, PNG for
 * line art and anything transparent — with every metadata block left out. Same input, same
 * bytes. Results are cached by the hash of the source bytes and the target, in memory and (with
 * a cache folder) on disk, so a rebuild does not encode a picture again.
 *
 * A picture that cannot be found or decoded is an error naming the speech's file and line:
 * a book that silently drops a figure would go to print wrong.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Book, Paper } from '../model/book.ts';
import { PAPER_SIZES_MM } from '../model/book.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { imagePath } from '../model/image-path.ts';
import type { Block } from '../model/speech.ts';

export type FigureBlock = Extract<Block, { type: 'figure' }>;

/** The largest picture an output needs, in pixels. */
export interface ImageTarget {
  maxWidth: number;
  maxHeight: number;
}

/** Print: 300 dpi across the whole paper (the type area is smaller, so never more than that). */
export function printImageTarget(paper: Paper): ImageTarget {
  const [w, h] = PAPER_SIZES_MM[paper];
  const px = (mm: number) => Math.round((mm / 25.4) * 300);
  return { maxWidth: px(w), maxHeight: px(h) };
}

/** EPUB: 1600 px on the longer side, what a tablet's screen shows at full size. */
export const EPUB_IMAGE_TARGET: ImageTarget = { maxWidth: 1600, maxHeight: 1600 };

export interface PreparedImage {
  data: Buffer;
  mediaType: 'image/jpeg' | 'image/png';
  /** A stable file name: the hash of the bytes, then .jpg or .png. */
  name: string;
  width: number;
  height: number;
}

/** Bump when the encoding below changes, so cached pictures are made again. */
const ENCODING_VERSION = 2;

/** Photographs above this Shannon entropy (bits per pixel, grey) are JPEG; line art is below. */
const LINE_ART_ENTROPY = 5;

async function encode(source: Buffer, target: ImageTarget): Promise<PreparedImage> {
  // Decoded once, to a bounded raster (a huge or hostile picture stops at sharp's pixel
  // limit), upright and in sRGB; the choice of format and the encoding read that raster.
  const meta = await sharp(source).metadata();
  const { data: pixels, info } = await sharp(source, { failOn: 'error', limitInputPixels: 268_402_689 })
    .rotate()
    .toColourspace('srgb')
    .resize({ width: target.maxWidth, height: target.maxHeight, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raster = () => sharp(pixels, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const stats = await raster().stats();
  const lossless = !stats.isOpaque || (meta.format !== 'jpeg' && stats.entropy < LINE_ART_ENTROPY);
  const out = lossless
    ? await raster().png({ compressionLevel: 9, adaptiveFiltering: true, palette: stats.entropy < LINE_ART_ENTROPY }).toBuffer({ resolveWithObject: true })
    : await raster().flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true, chromaSubsampling: '4:2:0' }).toBuffer({ resolveWithObject: true });
  const mediaType = lossless ? 'image/png' : 'image/jpeg';
  const hash = createHash('sha256').update(out.data).digest('hex').slice(0, 20);
  return { data: out.data, mediaType, name: `${hash}.${lossless ? 'png' : 'jpg'}`, width: out.info.width, height: out.info.height };
}

const memory = new Map<string, Promise<PreparedImage>>();

/** Forgets the pictures made in this process (the disk cache stays): for the benchmark. */
export function forgetPreparedImages(): void {
  memory.clear();
}

/** The picture for `target`, from the memory or disk cache when it was made before. */
export async function prepareImage(source: Buffer, target: ImageTarget, cacheDir?: string): Promise<PreparedImage> {
  const key = createHash('sha256')
    .update(`${ENCODING_VERSION}\0${sharp.versions.sharp}\0${sharp.versions.vips}\0${target.maxWidth}x${target.maxHeight}\0`)
    .update(source)
    .digest('hex');
  let made = memory.get(key);
  if (!made) {
    made = fromDiskOrEncode(key, source, target, cacheDir);
    memory.set(key, made);
    made.catch(() => memory.delete(key));
  }
  return made;
}

async function fromDiskOrEncode(key: string, source: Buffer, target: ImageTarget, cacheDir?: string): Promise<PreparedImage> {
  const dir = cacheDir && path.join(cacheDir, 'images');
  if (dir) {
    try {
      const meta = JSON.parse(await readFile(path.join(dir, `${key}.json`), 'utf8')) as Omit<PreparedImage, 'data'>;
      const data = await readFile(path.join(dir, meta.name));
      if (createHash('sha256').update(data).digest('hex').startsWith(meta.name.slice(0, 20))) return { ...meta, data };
    } catch {
      // not cached (or a broken entry): made again below
    }
  }
  const image = await encode(source, target);
  if (dir) {
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, image.name), image.data);
      const { data: _, ...meta } = image;
      await writeFile(path.join(dir, `${key}.json`), JSON.stringify(meta));
    } catch {
      // A cache that cannot be written costs time, never the build.
    }
  }
  return image;
}

/** Where a figure's picture comes from, for reading and for messages. */
interface FigurePlace {
  figure: FigureBlock;
  /** The speech's (or matter section's) source file. */
  file: string;
}

function figuresOf(book: Book): FigurePlace[] {
  const out: FigurePlace[] = [];
  const add = (blocks: readonly Block[], file: string) => {
    for (const b of blocks) if (b.type === 'figure') out.push({ figure: b, file });
  };
  for (const m of [...book.frontMatter, ...book.backMatter]) add(m.blocks, m.file ?? '');
  for (const p of book.parts) for (const s of p.speeches) add(s.blocks, s.source.file);
  return out;
}

async function readFigureSource({ figure, file }: FigurePlace): Promise<Buffer> {
  const { image } = figure;
  if (image.data !== undefined) return Buffer.from(image.data, 'base64');
  const at = imagePath(file, image.src);
  try {
    return await readFile(at);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (e as Error).message;
    throw new WenjiError(`the picture ${image.src} of a figure cannot be read (${at}): ${why}. Put the file there or correct the path.`, file, figure.pos?.line);
  }
}

/** The pictures of every figure of the book, made for `target`. */
export type FigureImages = Map<FigureBlock, PreparedImage>;

export async function prepareFigureImages(book: Book, target: ImageTarget, cacheDir?: string): Promise<FigureImages> {
  const places = figuresOf(book);
  const out: FigureImages = new Map();
  // Two at a time: sharp runs its own threads, and the machine may be busy printing.
  let next = 0;
  const work = async () => {
    while (next < places.length) {
      const place = places[next++]!;
      const source = await readFigureSource(place);
      try {
        out.set(place.figure, await prepareImage(source, target, cacheDir));
      } catch (e) {
        if (e instanceof WenjiError) throw e;
        throw new WenjiError(
          `the picture ${place.figure.image.src} of a figure is not an image wenji can read (${(e as Error).message}). Save it as JPEG or PNG.`,
          place.file,
          place.figure.pos?.line,
        );
      }
    }
  };
  await Promise.all([work(), work()]);
  return out;
}
