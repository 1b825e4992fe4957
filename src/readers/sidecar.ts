/**
 * Sidecar metadata: for a source `dir/NAME.EXT`, the file `dir/NAME.meta.yaml` holds what an
 * editor knows better than the page (title, subtitle, speaker, role, date, occasion, venue).
 * It overrides detection; command-line options override it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { WenjiError } from '../model/diagnostics.ts';
import { calendarProblem } from '../model/validate.ts';
import type { SpeechMetaOverrides } from '../model/speech.ts';

export const SIDECAR_KEYS = ['title', 'subtitle', 'speaker', 'role', 'date', 'occasion', 'venue'] as const;

/** `dir/NAME.EXT` → `dir/NAME.meta.yaml`. */
export function sidecarPath(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.meta.yaml`);
}

/** Parses sidecar YAML; `file` is the sidecar's path, for messages. */
export function parseSidecar(yamlText: string, file: string): SpeechMetaOverrides {
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new WenjiError(`not valid YAML: ${e.message.split('\n')[0]}`, file, e.linePos?.[0]?.line);
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw new WenjiError(`must be key: value lines (keys: ${SIDECAR_KEYS.join(', ')})`, file, 1);
  const out: SpeechMetaOverrides = {};
  for (const item of doc.contents.items) {
    const line = isScalar(item.key) && item.key.range ? counter.linePos(item.key.range[0]).line : undefined;
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!(SIDECAR_KEYS as readonly string[]).includes(key)) {
      throw new WenjiError(`unknown key "${key}" (allowed: ${SIDECAR_KEYS.join(', ')})`, file, line);
    }
    const value = isScalar(item.value) ? item.value.value : item.value;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw new WenjiError(`"${key}" must be text`, file, line);
    const v = String(value).trim();
    if (key === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new WenjiError(`"date" must be YYYY-MM-DD, not "${v}"`, file, line);
    const notADay = key === 'date' ? calendarProblem(v) : undefined;
    if (notADay) throw new WenjiError(`"date" ${notADay}: correct it as YYYY-MM-DD`, file, line);
    out[key as keyof SpeechMetaOverrides] = v;
  }
  return out;
}

/** The sidecar next to `file` (NAME.meta.yaml, or NAME.meta.yml), or {} when there is none. */
export function readSidecar(file: string): SpeechMetaOverrides {
  const yaml = sidecarPath(file);
  const p = [yaml, yaml.replace(/\.yaml$/, '.yml')].find((candidate) => existsSync(candidate));
  if (!p) return {};
  return parseSidecar(readFileSync(p, 'utf8'), p);
}
