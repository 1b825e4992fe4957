/**
 * Word .docx: mammoth turns it into HTML (headings and paragraphs kept, styles dropped),
 * then the same block extraction and normaliser as a web page. No images are kept.
 */
import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import { WenjiError } from '../model/diagnostics.ts';
import { normalizeDocument, type NormalizeResult, type RawLine } from '../normalize/index.ts';
import { blockTexts } from './html.ts';

/** Reads a .docx file's bytes. Throws WenjiError for a file that is not a Word document. */
export async function readDocx(bytes: Uint8Array, file: string): Promise<NormalizeResult> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) });
    html = result.value;
  } catch (e) {
    throw new WenjiError(`not a readable Word .docx file (${(e as Error).message.split('\n')[0]})`, file);
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const el of [...document.querySelectorAll('img')]) el.remove();
  const texts = blockTexts(document.body as unknown as Parameters<typeof blockTexts>[0]);
  const lines: RawLine[] = [];
  for (const t of texts) lines.push({ text: t }, { text: '' });
  return normalizeDocument({ file, lines, paragraphsGiven: true });
}
