import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScriptConverter } from '../../src/transforms/script/index.ts';
import { CLASS_RULES, WORD_RULES } from '../../src/transforms/script/context-rules.ts';

type Row = [simplified: string, tw: string[], hk: string[]];

function rowsOf(file: string): Row[] {
  return readFileSync(new URL(`../fixtures/script/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [s, tw, hk] = l.split('\t');
      return [s!, tw!.split('|'), hk!.split('|')];
    });
}

const converters = { tw: createScriptConverter('tw', 'zh-Hans'), hk: createScriptConverter('hk', 'zh-Hans') };

/**
 * dev-hard.tsv: 151 phrases plain opencc-js gets wrong in both regions (words matched
 * across a boundary, one-to-many characters, surnames, place names). The bar is 98%.
 */
describe('hard cases (dev-hard.tsv)', () => {
  const rows = rowsOf('dev-hard.tsv');
  it('has the 151 phrases', () => expect(rows.length).toBe(151));
  it.each(['tw', 'hk'] as const)('%s: at least 98%% right', (region) => {
    const wrong = rows
      .map(([s, tw, hk]) => ({ s, got: converters[region].convert(s).text, want: region === 'tw' ? tw : hk }))
      .filter((r) => !r.want.includes(r.got));
    const score = (rows.length - wrong.length) / rows.length;
    expect(score, wrong.map((w) => `${w.s} → ${w.got} (want ${w.want.join('|')})`).join('\n')).toBeGreaterThanOrEqual(0.98);
  });
});

/** Every context rule and name rule, on real phrases that are not in dev-hard.tsv. */
describe('context and name rules (context-rules.tsv)', () => {
  const rows = rowsOf('context-rules.tsv');
  it.each(rows)('%s', (simplified, tw, hk) => {
    expect(tw).toContain(converters.tw.convert(simplified).text);
    expect(hk).toContain(converters.hk.convert(simplified).text);
  });

  it('uses every rule at least once', () => {
    const used = new Set<string>();
    for (const [s] of rows) {
      for (const h of converters.tw.convert(s).hits) if (h.decision?.why === 'rule') used.add(h.decision.rule);
    }
    const all = [...Object.values(WORD_RULES), ...Object.values(CLASS_RULES)].flat().map((r) => r.reason);
    expect(all.filter((r) => !used.has(r))).toEqual([]);
  });
});
