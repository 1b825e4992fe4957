/**
 * Characters with more than one form on the other side of the conversion (发 → 發 or 髮,
 * 干 → 幹, 乾 or 干), derived from opencc-js's own dictionaries: a character is ambiguous
 * when some dictionary phrase turns it into a form other than its single-character default.
 * These are the characters a proofreader has to look at.
 */
import { directionDictionaries, regionalVariants, type ConversionTarget } from './opencc-pipeline.ts';

export interface AmbiguousCharacters {
  /** Source character → every form the dictionaries give it, the default first. */
  readonly forms: ReadonlyMap<string, readonly string[]>;
  has(char: string): boolean;
}

const cache = new Map<ConversionTarget, AmbiguousCharacters>();

/**
 * For tw and hk, forms that the region's variant step merges (纔 and 才 both end as 才 in
 * Taiwan) count as one, so the report does not list characters with nothing to check.
 */
export function ambiguousCharacters(target: ConversionTarget): AmbiguousCharacters {
  let table = cache.get(target);
  if (!table) {
    table = deriveAmbiguousCharacters(target);
    cache.set(target, table);
  }
  return table;
}

function deriveAmbiguousCharacters(target: ConversionTarget): AmbiguousCharacters {
  const { phrases, characters } = directionDictionaries(target === 'hans' ? 'toSimplified' : 'toTraditional');
  const variants = target === 'hans' ? new Map<string, string>() : regionalVariants(target);
  const regional = (c: string) => variants.get(c) ?? c;
  const defaults = new Map(characters);
  const seen = new Map<string, Set<string>>();
  for (const [from, to] of phrases) {
    const a = Array.from(from);
    const b = Array.from(to);
    if (a.length !== b.length) continue;
    for (let i = 0; i < a.length; i++) {
      let forms = seen.get(a[i]!);
      if (!forms) seen.set(a[i]!, (forms = new Set()));
      forms.add(regional(b[i]!));
    }
  }
  const forms = new Map<string, string[]>();
  for (const [char, phraseForms] of seen) {
    const byDefault = regional(defaults.get(char) ?? char);
    const others = [...phraseForms].filter((f) => f !== byDefault).sort();
    if (others.length > 0) forms.set(char, [byDefault, ...others]);
  }
  return { forms, has: (c) => forms.has(c) };
}
