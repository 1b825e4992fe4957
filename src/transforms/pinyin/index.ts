/**
 * Pinyin ruby for reading copies (`--preset reading`): a pure transform over the book's
 * speeches. Over each character it sets its reading in context, as a `ruby` inline of its
 * own (one character, one syllable, tone marks), when
 *
 * - an editor's rule says so (`ruby:` in the speech's sidecar, else in book.yaml: a reading,
 *   or true for the reading in context; false suppresses every ruby of the word), else
 * - the character is not one of the 3,500 common-use characters (通用规范汉字表 level 1), else
 * - it has more than one reading, its reading here is not its most common one (单于 chán,
 *   参差 cēn cī, 中肯 zhòng; never 行走, 重要, 长度; a neutral tone alone does not count),
 *   and the word it is in is not a familiar one (FAMILIAR_WORD_FREQUENCY): 银行, 重庆, 质量,
 *   干部, 作为 are read right by every speaker, and a ruby over each would bury the few that
 *   help (measured on the sample speech: 60 rubies, 1 in 50 characters, almost all over
 *   such words, without this condition).
 *
 * Each reading is shown once a paragraph (block), at its first place; a forced word every time.
 *
 * Readings and rarity are decided on simplified text, where pinyin-pro and the level-1 table
 * work: `reference` is the same book in simplified characters (for a traditional edition,
 * the book before conversion). The ruby's base is the printed character, so a traditional
 * edition is converted as whole words first (the converter needs them: 头发 → 頭髮, which
 * character by character would be 頭發) and annotated afterwards.
 */
import type { Book, Part } from '../../model/book.ts';
import type { Diagnostics } from '../../model/diagnostics.ts';
import { HAN, readingSyllables, type RubyRule, type RubyRules } from '../../model/ruby.ts';
import type { Block, Inline, Speech, TableRow } from '../../model/speech.ts';
import { isCommonCharacter } from './common-characters.ts';
import { characterReading, contextReadings, differsFromCommon, occurrences } from './readings.ts';

export { BUILT_IN_READINGS } from './corrections.ts';
export { COMMON_CHARACTER_COUNT, commonCharacters, isCommonCharacter } from './common-characters.ts';
export { contextReadings } from './readings.ts';

export interface PinyinOptions {
  /** The same book in simplified characters (same parts, speeches, blocks); default: the book itself. */
  reference?: Book;
  /** The book's rules (book.yaml `ruby:`); a speech's own rules (Speech.ruby) win over them. */
  rules?: RubyRules;
  /** Where a rare character with no known reading is reported (W-RUBY-NO-READING). */
  diagnostics?: Diagnostics;
}

/**
 * A word jieba's dictionary counts at least this often is familiar (about its 12,000 most
 * frequent words: 行长 419 and 调研 605 are below and above): a polyphone in it gets no ruby.
 */
export const FAMILIAR_WORD_FREQUENCY = 500;

/** What a run of text gets: per code point, the syllable to print over it, or none. */
type Decision = string | undefined;

/**
 * The editor's rules placed on `chars`: longer words first, so 单于: chán yú beats 单: dān.
 * A position holds the rule's syllable, true (from context) or false (never).
 */
function ruleAt(chars: readonly string[], rules: RubyRules): (string | boolean | undefined)[] {
  const out: (string | boolean | undefined)[] = chars.map(() => undefined);
  const words = Object.keys(rules).sort((a, b) => [...b].length - [...a].length || a.localeCompare(b));
  for (const word of words) {
    const rule: RubyRule = rules[word]!;
    const syllables = typeof rule === 'string' ? readingSyllables(rule) : undefined;
    const n = [...word].length;
    for (const start of occurrences(chars, word)) {
      if (out.slice(start, start + n).some((x) => x !== undefined)) continue;
      for (let k = 0; k < n; k++) out[start + k] = syllables ? syllables[k]! : rule;
    }
  }
  return out;
}

interface RunContext {
  rules: RubyRules;
  /**
   * Characters with the reading they were given earlier in the block: a paragraph (never
   * split across pages) shows a reading once, at its first place (阮籍 is annotated once,
   * not at each of its mentions); the editor's forced words are annotated every time.
   */
  shown: Set<string>;
  /** Reports a rare character that has no reading (once per speech and character). */
  noReading: (ch: string) => void;
}

/** The syllable over each code point of `reference` (the printed run has as many code points). */
function decide(reference: string, printed: string, c: RunContext): Decision[] {
  const chars = [...reference];
  const { readings, wordFrequencies } = contextReadings(reference);
  // Rules match the text as the editor wrote it (simplified) or as it is printed.
  const fromReference = ruleAt(chars, c.rules);
  const fromPrinted = ruleAt([...printed], c.rules);
  return chars.map((ch, i) => {
    const rule = fromReference[i] ?? fromPrinted[i];
    if (rule === false) return undefined;
    if (typeof rule === 'string') return rule;
    const reading = readings[i];
    if (rule === true) return reading;
    if (!HAN.test(ch)) return undefined;
    const once = (r: string | undefined) => {
      if (!r || c.shown.has(ch + r)) return undefined;
      c.shown.add(ch + r);
      return r;
    };
    if (!isCommonCharacter(ch)) {
      if (!reading) c.noReading(printed === reference ? ch : [...printed][i]!);
      return once(reading);
    }
    if (!reading) return undefined;
    if (wordFrequencies[i]! >= FAMILIAR_WORD_FREQUENCY) return undefined;
    const common = characterReading(ch);
    return common.polyphonic && common.reading && differsFromCommon(reading, common.reading) ? once(reading) : undefined;
  });
}

/** The text leaves of a run, in order (ruby bases included, so they count as context). */
function leaves(run: readonly Inline[]): string[] {
  return run.flatMap((n): string[] => {
    if (n.type === 'text') return [n.text];
    if (n.type === 'ruby') return [n.base];
    if (n.type === 'emphasis' || n.type === 'strong') return leaves(n.children);
    return [];
  });
}

/** One run of inline content with its ruby; `referenceRun` has the same shape. */
function annotateRun(run: Inline[], referenceRun: Inline[], c: RunContext): Inline[] {
  const printed = leaves(run);
  const reference = leaves(referenceRun);
  // A leaf whose conversion changed its length (an editor's replacement) is read as printed.
  const aligned = printed.map((p, i) => (reference[i] !== undefined && [...reference[i]!].length === [...p].length ? reference[i]! : p));
  const decisions = decide(aligned.join(''), printed.join(''), c);
  let at = 0;
  const split = (text: string): Inline[] => {
    const out: Inline[] = [];
    let plain = '';
    for (const ch of text) {
      const syllable = decisions[at++];
      if (syllable) {
        if (plain) out.push({ type: 'text', text: plain });
        plain = '';
        out.push({ type: 'ruby', base: ch, annotation: syllable });
      } else plain += ch;
    }
    if (plain) out.push({ type: 'text', text: plain });
    return out;
  };
  const walk = (xs: Inline[]): Inline[] =>
    xs.flatMap((n): Inline[] => {
      if (n.type === 'text') return split(n.text);
      if (n.type === 'ruby') {
        at += [...n.base].length; // the source's own ruby stays as it is
        return [n];
      }
      if (n.type === 'emphasis' || n.type === 'strong') return [{ ...n, children: walk(n.children) }];
      return [n];
    });
  return walk(run);
}

/** Every block with each run of inline content mapped (`ref` is the same block in the reference). */
function mapBlockRuns(b: Block, ref: Block, fn: (run: Inline[], refRun: Inline[]) => Inline[]): Block {
  const r = ref as typeof b;
  const runs = (xs: Inline[][], refs: Inline[][] | undefined) => xs.map((x, i) => fn(x, refs?.[i] ?? x));
  const opt = (x: Inline[] | undefined, rx: Inline[] | undefined) => x && fn(x, rx ?? x);
  switch (b.type) {
    case 'paragraph': {
      const rp = r as typeof b;
      return { ...b, lead: opt(b.lead, rp.lead), content: fn(b.content, rp.content) };
    }
    case 'quote':
      return { ...b, paragraphs: runs(b.paragraphs, (r as typeof b).paragraphs) };
    case 'list':
      return { ...b, items: runs(b.items, (r as typeof b).items) };
    case 'figure':
      return { ...b, caption: opt(b.caption, (r as typeof b).caption) };
    case 'table': {
      const rt = r as typeof b;
      const row = (x: TableRow, rx: TableRow | undefined) => runs(x, rx);
      return {
        ...b,
        caption: opt(b.caption, rt.caption),
        header: b.header && row(b.header, rt.header),
        rows: b.rows.map((x, i) => row(x, rt.rows?.[i])),
      };
    }
    default: {
      const rc = r as { content?: Inline[] };
      return { ...b, content: fn(b.content, rc.content ?? b.content) };
    }
  }
}

function annotateSpeech(s: Speech, ref: Speech, bookRules: RubyRules, diagnostics?: Diagnostics): Speech {
  const rules = { ...bookRules, ...ref.ruby, ...s.ruby };
  const reported = new Set<string>();
  const blocks = s.blocks.map((b, i) => {
    const refBlock = ref.blocks[i]?.type === b.type ? ref.blocks[i]! : b;
    const c: RunContext = {
      rules,
      shown: new Set(),
      noReading: (ch) => {
        if (reported.has(ch)) return;
        reported.add(ch);
        diagnostics?.warn(
          'W-RUBY-NO-READING',
          s.source.file,
          `${ch} is not a common character and wenji knows no reading for it: give one in the sidecar's ruby: (e.g. ${ch}: pīn), or ruby: {${ch}: false}`,
          b.pos?.line,
        );
      },
    };
    return mapBlockRuns(b, refBlock, (run, refRun) => annotateRun(run, refRun, c));
  });
  return { ...s, blocks };
}

/**
 * The book with pinyin ruby over its speeches (front and back matter are not read out, and
 * titles and names stay plain text). Pure: the inputs are not changed.
 */
export function annotatePinyin(book: Book, options: PinyinOptions = {}): Book {
  const reference = options.reference ?? book;
  const rules = options.rules ?? {};
  const parts = book.parts.map(
    (p, i): Part => ({
      ...p,
      speeches: p.speeches.map((s, j) => annotateSpeech(s, reference.parts[i]?.speeches[j] ?? s, rules, options.diagnostics)),
    }),
  );
  return { ...book, parts };
}
