/**
 * Word .docx: mammoth turns it into HTML (headings, paragraphs, lists, quotes, bold and italic
 * kept; pictures as data: images, tables, footnotes and endnotes as a list of notes), then the
 * same extraction of figures, tables and notes and the same normaliser as a web page. A
 * picture keeps its bytes (FigureImage.data), named figure-1.png … in document order.
 */
import { Inflate } from 'fflate';
import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import { WenjiError } from '../model/diagnostics.ts';
import { normalizeDocument, type NormalizeResult } from '../normalize/index.ts';
import { blocksToLines, CAPTION_CLASS, htmlBlocks } from './html.ts';
import { extractRichContent } from './html-rich.ts';

/**
 * The most XML a .docx may inflate to. A speech, even a year of them, is a few MiB of
 * WordprocessingML; a small zip can inflate to gigabytes (a zip bomb), which would exhaust
 * the heap inside the zip library before anything could be said.
 */
export const DOCX_MAX_XML_BYTES = 64 << 20;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeader: number;
}

/** The entries of a zip's central directory, or undefined when the bytes hold none. */
function zipEntries(b: Uint8Array): ZipEntry[] | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // The end-of-central-directory record sits in the last 64 KiB (after an optional comment).
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > b.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      name: new TextDecoder().decode(b.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      localHeader: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/**
 * Inflates an entry in small steps, counting, and stops at `limit` bytes. The sizes a zip
 * declares can lie, so only inflating tells.
 */
function inflatedSize(b: Uint8Array, e: ZipEntry, limit: number): number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (e.localHeader + 30 > b.length || view.getUint32(e.localHeader, true) !== 0x04034b50) return 0;
  const start = e.localHeader + 30 + view.getUint16(e.localHeader + 26, true) + view.getUint16(e.localHeader + 28, true);
  const data = b.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data.length;
  let total = 0;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
  });
  // 16 KiB of input inflates to at most ~17 MiB: memory stays bounded whatever the ratio.
  for (let i = 0; i < data.length && total <= limit; i += 16 << 10) {
    try {
      inflate.push(data.subarray(i, i + (16 << 10)), i + (16 << 10) >= data.length);
    } catch {
      return total; // damaged data: the Word reader below says so
    }
  }
  return total;
}

/** Checks a .docx is a whole zip holding a Word document and that its XML is not too large. */
function checkDocx(bytes: Uint8Array, file: string): void {
  const entries = zipEntries(bytes);
  if (!entries) {
    throw new WenjiError('not a complete Word .docx file (its zip directory is missing: cut short or damaged): open it in Word and save it again', file);
  }
  if (!entries.some((e) => e.name === 'word/document.xml')) {
    throw new WenjiError('not a Word document: it has no word/document.xml (open it in Word and save it as .docx)', file);
  }
  let total = 0;
  for (const e of entries.filter((x) => /\.(xml|rels)$/i.test(x.name))) {
    total += inflatedSize(bytes, e, DOCX_MAX_XML_BYTES - total);
    if (total > DOCX_MAX_XML_BYTES) {
      throw new WenjiError(
        `${e.name} inflates to more than ${DOCX_MAX_XML_BYTES >> 20} MiB of XML (a zip bomb, or a document too large to read): split it, or save it as .txt or .md`,
        file,
      );
    }
  }
}

/** Reads a .docx file's bytes. Throws WenjiError for a file that is not a Word document. */
export async function readDocx(bytes: Uint8Array, file: string): Promise<NormalizeResult> {
  checkDocx(bytes, file);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      {
        convertImage: mammoth.images.imgElement(async (image) => ({ src: `data:${image.contentType};base64,${await image.read('base64')}` })),
        // Word's quotation styles are block quotes, its caption style (题注) marks captions;
        // lists, bold and italic mammoth keeps itself.
        styleMap: [
          "p[style-name='Quote'] => blockquote > p:fresh",
          "p[style-name='Intense Quote'] => blockquote > p:fresh",
          ...['Caption', 'caption', '题注'].map((name) => `p[style-name='${name}'] => p.${CAPTION_CLASS}:fresh`),
        ],
      },
    );
    html = result.value;
  } catch {
    // The zip library's own message (and the address it quotes) tells the reader nothing.
    throw new WenjiError('the Word document cannot be read (damaged or not saved by Word): open it in Word and save it again, or save it as .txt', file);
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  // The pictures are the document's own: no size limit but the file's.
  const rich = extractRichContent(document, file, { maxDataBytes: Number.POSITIVE_INFINITY });
  for (const el of [...document.querySelectorAll('img')]) el.remove();
  const blocks = htmlBlocks(document.body as unknown as Parameters<typeof htmlBlocks>[0]);
  const result = normalizeDocument({ file, lines: blocksToLines(blocks, rich.items), paragraphsGiven: true, notes: rich.notes });
  return { ...result, diagnostics: [...rich.diagnostics, ...result.diagnostics] };
}
