/**
 * Where anchors landed in a PDF printed by Chromium: its catalog /Dests maps every id that a
 * link points at to [page /XYZ left top zoom]. Native print exposes page positions nowhere
 * else, so the chromium engine links to the ids it needs and reads them back from here.
 */
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef } from 'pdf-lib';

export interface Destination {
  /** 1-based page number. */
  page: number;
  /** Distance from the top of the page in PDF points. */
  top: number;
}

/**
 * A PDF Chromium printed, parsed (each PDF is parsed once: checked, joined, finished).
 * Fastest: pdf-lib otherwise pauses every 100 objects for a timer tick (≥ 1 ms each).
 */
export function loadPdf(pdf: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
}

export function readDestinations(doc: PDFDocument): { pages: number; dests: Map<string, Destination> } {
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((p, i) => pageIndex.set(p.ref.toString(), i));
  const out = new Map<string, Destination>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return { pages: doc.getPageCount(), dests: out };
  for (const [key, value] of dests.entries()) {
    const arr = doc.context.lookupMaybe(value, PDFArray);
    if (!arr || arr.size() < 4) continue;
    const ref = arr.get(0);
    const index = ref instanceof PDFRef ? pageIndex.get(ref.toString()) : undefined;
    if (index === undefined) continue;
    const page = doc.getPage(index);
    const y = arr.lookupMaybe(3, PDFNumber)?.asNumber() ?? page.getHeight();
    out.set(decodeName(key.asString()), { page: index + 1, top: Math.max(0, page.getHeight() - y) });
  }
  return { pages: doc.getPageCount(), dests: out };
}

/** PDF names escape bytes as #xx; ids are ASCII in our HTML but decode anyway. */
function decodeName(name: string): string {
  const raw = name.startsWith('/') ? name.slice(1) : name;
  const bytes = raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
