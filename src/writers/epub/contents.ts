/**
 * What goes into the EPUB and in which order: one XHTML document per page kind (cover,
 * title page, front matter, part title, speech, back matter, index of speeches) with
 * ASCII file names, and the navigation tree part → speech → section.
 */
import type { Book, MatterSection, Part } from '../../model/book.ts';
import { blockText, inlineText, type Block, type Speech } from '../../model/speech.ts';
import type { Labels } from '../../model/labels.ts';

/** A navigation entry: label and target, with its children (speech → section → subsection). */
export interface NavEntry {
  label: string;
  href: string;
  children: NavEntry[];
}

export type EpubDocument =
  | { kind: 'cover'; file: string; title: string }
  | { kind: 'title'; file: string; title: string }
  | { kind: 'matter'; side: 'front' | 'back'; file: string; title: string; matter: MatterSection; sectionIds: Map<number, string> }
  | { kind: 'part'; file: string; title: string; part: Part }
  | { kind: 'speech'; file: string; title: string; speech: Speech; sectionIds: Map<number, string> }
  | { kind: 'index'; file: string; title: string };

export interface EpubContents {
  /** Reading order; the nav document (toc.xhtml) follows the title page. */
  documents: EpubDocument[];
  /** Top level of the table of contents. */
  nav: NavEntry[];
  /** File of the first document of the body (landmark "bodymatter"). */
  bodyStart: string;
}

export const COVER_FILE = 'cover.xhtml';
export const TITLE_FILE = 'title.xhtml';
export const NAV_FILE = 'toc.xhtml';
export const INDEX_FILE = 'index.xhtml';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Sections of a speech for the navigation: its level-1 and level-2 headings. A speech
 * without headings is divided by its run-in leads (一、……。), as many speeches are.
 * Returns block index → anchor id, and the nested entries.
 */
export function speechSections(blocks: readonly Block[], file: string): { ids: Map<number, string>; entries: NavEntry[] } {
  const ids = new Map<number, string>();
  const entries: NavEntry[] = [];
  const hasHeadings = blocks.some((b) => b.type === 'heading' && b.level <= 2);
  let current: NavEntry | undefined;
  blocks.forEach((b, i) => {
    let level: number | undefined;
    let label = '';
    if (b.type === 'heading' && b.level <= 2) {
      level = b.level;
      label = blockText(b);
    } else if (!hasHeadings && b.type === 'paragraph' && b.lead && b.lead.length > 0) {
      level = 1;
      label = inlineText(b.lead);
    }
    if (level === undefined) return;
    const id = `s${ids.size + 1}`;
    ids.set(i, id);
    const entry: NavEntry = { label: label.trim(), href: `${file}#${id}`, children: [] };
    if (level === 2 && current) current.children.push(entry);
    else {
      entries.push(entry);
      if (level === 1) current = entry;
    }
  });
  return { ids, entries };
}

export function planContents(book: Book, labels: Labels): EpubContents {
  const documents: EpubDocument[] = [
    { kind: 'cover', file: COVER_FILE, title: book.title },
    { kind: 'title', file: TITLE_FILE, title: book.title },
  ];
  const nav: NavEntry[] = [];

  const matter = (sections: MatterSection[], side: 'front' | 'back') => {
    sections.forEach((m, i) => {
      const file = `${side === 'front' ? 'fm' : 'bm'}-${pad(i + 1, 2)}.xhtml`;
      const { ids, entries } = speechSections(m.blocks, file);
      documents.push({ kind: 'matter', side, file, title: m.title, matter: m, sectionIds: ids });
      nav.push({ label: m.title, href: file, children: entries });
    });
  };

  matter(book.frontMatter, 'front');
  let bodyStart = '';
  let speechNo = 0;
  book.parts.forEach((part, p) => {
    let children = nav;
    if (part.title) {
      const file = `part-${pad(p + 1, 2)}.xhtml`;
      documents.push({ kind: 'part', file, title: part.title, part });
      const entry: NavEntry = { label: part.title, href: file, children: [] };
      nav.push(entry);
      children = entry.children;
      bodyStart ||= file;
    }
    for (const speech of part.speeches) {
      speechNo++;
      const file = `sp-${pad(speechNo, 3)}.xhtml`;
      const { ids, entries } = speechSections(speech.blocks, file);
      documents.push({ kind: 'speech', file, title: speech.title, speech, sectionIds: ids });
      children.push({ label: speech.title, href: file, children: entries });
      bodyStart ||= file;
    }
  });
  matter(book.backMatter, 'back');
  if (speechNo > 1) {
    documents.push({ kind: 'index', file: INDEX_FILE, title: labels.index });
    nav.push({ label: labels.index, href: INDEX_FILE, children: [] });
  }
  return { documents, nav, bodyStart: bodyStart || TITLE_FILE };
}
