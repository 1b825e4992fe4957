/**
 * Readers: one module per input format, one entry point here.
 * STUB — the readers issue replaces the body; the signature is the contract.
 */
import type { Diagnostic } from '../model/diagnostics.ts';
import type { Speech, SpeechMetaOverrides } from '../model/speech.ts';

export interface ImportReport {
  /** Lines removed as page chrome (banners, share controls, repeated title …). */
  removed: string[];
}

export interface ReadResult {
  speech: Speech;
  diagnostics: Diagnostic[];
  report: ImportReport;
}

/**
 * Reads any supported source (.txt scraped text, .html, .md with front matter, .docx),
 * detects its encoding, normalises it into a Speech. Sidecar metadata next to the file and
 * `overrides` win over what was detected. Throws WenjiError on bad input.
 */
export async function readSource(file: string, overrides: SpeechMetaOverrides = {}): Promise<ReadResult> {
  throw new Error(`readSource not implemented yet (${file}, ${JSON.stringify(overrides)})`);
}
