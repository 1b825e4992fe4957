import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { rubyRuleProblem } from '../../src/model/ruby.ts';
import { validateSpeech } from '../../src/model/validate.ts';
import { readSource } from '../../src/readers/index.ts';
import { parseSidecar } from '../../src/readers/sidecar.ts';
import { thrown } from '../fixtures/thrown.ts';
import { testFolder } from '../temp-folders.ts';

const failure = (yaml: string): WenjiError => thrown(() => parseSidecar(yaml, 'x.meta.yaml'), WenjiError);

describe('ruby rules in a sidecar', () => {
  it('reads a reading, true and false, readings in lower case with single spaces', () => {
    const s = parseSidecar('title: 讲话\nruby:\n  单于: Chán  yú\n  重庆: true\n  行长: false\n', 'x.meta.yaml');
    expect(s).toEqual({ title: '讲话', ruby: { 单于: 'chán yú', 重庆: true, 行长: false } });
  });

  it('refuses a bad rule with the file and the line of the word', () => {
    const cases: [string, RegExp][] = [
      ['ruby:\n  单于: chan2 yu2\n', /tone marks/],
      ['ruby:\n  单于: chán\n', /1 syllable for 2 characters/],
      ['ruby:\n  GDP: ji\n', /Chinese characters only/],
      ['ruby:\n  单于: 12\n', /must be a reading in pinyin/],
      ['ruby:\n  单于: chán-yú\n', /not a pinyin syllable/],
    ];
    for (const [yaml, message] of cases) {
      const e = failure(yaml);
      expect(e.message, yaml).toMatch(message);
      expect(e.format(), yaml).toMatch(/^x\.meta\.yaml:2: /);
    }
    expect(failure('ruby: [单于]\n').format()).toMatch(/^x\.meta\.yaml:1: "ruby" must be word: reading lines/);
    expect(failure('ruby:\n  单于: chán yú\n  单于: dān yú\n').message).toMatch(/YAML/);
  });

  it('reaches the speech (Speech.ruby) through readSource, and the model validates it', async () => {
    const dir = testFolder('sidecar');
    const file = path.join(dir, 'talk.md');
    writeFileSync(file, '---\ntitle: 讲话\nspeaker: 某人\ndate: 2024-03-19\n---\n\n匈奴单于来朝。\n');
    writeFileSync(path.join(dir, 'talk.meta.yaml'), 'ruby:\n  单于: chán yú\n');
    const { speech } = await readSource(file);
    expect(speech.ruby).toEqual({ 单于: 'chán yú' });
    expect(() => validateSpeech({ ...speech, ruby: { 单于: 'chan2' } }, 'talk.md')).toThrow(/ruby\.单于.*tone marks/);
  });

  it('checks a rule on its own (one syntax for sidecars and book.yaml)', () => {
    expect(rubyRuleProblem('单于', 'chán yú')).toBeUndefined();
    expect(rubyRuleProblem('单于', false)).toBeUndefined();
    expect(rubyRuleProblem('绿', 'lǜ')).toBeUndefined();
    expect(rubyRuleProblem('', 'a')).toMatch(/empty/);
  });
});
