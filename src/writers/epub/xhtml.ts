/**
 * Small XHTML-safe renderer for inline content. EPUB chapters must be well-formed XML and
 * keep CJK text as UTF-8 characters, so escaping is limited to the five XML specials and
 * nothing is ever written as a numeric character reference.
 */
import type { Inline } from '../../model/speech.ts';
import { inlineMarkup, markText, noteMark } from '../../render/helpers.ts';

const XML_SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for element content and double-quoted attribute values. */
export function escapeXml(s: string): string {
  // C0 controls other than tab/newline are not allowed in XML 1.0 at all.
  return s.replace(/[&<>"]/g, (c) => XML_SPECIALS[c]!).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

/**
 * Handlebars escapes ' ` = as numeric references (&#x27; &#x60; &#x3D;). All three are
 * plain characters in XHTML text and in double-quoted attributes, so we put them back.
 * Exact: an escaped source text "&#x27;" is "&amp;#x27;" and does not match.
 */
export function withoutNumericReferences(xhtml: string): string {
  return xhtml.replace(/&#x(27|60|3D);/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export interface InlineOptions {
  /** Vertical layout: numbers are set upright (縱中橫 for one or two characters). */
  vertical: boolean;
  /** Footnote number for a note id, for the reference mark. */
  noteNumber?: (id: string) => number | undefined;
  /** Notes already called once: only the first call carries the id the note links back to. */
  called?: Set<number>;
}

/** Text as XHTML, with the runs a layout keeps whole (the print rule, markText), XML-escaped. */
export function markRuns(text: string, vertical: boolean): string {
  return markText(text, vertical, escapeXml);
}

export function renderInlines(inlines: readonly Inline[], opts: InlineOptions): string {
  return inlineMarkup(inlines, {
    text: (t) => markRuns(t, opts.vertical),
    noteRef: (id) => {
      const num = opts.noteNumber?.(id);
      if (num === undefined) return '';
      const first = opts.called !== undefined && !opts.called.has(num);
      opts.called?.add(num);
      const back = first ? ` id="fnref-${num}"` : '';
      return `<a class="noteref" epub:type="noteref" role="doc-noteref"${back} href="#fn-${num}">${noteMark(num)}</a>`;
    },
  });
}
