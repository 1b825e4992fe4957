/**
 * Speeches → Book: duplicates dropped, ids made unique, ordered, grouped into parts, front
 * and back matter placed, the dates decided. Pure: the speeches and matter come read.
 */
import type { Book, Grouping, MatterSection, Order, Part } from '../model/book.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import type { Lang, Speech } from '../model/speech.ts';
import { chineseNumeral, chineseYear } from '../model/chinese-numbers.ts';
import { LABELS } from '../model/labels.ts';
import { findDuplicates } from './duplicates.ts';

/** A part the editor lists by hand: its title and its speeches' files (absolute paths). */
export interface ExplicitPart {
  title: string;
  files: string[];
}

/** What the book layer needs to know of a planned book (config/resolve.ts's BookPlan has it all). */
export interface BookSettings {
  /** Absent for a single-speech build: the speech's title is used. */
  title?: string;
  subtitle?: string;
  editor?: string;
  publisher?: string;
  year?: string;
  identifier?: string;
  cover?: string;
  credits?: string[];
  order: Order;
  groupBy: Grouping | ExplicitPart[];
  /** SOURCE_DATE_EPOCH in seconds, when the build sets it. */
  sourceDateEpoch?: number;
}

/** Front and back matter, already read. */
export interface BookMatter {
  front: MatterSection[];
  back: MatterSection[];
}

/** A speech as read, with the path shown in messages. */
export interface ReadSpeech {
  file: string;
  display: string;
  speech: Speech;
}

// Part titles are written in simplified characters; a traditional edition converts them.
export const UNDATED_PART = LABELS['zh-Hans'].unknownDate;
export const NO_SPEAKER_PART = LABELS['zh-Hans'].unknownSpeaker;

// ------------------------------------------------------------------ ids

const VALID_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Ids usable as XML ids and ASCII file names, unique within the book (-2, -3 … on clashes). */
export function uniqueIds(speeches: readonly Speech[]): Speech[] {
  const used = new Set<string>();
  return speeches.map((s, i) => {
    // Ids may start with a digit (a date); XML ids may not.
    const prefixed = /^[0-9]/.test(s.id) ? `s-${s.id}` : s.id;
    let base = VALID_ID.test(prefixed) ? prefixed : s.date ? `speech-${s.date.replace(/-/g, '')}` : `speech-${i + 1}`;
    if (!VALID_ID.test(base)) base = `speech-${i + 1}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    return id === s.id ? s : { ...s, id };
  });
}

// ------------------------------------------------------------------ order and parts

/** Date order is stable: same-day speeches keep their listed order; undated ones go last. */
export function orderSpeeches<T extends { speech: Speech }>(items: readonly T[], order: Order): T[] {
  if (order === 'manual') return [...items];
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => {
      const da = a.item.speech.date;
      const db = b.item.speech.date;
      if (da && db && da !== db) return da < db ? -1 : 1;
      if (!da !== !db) return da ? -1 : 1;
      return a.i - b.i;
    })
    .map(({ item }) => item);
}

/** Groups already-ordered speeches into parts; groups appear in the order of their first speech. */
export function groupSpeeches(speeches: readonly Speech[], groupBy: Grouping): Part[] {
  if (groupBy === 'none') return [{ id: 'part-1', speeches: [...speeches] }];
  const years = new Set(speeches.map((s) => s.date?.slice(0, 4)).filter(Boolean));
  const multiYear = years.size > 1;
  const keyOf = (s: Speech): string => {
    if (groupBy === 'speaker') return s.speaker?.name ?? NO_SPEAKER_PART;
    if (!s.date) return UNDATED_PART;
    const [y, m] = s.date.split('-');
    const prefix = multiYear || groupBy === 'year' ? chineseYear(y) : '';
    if (groupBy === 'year') return prefix;
    if (groupBy === 'month') return `${prefix}${chineseNumeral(Number(m))}月`;
    return `${prefix}第${chineseNumeral(Math.floor((Number(m) - 1) / 3) + 1)}季度`;
  };
  const groups = new Map<string, Speech[]>();
  for (const s of speeches) {
    const k = keyOf(s);
    const list = groups.get(k);
    if (list) list.push(s);
    else groups.set(k, [s]);
  }
  // Undated / unknown-speaker speeches form the last part, whatever their listed place.
  const keys = [...groups.keys()].sort((a, b) => Number(a === UNDATED_PART || a === NO_SPEAKER_PART) - Number(b === UNDATED_PART || b === NO_SPEAKER_PART));
  return keys.map((title, i) => ({ id: `part-${i + 1}`, title, speeches: groups.get(title)! }));
}

/** Explicit parts from book.yaml: each part's speeches in book order. */
function explicitParts(items: readonly ReadSpeech[], parts: readonly ExplicitPart[], order: Order): Part[] {
  return parts.map((p, i) => {
    const members = p.files.flatMap((f) => items.filter((it) => it.file === f));
    return { id: `part-${i + 1}`, title: p.title, speeches: orderSpeeches(members, order).map((it) => it.speech) };
  }).filter((p) => p.speeches.length);
}

// ------------------------------------------------------------------ date, language, credits

/**
 * The book's two dates, decided here and nowhere else (writers read them from the Book):
 * - published (Book.date, the colophon, dc:date): the latest speech date; else
 *   SOURCE_DATE_EPOCH's day; else 1 January of the book's year;
 * - modified (Book.modified: PDF creation/modification dates, EPUB dcterms:modified):
 *   SOURCE_DATE_EPOCH when the build sets it (reproducible-builds convention); else the
 *   published date at midnight UTC.
 * Never the clock.
 */
export function bookDates(
  speeches: readonly Speech[],
  plan: Pick<BookSettings, 'year' | 'sourceDateEpoch'>,
): { published?: string; modified?: string } {
  const dates = speeches.map((s) => s.date).filter((d): d is string => !!d).sort();
  const epoch = plan.sourceDateEpoch === undefined ? undefined : new Date(plan.sourceDateEpoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const published = dates.length ? dates[dates.length - 1] : epoch ? epoch.slice(0, 10) : plan.year ? `${plan.year}-01-01` : undefined;
  return { published, modified: epoch ?? (published && `${published}T00:00:00Z`) };
}

function majorityLang(speeches: readonly Speech[]): Lang {
  const hant = speeches.filter((s) => s.lang === 'zh-Hant').length;
  return hant * 2 > speeches.length ? 'zh-Hant' : 'zh-Hans';
}

/** Credits from the speeches' sources (site and address), when the editor gave none. */
export function creditsFromSources(speeches: readonly Speech[]): string[] {
  const out: string[] = [];
  for (const s of speeches) {
    const { site, url } = s.source;
    const line = [site, url].filter(Boolean).join(' ');
    if (line && !out.includes(line)) out.push(line);
  }
  return out;
}

// ------------------------------------------------------------------ the book

export interface AssembleResult {
  book: Book;
  diagnostics: Diagnostic[];
}

/** Builds the Book for `plan` from speeches (in the plan's order) and matter already read. */
export function assembleBook(plan: BookSettings, read: readonly ReadSpeech[], matter: BookMatter = { front: [], back: [] }): AssembleResult {
  const diagnostics: Diagnostic[] = [];

  const duplicates = findDuplicates(read.map((r) => r.speech));
  const dropped = new Set(duplicates.map((d) => d.dropped));
  for (const d of duplicates) {
    const kept = read[d.kept]!;
    diagnostics.push({
      severity: 'warning',
      code: 'W-BOOK-DUPLICATE',
      file: read[d.dropped]!.display,
      message: `duplicate of ${kept.display} (${Math.round(d.similarity * 100)}% the same text): printed once, from ${kept.display}`,
    });
  }
  const kept = read.filter((_, i) => !dropped.has(i));
  const withIds = uniqueIds(kept.map((r) => r.speech));
  const items = kept.map((r, i) => ({ ...r, speech: withIds[i]! }));

  const ordered = orderSpeeches(items, plan.order);
  if (plan.order === 'date' && items.length > 1) {
    for (const it of items) {
      if (!it.speech.date) {
        diagnostics.push({ severity: 'warning', code: 'W-BOOK-UNDATED', file: it.display, message: 'no date: placed after the dated speeches (give `date` in book.yaml or a sidecar)' });
      }
    }
  }
  const parts = Array.isArray(plan.groupBy)
    ? explicitParts(ordered, plan.groupBy, plan.order)
    : groupSpeeches(ordered.map((it) => it.speech), plan.groupBy);
  const speeches = parts.flatMap((p) => p.speeches);

  const single = plan.title === undefined ? speeches[0] : undefined;
  const dates = bookDates(speeches, plan);
  let date = dates.published;
  if (!date) {
    date = '1970-01-01';
    diagnostics.push({
      severity: 'warning',
      code: 'W-BOOK-NO-DATE',
      file: read[0]?.display ?? 'book',
      message: 'no speech has a date and SOURCE_DATE_EPOCH is not set: the publication date is 1970-01-01',
    });
  }
  const derivedCredits = creditsFromSources(speeches);
  const book: Book = {
    title: plan.title ?? single?.title ?? '',
    subtitle: plan.title === undefined ? single?.subtitle : plan.subtitle,
    editor: plan.editor,
    publisher: plan.publisher,
    year: plan.year ?? date.slice(0, 4),
    identifier: plan.identifier,
    date,
    modified: dates.modified ?? `${date}T00:00:00Z`,
    lang: majorityLang(speeches),
    frontMatter: matter.front,
    parts,
    backMatter: matter.back,
    credits: plan.credits ?? (derivedCredits.length ? derivedCredits : undefined),
    cover: plan.cover,
  };
  return { book, diagnostics };
}
