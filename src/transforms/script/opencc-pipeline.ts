/**
 * OpenCC conversion as three visible steps (normalise, segment, convert each segment),
 * built from opencc-js's own tries and dictionaries. We drive the steps ourselves instead
 * of calling OpenCC.Converter so that we can see the segments: the proofreading report
 * names the word each ambiguous character sat in, and built-in overrides apply only to
 * whole words (see overrides.ts).
 *
 * Building the tries takes a few hundred milliseconds, so each pipeline is built once per
 * process and cached.
 */
import { Trie } from 'opencc-js/core';
import * as Locale from 'opencc-js/preset';
import type { DictGroup, DictLike } from 'opencc-js/core';

/** A target opencc can convert to. 'hans' is traditional → simplified. */
export type ConversionTarget = 'tw' | 'hk' | 'hans';

/**
 * OpenCC configuration per target. Not s2twp: its phrase conversion rewrites official
 * prose (支持→支援). Not t2s for 'hans': it leaves 著 in 接著/抱著, which tw2s (first
 * undoing Taiwan variants) turns into the mainland 着.
 */
const OPENCC_CONFIG: Record<ConversionTarget, string> = { tw: 's2tw', hk: 's2hk', hans: 'tw2s' };

/** Fixed source → target words (see overrides.ts); same number of code points each side. */
export type WordOverrides = ReadonlyMap<string, string>;

export interface OpenccPipeline {
  readonly target: ConversionTarget;
  /** Folds CJK compatibility ideographs onto their unified forms (one code point each). */
  normalize(s: string): string;
  /** Splits into the longest dictionary words; runs of unknown characters stay together. */
  segment(s: string): string[];
  /** Whether a segment is a dictionary word (not a run of characters no word matched). */
  isWord(segment: string): boolean;
  /**
   * Converts one segment, override words included (every override word found inside the
   * segment replaces the same code points of the output). The output has the same number
   * of code points as the input.
   */
  convertSegment(segment: string): string;
  /**
   * The steps after the main dictionaries (the region's variants: 裏 → 裡 for tw, 衛 → 衞
   * for hk) applied to standard traditional text, such as a form chosen by a context rule.
   */
  regional(s: string): string;
}

interface OpenccConfig {
  normalizationChain?: DictGroup[];
  segmentation: DictLike | DictGroup;
  conversionChain: readonly DictGroup[];
}

function trieOf(group: readonly DictLike[]): Trie {
  const t = new Trie();
  t.loadDictGroup(group as DictLike[]);
  return t;
}

export function buildOpenccPipeline(target: ConversionTarget, overrides: WordOverrides = new Map()): OpenccPipeline {
  const config = Locale.configs[OPENCC_CONFIG[target]] as OpenccConfig | undefined;
  if (!config) throw new Error(`opencc-js has no ${OPENCC_CONFIG[target]} configuration`);
  const normalization = (config.normalizationChain ?? []).map(trieOf);
  const segmentation = trieOf(
    typeof config.segmentation === 'string' ? [config.segmentation] : (config.segmentation as DictLike[]),
  );
  // Override words join the segmentation so that they become words of their own wherever
  // no longer dictionary word starts at (or covers) the same place.
  for (const word of overrides.keys()) segmentation.addWord(word, word);
  const chain = config.conversionChain.map((group) => ({ trie: trieOf(group), starts: firstUnits(group) }));
  const applyOverrides = overrides.size === 0 ? (_seg: string, converted: string) => converted : overrideApplier(overrides);
  // CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) are rare: skip the pass without them.
  const hasCompatibility = /[\uF900-\uFAFF]|\uD87E[\uDC00-\uDE1F]/;
  // Speech prose repeats its words (发展 fifty times a speech): converted short segments are
  // remembered. Bounded so that a huge input cannot grow it without limit.
  const converted = new Map<string, string>();
  const convertUncached = (seg: string) => {
    let out = seg;
    // Most segments contain no character a later dictionary (the regional variants) starts with.
    for (const { trie, starts } of chain) if (startsAny(out, starts)) out = trie.convert(out);
    return applyOverrides(seg, out);
  };
  // A long segment is a run of characters where no phrase starts. When the segmentation
  // knows every phrase of the first dictionary group (s2tw, s2hk), such a run converts
  // character by character, each remembered: much cheaper than walking the trie again.
  const firstGroup = config.conversionChain[0]!;
  const segmentationDicts = typeof config.segmentation === 'string' ? [config.segmentation] : (config.segmentation as DictLike[]);
  const runsAreCharacters = firstGroup.slice(0, -1).every((d) => segmentationDicts.includes(d));
  const convertRun = (run: string) => {
    let out = '';
    for (const c of run) {
      let t = converted.get(c);
      if (t === undefined) converted.set(c, (t = convertUncached(c)));
      out += t;
    }
    // Regional variant phrases (a handful) may span characters: apply them to the run.
    for (const { trie, starts } of chain.slice(1)) if (startsAny(out, starts)) out = trie.convert(out);
    return out;
  };
  function isWord(seg: string): boolean {
    return segmentation.matchPrefix(seg, 0)?.end === seg.length;
  }
  return {
    target,
    normalize: (s) => (hasCompatibility.test(s) ? normalization.reduce((acc, t) => t.convert(acc), s) : s),
    segment: (s) => segmentation.segment(s),
    isWord,
    regional: (s) => {
      let out = s;
      for (const { trie, starts } of chain.slice(1)) if (startsAny(out, starts)) out = trie.convert(out);
      return out;
    },
    convertSegment: (seg) => {
      if (seg.length > 6) return runsAreCharacters && !isWord(seg) ? convertRun(seg) : convertUncached(seg);
      let out = converted.get(seg);
      if (out === undefined) {
        out = convertUncached(seg);
        if (converted.size < 200_000) converted.set(seg, out);
      }
      return out;
    },
  };
}

/** First UTF-16 units of every key of a dictionary group (supplementary keys mark both halves' lead). */
function firstUnits(group: readonly DictLike[]): Uint8Array {
  const units = new Uint8Array(0x10000);
  for (const dict of group) {
    const pairs = typeof dict === 'string' ? parsePairs(dict) : dict;
    for (const [from] of pairs) units[from.charCodeAt(0)] = 1;
  }
  return units;
}

function startsAny(s: string, units: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) if (units[s.charCodeAt(i)]) return true;
  return false;
}

function overrideApplier(overrides: WordOverrides): (segment: string, converted: string) => string {
  const words = new Trie();
  const firstChars = new Set<string>();
  for (const [from, to] of overrides) {
    if (Array.from(from).length !== Array.from(to).length) {
      throw new Error(`override ${from} → ${to} must keep the number of characters`);
    }
    words.addWord(from, to);
    firstChars.add(from[0]!);
  }
  return (segment, converted) => {
    if (segment.length < 2) return converted;
    let out: string[] | undefined;
    let cp = 0; // code point index of i
    for (let i = 0; i < segment.length; cp++) {
      const c = segment.charCodeAt(i);
      const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      if (firstChars.has(segment[i]!)) {
        const m = words.matchPrefix(segment, i);
        if (m) {
          out ??= Array.from(converted);
          const replacement = Array.from(m.value);
          out.splice(cp, replacement.length, ...replacement);
          cp += replacement.length - 1;
          i = m.end;
          continue;
        }
      }
      i += width;
    }
    return out ? out.join('') : converted;
  };
}

const cache = new Map<ConversionTarget, OpenccPipeline>();

/** The pipeline for a target with the built-in overrides, built on first use. */
export function openccPipeline(target: ConversionTarget, overrides: () => WordOverrides): OpenccPipeline {
  let p = cache.get(target);
  if (!p) {
    p = buildOpenccPipeline(target, overrides());
    cache.set(target, p);
  }
  return p;
}

/**
 * The phrase and character dictionaries of one direction as [source, target] pairs.
 * Simplified → traditional: s2tw's first group (STPhrases…, STCharacters). Traditional →
 * simplified: tw2s's two groups composed (Taiwan variants first, then TSPhrases,
 * TSCharacters), since 著 → 着 happens in the first. The bundled data keeps one target per
 * character; the phrases show the other forms.
 */
export function directionDictionaries(direction: 'toTraditional' | 'toSimplified'): {
  phrases: [string, string][];
  characters: [string, string][];
} {
  const pairsOf = (group: readonly DictLike[]) =>
    group.map((d) => (typeof d === 'string' ? parsePairs(d) : d.map(([a, b]) => [a, b] as [string, string])));
  if (direction === 'toTraditional') {
    const dicts = pairsOf((Locale.configs.s2tw as OpenccConfig).conversionChain[0]!);
    return { phrases: dicts.slice(0, -1).flat(), characters: dicts[dicts.length - 1]! };
  }
  const [variants, standard] = (Locale.configs.tw2s as OpenccConfig).conversionChain.map(pairsOf) as [
    [string, string][][],
    [string, string][][],
  ];
  const toStandard = new Map(variants[variants.length - 1]);
  const toSimplified = new Map(standard[standard.length - 1]);
  const simplify = (s: string) => Array.from(s, (c) => toSimplified.get(c) ?? c).join('');
  const characters = new Set([...toStandard.keys(), ...toSimplified.keys()]);
  return {
    phrases: [...variants.slice(0, -1).flat().map(([a, b]): [string, string] => [a, simplify(b)]), ...standard.slice(0, -1).flat()],
    characters: [...characters].map((c): [string, string] => [c, simplify(toStandard.get(c) ?? c)]),
  };
}

function parsePairs(dict: string): [string, string][] {
  return dict.split('|').map((entry) => {
    const [from, to] = entry.split(' ');
    return [from!, to!];
  });
}

/** The regional variant characters a tw/hk conversion applies last (e.g. 裏 → 裡, 纔 → 才). */
export function regionalVariants(target: 'tw' | 'hk'): Map<string, string> {
  const group = (Locale.configs[OPENCC_CONFIG[target]] as OpenccConfig).conversionChain[1]!;
  const chars = group[group.length - 1]!;
  return new Map(typeof chars === 'string' ? parsePairs(chars) : chars.map(([a, b]) => [a, b] as [string, string]));
}

/** Every character an opencc configuration can write (the targets of all its dictionaries). */
export function outputCharacters(target: ConversionTarget): Set<string> {
  const out = new Set<string>();
  const config = Locale.configs[OPENCC_CONFIG[target]] as OpenccConfig;
  for (const group of config.conversionChain) {
    for (const dict of group) {
      const pairs = typeof dict === 'string' ? parsePairs(dict) : dict;
      for (const [, to] of pairs) for (const c of to) out.add(c);
    }
  }
  return out;
}
