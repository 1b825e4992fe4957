/**
 * Where a figure's image comes from, the same for every reader: a file on this computer
 * (its path relative to the source's folder), or bytes the source embeds (a Word image, a
 * small data: URI). Anything else is remote and never fetched: the figure is left out with
 * W-IMPORT-REMOTE-IMAGE, and a local file that does not exist with W-IMPORT-IMAGE-MISSING.
 */
import { existsSync, statSync } from 'node:fs';
import type { Diagnostic } from '../model/diagnostics.ts';
import { imagePath } from '../model/image-path.ts';
import type { Block, FigureImage, Speech } from '../model/speech.ts';

/** The most bytes a data: URI may hold to be taken as an embedded image. */
export const MAX_DATA_URI_BYTES = 2 << 20;

/** File name endings of the image types a figure may have. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'image/avif': 'avif',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'image/x-emf': 'emf',
  'image/x-wmf': 'wmf',
};

/** The file name ending for an image's media type (`png` when unknown). */
export function imageExtension(mediaType: string | undefined): string {
  return (mediaType && EXTENSIONS[mediaType.toLowerCase()]) ?? 'png';
}

/** The deterministic name of the n-th embedded image of a source (1-based). */
export function embeddedImageName(n: number, mediaType: string | undefined): string {
  return `figure-${n}.${imageExtension(mediaType)}`;
}

/** A URL scheme (http:, https:, data:, file:) or a host (//host/…); a Windows drive (C:\) is a path. */
function isUrl(src: string): boolean {
  return src.startsWith('//') || (/^[a-z][a-z0-9+.-]*:/i.test(src) && !/^[a-z]:[\\/]/i.test(src));
}

export type ImageSource = { image: FigureImage } | { remote: string };

/**
 * The image of `src` as a source writes it: a local path as it is, a base64 data: URI of at
 * most `maxDataBytes` decoded (named `figure-N.ext` by `embeddedIndex`), anything else remote
 * with the reason.
 */
export function imageSource(src: string, embeddedIndex: () => number, maxDataBytes: number = MAX_DATA_URI_BYTES): ImageSource {
  const data = /^data:(image\/[a-z0-9.+-]+)(?:;[^,;]*)*;base64,([A-Za-z0-9+/=\s]*)$/i.exec(src);
  if (data) {
    const bytes = Math.floor((data[2]!.replace(/\s/g, '').length * 3) / 4);
    if (bytes > maxDataBytes) return { remote: `a data: URI of ${bytes >> 10} KiB (more than ${maxDataBytes >> 20} MiB)` };
    const mediaType = data[1]!.toLowerCase();
    return { image: { src: embeddedImageName(embeddedIndex(), mediaType), data: data[2]!.replace(/\s/g, ''), mediaType } };
  }
  if (isUrl(src)) return { remote: src.startsWith('data:') ? 'a data: URI that is not a base64 image' : src };
  return { image: { src } };
}

/** The warning for a remote image: what happened and how to fix it. */
export function remoteImageWarning(file: string, line: number | undefined, src: string, reason: string): Diagnostic {
  const shown = src.length > 80 ? `${src.slice(0, 77)}…` : src;
  const message =
    reason === src
      ? `image ${shown} is on another computer and is never fetched: the figure is left out (download it, save it next to the source and refer to the local file)`
      : `image in ${reason} is not embedded: the figure is left out (save the image as a file next to the source and refer to the local file)`;
  return { severity: 'warning', code: 'W-IMPORT-REMOTE-IMAGE', file, ...(line ? { line } : {}), message };
}

/** Picture formats the renderers can read (sharp): anything else cannot be printed. */
const PRINTABLE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'tif', 'tiff', 'svg', 'avif']);

/** The format of a figure's picture when it is one wenji cannot print (EMF, WMF, BMP …), else undefined. */
export function unprintableFormat(image: FigureImage): string | undefined {
  if (image.data !== undefined && image.mediaType) {
    const ext = EXTENSIONS[image.mediaType.toLowerCase()];
    return ext && PRINTABLE.has(ext) ? undefined : image.mediaType;
  }
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(image.src)?.[1]?.toLowerCase();
  return ext && !PRINTABLE.has(ext) ? ext.toUpperCase() : undefined;
}

/**
 * Leaves out the figures whose picture cannot be printed: a file that does not exist (relative
 * to the source's folder), with W-IMPORT-IMAGE-MISSING, or a format no renderer reads (a Word
 * drawing in EMF or WMF, a BMP), with W-IMPORT-IMAGE-UNSUPPORTED; both name file and line.
 */
export function dropUnusableImages(speech: Speech, file: string, diagnostics: Diagnostic[]): Speech {
  const warn = (code: 'W-IMPORT-IMAGE-MISSING' | 'W-IMPORT-IMAGE-UNSUPPORTED', b: Block, message: string) =>
    diagnostics.push({ severity: 'warning', code, file, ...(b.pos ? { line: b.pos.line } : {}), message });
  const kept = speech.blocks.filter((b: Block) => {
    if (b.type !== 'figure') return true;
    const format = unprintableFormat(b.image);
    if (format) {
      warn('W-IMPORT-IMAGE-UNSUPPORTED', b, `image ${b.image.src} is ${format}, which wenji cannot print: the figure is left out (save the picture as PNG or JPEG and refer to that file)`);
      return false;
    }
    if (b.image.data !== undefined) return true;
    const target = imagePath(file, b.image.src);
    let isFile = false;
    try {
      isFile = existsSync(target) && statSync(target).isFile();
    } catch {
      isFile = false;
    }
    if (isFile) return true;
    warn('W-IMPORT-IMAGE-MISSING', b, `image ${b.image.src} not found (looked for ${target}): the figure is left out (put the file there, or correct the path, which is relative to the source's folder)`);
    return false;
  });
  return kept.length === speech.blocks.length ? speech : { ...speech, blocks: kept };
}

/**
 * Whether the image files a read speech depends on are no longer as they were read: a figure
 * left out for a missing file whose file now exists, or a kept figure whose file is gone. A
 * cache of read speeches reads such a source again.
 */
export function imageFilesChanged(speech: Speech, diagnostics: readonly Diagnostic[], file: string): boolean {
  if (diagnostics.some((d) => d.code === 'W-IMPORT-IMAGE-MISSING' || d.code === 'W-IMPORT-IMAGE-UNSUPPORTED')) return true;
  return speech.blocks.some((b) => b.type === 'figure' && b.image.data === undefined && !existsSync(imagePath(file, b.image.src)));
}
