/**
 * What a writer notices about notes: a note reference ([^x]) whose note the speech does not
 * have. Print marks it with an asterisk that leads nowhere and the EPUB leaves it out, so
 * every writer reports it (W-WRITE-NOTE-MISSING) with the speech's file and line.
 */
import type { Book } from '../model/book.ts';
import type { Diagnostics } from '../model/diagnostics.ts';
import { blockInlines, type Inline } from '../model/speech.ts';

function referencedIds(inlines: readonly Inline[], out: string[] = []): string[] {
  for (const n of inlines) {
    if (n.type === 'noteRef') out.push(n.id);
    else if (n.type === 'emphasis' || n.type === 'strong') referencedIds(n.children, out);
  }
  return out;
}

/** Reports every note reference of the book (speeches and matter) whose note is missing, once per reference. */
export function reportMissingNotes(book: Book, diagnostics: Diagnostics): void {
  const texts = [
    ...book.frontMatter.map((m) => ({ file: m.file ?? m.title, blocks: m.blocks, notes: m.notes })),
    ...book.parts.flatMap((p) => p.speeches.map((s) => ({ file: s.source.file, blocks: s.blocks, notes: s.notes }))),
    ...book.backMatter.map((m) => ({ file: m.file ?? m.title, blocks: m.blocks, notes: m.notes })),
  ];
  for (const t of texts) {
    const defined = new Set((t.notes ?? []).map((n) => n.id));
    for (const b of t.blocks) {
      for (const id of blockInlines(b).flatMap((xs) => referencedIds(xs))) {
        if (!defined.has(id)) {
          diagnostics.warn('W-WRITE-NOTE-MISSING', t.file, `note reference [^${id}] has no note: add "[^${id}]: …" or remove the reference`, b.pos?.line);
        }
      }
    }
  }
}
