/**
 * Word .docx: mammoth turns it into HTML (headings, paragraphs, lists, quotes, bold and italic kept),
 * then the same block extraction and normaliser as a web page. No images are kept.
 */
import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import { WenjiError } from '../model/diagnostics.ts';
import { normalizeDocument, type NormalizeResult } from '../normalize/index.ts';
import { blocksToLines, htmlBlocks } from './html.ts';

/** Reads a .docx file's bytes. Throws WenjiError for a file that is not a Word document. */
export async function readDocx(bytes: Uint8Array, file: string): Promise<NormalizeResult> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      {
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        // Word's quotation styles are block quotes; lists, bold and italic mammoth keeps itself.
        styleMap: ["p[style-name='Quote'] => blockquote > p:fresh", "p[style-name='Intense Quote'] => blockquote > p:fresh"],
      },
    );
    html = result.value;
  } catch (e) {
    throw new WenjiError(`not a readable Word .docx file (${(e as Error).message.split('\n')[0]})`, file);
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const el of [...document.querySelectorAll('img')]) el.remove();
  const blocks = htmlBlocks(document.body as unknown as Parameters<typeof htmlBlocks>[0]);
  return normalizeDocument({ file, lines: blocksToLines(blocks), paragraphsGiven: true });
}
