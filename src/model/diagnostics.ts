/**
 * Every warning and error carries a stable code and the file (and line, where there is
 * one) it concerns, so the CLI can print `content/x.md:12: warning: message [W-CODE]` like
 * a compiler, and callers filter by code, never by message text.
 */

/** The stable codes, one table. Add a code here before using it. */
export const DIAGNOSTIC_CODES = {
  'W-IMPORT-TITLE-MISSING': 'no title found; the file name was used',
  'W-IMPORT-TITLE-UNCERTAIN': 'the title was chosen by a weak rule',
  'W-IMPORT-SPEAKER-UNCERTAIN': 'the speaker was taken from the title, a news lead or labels, not a speaker line',
  'W-IMPORT-ROLE-MISSING': "no role found for the speaker",
  'W-IMPORT-DATE-UNCERTAIN': "the date was taken from a news lead or the speech's text, not a date line",
  'W-IMPORT-SPEAKER-MISSING': 'no speaker found',
  'W-IMPORT-DATE-MISSING': 'no date found',
  'W-IMPORT-DATE-NO-YEAR': 'a date without a year',
  'W-IMPORT-HTML-REMOVED': 'HTML tags in plain text were removed',
  'W-IMPORT-QUOTES-UNBALANCED': 'quotation marks do not pair up in a paragraph',
  'W-IMPORT-REMOTE-IMAGE': 'an image on another computer (http:, //host, a large data: URI): never fetched, the figure is left out',
  'W-IMPORT-IMAGE-MISSING': 'an image file that does not exist: the figure is left out',
  'W-IMPORT-IMAGE-UNSUPPORTED': 'an image in a format wenji cannot print (EMF, WMF, BMP …): the figure is left out',
  'W-BOOK-DUPLICATE': 'the same speech twice: printed once',
  'W-BOOK-UNDATED': 'an undated speech placed after the dated ones',
  'W-BOOK-NO-DATE': 'no date for the publication',
  'W-WRITE-NOTE-MISSING': 'a note reference without its note: marked with * in print, left out of the EPUB',
  'W-PDF-ENGINE-FALLBACK': 'Paged.js lost or doubled text: the PDF is printed by the chromium engine',
  'W-PDF-LONG-PARAGRAPH': 'a paragraph too long for Paged.js: the PDF is printed by the chromium engine',
  'W-FONT-NO-FANGSONG': 'characters the 仿宋 face lacks: set in the Song face',
  'W-FONT-MISSING-GLYPH': 'a character no bundled face has: it would print blank',
  'W-RUBY-NO-READING': 'a reading copy: a rare character with no known reading gets no pinyin',
  'E-CONFIG': 'book.yaml or the command line is invalid',
  'E-SOURCE': 'a source cannot be found or read',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Codes about metadata an editor can supply (sidecar, command line, book.yaml): they no longer apply once it is given. */
export const METADATA_CODES: Readonly<Record<'title' | 'speaker' | 'role' | 'date', readonly DiagnosticCode[]>> = {
  title: ['W-IMPORT-TITLE-MISSING', 'W-IMPORT-TITLE-UNCERTAIN'],
  speaker: ['W-IMPORT-SPEAKER-MISSING', 'W-IMPORT-SPEAKER-UNCERTAIN'],
  role: ['W-IMPORT-ROLE-MISSING'],
  date: ['W-IMPORT-DATE-MISSING', 'W-IMPORT-DATE-NO-YEAR', 'W-IMPORT-DATE-UNCERTAIN'],
};

export interface Diagnostic {
  severity: 'warning' | 'error';
  code: DiagnosticCode;
  file: string;
  line?: number;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}` : d.file;
  return `${where}: ${d.severity === 'error' ? 'error: ' : 'warning: '}${d.message} [${d.code}]`;
}

/** An error the user can fix: bad input, bad config, missing tool. Printed without a stack. */
export class WenjiError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'WenjiError';
  }

  /** One line: `file:line: message`. */
  format(): string {
    if (!this.file) return this.message;
    return `${this.line ? `${this.file}:${this.line}` : this.file}: ${this.message}`;
  }
}

/** Collects warnings while a stage runs. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  warn(code: DiagnosticCode, file: string, message: string, line?: number): void {
    this.items.push({ severity: 'warning', code, file, ...(line ? { line } : {}), message });
  }

  get count(): number {
    return this.items.length;
  }
}
