/**
 * Simplified → traditional conversion word by word (tw, hk):
 *
 * 1. the text is segmented into words (segmentation.ts), and opencc converts each word on
 *    its own, so that a phrase never matches across a word boundary; a long word opencc
 *    does not know is split into its inner words first (分配|制度);
 * 2. names keep their name forms (names.ts);
 * 3. one-to-many characters are decided by the words around them where a rule says so
 *    (context-rules.ts);
 * 4. every ambiguous character gets the reason for its form: a dictionary word, a rule,
 *    a name, or opencc's default for the character alone. Only the last two kinds (and
 *    guessed names) are doubts worth a proofreader's time.
 */
import { CLASS_RULES, SPLIT_WHEN_ALONE, WORD_RULES, type CharContext } from './context-rules.ts';
import { convertName, findNameTokens, nameSegmentationWords } from './names.ts';
import type { OpenccPipeline } from './opencc-pipeline.ts';
import { addSegmentationWords, segmentWords, subWords, type Token } from './segmentation.ts';

/** Why an ambiguous character got its form. */
export type Decision =
  | { why: 'dictionary' }
  | { why: 'rule'; rule: string; /** A class rule marked as a guess. */ doubt?: boolean }
  | { why: 'name'; source: 'known' | 'guessed' }
  | { why: 'default'; /** A character alone whose reading is still open (SPLIT_WHEN_ALONE). */ open: boolean };

export interface ConvertedWord {
  /** Source word and its conversion (same number of code points). */
  source: string;
  converted: string;
  /** Per code point of the source: how it was decided (undefined: not ambiguous). */
  decisions: (Decision | undefined)[];
}

export interface WordConverter {
  /**
   * Converts a run of simplified Chinese (no protected spans inside). `names` are the
   * stretches known to be names (from metadata or the user dictionary), as [start, end)
   * UTF-16 offsets.
   */
  convert(text: string, names?: readonly (readonly [number, number])[]): ConvertedWord[];
}

interface CompiledWordRule {
  word: string;
  /** UTF-16 offset of the character in the word. */
  at: number;
  form: string;
  reason: string;
}

let segmentationReady = false;

export function createWordConverter(pipeline: OpenccPipeline, isAmbiguous: (c: string) => boolean): WordConverter {
  if (!segmentationReady) {
    addSegmentationWords(nameSegmentationWords());
    segmentationReady = true;
  }
  const wordRules = compileWordRules();
  const ruled = new Uint8Array(0x10000);
  for (const c of [...Object.keys(WORD_RULES), ...Object.keys(CLASS_RULES)]) ruled[c.charCodeAt(0)] = 1;
  const hasRuled = (w: string) => {
    for (let i = 0; i < w.length; i++) if (ruled[w.charCodeAt(i)]) return true;
    return false;
  };
  const plainCache = new Map<string, ConvertedWord>();
  const EDGE: Token = { text: '', tag: 'x' };

  const convertChar = (c: string) => pipeline.convertSegment(c);
  // Hong Kong writes noodles 麪 (opencc's own Hong Kong phrases do); rules give 麵.
  const house = pipeline.target === 'hk' ? new Map([['麵', '麪']]) : new Map<string, string>();
  const ruleForm = (form: string) => house.get(form) ?? pipeline.regional(form);

  /** A word's inner dictionary words, where opencc does not know the word as a whole. */
  const piecesOf = (word: string) => (word.length >= 3 && !pipeline.isWord(word) ? subWords(word) : [word]);

  /** opencc on one word, piece by piece, and which characters a phrase decided. */
  function convertPlain(pieces: readonly string[]): { converted: string[]; byPhrase: boolean[] } {
    const converted: string[] = [];
    const byPhrase: boolean[] = [];
    for (const piece of pieces) {
      for (const seg of pipeline.segment(piece)) {
        const out = Array.from(pipeline.convertSegment(seg));
        const phrase = out.length > 1 && pipeline.isWord(seg);
        for (const c of out) {
          converted.push(c);
          byPhrase.push(phrase);
        }
      }
    }
    return { converted, byPhrase };
  }

  return {
    convert(text, knownNames = []) {
      const tokens = segmentTokens(text, knownNames);
      const starts: number[] = [];
      mergeReduplications(tokens);
      const pieces = tokens.map((t) => (t.known ? [t.token.text] : piecesOf(t.token.text)));
      // Word rules may span whole words or sit inside one, never cut a word (or a long
      // word's inner word) in two.
      const pieceStarts: number[] = [];
      let pos = 0;
      tokens.forEach((t, i) => {
        starts.push(pos);
        for (const p of pieces[i]!) {
          pieceStarts.push(pos);
          pos += p.length;
        }
      });
      const guessed = findNameTokens(tokens.map((t) => t.token), (w) => pipeline.isWord(w));
      const boundaries = new Set([...pieceStarts, text.length]);
      const pieceAt = (offset: number) => {
        let lo = 0;
        let hi = pieceStarts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (pieceStarts[mid]! <= offset) lo = mid;
          else hi = mid - 1;
        }
        return lo;
      };
      const aligned = (s: number, e: number) =>
        (boundaries.has(s) && boundaries.has(e)) || pieceAt(s) === pieceAt(e - 1);

      /** The longest word rule matching at a character, if any. */
      const wordRuleAt = (c: string, offset: number): CompiledWordRule | undefined => {
        let best: CompiledWordRule | undefined;
        for (const r of wordRules.get(c) ?? []) {
          const s = offset - r.at;
          if (s < 0 || (best && best.word.length >= r.word.length)) continue;
          if (text.startsWith(r.word, s) && aligned(s, s + r.word.length)) best = r;
        }
        return best;
      };
      // A guessed name yields to a word rule (谷雨 is a solar term, not a man called 谷雨).
      tokens.forEach(({ token }, ti) => {
        if (!guessed[ti]) return;
        let offset = starts[ti]!;
        for (const c of token.text) {
          if (wordRuleAt(c, offset)) guessed[ti] = false;
          offset += c.length;
        }
      });

      const out: ConvertedWord[] = [];
      tokens.forEach(({ token, known }, ti) => {
        const word = token.text;
        const sourceChars = Array.from(word);
        const decisions: (Decision | undefined)[] = new Array(sourceChars.length);
        if (known || guessed[ti]) {
          const converted = pipeline.regional(convertName(word, convertChar));
          const plain = Array.from(convertChar(word) === converted ? converted : convertPlain([word]).converted.join(''));
          Array.from(converted).forEach((form, i) => {
            const c = sourceChars[i]!;
            // Only where the name changed the form is it the name that decided.
            if (form !== plain[i]) decisions[i] = { why: 'name', source: known ? 'known' : 'guessed' };
            else if (isAmbiguous(c)) decisions[i] = { why: 'default', open: false };
          });
          out.push({ source: word, converted, decisions });
          return;
        }
        // A word with no ruled character converts the same everywhere: remembered.
        const plainWord = !hasRuled(word);
        if (plainWord) {
          const cached = plainCache.get(word);
          if (cached) {
            out.push(cached);
            return;
          }
        }
        const { converted, byPhrase } = convertPlain(pieces[ti]!);
        let offset = starts[ti]!;
        sourceChars.forEach((c, i) => {
          let decided = false;
          {
            const best = wordRuleAt(c, offset);
            if (best) {
              converted[i] = ruleForm(best.form);
              decisions[i] = { why: 'rule', rule: best.reason };
              decided = true;
            }
          }
          const classRules = CLASS_RULES[c];
          if (!decided && classRules && !byPhrase[i]) {
            const context: CharContext = {
              token,
              index: i,
              prev: tokens[ti - 1]?.token ?? EDGE,
              next: tokens[ti + 1]?.token ?? EDGE,
              next2: tokens[ti + 2]?.token ?? EDGE,
            };
            const rule = classRules.find((r) => r.test(context));
            if (rule) {
              converted[i] = ruleForm(rule.form);
              decisions[i] = { why: 'rule', rule: rule.reason, ...(rule.doubt ? { doubt: true } : {}) };
              decided = true;
            }
          }
          if (!decided && isAmbiguous(c)) {
            decisions[i] = byPhrase[i] ? { why: 'dictionary' } : { why: 'default', open: sourceChars.length === 1 && SPLIT_WHEN_ALONE.has(c) };
          }
          offset += c.length;
        });
        const result = { source: word, converted: converted.join(''), decisions };
        if (plainWord && plainCache.size < 200_000) plainCache.set(word, result);
        out.push(result);
      });
      return out;
    },
  };
}

/** Segments a text, keeping the known names as words of their own. */
function segmentTokens(
  text: string,
  names: readonly (readonly [number, number])[],
): { token: Token; known: boolean }[] {
  const out: { token: Token; known: boolean }[] = [];
  let last = 0;
  const plain = (s: string) => {
    if (s) for (const token of segmentWords(s)) out.push({ token, known: false });
  };
  for (const [start, end] of [...names].sort((a, b) => a[0] - b[0])) {
    if (start < last) continue;
    plain(text.slice(last, start));
    out.push({ token: { text: text.slice(start, end), tag: 'nr' }, known: true });
    last = end;
  }
  plain(text.slice(last));
  return out;
}

/**
 * A character doubled (仇仇, 冲冲) is one word even where jieba splits it, so that
 * opencc's phrase for it (仇讎) applies.
 */
function mergeReduplications(tokens: { token: Token; known: boolean }[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    if (!a.known && !b.known && a.token.text.length === 1 && a.token.text === b.token.text && /\p{Script=Han}/u.test(a.token.text)) {
      tokens.splice(i, 2, { token: { text: a.token.text + b.token.text, tag: a.token.tag }, known: false });
    }
  }
}

function compileWordRules(): Map<string, CompiledWordRule[]> {
  const rules = new Map<string, CompiledWordRule[]>();
  for (const [char, list] of Object.entries(WORD_RULES)) {
    const compiled: CompiledWordRule[] = [];
    for (const { form, words, reason } of list) {
      for (const word of words.split(/\s+/).filter(Boolean)) {
        let at = word.indexOf(char);
        if (at < 0) throw new Error(`context rule word ${word} does not contain ${char}`);
        for (; at >= 0; at = word.indexOf(char, at + 1)) compiled.push({ word, at, form, reason });
      }
    }
    rules.set(char, compiled);
  }
  return rules;
}
