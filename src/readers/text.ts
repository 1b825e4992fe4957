/** Scraped plain text (a web page saved or copied as text): every line goes to the normaliser. */
import { normalizeDocument, type NormalizeResult } from '../normalize/index.ts';

/** Reads scraped text already decoded to a string. Throws WenjiError when no speech is in it. */
export function readScrapedText(text: string, file: string): NormalizeResult {
  const lines = text.split(/\r\n|\r|\n/).map((t, i) => ({ text: t, line: i + 1 }));
  return normalizeDocument({ file, lines });
}
