/**
 * What Chromium does not write and a book needs: the outline (bookmarks), document
 * metadata and the reading direction for vertical books. (No page labels: the folios are
 * the physical page numbers, which is what a viewer shows without them.) Also removes what makes
 * two builds of the same input differ: Chromium's own dates and its random file ID.
 */
import { createHash } from 'node:crypto';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDocument,
  PDFRawStream,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRef,
  PDFString,
  ReadingDirection,
} from 'pdf-lib';
import { modifiedInstant, type Book, type Edition } from '../../model/book.ts';
import type { PlacedMark, PrintedPdf } from './engine.ts';

export interface PdfMetadata {
  title: string;
  author?: string;
  subject?: string;
  keywords: string[];
  /** BCP 47 tag, e.g. zh-Hans, zh-Hant-TW. */
  lang: string;
  date: Date;
  rightToLeft: boolean;
}

/** Author = the editor of a collection, else the speaker(s). */
export function pdfMetadata(book: Book, edition: Edition, lang: string): PdfMetadata {
  const speeches = book.parts.flatMap((p) => p.speeches);
  const speakers = [...new Set(speeches.map((s) => s.speaker?.name).filter((n): n is string => !!n))];
  const first = speeches[0];
  const subject =
    book.subtitle ??
    (speeches.length === 1 ? [first.occasion, first.speaker?.role && `${first.speaker.role}${first.speaker.name ?? ''}`].filter(Boolean).join(' ') : undefined);
  return {
    title: book.title,
    author: book.editor ?? (speakers.length ? speakers.join('、') : undefined),
    subject: subject || undefined,
    keywords: speakers,
    lang,
    // The book's instant, decided once when it was assembled (book/assemble.ts bookDates).
    date: modifiedInstant(book),
    rightToLeft: edition.layout === 'vertical',
  };
}

interface OutlineNode {
  mark: PlacedMark;
  children: OutlineNode[];
}

/** Marks in document order → a tree by level (a level-2 mark belongs to the level-1 before it). */
export function outlineTree(marks: PlacedMark[]): OutlineNode[] {
  const roots: OutlineNode[] = [];
  const stack: OutlineNode[] = [];
  for (const mark of marks) {
    const node: OutlineNode = { mark, children: [] };
    while (stack.length && stack[stack.length - 1].mark.level >= mark.level) stack.pop();
    (stack.length ? stack[stack.length - 1].children : roots).push(node);
    stack.push(node);
  }
  return roots;
}

function addOutline(doc: PDFDocument, marks: PlacedMark[]): void {
  const roots = outlineTree(marks);
  if (!roots.length) return;
  const ctx = doc.context;
  const pages = doc.getPages();
  const outlinesRef = ctx.nextRef();

  const build = (nodes: OutlineNode[], parent: PDFRef): PDFRef[] => {
    const refs = nodes.map(() => ctx.nextRef());
    nodes.forEach((n, i) => {
      const page = pages[Math.min(Math.max(n.mark.page, 1), pages.length) - 1];
      const top = n.mark.top === undefined ? PDFNull : PDFNumber.of(Math.round((page.getHeight() - n.mark.top) * 100) / 100);
      const dict = ctx.obj({
        Title: PDFHexString.fromText(n.mark.title),
        Parent: parent,
        Dest: ctx.obj([page.ref, PDFName.of('XYZ'), PDFNull, top, PDFNull]),
      });
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]);
      if (i < nodes.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]);
      if (n.children.length) {
        const kids = build(n.children, refs[i]);
        dict.set(PDFName.of('First'), kids[0]);
        dict.set(PDFName.of('Last'), kids[kids.length - 1]);
        // Negative count: sections start folded, so a long book's outline stays readable.
        dict.set(PDFName.of('Count'), PDFNumber.of(-n.children.length));
      }
      ctx.assign(refs[i], dict);
    });
    return refs;
  };

  const top = build(roots, outlinesRef);
  ctx.assign(
    outlinesRef,
    ctx.obj({ Type: 'Outlines', First: top[0], Last: top[top.length - 1], Count: PDFNumber.of(top.length) }),
  );
  doc.catalog.set(PDFName.of('Outlines'), outlinesRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

type Matrix = [number, number, number, number, number, number];

/** `m` concatenated to the current transformation matrix `ctm` (the PDF `cm` operator). */
function concat(m: Matrix, ctm: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const [A, B, C, D, E, F] = ctm;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

/**
 * A page's content stream without the text drawn in its upper half before the first clip.
 * Chromium paints the @page margin boxes first, then clips to the page area for the
 * document; the text objects in that prologue standing in the upper half of the page are the
 * running head (the folio stands at the foot). Used on recto openings, whose head Chromium
 * cannot leave out (no :first for named pages). Returns the content unchanged when it does
 * not have that shape.
 */
export function withoutRunningHead(content: string, pageHeight: number): string {
  const clip = /(?:^|\s)W\*?\s+n(?=\s|$)/.exec(content);
  if (!clip) return content;
  const prologue = content.slice(0, clip.index);
  const saved: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let operands: string[] = [];
  let textStart = -1;
  let textAt: number[] | undefined;
  const cuts: [number, number][] = [];
  for (const m of prologue.matchAll(/\S+/g)) {
    const token = m[0];
    if (!/^[A-Za-z'"][A-Za-z*'"]*$/.test(token)) {
      operands.push(token);
      continue;
    }
    const nums = operands.slice(-6).map(Number);
    if (token === 'q') saved.push(ctm);
    else if (token === 'Q') ctm = saved.pop() ?? ctm;
    else if (token === 'cm' && nums.length === 6) ctm = concat(nums as Matrix, ctm);
    else if (token === 'BT') [textStart, textAt] = [m.index, undefined];
    else if (token === 'Tm' && !textAt && nums.length === 6) textAt = nums;
    else if (token === 'ET') {
      if (textStart >= 0 && textAt) {
        const y = ctm[1] * textAt[4] + ctm[3] * textAt[5] + ctm[5];
        if (y > pageHeight / 2) cuts.push([textStart, m.index + token.length]);
      }
      textStart = -1;
    }
    operands = [];
  }
  let out = content;
  for (const [from, to] of cuts.reverse()) out = out.slice(0, from) + out.slice(to);
  return out;
}

/** Removes the running head from these (1-based) pages; see withoutRunningHead. */
export function removeRunningHeads(doc: PDFDocument, pageNumbers: readonly number[]): void {
  const pages = doc.getPages();
  for (const n of new Set(pageNumbers)) {
    const page = pages[n - 1];
    if (!page) continue;
    const contents = page.node.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const streams = refs.map((r) => doc.context.lookup(r));
    if (!streams.length || !streams.every((s) => s instanceof PDFRawStream)) continue;
    const text = streams.map((s) => Buffer.from(decodePDFRawStream(s as PDFRawStream).decode()).toString('latin1')).join('\n');
    const stripped = withoutRunningHead(text, page.getHeight());
    if (stripped === text) continue;
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(Buffer.from(stripped, 'latin1'))));
    for (const r of refs) if (r instanceof PDFRef) doc.context.delete(r);
  }
}

/**
 * A file identifier that depends only on what the file shows, so the same input gives the
 * same bytes (Chromium's own /ID is random).
 */
function stableId(meta: PdfMetadata, printed: PrintedPdf): PDFHexString {
  const h = createHash('sha256');
  h.update(JSON.stringify({ meta: { ...meta, date: meta.date.toISOString() }, pages: printed.pages, marks: printed.marks }));
  return PDFHexString.of(h.digest('hex').slice(0, 32));
}

export async function finishPdf(
  printed: PrintedPdf,
  meta: PdfMetadata,
  engineFinish: (document: PDFDocument, printed: PrintedPdf) => void = () => {},
): Promise<Uint8Array> {
  const doc = printed.document;
  // Replace Chromium's Info dictionary (browser user agent, clock dates) as a whole, and
  // drop the old object: pdf-lib writes unreferenced objects too.
  const oldInfo = doc.context.trailerInfo.Info;
  if (oldInfo instanceof PDFRef) doc.context.delete(oldInfo);
  const info = doc.context.obj({});
  doc.context.trailerInfo.Info = doc.context.register(info);
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.author) doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  if (meta.keywords.length) doc.setKeywords(meta.keywords);
  doc.setProducer('wenji');
  doc.setCreator('wenji');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  doc.catalog.set(PDFName.of('Lang'), PDFString.of(meta.lang));
  if (meta.rightToLeft) doc.catalog.getOrCreateViewerPreferences().setReadingDirection(ReadingDirection.R2L);
  engineFinish(doc, printed);
  addOutline(doc, printed.marks);
  const id = stableId(meta, printed);
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  // No pause every 50 objects for a timer tick (pdf-lib's default): thousands of them add up.
  return doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
}
