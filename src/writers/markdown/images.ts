/**
 * Images of a speech saved as Markdown: Markdown holds no bytes, so an embedded image (a Word
 * picture, a data: URI) becomes a file next to the .md, `NAME.images/figure-N.ext`, and every
 * other figure's path is made relative to the folder of the .md (it was relative to the
 * source's). Pure: the caller writes the files.
 */
import path from 'node:path';
import type { Block, Speech } from '../../model/speech.ts';
import { imagePath } from '../../model/image-path.ts';

export interface ImageFile {
  /** Where to write it. */
  file: string;
  bytes: Uint8Array;
}

/** The folder of the images embedded in the speech saved as `markdownFile`. */
export function imagesFolder(markdownFile: string): string {
  return markdownFile.replace(/\.[^./\\]+$/, '') + '.images';
}

function portable(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * The speech with each figure's src as the Markdown at `markdownFile` must write it, and the
 * embedded images to write beside it (their `data` is left out of the speech).
 */
export function placeImages(speech: Speech, sourceFile: string, markdownFile: string): { speech: Speech; files: ImageFile[] } {
  const files: ImageFile[] = [];
  const folder = imagesFolder(markdownFile);
  const from = path.dirname(path.resolve(markdownFile));
  const blocks = speech.blocks.map((b): Block => {
    if (b.type !== 'figure') return b;
    if (b.image.data !== undefined) {
      // The reader's deterministic name (figure-1.png …) keeps the name stable across imports.
      const file = path.join(folder, path.basename(b.image.src));
      files.push({ file, bytes: Buffer.from(b.image.data, 'base64') });
      return { ...b, image: { src: portable(path.relative(from, path.resolve(file))) } };
    }
    return { ...b, image: { src: portable(path.relative(from, imagePath(sourceFile, b.image.src))) } };
  });
  return { speech: { ...speech, blocks }, files };
}
