/**
 * Joins the PDFs of a book's chunks (see chunks.ts) into one document, keeping what
 * Chromium wrote into each: the tagged structure (a screen reader reads one document in
 * order), the named destinations internal links jump to, and the links themselves.
 *
 * A part's links to a target in another part point at a stand-in destination; the writer
 * then sets every destination it measured (setNamedDestinations).
 *
 * The first part is the document the others are appended to. Each part is copied with one PDFObjectCopier, so every reference to a page (outline,
 * destinations, the structure tree's /Pg) lands on the copied page. Structure parent keys
 * (/StructParents, /StructParent) are renumbered past the pages already there.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNull, PDFNumber, PDFObjectCopier, PDFPage, PDFPageLeaf, PDFRef, type PDFObject } from 'pdf-lib';
import { WenjiError } from '../../model/diagnostics.ts';

export interface PdfPart {
  doc: PDFDocument;
  /** Blank pages to put before this part (so that it opens on a recto). */
  blankBefore: number;
}

const name = (n: string) => PDFName.of(n);

function numberTreeEntries(doc: PDFDocument, tree: PDFDict | undefined): [number, PDFObject][] {
  if (!tree) return [];
  const out: [number, PDFObject][] = [];
  const nums = tree.lookupMaybe(name('Nums'), PDFArray);
  if (nums) for (let i = 0; i + 1 < nums.size(); i += 2) out.push([(nums.lookup(i, PDFNumber) as PDFNumber).asNumber(), nums.get(i + 1)]);
  const kids = tree.lookupMaybe(name('Kids'), PDFArray);
  if (kids) for (let i = 0; i < kids.size(); i++) out.push(...numberTreeEntries(doc, kids.lookup(i, PDFDict)));
  return out;
}

/** Destination names (keys of the catalog's /Dests) without the leading slash. */
function destNames(dests: PDFDict): string[] {
  return dests.keys().map((k) => k.decodeText());
}

/** Appends `src` (already loaded) after the pages of `dest`, carrying structure and destinations. */
function appendPart(dest: PDFDocument, src: PDFDocument): void {
  const copier = PDFObjectCopier.for(src.context, dest.context);
  // The copier's memo of source object → copy; pre-seeding it maps the source's structure
  // root and Document element onto ours, so copied elements hang under our tree.
  const memo = (copier as unknown as { traversedObjects: Map<PDFObject, PDFObject> }).traversedObjects;
  const destRoot = dest.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  const srcRoot = src.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  const destRootRef = dest.catalog.get(name('StructTreeRoot'));
  const srcRootRef = src.catalog.get(name('StructTreeRoot'));
  const destDocRef = destRoot?.get(name('K'));
  const srcDocRef = srcRoot?.get(name('K'));
  const destDoc = destDocRef instanceof PDFRef ? dest.context.lookupMaybe(destDocRef, PDFDict) : undefined;
  const srcDoc = srcDocRef instanceof PDFRef ? src.context.lookupMaybe(srcDocRef, PDFDict) : undefined;
  const tagged = !!(destRoot && srcRoot && destDoc && srcDoc && srcRootRef instanceof PDFRef && destRootRef instanceof PDFRef);
  if (tagged) {
    memo.set(srcRootRef, destRootRef);
    memo.set(srcDocRef!, destDocRef!);
  }
  const destEntries = tagged ? numberTreeEntries(dest, destRoot!.lookupMaybe(name('ParentTree'), PDFDict)) : [];
  const keyOffset = tagged
    ? Math.max(
        destRoot!.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0,
        ...destEntries.map(([k]) => k + 1),
      )
    : 0;

  for (const srcPage of src.getPages()) {
    const ref = copier.copy(srcPage.ref) as PDFRef;
    const leaf = dest.context.lookup(ref) as PDFPageLeaf;
    if (tagged) {
      const sp = leaf.lookupMaybe(name('StructParents'), PDFNumber);
      if (sp) leaf.set(name('StructParents'), PDFNumber.of(sp.asNumber() + keyOffset));
      const annots = leaf.lookupMaybe(name('Annots'), PDFArray);
      for (let i = 0; annots && i < annots.size(); i++) {
        const a = annots.lookupMaybe(i, PDFDict);
        const p = a?.lookupMaybe(name('StructParent'), PDFNumber);
        if (a && p) a.set(name('StructParent'), PDFNumber.of(p.asNumber() + keyOffset));
      }
    } else {
      leaf.delete(name('StructParents'));
    }
    dest.addPage(PDFPage.of(leaf, ref, dest));
  }

  if (tagged) {
    const srcEntries = numberTreeEntries(src, srcRoot!.lookupMaybe(name('ParentTree'), PDFDict));
    const nums: PDFObject[] = [];
    for (const [k, v] of [...destEntries, ...srcEntries.map(([k, v]) => [k + keyOffset, copier.copy(v)] as [number, PDFObject])]) {
      nums.push(PDFNumber.of(k), v);
    }
    const parentTree = dest.context.obj({ Type: 'ParentTree' });
    parentTree.set(name('Nums'), dest.context.obj(nums));
    destRoot!.set(name('ParentTree'), dest.context.register(parentTree));
    const srcNext = srcRoot!.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? Math.max(0, ...srcEntries.map(([k]) => k + 1));
    destRoot!.set(name('ParentTreeNextKey'), PDFNumber.of(srcNext + keyOffset));
    // The part's top-level elements join our Document element's children.
    const kids = destDoc!.lookup(name('K'));
    const destKids = kids instanceof PDFArray ? kids : dest.context.obj(kids ? [destDoc!.get(name('K'))!] : []);
    const srcKids = srcDoc!.lookup(name('K'));
    const copied = copier.copy(srcDoc!.get(name('K'))!);
    if (srcKids instanceof PDFArray) {
      const arr = dest.context.lookup(copied) as PDFArray;
      for (let i = 0; i < arr.size(); i++) destKids.push(arr.get(i));
    } else if (srcKids) {
      destKids.push(copied);
    }
    destDoc!.set(name('K'), destKids);
  }

  const srcDests = src.catalog.lookupMaybe(name('Dests'), PDFDict);
  if (srcDests) {
    let destDests = dest.catalog.lookupMaybe(name('Dests'), PDFDict);
    if (!destDests) {
      destDests = dest.context.obj({});
      dest.catalog.set(name('Dests'), dest.context.register(destDests));
    }
    for (const n of destNames(srcDests)) {
      if (!destDests.has(name(n))) destDests.set(name(n), copier.copy(srcDests.get(name(n))!));
    }
  }
}

/**
 * Gives the part's embedded subsets their own tags: each renderer tags its subsets
 * AAAAAA+, BAAAAA+, … so two parts would carry different subsets under one name, which
 * preflight tools and some viewers take for one font. The last letter says the part.
 */
function retagSubsets(doc: PDFDocument, part: number): void {
  const letter = String.fromCharCode(65 + (part % 26));
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue;
    for (const key of ['BaseFont', 'FontName']) {
      const v = obj.get(name(key));
      if (v instanceof PDFName && /^[A-Z]{6}\+/.test(v.decodeText())) {
        const t = v.decodeText();
        obj.set(name(key), name(t.slice(0, 5) + letter + t.slice(6)));
      }
    }
  }
}

/** The parts as one document (not yet saved): blank pages where asked, structure and links kept. */
export function joinPdfs(parts: readonly PdfPart[]): PDFDocument {
  if (!parts.length) throw new WenjiError('nothing was printed (no parts to join)');
  const dest = parts[0]!.doc;
  for (const [i, part] of parts.entries()) {
    if (i === 0) continue;
    const src = part.doc;
    retagSubsets(src, i);
    const last = dest.getPage(dest.getPageCount() - 1);
    for (let i = 0; i < part.blankBefore; i++) dest.addPage([last.getWidth(), last.getHeight()]);
    appendPart(dest, src);
  }
  return dest;
}

/**
 * Sets catalog /Dests entries: name → its 1-based page and distance from the page top (PDF
 * points). Replaces what Chromium wrote for those names.
 */
export function setNamedDestinations(doc: PDFDocument, dests: ReadonlyMap<string, { page: number; top: number }>): void {
  let table = doc.catalog.lookupMaybe(name('Dests'), PDFDict);
  if (!table) {
    table = doc.context.obj({});
    doc.catalog.set(name('Dests'), doc.context.register(table));
  }
  const pages = doc.getPages();
  for (const [n, { page, top }] of dests) {
    const p = pages[page - 1];
    if (!p) continue;
    table.set(name(n), doc.context.obj([p.ref, name('XYZ'), PDFNull, PDFNumber.of(Math.round((p.getHeight() - top) * 100) / 100), PDFNull]));
  }
}
