/**
 * Readers: one module per input format, one entry point here. readSource reads a file,
 * detects its format and encoding, normalises it into a Speech, and applies the sidecar
 * metadata (dir/NAME.meta.yaml) and then the caller's overrides.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostics.ts';
import { METADATA_CODES, WenjiError } from '../model/diagnostics.ts';
import type { MatterSection } from '../model/book.ts';
import type { Speech, SpeechMetaOverrides } from '../model/speech.ts';
import { validateSpeech } from '../model/validate.ts';
import type { ExplainedLine } from '../normalize/index.ts';
import { applyOverrides, mergeOverrides } from '../normalize/overrides.ts';
import { readDocx } from './docx.ts';
import { dropUnusableImages } from './figures.ts';

export { imageFilesChanged } from './figures.ts';
import { detectFormat, type SourceFormat } from './formats.ts';
import { decodeSource } from './encoding.ts';
import { readHtml } from './html.ts';
import { readMarkdown, readMatterMarkdown } from './markdown.ts';
import { readSidecar } from './sidecar.ts';
import { readScrapedText } from './text.ts';

export interface ImportReport {
  /** Lines removed as page chrome (banners, share controls, repeated title …). */
  removed: string[];
  /** The format the source was read as. */
  format?: SourceFormat;
  /** The text encoding detected (not for .docx). */
  encoding?: string;
  /** Every paragraph with its role and the rule that decided it (not for Markdown, read as it is). */
  explain?: ExplainedLine[];
}

export interface ReadResult {
  speech: Speech;
  diagnostics: Diagnostic[];
  report: ImportReport;
}

type ReaderOutput = { speech: Speech; diagnostics: Diagnostic[]; removed?: string[]; explain?: ExplainedLine[] };

/** The reader of each format in ./formats.ts; binary formats get the bytes, the others decoded text. */
const READERS: Record<SourceFormat, { binary: true; read: (bytes: Uint8Array, file: string) => Promise<ReaderOutput> } | { binary: false; read: (text: string, file: string) => ReaderOutput }> = {
  text: { binary: false, read: readScrapedText },
  html: { binary: false, read: readHtml },
  markdown: { binary: false, read: readMarkdown },
  docx: { binary: true, read: readDocx },
};

/** Reads the bytes of a source, with one-line errors (naming it as `shown`) for what cannot be read. */
function readBytes(file: string, shown: string = file): Uint8Array {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new WenjiError('file not found (check the path)', shown);
  }
  if (st.isDirectory()) throw new WenjiError('is a directory, not a file: name the source files inside it', shown);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new WenjiError(`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, shown);
  }
  if (bytes.length === 0) throw new WenjiError('file is empty', shown);
  return bytes;
}

function decodeText(bytes: Uint8Array, file: string): { text: string; encoding: string } {
  const decoded = decodeSource(bytes, file);
  if (!decoded.text.replace(/[\s\u00a0\u3000\ufeff\u200b]/g, '')) throw new WenjiError('file is empty (only whitespace)', file);
  return decoded;
}

/**
 * Reads any supported source (.txt scraped text, .html, .md with front matter, .docx),
 * detects its encoding, normalises it into a Speech. Sidecar metadata next to the file and
 * `overrides` win over what was detected. Throws WenjiError on bad input.
 */
export async function readSource(file: string, overrides: SpeechMetaOverrides = {}): Promise<ReadResult> {
  const bytes = readBytes(file);
  const format = detectFormat(file, bytes);
  const reader = READERS[format];
  let encoding: string | undefined;
  let output: ReaderOutput;
  if (reader.binary) {
    output = await reader.read(bytes, file);
  } else {
    const decoded = decodeText(bytes, file);
    encoding = decoded.encoding;
    output = reader.read(decoded.text, file);
  }
  let { speech, diagnostics } = output;
  diagnostics = [...diagnostics];
  speech = dropUnusableImages(speech, file, diagnostics);
  const removed = output.removed ?? [];
  const explain = output.explain;
  const { ruby, ...sidecarMeta } = readSidecar(file);
  if (ruby) speech = { ...speech, ruby };
  const meta = mergeOverrides(sidecarMeta, overrides);
  if (Object.keys(meta).length) {
    speech = applyOverrides(speech, meta, format !== 'markdown');
    // Warnings about metadata the editor has now supplied no longer apply.
    const supplied = (['title', 'speaker', 'role', 'date'] as const).filter((k) => meta[k]).flatMap((k) => METADATA_CODES[k]);
    diagnostics = diagnostics.filter((d) => !supplied.includes(d.code));
  }
  validateSpeech(speech, file);
  return { speech, diagnostics, report: { removed, format, ...(encoding ? { encoding } : {}), ...(explain ? { explain } : {}) } };
}

/**
 * Reads a front or back matter file (preface, 编辑说明, afterword) the way a Markdown speech is
 * read: any supported encoding, the same dialect (escapes, emphasis, headings, quotes,
 * lists, footnotes). Its title is the front matter's or the first `# ` line, else the file name.
 * Throws WenjiError naming the file (and line) on bad input.
 */
export function readMatterFile(file: string, id: string, shown: string = file): MatterSection {
  const { text } = decodeText(readBytes(file, shown), shown);
  const parsed = readMatterMarkdown(text, shown);
  if (!parsed.blocks.length) {
    throw new WenjiError('has no text: write at least one paragraph (or remove it from book.yaml)', shown);
  }
  const title = parsed.title || path.basename(file).replace(/\.[^.]+$/, '');
  return { id, title, blocks: parsed.blocks, ...(parsed.notes ? { notes: parsed.notes } : {}), file: shown };
}
