/**
 * The proofreading report: every occurrence of a character with more than one form on
 * the other side (发 → 發/髮, 干 → 幹/乾/干 …), grouped by character and then by word, with
 * the form chosen and a little context, so a proofreader checks each word once.
 */
import type { Script } from '../../model/book.ts';
import type { AmbiguousHit } from './convert-text.ts';
import type { Decision } from './word-conversion.ts';

export interface AmbiguousOccurrence {
  /** Speech id, front/back matter section id, or "book" for the book's own titles. */
  speechId: string;
  /** Source character. */
  char: string;
  /** The form chosen. */
  chosen: string;
  /** Converted text around it, the chosen form in 【】. */
  context: string;
  /** Source word it sat in and that word converted (e.g. 头发 → 頭髮). */
  term?: string;
  termChosen?: string;
  /** Why this form (simplified → traditional): a context rule, a guessed name, or opencc's default for the character alone. */
  why?: string;
}

export interface ConversionReport {
  /**
   * One entry per occurrence of an ambiguous character that is still in doubt, for the
   * proofreading report (every occurrence when no reason is known, as for tw → hans).
   */
  ambiguous: AmbiguousOccurrence[];
  /** Occurrences settled without doubt, by how: dictionary word, word rule, known name. */
  settled?: Record<string, number>;
  /** The edition converted to. */
  script?: Script;
  /** Texts already in the target script: quotes adjusted, characters kept. */
  keptScript?: string[];
}

/** A converted text run and what conversion recorded for it. */
export interface ConvertedRun {
  speechId: string;
  text: string;
  hits: readonly AmbiguousHit[];
}

const CONTEXT = 8;

export function buildConversionReport(
  script: Script,
  runs: readonly ConvertedRun[],
  keptScript: readonly string[] = [],
): ConversionReport {
  const ambiguous: AmbiguousOccurrence[] = [];
  const settled: Record<string, number> = {};
  for (const run of runs) {
    for (const h of run.hits) {
      const doubt = h.decision ? doubtOf(h.decision) : '';
      if (doubt === undefined) {
        const how = settledAs(h.decision!);
        settled[how] = (settled[how] ?? 0) + 1;
        continue;
      }
      const before = run.text.slice(Math.max(0, h.offset - CONTEXT), h.offset);
      const after = run.text.slice(h.offset + h.chosen.length, h.offset + h.chosen.length + CONTEXT);
      ambiguous.push({
        speechId: run.speechId,
        char: h.char,
        chosen: h.chosen,
        context: `${before}【${h.chosen}】${after}`.replace(/\s+/g, ' '),
        term: h.term,
        termChosen: h.termChosen,
        ...(doubt ? { why: doubt } : {}),
      });
    }
  }
  return { ambiguous, settled, script, keptScript: [...keptScript] };
}

/**
 * What is still in doubt: a character no word decides (opencc's default for it alone), a
 * class rule (a guess from the neighbouring words), a name guessed from a surname. A
 * dictionary word, a word rule or a known name settles it (undefined).
 */
function doubtOf(d: Decision): string | undefined {
  switch (d.why) {
    case 'default':
      return d.open ? 'default: no word or rule decides it' : undefined;
    case 'rule':
      return d.doubt ? `rule: ${d.rule}` : undefined;
    case 'name':
      return d.source === 'guessed' ? 'name: a surname with a given name' : undefined;
    case 'dictionary':
      return undefined;
  }
}

function settledAs(d: Decision): string {
  if (d.why === 'default') return 'reading';
  if (d.why === 'rule') return 'word rule';
  if (d.why === 'name') return 'known name';
  return 'dictionary';
}

const EDITION_NAME: Record<Script, string> = {
  tw: 'Taiwan (zh-Hant-TW)',
  hk: 'Hong Kong (zh-Hant-HK)',
  hans: 'mainland (zh-Hans)',
  source: 'source script',
};

export interface ReportFormatOptions {
  /** Occurrences listed under each word; the rest are counted. Default: all. */
  perWord?: number;
}

/**
 * Plain text, one character per section. Characters that became more than one form come
 * first (they are where mistakes hide), then the others by frequency.
 */
export function formatConversionReport(report: ConversionReport, options: ReportFormatOptions = {}): string {
  const perWord = options.perWord ?? Infinity;
  const byChar = new Map<string, AmbiguousOccurrence[]>();
  for (const o of report.ambiguous) {
    const list = byChar.get(o.char);
    if (list) list.push(o);
    else byChar.set(o.char, [o]);
  }
  const formsOf = (list: AmbiguousOccurrence[]) => countBy(list, (o) => o.chosen);
  const chars = [...byChar.entries()].sort(([a, x], [b, y]) => {
    const mixed = Number(formsOf(y).size > 1) - Number(formsOf(x).size > 1);
    return mixed || y.length - x.length || (a < b ? -1 : a > b ? 1 : 0);
  });

  const lines: string[] = [];
  const edition = report.script ? EDITION_NAME[report.script] : 'converted';
  lines.push(`Script conversion proofreading report: ${edition} edition`);
  lines.push(
    `${report.ambiguous.length} occurrences of ${byChar.size} characters with more than one form; ` +
      'check that each word shows the right form.',
  );
  const settled = Object.entries(report.settled ?? {}).filter(([, n]) => n > 0);
  if (settled.length > 0) {
    const by: Record<string, string> = {
      dictionary: 'a dictionary word', 'word rule': 'a word rule', 'known name': 'a known name', reading: 'the only reading of the word or character',
    };
    lines.push(`Not listed, settled by ${settled.map(([how, n]) => `${by[how] ?? how} (${n})`).join(', ')}.`);
  }
  if (report.keptScript && report.keptScript.length > 0) {
    lines.push(`Already in the target script (quotes adjusted, characters kept): ${report.keptScript.join(', ')}`);
  }
  if (chars.length > 0) {
    // One line to scan first: every character with the forms it became.
    lines.push('', chars.map(([char, list]) => `${char}→${[...formsOf(list).keys()].join('/')}`).join('  '));
  }
  for (const [char, list] of chars) {
    const forms = [...formsOf(list)].map(([form, n]) => `${form} ×${n}`).join(', ');
    lines.push('', `${char}  ${list.length}: ${forms}`);
    const byWord = new Map<string, AmbiguousOccurrence[]>();
    for (const o of list) {
      const key = `${o.term ?? o.char} → ${o.termChosen ?? o.chosen}${o.why ? `  (${o.why})` : ''}`;
      const words = byWord.get(key);
      if (words) words.push(o);
      else byWord.set(key, [o]);
    }
    const words = [...byWord.entries()].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1));
    for (const [word, occurrences] of words) {
      lines.push(`  ${word}  ×${occurrences.length}`);
      for (const o of occurrences.slice(0, perWord)) lines.push(`      ${o.speechId}: ${o.context}`);
      if (occurrences.length > perWord) lines.push(`      … ${occurrences.length - perWord} more`);
    }
  }
  return lines.join('\n') + '\n';
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}
