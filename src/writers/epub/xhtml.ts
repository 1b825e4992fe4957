/**
 * Small XHTML-safe renderer for inline content. EPUB chapters must be well-formed XML and
 * keep CJK text as UTF-8 characters, so escaping is limited to the five XML specials and
 * nothing is ever written as a numeric character reference.
 */
import type { Inline } from '../../model/speech.ts';
import { inlineMarkup, markText } from '../../render/helpers.ts';

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
      return num === undefined ? '' : `<a class="noteref" epub:type="noteref" role="doc-noteref" href="#fn-${num}">${num}</a>`;
    },
  });
}
