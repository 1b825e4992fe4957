import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScriptConverter } from '../../src/transforms/script/index.ts';

/** Golden simplified → tw / hk pairs; every row was checked by hand (see the file's header). */
const rows = readFileSync(new URL('../fixtures/script/terms.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#') && !l.startsWith('simplified\t'))
  .map((l) => l.split('\t') as [string, string, string, string?]);

describe('golden term list', () => {
  it('has at least 150 distinct terms', () => {
    expect(new Set(rows.map((r) => r[0])).size).toBeGreaterThanOrEqual(150);
  });

  const tw = createScriptConverter('tw', 'zh-Hans');
  const hk = createScriptConverter('hk', 'zh-Hans');
  it.each(rows)('%s → %s (tw) / %s (hk)', (simplified, twForm, hkForm) => {
    expect(tw.convert(simplified).text).toBe(twForm);
    expect(hk.convert(simplified).text).toBe(hkForm);
    // The same word between punctuation, with quotes in the edition's style.
    expect(tw.convert(`，“${simplified}”。`).text).toBe(`，「${twForm}」。`);
    expect(hk.convert(`，“${simplified}”。`).text).toBe(`，「${hkForm}」。`);
  });
});
