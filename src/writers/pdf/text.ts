/**
 * The text a PDF shows, page by page, in the order it is drawn: enough of PDF for what
 * Chromium (Skia) writes — Type 0 fonts with 2-byte codes and a ToUnicode CMap, hex strings
 * shown by Tj/TJ/'/", form XObjects drawn by Do. Used to check a finished PDF against its
 * model (src/writers/text-check.ts) without an outside tool.
 */
import { inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFPageLeaf, PDFRawStream, PDFRef, type PDFDocument } from 'pdf-lib';
import type { Book, Engine } from '../../model/book.ts';
import { pageName } from '../../render/index.ts';
import { compareSpeechText, expectedSpeech, textCheckError } from '../text-check.ts';
import type { PrintedPdf } from './engine.ts';
import { ENGINE_LAYOUTS } from '../../render/page-engines.ts';

/** Code → text of one font, from its ToUnicode CMap. */
type CodeMap = { bytes: number; map: Map<number, string> };

const hexText = (hex: string): string => {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return s;
};

/** A ToUnicode CMap's bfchar and bfrange entries. */
export function parseToUnicode(cmap: string): CodeMap {
  const map = new Map<number, string>();
  const space = /<([0-9A-Fa-f]+)>\s*<[0-9A-Fa-f]+>\s*endcodespacerange/.exec(cmap);
  const bytes = space ? space[1]!.length / 2 : 2;
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) map.set(parseInt(m[1]!, 16), hexText(m[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])/g)) {
      const from = parseInt(m[1]!, 16);
      const to = parseInt(m[2]!, 16);
      const dst = m[3]!;
      if (dst.startsWith('[')) {
        const items = [...dst.matchAll(/<([0-9A-Fa-f]*)>/g)].map((x) => hexText(x[1]!));
        items.forEach((t, i) => from + i <= to && map.set(from + i, t));
      } else {
        // The last UTF-16 unit counts up along the range.
        const base = hexText(dst.slice(1, -1));
        const head = base.slice(0, -1);
        const last = base.charCodeAt(base.length - 1);
        for (let c = from; c <= to; c++) map.set(c, head + String.fromCharCode(last + (c - from)));
      }
    }
  }
  return { bytes, map };
}

/** A stream's decoded bytes as latin1 text; Flate by Node's zlib (5× faster than pdf-lib's own). */
function streamText(s: PDFRawStream): string {
  if (s.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode') && !s.dict.has(PDFName.of('DecodeParms'))) {
    return inflateSync(s.contents).toString('latin1');
  }
  return Buffer.from(decodePDFRawStream(s).decode()).toString('latin1');
}

/** PDF delimiters and white space end a name or an operator. */
const ENDS_TOKEN = new Uint8Array(128);
for (const ch of ' \t\r\n\f\0()<>[]{}/%') ENDS_TOKEN[ch.charCodeAt(0)] = 1;
const endsToken = (c: number) => c < 128 && ENDS_TOKEN[c] === 1;

class Extractor {
  private readonly fonts = new Map<PDFDict, CodeMap | undefined>();

  private fontMap(font: PDFDict): CodeMap | undefined {
    if (this.fonts.has(font)) return this.fonts.get(font);
    const tu = font.lookup(PDFName.of('ToUnicode'));
    const map = tu instanceof PDFRawStream ? parseToUnicode(streamText(tu)) : undefined;
    this.fonts.set(font, map);
    return map;
  }

  /**
   * Text of a content stream with the given resources; XObjects are followed (depth-limited).
   * A hand-written scanner: numbers (most of a stream) are skipped a character at a time,
   * only names, hex strings and operators are cut out (a regular expression took 5× longer).
   */
  run(s: string, resources: PDFDict | undefined, out: string[], depth = 0): void {
    const fontDict = resources?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    let font: CodeMap | undefined;
    let lastName: string | undefined;
    let strings: string[] = [];
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x3c /* < */) {
        if (s.charCodeAt(i + 1) === 0x3c) {
          i += 2;
          continue;
        }
        const end = s.indexOf('>', i);
        if (end < 0) break;
        strings.push(s.slice(i + 1, end));
        i = end + 1;
      } else if (c === 0x2f /* / */) {
        let j = i + 1;
        while (j < n && !endsToken(s.charCodeAt(j))) j++;
        lastName = s.slice(i + 1, j);
        i = j;
      } else if (c === 0x28 /* ( */) {
        // A literal string (not used for Type 0 text): skipped, with escapes and nesting.
        let level = 0;
        for (; i < n; i++) {
          const d = s.charCodeAt(i);
          if (d === 0x5c) i++;
          else if (d === 0x28) level++;
          else if (d === 0x29 && --level === 0) break;
        }
        i++;
      } else if (c === 0x25 /* % */) {
        const end = s.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x27 || c === 0x22) {
        let j = i + 1;
        while (j < n && !endsToken(s.charCodeAt(j))) j++;
        const op = s.slice(i, j);
        i = j;
        if (op === 'Tf' && lastName) {
          const f = fontDict?.lookupMaybe(PDFName.of(lastName), PDFDict);
          font = f ? this.fontMap(f) : undefined;
        } else if ((op === 'Tj' || op === 'TJ' || op === "'" || op === '"') && font) {
          const step = font.bytes * 2;
          for (const raw of strings) {
            const hex = raw.length % step === 0 && !/\s/.test(raw) ? raw : raw.replace(/\s+/g, '');
            for (let k = 0; k + step <= hex.length; k += step) out.push(font.map.get(parseInt(hex.slice(k, k + step), 16)) ?? '');
          }
        } else if (op === 'Do' && lastName && depth < 8) {
          const x = xobjects?.lookup(PDFName.of(lastName));
          if (x instanceof PDFRawStream && x.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) {
            const res = x.dict.lookupMaybe(PDFName.of('Resources'), PDFDict) ?? resources;
            this.run(streamText(x), res, out, depth + 1);
          }
        }
        strings = [];
      } else i++;
    }
  }
}

/** The page objects in order, from the page tree itself (pdf-lib's getPages() cache misses removals). */
function pageLeaves(doc: PDFDocument): PDFPageLeaf[] {
  const leaves: PDFPageLeaf[] = [];
  doc.catalog.Pages().traverse((node) => {
    if (node instanceof PDFPageLeaf) leaves.push(node);
  });
  return leaves;
}

/** The text of each page, in drawing order (no spaces or line breaks are inferred). */
export function pageTexts(doc: PDFDocument): string[] {
  const ex = new Extractor();
  return pageLeaves(doc).map((leaf) => {
    const contents = leaf.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const out: string[] = [];
    const content = refs
      .map((r) => (r instanceof PDFRef ? doc.context.lookup(r) : r))
      .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
      .map(streamText)
      .join('\n');
    ex.run(content, leaf.Resources(), out);
    return out.join('');
  });
}

/**
 * Checks a printed book against its model, speech by speech: each speech's pages run from
 * its bookmark's page to the next level-1 bookmark's page (a handout's speeches may share
 * one). Throws a WenjiError naming the speech and the place when text is missing or doubled.
 */
export function checkPrintedText(
  book: Book,
  printed: Pick<PrintedPdf, 'document' | 'marks'>,
  engine: Engine,
  skip?: ReadonlySet<number>,
): void {
  const pages = pageTexts(printed.document);
  const starts = printed.marks.filter((m) => m.level === 1).sort((a, b) => a.page - b.page);
  const advice = ENGINE_LAYOUTS[engine].textLossAdvice;
  for (const speech of book.parts.flatMap((p) => p.speeches)) {
    const expected = expectedSpeech(speech, pageName('sp', speech.id), book);
    const at = starts.findIndex((m) => m.id === expected.anchor);
    // Without its bookmark (a theme may drop it), the speech is looked for in the whole book.
    const from = at >= 0 ? starts[at]!.page - 1 : 0;
    const next = at >= 0 ? starts.slice(at + 1).find((m) => m.page > starts[at]!.page) : undefined;
    const to = next ? next.page : pages.length;
    const problem = compareSpeechText(expected, pages.slice(from, to), { skip, doubledPages: next ? to - from - 1 : undefined });
    if (problem) throw textCheckError(`the PDF (engine ${engine})`, expected, problem, advice);
  }
}
