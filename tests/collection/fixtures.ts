/** Shared helpers for the collection tests: temp collections and a small stand-in reader. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parseBookConfig } from '../../src/config/schema.ts';
import type { ReadResult } from '../../src/readers/index.ts';
import { thrown } from '../fixtures/thrown.ts';
import type { Speech, SpeechMetaOverrides } from '../../src/model/speech.ts';
import { testFolder } from '../temp-folders.ts';

export { CORPUS_DIR as CORPUS } from '../fixtures/paths.ts';

/** Creates a temp folder holding `files` (removed after the test file). */
export function makeCollection(files: Record<string, string>): string {
  const dir = testFolder('collection');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function speech(id: string, date: string | null, text: string, extra: Partial<Speech> = {}): Speech {
  return {
    id,
    title: `讲话${id}`,
    speaker: { name: '鲁迅' },
    date,
    source: { file: `${id}.txt` },
    lang: 'zh-Hans',
    blocks: text.split('\n\n').map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })),
    ...extra,
  };
}

/**
 * A stand-in for readSource, so config and book tests do not depend on the normaliser:
 * a file's first line is `title|speaker|date`, the rest paragraphs. Counts its calls.
 */
export function fakeReader() {
  const calls: string[] = [];
  const read = async (file: string, overrides: SpeechMetaOverrides): Promise<ReadResult> => {
    calls.push(file);
    const [head, ...rest] = readFileSync(file, 'utf8').split('\n');
    const [title, speaker, date] = head!.split('|');
    const id = path.basename(file).replace(/\..*$/, '').replace(/[^A-Za-z0-9-]/g, '') || 'x';
    return {
      speech: {
        id: /^[A-Za-z]/.test(id) ? id : `s${id}`,
        title: overrides.title ?? title!,
        speaker: { name: overrides.speaker ?? speaker! },
        date: overrides.date ?? (date || null),
        source: { file },
        lang: 'zh-Hans',
        blocks: rest
          .join('\n')
          .split(/\n\s*\n/)
          .filter((p) => p.trim())
          .map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p.trim() }], pos: { line: 2 } })),
      },
      diagnostics: date ? [] : [{ severity: 'warning', code: 'W-IMPORT-DATE-MISSING', file, message: 'no date found' }],
      report: { removed: [] },
    };
  };
  return { read, calls };
}

/** The ConfigError parsing `source` as a book.yaml throws (the test fails if none). */
export function configError(source: string): ConfigError {
  return thrown(() => parseBookConfig(source, 'book.yaml'), ConfigError);
}
