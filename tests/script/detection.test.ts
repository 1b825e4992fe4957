/** The one script detector: import's verdict (scriptOf) and the build's (detectScript) never disagree. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectScript, scriptOf } from '../../src/transforms/script/script-detection.ts';

const DIR = path.resolve(import.meta.dirname, '../../content/collection/speeches');
const speeches = readdirSync(DIR).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(path.join(DIR, f), 'utf8'));

describe('script detection', () => {
  it('tags the sample speeches: two traditional, the rest simplified', () => {
    expect(speeches.map(scriptOf).filter((l) => l === 'zh-Hant')).toHaveLength(2);
  });

  it('a clear verdict is always the majority verdict, line by line of real speeches', () => {
    const lines = speeches.flatMap((t) => t.split('\n')).filter((l) => l.trim());
    for (const l of lines) {
      const clear = detectScript(l);
      if (clear) expect(scriptOf(l)).toBe(clear);
    }
    // Thin evidence: no verdict for the build, simplified by default for import.
    expect(detectScript('同志们')).toBeUndefined();
    expect(scriptOf('同志们')).toBe('zh-Hans');
    const nala = speeches.find((t) => t.includes('娜拉'))!;
    expect(scriptOf(nala.split('\n').find((l) => l.length > 40)!)).toBe('zh-Hant');
  });
});
