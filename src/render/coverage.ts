/**
 * Coverage before rendering: every character of a book is looked up in the faces that will set
 * it (their cmaps), the speech's region first, then the bundled fallbacks (emoji, rare
 * ideographs). A character none of them has would print blank, or take a machine's font: it
 * is reported as a `file:line: warning` naming it and its code point, so a reader's rare
 * name is never silently lost. Characters that draw nothing themselves (spaces, joiners,
 * variation selectors) are not looked up: they shape with the character before them.
 */
import type { Book } from '../model/book.ts';
import type { Diagnostics } from '../model/diagnostics.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { blockInlines, blockText, inlineText, type Inline, type Speech } from '../model/speech.ts';
import { fontCoverage } from './cmap.ts';
import { faceSetFor, serifFontFiles, type FaceSet } from './fonts.ts';

/** One character no face has, where it first occurs. */
export interface MissingGlyph {
  char: string;
  codePoint: number;
  file: string;
  line?: number;
}

const DRAWS_NOTHING = /[\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zs}\p{Zl}\p{Zp}]/u;

/** U+20000 */
export const codePointLabel = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

const chainCoverage = new Map<FaceSet, ReadonlySet<number>[]>();

/** The cmaps of a region's Song chain and fallbacks (every style's stack ends with them). */
function coverageOf(set: FaceSet): ReadonlySet<number>[] {
  let faces = chainCoverage.get(set);
  if (!faces) {
    faces = serifFontFiles(set, 400).map((f) => fontCoverage(f.file));
    chainCoverage.set(set, faces);
  }
  return faces;
}

/** The ruby annotations (pinyin) of inline content: printed too, so looked up like the text. */
function annotations(xs: readonly Inline[]): string {
  return xs
    .map((n) => (n.type === 'ruby' ? n.annotation : n.type === 'emphasis' || n.type === 'strong' ? annotations(n.children) : ''))
    .join('');
}

/** The texts of a speech with the source line they come from (title and metadata: no line). */
function speechTexts(s: Speech): { text: string; line?: number }[] {
  const meta = [s.title, s.subtitle, s.speaker?.name, s.speaker?.role, s.occasion, s.venue, s.dateText].filter((t): t is string => !!t);
  return [
    ...meta.map((text) => ({ text })),
    ...s.blocks.map((b) => ({ text: blockText(b) + blockInlines(b).map(annotations).join(''), line: b.pos?.line })),
    ...(s.notes ?? []).map((n) => ({ text: inlineText(n.content) })),
  ];
}

/**
 * Characters of the book no face of its stacks has, each once (its first place). `setFor`
 * gives the face set a speech is printed with (its language, or the edition's script).
 */
export function missingGlyphs(book: Book, setFor: (s: Speech) => FaceSet): MissingGlyph[] {
  const seen = new Set<number>();
  const missing: MissingGlyph[] = [];
  const look = (text: string, set: FaceSet, file: string, line?: number) => {
    const faces = coverageOf(set);
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80 || seen.has(cp)) continue;
      seen.add(cp);
      if (DRAWS_NOTHING.test(ch) || faces.some((f) => f.has(cp))) continue;
      missing.push({ char: ch, codePoint: cp, file, ...(line ? { line } : {}) });
    }
  };
  const bookSet = faceSetFor(book.lang);
  look([book.title, book.subtitle ?? '', book.editor ?? '', ...book.parts.map((p) => p.title ?? '')].join(''), bookSet, 'book');
  for (const m of [...book.frontMatter, ...book.backMatter]) {
    for (const b of m.blocks) look(blockText(b), bookSet, m.file ?? m.title, b.pos?.line);
  }
  for (const s of book.parts.flatMap((p) => p.speeches)) {
    const set = setFor(s);
    for (const t of speechTexts(s)) look(t.text, set, s.source.file, t.line);
  }
  return missing;
}

/**
 * Reports the book's missing characters as warnings (or, with `strict`, fails with them) and
 * returns their code points, which the output's own text check then does not expect.
 */
export function reportMissingGlyphs(
  book: Book,
  setFor: (s: Speech) => FaceSet,
  diagnostics: Diagnostics,
  strict = false,
): Set<number> {
  const missing = missingGlyphs(book, setFor);
  if (strict && missing.length) {
    const list = missing.map((m) => `${m.char} ${codePointLabel(m.codePoint)} (${m.line ? `${m.file}:${m.line}` : m.file})`).join(', ');
    throw new WenjiError(
      `${missing.length} character${missing.length === 1 ? '' : 's'} in no font wenji has: ${list}. ` +
        'Replace them in the source (or build without --strict to print the rest, with these left blank).',
    );
  }
  for (const m of missing) {
    diagnostics.warn(
      'W-FONT-MISSING-GLYPH',
      m.file,
      `${m.char} (${codePointLabel(m.codePoint)}) is in no font wenji has and will print blank; replace it, or check the text`,
      m.line,
    );
  }
  return new Set(missing.map((m) => m.codePoint));
}
