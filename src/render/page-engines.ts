/**
 * What the plan and the renderer must know of each PDF engine: which editions it can print
 * (the one refusal, with its one message), the running-head rules it understands, and the
 * flags the templates read. The writers' PdfEngine (writers/pdf/engine.ts) extends this with
 * how it prints and finishes; nothing else branches on the engine's name.
 */
import type { Edition, Engine } from '../model/book.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { cssString } from './helpers.ts';
import { TEMPLATE_CONTRACT } from './template-contract.ts';

/** A page name and the running head its rectos carry (a speech or matter section). */
export interface RunningHeadSection {
  page: string;
  title: string;
}

export interface EngineLayout {
  name: Engine;
  /** Why this engine cannot print the edition, or undefined when it can. */
  check(edition: Pick<Edition, 'layout'>): string | undefined;
  /**
   * CSS for the running heads of a book: the book title on versos, the speech's or matter
   * section's title on rectos, none on the page where one opens.
   */
  runningHeadRules(bookTitle: string, sections: readonly RunningHeadSection[]): string[];
  /**
   * The engine that prints what this one gets wrong (build/execute.ts, with a warning): a PDF
   * with a paragraph longer than `maxParagraphChars`, or one whose text check failed.
   */
  fallback?: Engine;
  /** The longest paragraph the engine paginates correctly. */
  maxParagraphChars?: number;
  /** What to do when the printed text is not the book's (writers/pdf/text.ts checks it). */
  textLossAdvice: string;
  /** Paginates inside the page (a script in the document), so a preview can show its pages live. */
  paginatesInPage: boolean;
  /** Read by the templates as `engineFlags.*`. */
  templateFlags: {
    /** The engine cannot leave a verso blank by `break-before: right`: the template adds one after the half-title. */
    blankPageAfterHalfTitle: boolean;
    /**
     * Notes go to the foot of the page where they are referred to (Paged.js `float:
     * footnote`); otherwise they follow their speech, each with a link back to its call.
     */
    pageFootNotes: boolean;
  };
}

const SPEECH = `.${TEMPLATE_CONTRACT.speechClass}`;
const MATTER = `.${TEMPLATE_CONTRACT.matterClass}`;

/** The page name of speeches and matter sections under Paged.js. */
const BODY_PAGE = 'wenji-body';

const PAGEDJS_VERTICAL =
  'the pagedjs engine cannot set vertical text: Paged.js 0.4.3 drops part of the text in writing-mode: vertical-rl ' +
  '(its overflow check only looks right and down). Vertical PDFs are printed by Chromium: use --engine chromium, or leave the engine out';

export const ENGINE_LAYOUTS: Readonly<Record<Engine, EngineLayout>> = {
  pagedjs: {
    name: 'pagedjs',
    check: (edition) => (edition.layout === 'vertical' ? PAGEDJS_VERTICAL : undefined),
    // Paged.js has string-set: each speech and section sets the recto head from its
    // data-bookmark-title, and first-except leaves the page where it opens without one. (A
    // named page per speech, as Chromium needs, made ~2,000 rules that Paged.js tested on
    // every page: a fifth of its time on a long book.) Continuations of a split element carry
    // data-split-from and set nothing.
    runningHeadRules: (bookTitle) => [
      `${SPEECH}, ${MATTER} { page: ${BODY_PAGE}; }`,
      `${SPEECH}:not([data-split-from]), ${MATTER}:not([data-split-from]) { string-set: running-head attr(${TEMPLATE_CONTRACT.bookmarkTitleAttribute}); }`,
      `@page ${BODY_PAGE}:left { @top-center { content: ${cssString(bookTitle)}; } }`,
      `@page ${BODY_PAGE}:right { @top-center { content: string(running-head, first-except); } }`,
    ],
    // Paged.js mis-paginates a paragraph that runs over many pages: measured on A5, 10,000
    // characters came out right and 12,000 as 323 pages holding the text many times over.
    maxParagraphChars: 8_000,
    fallback: 'chromium',
    textLossAdvice: 'Paged.js failed to paginate it; build with --engine chromium.',
    paginatesInPage: true,
    templateFlags: { blankPageAfterHalfTitle: false, pageFootNotes: true },
  },
  chromium: {
    name: 'chromium',
    check: () => undefined,
    // Chromium's margin boxes take no string(): a named page per speech and matter section,
    // whose running heads are static strings. Opening pages carry no running head, but
    // Chromium's :first is the document's first page only: the PDF writer removes the head
    // from the opening pages after printing (withoutRunningHead).
    runningHeadRules: (bookTitle, sections) =>
      sections.flatMap((n) => [
        // Page names are assigned by id in the stylesheet.
        `#${n.page} { page: ${n.page}; }`,
        `@page ${n.page}:left { @top-center { content: ${cssString(bookTitle)}; } }`,
        `@page ${n.page}:right { @top-center { content: ${cssString(n.title)}; } }`,
      ]),
    textLossAdvice: 'Chromium stopped printing early; split the book or its longest paragraphs.',
    paginatesInPage: false,
    // Chromium's own print has no page floats: its notes follow their speech.
    templateFlags: { blankPageAfterHalfTitle: true, pageFootNotes: false },
  },
};

/** Throws the engine's refusal (a WenjiError naming `where`) when it cannot print the edition. */
export function checkEngine(edition: Pick<Edition, 'layout' | 'engine'>, where?: { file: string; line?: number; prefix?: string }): void {
  const refusal = ENGINE_LAYOUTS[edition.engine]?.check(edition);
  if (refusal) throw new WenjiError(`${where?.prefix ?? ''}${refusal}`, where?.file, where?.line);
}
