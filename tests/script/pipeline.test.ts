import { readdirSync, readFileSync } from 'node:fs';
import * as OpenCC from 'opencc-js/core';
import * as Locale from 'opencc-js/preset';
import { describe, expect, it } from 'vitest';
import { buildOpenccPipeline, type ConversionTarget } from '../../src/transforms/script/opencc-pipeline.ts';
import { CORPUS_DIR, SCRAPED_SAMPLE } from '../fixtures/paths.ts';

const CORPUS = CORPUS_DIR;
const paragraphsOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
const simplified = [
  ...readdirSync(CORPUS).filter((f) => f.endsWith('.txt') && !f.includes('trad')).flatMap((f) => paragraphsOf(`${CORPUS}/${f}`)),
  ...paragraphsOf(SCRAPED_SAMPLE),
];
const traditional = readdirSync(CORPUS).filter((f) => f.includes('trad')).flatMap((f) => paragraphsOf(`${CORPUS}/${f}`));

/**
 * Our pipeline drives opencc's tries itself (and takes shortcuts for speed); without
 * overrides it must give exactly what opencc-js's own converter gives.
 */
describe.each([
  ['tw', 'cn', 'tw', simplified],
  ['hk', 'cn', 'hk', simplified],
  ['hans', 'tw', 'cn', traditional],
] as const)('%s pipeline equals opencc-js %s → %s', (target: ConversionTarget, from, to, paragraphs) => {
  it(`on ${paragraphs.length} corpus paragraphs`, () => {
    expect(paragraphs.length).toBeGreaterThan(20);
    const pipeline = buildOpenccPipeline(target);
    const reference = OpenCC.ConverterBuilder(Locale)({ from, to });
    for (const p of paragraphs) {
      const ours = pipeline.segment(pipeline.normalize(p)).map((s) => pipeline.convertSegment(s)).join('');
      expect(ours).toBe(reference(p));
    }
  });
});
