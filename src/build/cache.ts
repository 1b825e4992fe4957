/**
 * Sources are read and normalised once per build, and cached between builds by content:
 * the key hashes the source bytes, any sidecar metadata file, the editor's overrides, the
 * path shown in messages, and the reader code itself, so editing one speech (or the
 * normaliser) re-reads only what changed. Entries are validated on load; a bad entry is a
 * miss, never an error.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostics.ts';
import type { Block, Speech, SpeechMetaOverrides } from '../model/speech.ts';
import { validateSpeech } from '../model/validate.ts';
import { PACKAGE_ROOT } from '../render/templates.ts';
import { writeFileAtomically } from './atomic.ts';

/** Bump when the cached value's shape changes. */
export const CACHE_VERSION = 1;

/** Sidecar metadata files a reader may pick up next to a source. */
export function sidecarCandidates(file: string): string[] {
  const dir = path.dirname(file);
  const stem = path.basename(file).replace(/\.[^.]+$/, '');
  return [
    path.join(dir, `${stem}.meta.yaml`),
    path.join(dir, `${stem}.meta.yml`),
    `${file}.meta.yaml`,
    `${file}.meta.yml`,
  ];
}

let readerFingerprint: string | undefined;

/** Hash of the reader, normaliser and speech-model code: a changed reader invalidates the cache. */
export function readerCodeFingerprint(): string {
  if (readerFingerprint) return readerFingerprint;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) h.update(name).update(readFileSync(p));
    }
  };
  for (const d of ['src/readers', 'src/normalize']) walk(path.join(PACKAGE_ROOT, d));
  const model = path.join(PACKAGE_ROOT, 'src/model/speech.ts');
  if (existsSync(model)) h.update(readFileSync(model));
  readerFingerprint = h.digest('hex').slice(0, 16);
  return readerFingerprint;
}

export interface CacheKeyInput {
  bytes: Uint8Array;
  /** Path as shown in messages (it ends up in Speech.source.file and diagnostics). */
  display: string;
  overrides: SpeechMetaOverrides;
  sidecars: { name: string; bytes: Uint8Array }[];
  /** Reader code fingerprint. */
  code: string;
}

export function cacheKey(k: CacheKeyInput): string {
  const h = createHash('sha256');
  h.update(`wenji-speech-cache ${CACHE_VERSION} ${k.code}\0`);
  h.update(k.display).update('\0');
  h.update(JSON.stringify(Object.entries(k.overrides).sort())).update('\0');
  for (const s of k.sidecars) h.update(path.basename(s.name)).update('\0').update(s.bytes).update('\0');
  h.update(k.bytes);
  return h.digest('hex');
}

export interface CachedRead {
  speech: Speech;
  diagnostics: Diagnostic[];
}

const BLOCK_TYPES = new Set<Block['type']>(['heading', 'paragraph', 'salutation', 'closing', 'quote', 'list', 'note']);

/** Structural check of a cached Speech: enough that writers cannot trip over a corrupt entry. */
export function isSpeech(x: unknown): x is Speech {
  const s = x as Speech;
  return (
    !!s &&
    typeof s === 'object' &&
    typeof s.id === 'string' &&
    typeof s.title === 'string' &&
    (s.date === null || (typeof s.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.date))) &&
    (s.speaker === null || (typeof s.speaker === 'object' && typeof s.speaker.name === 'string')) &&
    (s.lang === 'zh-Hans' || s.lang === 'zh-Hant') &&
    !!s.source &&
    typeof s.source.file === 'string' &&
    Array.isArray(s.blocks) &&
    s.blocks.every((b) => !!b && BLOCK_TYPES.has(b.type)) &&
    passesModelValidation(s)
  );
}

function passesModelValidation(s: Speech): boolean {
  try {
    validateSpeech(s, s.source.file);
    return true;
  } catch {
    return false;
  }
}

function isCachedRead(x: unknown): x is CachedRead & { version: number } {
  const v = x as CachedRead & { version: number };
  return (
    !!v &&
    v.version === CACHE_VERSION &&
    isSpeech(v.speech) &&
    Array.isArray(v.diagnostics) &&
    v.diagnostics.every((d) => d && typeof d.message === 'string' && typeof d.file === 'string')
  );
}

/** Counts what the cache did in one build: observable by tests and the benchmark. */
export interface CacheStats {
  hits: number;
  misses: number;
}

export class SpeechCache {
  readonly stats: CacheStats = { hits: 0, misses: 0 };

  constructor(readonly dir: string) {}

  private fileFor(key: string): string {
    return path.join(this.dir, 'speeches', key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedRead | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.fileFor(key), 'utf8'));
    } catch {
      return undefined;
    }
    return isCachedRead(parsed) ? { speech: parsed.speech, diagnostics: parsed.diagnostics } : undefined;
  }

  async put(key: string, value: CachedRead): Promise<void> {
    const file = this.fileFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomically(file, JSON.stringify({ version: CACHE_VERSION, ...value }));
  }
}
