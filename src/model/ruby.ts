/**
 * The editor's ruby rules (注音): one syntax for a speech's sidecar (NAME.meta.yaml) and for
 * book.yaml, a map from a word to what its reading copy prints over it:
 *
 *   ruby:
 *     单于: chán yú     # always, with this reading (one syllable per character, tone marks)
 *     龟兹: true        # always, with the reading found in context
 *     行长: false       # never
 *
 * Checked here, once, for both files; applied by transforms/pinyin.
 */

/** A reading to print (syllables separated by spaces), true (always, reading from context) or false (never). */
export type RubyRule = string | boolean;

/** Word → rule. A speech's rules win over the book's. */
export type RubyRules = Readonly<Record<string, RubyRule>>;

/** One Han character (CJK unified ideographs, extensions and compatibility ideographs, 〇). */
export const HAN = /[\p{Script=Han}〇]/u;

const SYLLABLE = /^[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜêếềńňǹḿ]+$/;

/** The syllables of a reading as written in a rule. */
export function readingSyllables(reading: string): string[] {
  return reading.trim().split(/\s+/).filter(Boolean);
}

/**
 * What is wrong with one rule, or undefined. `value` is as parsed from YAML (a string, a
 * boolean, or anything else).
 */
export function rubyRuleProblem(word: string, value: unknown): string | undefined {
  const chars = [...word];
  if (!chars.length) return `a ruby word is empty`;
  const notHan = chars.filter((c) => !HAN.test(c));
  if (notHan.length) return `ruby word '${word}' holds ${notHan.map((c) => `'${c}'`).join(', ')}: write Chinese characters only`;
  if (typeof value === 'boolean') return undefined;
  if (typeof value !== 'string' || !value.trim()) {
    return `ruby '${word}' must be a reading in pinyin (e.g. ${word}: ${chars.map(() => 'pīn').join(' ')}), true (always, reading from context) or false (never)`;
  }
  const syllables = readingSyllables(value.toLowerCase());
  if (syllables.some((s) => /[0-9]/.test(s))) {
    return `ruby '${word}: ${value}': write tone marks (chán yú), not tone numbers`;
  }
  const bad = syllables.filter((s) => !SYLLABLE.test(s));
  if (bad.length) return `ruby '${word}: ${value}': ${bad.map((s) => `'${s}'`).join(', ')} is not a pinyin syllable (letters with tone marks, e.g. lǜ)`;
  if (syllables.length !== chars.length) {
    return `ruby '${word}: ${value}' gives ${syllables.length} syllable${syllables.length === 1 ? '' : 's'} for ${chars.length} character${chars.length === 1 ? '' : 's'}: one syllable per character, separated by spaces`;
  }
  return undefined;
}

/** A valid rule's value as stored: readings in lower case with single spaces. */
export function normalizeRubyRule(value: RubyRule): RubyRule {
  return typeof value === 'string' ? readingSyllables(value.toLowerCase()).join(' ') : value;
}
