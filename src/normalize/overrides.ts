/** Metadata an editor gives (sidecar file, command line) applied over what was detected. */
import type { Speech, SpeechMetaOverrides } from '../model/speech.ts';
import { speechId } from './id.ts';

/**
 * Returns the speech with `overrides` applied. A speaker override without a role drops the
 * detected role (it belonged to someone else); a role alone keeps the detected name.
 * The id is recomputed when `rederiveId` (sources whose id is derived, not written down).
 */
export function applyOverrides(speech: Speech, overrides: SpeechMetaOverrides, rederiveId: boolean): Speech {
  const o = overrides;
  let speaker = speech.speaker;
  if (o.speaker !== undefined) speaker = { name: o.speaker, ...(o.role !== undefined ? { role: o.role } : {}) };
  else if (o.role !== undefined) speaker = { ...speaker, role: o.role };
  const out: Speech = {
    ...speech,
    ...(o.title !== undefined ? { title: o.title } : {}),
    ...(o.subtitle !== undefined ? { subtitle: o.subtitle } : {}),
    ...(o.occasion !== undefined ? { occasion: o.occasion } : {}),
    ...(o.venue !== undefined ? { venue: o.venue } : {}),
    ...(o.date !== undefined ? { date: o.date } : {}),
    speaker,
  };
  if (rederiveId) out.id = speechId(out.title, out.speaker?.name, out.date);
  return out;
}

/** Later sources of metadata win: applyLayers({sidecar}, {cli}). Undefined values do not. */
export function mergeOverrides(...layers: SpeechMetaOverrides[]): SpeechMetaOverrides {
  const out: SpeechMetaOverrides = {};
  for (const l of layers) for (const [k, v] of Object.entries(l)) if (v !== undefined) out[k as keyof SpeechMetaOverrides] = v;
  return out;
}
