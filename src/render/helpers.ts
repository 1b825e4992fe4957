/**
 * Text helpers for Chinese print: section numbers and inline content to HTML (dates and
 * numerals come from model/chinese-numbers.ts). Every function here is pure, so the EPUB
 * writer and tests can use them on their own; `registerRenderHelpers` exposes them to
 * Handlebars templates.
 *
 * All text goes through escapeHtml: content is never trusted as markup.
 */
import type Handlebars from 'handlebars';
import type { Inline } from '../model/speech.ts';
import type { Layout } from '../model/book.ts';
import { chineseDate, chineseDateHanzi, chineseNumeral, layoutDate, layoutYear } from '../model/chinese-numbers.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A CSS string literal (for generated `content: "…"` rules). */
export function cssString(s: string): string {
  // < and > are escaped too, so a title can never close the <style> element it sits in.
  return `"${s
    .replace(/[\\"<>]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)
    .replace(/[\n\r\f]/g, ' ')}"`;
}

// ---------------------------------------------------------------- section numbers

/** Section numbers by level: 一、 / （一） / 1. / （1）. */
export function sectionNumber(level: number, n: number): string {
  switch (level) {
    case 1:
      return `${chineseNumeral(n)}、`;
    case 2:
      return `（${chineseNumeral(n)}）`;
    case 3:
      return `${n}.`;
    default:
      return `（${n}）`;
  }
}

// ---------------------------------------------------------------- 縱中橫 (tate-chū-yoko)

/**
 * A number as vertical text sets it: digits with their decimal point, thousands separators
 * and a percent sign are one unit, never split at "." or ",".
 */
const NUMBER = '[0-9]+(?:[.,][0-9]+)*%?';
/** A Latin word joined by a full-width hyphen (note－book): East Asian line breaking would break at the hyphen. */
const HYPHENATED_LATIN = '[A-Za-z]+(?:－[A-Za-z]+)+';
const MARKED_RUNS = new RegExp(`(${HYPHENATED_LATIN})|(${NUMBER})`, 'g');

/**
 * Escapes text (`escape`: HTML for print, XML for EPUB) and marks the runs a layout must keep
 * whole. A Latin word joined by a full-width hyphen is one unbreakable unit (`nobr`), so the
 * hyphen never starts a line. In vertical text, numbers are set the way clreq asks: one or
 * two characters (19, 5%) upright in one cell (`tcy`, text-combine-upright); anything longer
 * (128, 36%, 2024, 35.6%) upright one character per cell (`upright`), as one unbreakable unit.
 */
export function markText(s: string, vertical: boolean, escape: (s: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(MARKED_RUNS)) {
    const [run, word] = m;
    if (!word && !vertical) continue;
    const cls = word ? 'nobr' : run.length <= 2 ? 'tcy' : 'upright';
    out += `${escape(s.slice(last, m.index))}<span class="${cls}">${escape(run)}</span>`;
    last = m.index + run.length;
  }
  return out + escape(s.slice(last));
}

/** Escapes text for print HTML with the runs its layout keeps whole (markText). */
export function escapeForLayout(s: string, layout: Layout): string {
  return markText(s, layout === 'vertical', escapeHtml);
}

// ---------------------------------------------------------------- inline content

export interface InlineRenderOptions {
  layout: Layout;
  /** Numbers note references in reading order; the renderer keeps one per speech. */
  noteNumber?: (id: string) => number;
  /** Prefix for note anchors, so notes of different speeches do not clash. */
  notePrefix?: string;
}

/** How a text run and a note reference are written; the rest of the markup is shared. */
export interface InlineWriter {
  text(text: string): string;
  noteRef(id: string): string;
}

/** Inline[] → markup, for print HTML and EPUB XHTML alike: emphasis gets dots, strong is bold/Hei. */
export function inlineMarkup(inlines: readonly Inline[], write: InlineWriter): string {
  let out = '';
  for (const n of inlines) {
    switch (n.type) {
      case 'text':
        out += write.text(n.text);
        break;
      case 'emphasis':
        out += `<em class="dots">${inlineMarkup(n.children, write)}</em>`;
        break;
      case 'strong':
        out += `<strong>${inlineMarkup(n.children, write)}</strong>`;
        break;
      case 'noteRef':
        out += write.noteRef(n.id);
        break;
    }
  }
  return out;
}

/** Inline[] → print HTML. Text is always escaped. */
export function renderInlines(inlines: readonly Inline[], opts: InlineRenderOptions): string {
  return inlineMarkup(inlines, {
    text: (t) => escapeForLayout(t, opts.layout),
    noteRef: (id) => {
      const num = opts.noteNumber?.(id) ?? 0;
      const anchor = escapeHtml(`${opts.notePrefix ?? ''}note-${id}`);
      const label = num ? String(num) : '*';
      return `<a class="noteref" id="${anchor}-ref" href="#${anchor}"><sup>${escapeForLayout(label, opts.layout)}</sup></a>`;
    },
  });
}

// ---------------------------------------------------------------- Handlebars

export interface RenderHelperOptions {
  layout: Layout;
}

/**
 * Registers: date (layout form), dateArabic, dateHanzi, cnNumber, sectionNumber,
 * inlines (Inline[] → safe HTML), text (escaped with 縱中橫 in vertical), headingTag, eq, and.
 */
export function registerRenderHelpers(hb: typeof Handlebars, options: RenderHelperOptions): void {
  const safe = (html: string) => new hb.SafeString(html);
  const layoutOf = (o: Handlebars.HelperOptions | undefined): Layout =>
    (o?.hash?.layout as Layout | undefined) ?? options.layout;
  hb.registerHelper('date', (iso: string | null, o: Handlebars.HelperOptions) =>
    safe(escapeForLayout(layoutDate(iso, layoutOf(o)), 'horizontal')),
  );
  // The year of a book: 2024 horizontally, 二〇二四 vertically (from "2024" or an ISO date).
  hb.registerHelper('year', (y: string | null, o: Handlebars.HelperOptions) => layoutYear(y, layoutOf(o)));
  hb.registerHelper('dateArabic', (iso: string | null) => chineseDate(iso));
  hb.registerHelper('dateHanzi', (iso: string | null) => chineseDateHanzi(iso));
  hb.registerHelper('cnNumber', (n: number) => chineseNumeral(Number(n)));
  hb.registerHelper('sectionNumber', (level: number, n: number) => sectionNumber(Number(level), Number(n)));
  // notes=… (the speech's Footnote[]) numbers note references; notePrefix=… keeps anchors unique.
  hb.registerHelper('inlines', (xs: Inline[] | undefined, o: Handlebars.HelperOptions) => {
    const notes = (o?.hash?.notes as { id: string }[] | undefined) ?? [];
    return safe(
      renderInlines(xs ?? [], {
        layout: layoutOf(o),
        notePrefix: o?.hash?.notePrefix,
        noteNumber: (id) => notes.findIndex((f) => f.id === id) + 1,
      }),
    );
  });
  hb.registerHelper('text', (s: unknown, o: Handlebars.HelperOptions) =>
    safe(escapeForLayout(s == null ? '' : String(s), layoutOf(o))),
  );
  // Section headings sit one level below the speech title (h1): level 1 → h2 … level 4 → h5.
  hb.registerHelper('headingTag', (level: number) => String(Math.min(Math.max(Number(level) || 1, 1), 4) + 1));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
}
