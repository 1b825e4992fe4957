/**
 * Every output checks its own text: after a PDF or EPUB is made, the Han characters it shows
 * are compared with the model's, speech by speech — all of them present, in order, none
 * doubled. An engine that drops or repeats text (Paged.js on long repetitive paragraphs, a
 * renderer stopping early) then fails the edition with a message naming the speech and the
 * place, instead of shipping a short book with exit code 0.
 *
 * Only Han characters are compared: punctuation, digits and Latin text are legitimately
 * changed on the way (quote style, 縱中橫, spaces), Han characters never are.
 */
import type { Book } from '../model/book.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { blockText, inlineText, type Speech } from '../model/speech.ts';
import { LABELS } from '../model/labels.ts';

const HAN_CHAR = /[\p{Script=Han}〇]/u;

/** The Han characters of a text, in order, as code points; `skip` leaves some out. */
export function hanCodePoints(text: string, skip?: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // Fast path: the CJK blocks; else the full Script=Han test.
    const han = (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x3134f) || (cp > 0x2e7f && HAN_CHAR.test(ch));
    if (han && !skip?.has(cp)) out.push(cp);
  }
  return out;
}

/** What one speech must show: its text, and the strings printed around it (heads, byline). */
export interface ExpectedSpeech {
  /** The speech's anchor in the print HTML (its level-1 bookmark id). */
  anchor: string;
  title: string;
  /** Source file, for the message. */
  file: string;
  /** Title, subtitle and blocks (captions and table cells included, as blockText gives them), in reading order. */
  text: string;
  /**
   * The notes' texts, in order. A note may print at the foot of the page that refers to it
   * (in the middle of the speech's text) or after the speech: each is looked for on its own.
   */
  notes: string[];
  /** Printed strings that are not body text: running heads, byline, labels. */
  furniture: string[];
}

export function expectedSpeech(speech: Speech, anchor: string, book: Book): ExpectedSpeech {
  const text = [speech.title, speech.subtitle ?? '', ...speech.blocks.map(blockText)].join('\n');
  const notes = (speech.notes ?? []).map((n) => inlineText(n.content));
  // Section titles are running heads: headings, and run-in leads (their bookmark is the lead's start).
  const headings = speech.blocks.flatMap((b) =>
    b.type === 'heading' ? [(b.number ?? '') + inlineText(b.content)] : b.type === 'paragraph' && b.lead ? [inlineText(b.lead)] : [],
  );
  const furniture = [
    book.title,
    book.subtitle ?? '',
    ...book.parts.map((p) => p.title ?? ''),
    speech.title,
    speech.subtitle ?? '',
    speech.speaker?.name ?? '',
    speech.speaker?.role ?? '',
    speech.occasion ?? '',
    speech.venue ?? '',
    speech.dateText ?? '',
    ...headings,
    // A table's header row repeats on every page (or column) the table runs over.
    ...speech.blocks.flatMap((b) => (b.type === 'table' && b.header ? [b.header.map(inlineText).join('')] : [])),
    ...Object.values(LABELS).flatMap((l) => Object.values(l)),
  ].filter(Boolean);
  return { anchor, title: speech.title, file: speech.source.file, text, notes, furniture };
}

/** A place where the output differs from the model. */
export interface TextProblem {
  kind: 'missing' | 'doubled';
  /** Han characters of the speech the output shows in order (missing), or the doubled run. */
  shown: number;
  total: number;
  /** A few characters around the place, from the model. */
  context: string;
  /** The place is in this note (1-based), not in the speech's text. */
  note?: number;
}

const fromCodePoints = (cps: readonly number[]) => String.fromCodePoint(...cps);

/**
 * The shortest leftover run counted as doubled text. The greedy match can leave short runs
 * made of a running head's characters mixed with body characters they stood in for; an engine
 * that repeats text repeats at least a line (15–28 characters).
 */
const DOUBLED_RUN = 10;

/** Dates as printed in a byline: （二〇二四年三月十九日）. */
const DATE_RUN = /^[〇零一二三四五六七八九十年月日]+$/u;

/**
 * The shortest piece of a note looked for on its own: a note the engine split over two pages
 * is found in pieces, but a note that is not printed must not be made up of scattered
 * characters of the body.
 */
const NOTE_PIECE = 6;

/**
 * Finds each note's characters among `cps` (not yet `used`) and marks them used. Notes are
 * printed whole, as one run, or in a few runs when a page break splits them; they come after
 * their call (page foot) or after the whole speech, so each is looked for from the end (in
 * any order: notes are numbered as listed, which need not be the order they are called in).
 * Returns the first note not found, and how many of its characters were.
 */
function placeNotes(notes: readonly number[][], cps: readonly number[], used: Uint8Array): { note: number; found: number } | undefined {
  for (let k = notes.length - 1; k >= 0; k--) {
    const note = notes[k]!;
    let end = note.length;
    let pieces = 0;
    let before = cps.length;
    // Longest tail of the note's remaining characters that ends before `before`.
    while (end > 0) {
      let best: { len: number; at: number } | undefined;
      for (let at = before - 1; at >= 0; at--) {
        let len = 0;
        while (len < end && at - len >= 0 && !used[at - len] && cps[at - len] === note[end - 1 - len]) len++;
        if (len > (best?.len ?? 0)) best = { len, at };
        if (len === end) break;
      }
      if (!best || (best.len < Math.min(NOTE_PIECE, end)) || ++pieces > 4) return { note: k, found: note.length - end };
      for (let i = 0; i < best.len; i++) used[best.at - i] = 1;
      end -= best.len;
      before = best.at - best.len + 1;
    }
  }
  return undefined;
}

/**
 * Compares the pages an output shows for a speech (in drawing order) with the model. The
 * notes are found first, each as its own run (placeNotes); the rest of the model's Han
 * characters must appear in the pages in order (greedily matched: other text — running
 * heads, byline — may come between). Characters left over are fine when they are furniture;
 * a run of DOUBLED_RUN or more that belongs to the body text is text printed twice.
 * `doubledPages` limits the doubled check to the first pages (the last may hold the next
 * speech).
 */
export function compareSpeechText(
  expected: ExpectedSpeech,
  pages: readonly string[],
  options: { skip?: ReadonlySet<number>; doubledPages?: number } = {},
): TextProblem | undefined {
  const want = hanCodePoints(expected.text, options.skip);
  const cps: number[] = [];
  const pageOf: number[] = [];
  pages.forEach((page, p) => {
    for (const cp of hanCodePoints(page, options.skip)) {
      cps.push(cp);
      pageOf.push(p);
    }
  });
  const used = new Uint8Array(cps.length);
  const notes = expected.notes.map((n) => hanCodePoints(n, options.skip));
  const lostNote = placeNotes(notes, cps, used);
  if (lostNote) {
    const note = notes[lostNote.note]!;
    const at = note.length - lostNote.found;
    return {
      kind: 'missing',
      shown: lostNote.found,
      total: note.length,
      context: `${fromCodePoints(note.slice(Math.max(0, at - 12), at))}〔此处〕${fromCodePoints(note.slice(at, at + 12))}`,
      note: lostNote.note + 1,
    };
  }

  let i = 0;
  const leftover: { page: number; run: number[] }[] = [];
  let run: number[] = [];
  let runPage = 0;
  const endRun = () => {
    if (run.length) leftover.push({ page: runPage, run });
    run = [];
  };
  for (let j = 0; j < cps.length; j++) {
    if (pageOf[j] !== runPage) {
      endRun();
      runPage = pageOf[j]!;
    }
    if (used[j]) {
      endRun();
      continue;
    }
    if (i < want.length && cps[j] === want[i]) {
      i++;
      endRun();
    } else run.push(cps[j]!);
  }
  endRun();
  const around = (at: number) =>
    `${fromCodePoints(want.slice(Math.max(0, at - 12), at))}〔此处〕${fromCodePoints(want.slice(at, at + 12))}`;
  if (i < want.length) return { kind: 'missing', shown: i, total: want.length, context: around(i) };

  const body = fromCodePoints(want);
  const furniture = expected.furniture.map((f) => fromCodePoints(hanCodePoints(f)));
  const limit = options.doubledPages ?? pages.length;
  for (const { page, run } of leftover) {
    if (page >= limit || run.length < DOUBLED_RUN) continue;
    const s = fromCodePoints(run);
    if (DATE_RUN.test(s) || furniture.some((f) => f.includes(s)) || !body.includes(s)) continue;
    return { kind: 'doubled', shown: run.length, total: want.length, context: s.length > 30 ? `${s.slice(0, 30)}…` : s };
  }
  return undefined;
}

/** An output that lost or doubled text: the build may print it again with another engine. */
export class TextCheckError extends WenjiError {}

/** The error that fails an edition whose output lost or doubled text. */
export function textCheckError(output: string, expected: ExpectedSpeech, problem: TextProblem, advice: string): WenjiError {
  const what =
    problem.kind === 'missing'
      ? `${output} lost text of “${expected.title}”${problem.note ? ` in its note ${problem.note}` : ''}: it shows ${problem.shown} of ` +
        `${problem.note ? 'the note’s' : 'its'} ${problem.total} Han characters in order; the first missing one is at “${problem.context}”`
      : `${output} prints text of “${expected.title}” twice: “${problem.context}” (${problem.shown} characters)`;
  return new TextCheckError(`${what}. Nothing was written. ${advice}`, expected.file);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The text of an XHTML document: tags out, character references decoded. */
export function xhtmlText(xhtml: string): string {
  return xhtml
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(parseInt(e[1] === 'x' || e[1] === 'X' ? e.slice(2) : e.slice(1), e[1] === 'x' || e[1] === 'X' ? 16 : 10)) : (ENTITIES[e] ?? m),
    );
}
