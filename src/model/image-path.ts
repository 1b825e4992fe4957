/**
 * Where a figure's image file is: its src is relative to the folder of the source that names
 * it (FigureImage.src). The one rule for readers (does it exist?), `wenji import` (the path
 * from the written .md) and renderers (the file to embed).
 */
import path from 'node:path';

/** The file a figure's src names, for a speech read from `sourceFile`. */
export function imagePath(sourceFile: string, src: string): string {
  return path.resolve(path.dirname(sourceFile), src);
}
