import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { validateSpeech } from '../../src/model/validate.ts';
import { readSource } from '../../src/readers/index.ts';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/scraped/lanzhou-2024-scraped.txt');

describe('validateSpeech', async () => {
  const { speech } = await readSource(SAMPLE);
  const json = () => JSON.parse(JSON.stringify(speech));

  it('accepts a speech read from a source, also after a JSON round trip', () => {
    expect(validateSpeech(json(), 'cache.json')).toEqual(speech);
  });

  it.each([
    ['missing title', (s: any) => delete s.title, /title must be text/],
    ['empty title', (s: any) => (s.title = ' '), /title must not be empty/],
    ['bad date', (s: any) => (s.date = '2024-02-30'), /date must be a date YYYY-MM-DD/],
    ['non-ASCII id', (s: any) => (s.id = '讲话'), /id must be ASCII/],
    ['unknown block type', (s: any) => (s.blocks[2].type = 'chart'), /blocks\[2\]\.type must be heading, paragraph/],
    ['bad inline', (s: any) => (s.blocks[4].lead[0] = { type: 'text', text: 3 }), /blocks\[4\]\.lead\[0\]\.text must be text/],
    ['bad heading level', (s: any) => s.blocks.unshift({ type: 'heading', level: 7, content: [] }), /blocks\[0\]\.level must be 1, 2, 3 or 4/],
    ['bad lang', (s: any) => (s.lang = 'zh-CN'), /lang must be zh-Hans or zh-Hant/],
    ['speaker with neither name nor role', (s: any) => (s.speaker = {}), /speaker\.role must be text/],
    ['bad published date', (s: any) => (s.source.published = 'yesterday'), /source\.published must be a date/],
  ])('%s is an error naming the file and the field', (_what, spoil, message) => {
    const s = json();
    spoil(s);
    expect(() => validateSpeech(s, 'cache.json')).toThrow(WenjiError);
    expect(() => validateSpeech(s, 'cache.json')).toThrow(message);
    try {
      validateSpeech(s, 'cache.json');
    } catch (e) {
      expect((e as WenjiError).format()).toMatch(/^cache\.json: invalid speech: /);
    }
  });
});
