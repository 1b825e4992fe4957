/**
 * Reads every source of a build once (through the cache). All read errors are collected
 * and reported together, before anything is rendered.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BookPlan, SpeechInput } from '../config/resolve.ts';
import { WenjiError, type Diagnostic } from '../model/diagnostics.ts';
import type { SpeechMetaOverrides } from '../model/speech.ts';
import { imageFilesChanged, readMatterFile, readSource, type ReadResult } from '../readers/index.ts';
import type { BookMatter } from '../book/assemble.ts';
import { ConfigError } from '../config/schema.ts';
import { cacheKey, readerCodeFingerprint, sidecarCandidates, type CachedRead, type SpeechCache } from './cache.ts';

export type ReadSourceFn = (file: string, overrides: SpeechMetaOverrides) => Promise<ReadResult>;

/** Identity of a read: the same file with other overrides is another speech. */
export function inputKey(input: SpeechInput): string {
  return `${input.file}\0${JSON.stringify(Object.entries(input.overrides).sort())}`;
}

export interface ReadOptions {
  cache?: SpeechCache;
  read?: ReadSourceFn;
  progress?: (done: number, total: number, cached: number) => void;
}

/**
 * Reads all inputs; returns them by inputKey. Throws ConfigError listing every source that
 * could not be read.
 */
export async function readSpeeches(inputs: readonly SpeechInput[], options: ReadOptions = {}): Promise<Map<string, CachedRead>> {
  const read = options.read ?? readSource;
  const code = options.cache ? readerCodeFingerprint() : '';
  const out = new Map<string, CachedRead>();
  const errors: Diagnostic[] = [];
  let cached = 0;
  let done = 0;
  const unique = [...new Map(inputs.map((i) => [inputKey(i), i])).values()];
  for (const input of unique) {
    const k = inputKey(input);
    try {
      let key: string | undefined;
      let hit: CachedRead | undefined;
      if (options.cache) {
        const sidecars = [];
        for (const name of sidecarCandidates(input.file)) {
          if (existsSync(name)) sidecars.push({ name, bytes: await readFile(name) });
        }
        key = cacheKey({ bytes: await readFile(input.file), display: input.display, overrides: input.overrides, sidecars, code });
        hit = await options.cache.get(key);
        // Image files are not in the key: a source whose pictures appeared or went is read again.
        if (hit && imageFilesChanged(hit.speech, hit.diagnostics, input.display)) hit = undefined;
      }
      if (hit) {
        options.cache!.stats.hits++;
        cached++;
        out.set(k, hit);
      } else {
        const result = await read(input.display, input.overrides);
        const value = { speech: result.speech, diagnostics: result.diagnostics };
        if (options.cache && key) {
          options.cache.stats.misses++;
          await options.cache.put(key, value);
        }
        out.set(k, value);
      }
    } catch (e) {
      if (e instanceof ConfigError) errors.push(...e.errors);
      else if (e instanceof WenjiError) errors.push({ severity: 'error', code: 'E-SOURCE', file: e.file ?? input.display, line: e.line, message: e.message });
      else errors.push({ severity: 'error', code: 'E-SOURCE', file: input.display, message: (e as Error).message.split('\n')[0]! });
    }
    options.progress?.(++done, unique.length, cached);
  }
  if (errors.length) throw new ConfigError(errors);
  return out;
}

/**
 * Reads a book's front and back matter files through the readers (encodings, the Markdown
 * dialect). Paths in messages are relative to `cwd`. Throws WenjiError naming the file.
 */
export function readBookMatter(plan: Pick<BookPlan, 'frontMatter' | 'backMatter'>, cwd: string = process.cwd()): BookMatter {
  const shown = (f: string) => {
    const rel = path.relative(cwd, f);
    return rel.startsWith('..') ? f : rel;
  };
  return {
    front: plan.frontMatter.map((f, i) => readMatterFile(f, `front-${i + 1}`, shown(f))),
    back: plan.backMatter.map((f, i) => readMatterFile(f, `back-${i + 1}`, shown(f))),
  };
}
