/**
 * Which script a text is written in, by counting characters that exist only in simplified
 * (e.g. 这 发 们) or only in traditional writing (e.g. 這 發 們), from OpenCC's own tables.
 * The one script detector: import tags each speech with scriptOf(), and a build converts
 * only what detectScript() finds clearly in the other script, so text already in the target
 * script is never converted a second time, even when its language tag is wrong — and the
 * two can never disagree (a clear verdict is also the majority).
 */
import type { Lang } from '../../model/speech.ts';
import { directionDictionaries, outputCharacters } from './opencc-pipeline.ts';

interface ScriptCharacters {
  simplifiedOnly: Set<string>;
  traditionalOnly: Set<string>;
}

let table: ScriptCharacters | undefined;

function scriptCharacters(): ScriptCharacters {
  if (table) return table;
  const toTrad = directionDictionaries('toTraditional').characters;
  const toSimp = directionDictionaries('toSimplified').characters;
  const simplifiedOnly = new Set(toTrad.filter(([s, t]) => s !== t).map(([s]) => s));
  const traditionalOnly = new Set(toSimp.filter(([t, s]) => s !== t).map(([t]) => t));
  // A character a conversion can write proves nothing: Taiwan writes 群 and 台, Hong Kong
  // 户 and 税, both write 采 in 風采; the mainland keeps 著 in 著作.
  for (const c of [...outputCharacters('tw'), ...outputCharacters('hk')]) simplifiedOnly.delete(c);
  for (const c of outputCharacters('hans')) traditionalOnly.delete(c);
  table = { simplifiedOnly, traditionalOnly };
  return table;
}

export interface ScriptEvidence {
  simplified: number;
  traditional: number;
}

export function scriptEvidence(text: string): ScriptEvidence {
  const { simplifiedOnly, traditionalOnly } = scriptCharacters();
  let simplified = 0;
  let traditional = 0;
  for (const c of text) {
    if (simplifiedOnly.has(c)) simplified++;
    else if (traditionalOnly.has(c)) traditional++;
  }
  return { simplified, traditional };
}

/** The script most telling characters belong to: zh-Hant only when traditional ones outnumber simplified. */
export function scriptOf(text: string): Lang {
  const { simplified, traditional } = scriptEvidence(text);
  return traditional > simplified ? 'zh-Hant' : 'zh-Hans';
}

/**
 * The script the text is clearly written in, or undefined when the evidence is thin
 * (fewer than 5 telling characters) or mixed (neither side has 90 %).
 */
export function detectScript(text: string): Lang | undefined {
  const { simplified, traditional } = scriptEvidence(text);
  const total = simplified + traditional;
  if (total < 5) return undefined;
  if (simplified >= 0.9 * total) return 'zh-Hans';
  if (traditional >= 0.9 * total) return 'zh-Hant';
  return undefined;
}
