/**
 * Sidecar metadata: for a source `dir/NAME.EXT`, the file `dir/NAME.meta.yaml` holds what an
 * editor knows better than the page (title, subtitle, speaker, role, date, occasion, venue),
 * and the speech's ruby rules for reading copies (`ruby:`, syntax in model/ruby.ts).
 * It overrides detection; command-line options override it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { WenjiError } from '../model/diagnostics.ts';
import { calendarProblem } from '../model/validate.ts';
import type { SpeechMetaOverrides } from '../model/speech.ts';
import { normalizeRubyRule, rubyRuleProblem, type RubyRule, type RubyRules } from '../model/ruby.ts';

const METADATA_KEYS = ['title', 'subtitle', 'speaker', 'role', 'date', 'occasion', 'venue'] as const;
export const SIDECAR_KEYS = [...METADATA_KEYS, 'ruby'] as const;

/** What a sidecar gives: metadata overrides and ruby rules. */
export interface Sidecar extends SpeechMetaOverrides {
  ruby?: RubyRules;
}

/** `dir/NAME.EXT` → `dir/NAME.meta.yaml`. */
export function sidecarPath(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.meta.yaml`);
}

/** Parses sidecar YAML; `file` is the sidecar's path, for messages. */
export function parseSidecar(yamlText: string, file: string): Sidecar {
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new WenjiError(`not valid YAML: ${e.message.split('\n')[0]}`, file, e.linePos?.[0]?.line);
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw new WenjiError(`must be key: value lines (keys: ${SIDECAR_KEYS.join(', ')})`, file, 1);
  const out: Sidecar = {};
  const lineOf = (node: unknown) => {
    const range = (node as Node | undefined)?.range;
    return range ? counter.linePos(range[0]).line : undefined;
  };
  for (const item of doc.contents.items) {
    const line = lineOf(item.key);
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!(SIDECAR_KEYS as readonly string[]).includes(key)) {
      throw new WenjiError(`unknown key "${key}" (allowed: ${SIDECAR_KEYS.join(', ')})`, file, line);
    }
    if (key === 'ruby') {
      if (item.value === null || (isScalar(item.value) && item.value.value === null)) continue;
      if (!isMap(item.value)) throw new WenjiError(`"ruby" must be word: reading lines (e.g. 单于: chán yú, or 行长: false)`, file, line);
      const rules: Record<string, RubyRule> = {};
      for (const rule of item.value.items) {
        const word = isScalar(rule.key) ? String(rule.key.value) : '';
        const value = isScalar(rule.value) ? rule.value.value : rule.value;
        const problem = rubyRuleProblem(word, value);
        if (problem) throw new WenjiError(problem, file, lineOf(rule.key) ?? line);
        rules[word] = normalizeRubyRule(value as RubyRule);
      }
      out.ruby = rules;
      continue;
    }
    const value = isScalar(item.value) ? item.value.value : item.value;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw new WenjiError(`"${key}" must be text`, file, line);
    const v = String(value).trim();
    if (key === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new WenjiError(`"date" must be YYYY-MM-DD, not "${v}"`, file, line);
    const notADay = key === 'date' ? calendarProblem(v) : undefined;
    if (notADay) throw new WenjiError(`"date" ${notADay}: correct it as YYYY-MM-DD`, file, line);
    out[key as (typeof METADATA_KEYS)[number]] = v;
  }
  return out;
}

/** The sidecar next to `file` (NAME.meta.yaml, or NAME.meta.yml), or {} when there is none. */
export function readSidecar(file: string): Sidecar {
  const yaml = sidecarPath(file);
  const p = [yaml, yaml.replace(/\.yaml$/, '.yml')].find((candidate) => existsSync(candidate));
  if (!p) return {};
  return parseSidecar(readFileSync(p, 'utf8'), p);
}
