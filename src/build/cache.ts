/**
 * Sources are read and normalised once per build, and cached between builds by content:
 * the key hashes the source bytes, any sidecar metadata file, the editor's overrides, the
 * path shown in messages, and the reader code itself, so editing one speech (or the
 * normaliser) re-reads only what changed. Entries are validated on load; a bad entry is a
 * miss, never an error.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostics.ts';
import type { Block, Speech, SpeechMetaOverrides } from '../model/speech.ts';
import { validateSpeech } from '../model/validate.ts';
import { PACKAGE_ROOT } from '../render/templates.ts';
import { writeFileAtomically } from '../writers/atomic.ts';
import { moduleGraph } from './module-graph.ts';

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

/** The entry point of the import path: everything it imports, transitively, is in the fingerprint. */
export const READER_ENTRY = path.join(PACKAGE_ROOT, 'src/readers/index.ts');

function installedVersion(root: string, pkg: string): string {
  const manifest = path.join(root, 'node_modules', pkg, 'package.json');
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

/**
 * Fingerprint of the code that turns a source into a Speech: wenji's version, the text of
 * every project file the readers import (transitively, wherever it lives), and the installed
 * version of every npm package those files name. Any change to the import path invalidates
 * the cache; a change elsewhere (a writer, a template) does not.
 */
export function readerCodeFingerprint(): string {
  readerFingerprint ??= codeFingerprint([READER_ENTRY], PACKAGE_ROOT);
  return readerFingerprint;
}

/** The fingerprint of the code `entries` run, in the package at `root` (see readerCodeFingerprint). */
export function codeFingerprint(entries: readonly string[], root: string): string {
  const h = createHash('sha256');
  let version = '?';
  try {
    version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    // no manifest: the files alone decide
  }
  h.update(`wenji ${version}\0`);
  const graph = moduleGraph(entries);
  for (const file of graph.files) h.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const pkg of graph.packages) h.update(`${pkg}@${installedVersion(root, pkg)}\0`);
  return h.digest('hex').slice(0, 16);
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

/** Every block type: a Record, so a new type in the model is a type error here until listed. */
const BLOCK_TYPE_TABLE: Record<Block['type'], true> = { heading: true, paragraph: true, salutation: true, closing: true, quote: true, list: true, note: true, figure: true, table: true };
const BLOCK_TYPES = new Set(Object.keys(BLOCK_TYPE_TABLE));

/** Structural check of a cached Speech: enough that writers cannot trip over a corrupt entry. */
export function isSpeech(x: unknown): x is Speech {
  const s = x as Speech;
  return (
    !!s &&
    typeof s === 'object' &&
    typeof s.id === 'string' &&
    typeof s.title === 'string' &&
    (s.date === null || (typeof s.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.date))) &&
    (s.speaker === null || (typeof s.speaker === 'object' && (typeof s.speaker.name === 'string' || typeof s.speaker.role === 'string'))) &&
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
