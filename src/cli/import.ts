/**
 * `wenji import FILE... [--out DIR] [--json] [--title … --date …]`: reads sources, writes one
 * Markdown file per speech (or prints the model as JSON), and reports what it found and what
 * it removed. Every file is read before anything is written: one bad input, nothing written.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomically } from '../writers/atomic.ts';
import { formatDiagnostic, WenjiError } from '../model/diagnostics.ts';
import type { Block, Speech, SpeechMetaOverrides } from '../model/speech.ts';
import { blockText, inlineText } from '../model/speech.ts';
import { speechFileName } from '../normalize/id.ts';
import { readSource, type ReadResult } from '../readers/index.ts';
import { speechToMarkdown } from '../writers/markdown/index.ts';
import { placeImages, type ImageFile } from '../writers/markdown/images.ts';

export const summary = 'normalise sources into Markdown with front matter (or --json)';

export const IMPORT_HELP = `Usage: wenji import FILE... [options]

Reads each source (scraped .txt, saved .html page, .md with front matter, Word .docx;
UTF-8, GB18030/GBK or Big5), removes page chrome, finds title, speaker, date and
sections, repairs punctuation, and writes one Markdown file per speech named from its
date and title (2024-03-19-在兰州新区高新技术企业座谈会上的讲话.md).

Options:
  --out DIR          write the Markdown files into DIR (default: the current directory)
  --json             print the model as JSON on stdout instead of writing files
                     (an object for one file, an array for several)
  --force            replace Markdown files that already exist in --out (without it, an
                     existing file that differs from the import is an error: it may
                     hold an editor's corrections)
  --explain          print every source line with the role it got (title, byline,
                     date, lead, heading, body, note, chrome) and the rule that decided
                     it, instead of writing files
  --title TEXT       title of the speech
  --subtitle TEXT    subtitle
  --speaker NAME     speaker's name
  --role TEXT        speaker's role (甘肃省省长)
  --date YYYY-MM-DD  the day the speech was given
  --occasion TEXT    occasion (全省经济工作会议)
  --venue TEXT       venue
  -h, --help         show this help

Metadata the editor knows better than the page overrides what was detected: put it in a
sidecar file next to the source, dir/NAME.meta.yaml for dir/NAME.txt (keys: title,
subtitle, speaker, role, date, occasion, venue), or give it as options above, which win
over the sidecar. With several files, options apply to every file.

For each file the report lists what was found (title, speaker, date, paragraphs,
headings), every line removed as page chrome, and warnings as file:line: warning: ….
When the title, speaker, role or date is missing or only guessed, the warning names the
sidecar key that settles it.
Bad input (missing, empty, binary, undecodable, no speech in it) is an error naming the
file; then nothing is written and the exit code is 1. Sources are never modified.
`;

const META_KEYS = ['title', 'subtitle', 'speaker', 'role', 'date', 'occasion', 'venue'] as const;

interface ImportOptions {
  files: string[];
  out: string;
  json: boolean;
  explain: boolean;
  force: boolean;
  help: boolean;
  overrides: SpeechMetaOverrides;
}

export function parseImportArgs(argv: string[]): ImportOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        json: { type: 'boolean' },
        explain: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(META_KEYS.map((k) => [k, { type: 'string' as const }])),
      },
    });
  } catch (e) {
    throw new WenjiError(`import: ${(e as Error).message} (see wenji import --help)`);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const overrides: SpeechMetaOverrides = {};
  for (const k of META_KEYS) {
    const value = v[k];
    if (typeof value === 'string') {
      if (!value.trim()) throw new WenjiError(`import: --${k} is empty`);
      overrides[k] = value.trim();
    }
  }
  if (overrides.date && !/^\d{4}-\d{2}-\d{2}$/.test(overrides.date)) {
    throw new WenjiError(`import: --date must be YYYY-MM-DD, not "${overrides.date}"`);
  }
  return {
    files: parsed.positionals,
    out: typeof v.out === 'string' ? v.out : '.',
    json: v.json === true,
    explain: v.explain === true,
    force: v.force === true,
    help: v.help === true,
    overrides,
  };
}

/** The JSON view of a speech: the model, each block with its plain text and lead. */
export function speechToJson(s: Speech): Record<string, unknown> {
  const block = (b: Block): Record<string, unknown> => {
    const out: Record<string, unknown> = { type: b.type, text: blockText(b) };
    if (b.type === 'paragraph' && b.lead?.length) out.lead = inlineText(b.lead);
    if (b.type === 'heading') Object.assign(out, { level: b.level, ...(b.number ? { number: b.number } : {}) });
    if (b.type === 'list') Object.assign(out, { ordered: b.ordered, items: b.items.map(inlineText) });
    if (b.type === 'quote') out.paragraphs = b.paragraphs.map(inlineText);
    if (b.type === 'figure') Object.assign(out, { src: b.image.src, alt: b.alt, ...(b.image.data !== undefined ? { embedded: true } : {}), ...(b.image.mediaType ? { mediaType: b.image.mediaType } : {}) });
    if (b.type === 'table') Object.assign(out, { ...(b.header ? { header: b.header.map(inlineText) } : {}), rows: b.rows.map((r) => r.map(inlineText)) });
    if (b.pos) out.line = b.pos.line;
    return out;
  };
  return {
    id: s.id,
    title: s.title,
    ...(s.subtitle !== undefined ? { subtitle: s.subtitle } : {}),
    speaker: s.speaker ? { name: s.speaker.name ?? null, role: s.speaker.role ?? null } : null,
    date: s.date,
    ...(s.dateText !== undefined ? { dateText: s.dateText } : {}),
    occasion: s.occasion ?? null,
    venue: s.venue ?? null,
    lang: s.lang,
    source: s.source,
    blocks: s.blocks.map(block),
  };
}

function count(s: Speech, type: Block['type']): number {
  return s.blocks.filter((b) => b.type === type).length;
}

/** Clips a line for a one-line display. */
function clip(s: string, n: number): string {
  const cs = [...s];
  return cs.length > n ? cs.slice(0, n).join('') + '…' : s;
}

/**
 * `--explain`: every paragraph of the source, in order, with its line, the role it got and
 * the rule that decided it, so an editor sees at once why a line vanished or stayed.
 */
export function formatExplain(file: string, r: ReadResult): string {
  const lines = [file];
  const entries = r.report.explain;
  if (!entries) {
    lines.push(`  (${r.report.format ?? 'this'} source is read as it is: every block is kept as written)`);
    return lines.join('\n') + '\n';
  }
  const ruleWidth = Math.min(44, Math.max(4, ...entries.map((e) => [...e.rule].length)));
  lines.push(`  ${'line'.padStart(7)}  ${'role'.padEnd(7)}  ${'rule'.padEnd(ruleWidth)}  text`);
  for (const [i, e] of entries.entries()) {
    // HTML and Word have blocks, not lines: they are numbered #1, #2 … in document order.
    const where = e.line === undefined ? `#${i + 1}` : e.lastLine ? `${e.line}-${e.lastLine}` : String(e.line);
    lines.push(`  ${where.padStart(7)}  ${e.role.padEnd(7)}  ${clip(e.rule, ruleWidth).padEnd(ruleWidth)}  ${clip(e.text, 40)}`);
  }
  for (const d of r.diagnostics) lines.push(formatDiagnostic(d));
  return lines.join('\n') + '\n';
}

/** The human report for one imported file. */
export function formatReport(file: string, r: ReadResult, written?: string): string {
  const s = r.speech;
  const leads = s.blocks.filter((b) => b.type === 'paragraph' && b.lead?.length).length;
  const others = (['salutation', 'closing', 'quote', 'list', 'note', 'figure', 'table'] as const)
    .map((t) => [t, count(s, t)] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`);
  const lines = [
    written ? `${file} → ${written}` : file,
    `  title     ${s.title}${s.subtitle ? ` —— ${s.subtitle}` : ''}`,
    `  speaker   ${s.speaker ? `${s.speaker.name ?? '(not named)'}${s.speaker.role ? `（${s.speaker.role}）` : ''}` : '(none)'}`,
    `  date      ${s.date ?? (s.dateText ? `(${s.dateText}, no year)` : '(none)')}`,
  ];
  if (s.occasion) lines.push(`  occasion  ${s.occasion}`);
  if (s.venue) lines.push(`  venue     ${s.venue}`);
  lines.push(
    `  found     ${count(s, 'paragraph')} paragraphs (${leads} with run-in leads), ${count(s, 'heading')} headings${others.length ? `, ${others.join(', ')}` : ''}; ${s.lang}${r.report.encoding ? `, ${r.report.encoding}` : ''}`,
  );
  if (s.source.published) lines.push(`  published ${s.source.published} (web page date, not the speech date)`);
  if (r.report.removed.length) {
    lines.push(`  removed   ${r.report.removed.length} lines of page chrome:`);
    for (const l of r.report.removed) lines.push(`            ${[...l].length > 60 ? [...l].slice(0, 60).join('') + '…' : l}`);
  } else lines.push('  removed   nothing');
  for (const d of r.diagnostics) lines.push(formatDiagnostic(d));
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const options = parseImportArgs(argv);
  if (options.help) {
    process.stdout.write(IMPORT_HELP);
    return 0;
  }
  if (!options.files.length) {
    process.stderr.write('wenji import: no FILE given (see wenji import --help)\n');
    return 2;
  }
  // Read everything first; any bad input stops the import before a file is written.
  const results: { file: string; result: ReadResult }[] = [];
  const errors: string[] = [];
  for (const file of options.files) {
    try {
      results.push({ file, result: await readSource(file, options.overrides) });
    } catch (e) {
      if (!(e instanceof WenjiError)) throw e;
      errors.push(e.format());
    }
  }
  if (errors.length) {
    for (const e of errors) process.stderr.write(`wenji import: ${e}\n`);
    process.stderr.write(`wenji import: nothing written (${errors.length} of ${options.files.length} inputs failed)\n`);
    return 1;
  }

  if (options.explain) {
    for (const { file, result } of results) process.stdout.write(formatExplain(file, result));
    return 0;
  }

  if (options.json) {
    const views = results.map((r) => speechToJson(r.result.speech));
    process.stdout.write(JSON.stringify(views.length === 1 ? views[0] : views, null, 2) + '\n');
    for (const { file, result } of results) process.stderr.write(formatReport(file, result));
    return 0;
  }

  const targets = results.map(({ file, result }) => {
    const s = result.speech;
    const target = path.join(options.out, speechFileName(s.title, s.date, s.id));
    if (path.resolve(target) === path.resolve(file)) {
      throw new WenjiError(`would overwrite the source itself; choose another --out`, file);
    }
    return target;
  });
  const dup = targets.find((t, i) => targets.indexOf(t) !== i);
  if (dup) throw new WenjiError(`two inputs would both be written to ${dup} (same date and title): import them separately`);
  // Markdown holds no image bytes: embedded images go to NAME.images/ beside the .md, and
  // paths to image files are made relative to the .md's folder.
  const placed = results.map(({ file, result }, i) => placeImages(result.speech, file, targets[i]!));
  const markdown = placed.map((p) => speechToMarkdown(p.speech));
  const images: ImageFile[] = placed.flatMap((p) => p.files);
  const sources = new Set(options.files.map((f) => path.resolve(f)));
  const onSource = images.find((f) => sources.has(path.resolve(f.file)));
  if (onSource) throw new WenjiError(`an image would be written over the source ${onSource.file}; choose another --out`, onSource.file);
  // An existing file may hold an editor's corrections, or another speech with the same date
  // and title: never replaced unasked. The same text again is no change.
  const differs = (file: string, bytes: Uint8Array) => existsSync(file) && !Buffer.from(readFileSync(file)).equals(Buffer.from(bytes));
  const taken = options.force
    ? []
    : [...targets.filter((t, i) => differs(t, Buffer.from(markdown[i]!))), ...images.filter((f) => differs(f.file, f.bytes)).map((f) => f.file)];
  if (taken.length) {
    for (const t of taken) {
      process.stderr.write(
        `wenji import: ${t}: already exists and differs from this import (edited since?): wenji import never overwrites; pass --force to replace it, or --out another folder\n`,
      );
    }
    process.stderr.write('wenji import: nothing written\n');
    return 1;
  }
  mkdirSync(options.out, { recursive: true });
  for (const image of images) {
    mkdirSync(path.dirname(image.file), { recursive: true });
    await writeFileAtomically(image.file, image.bytes);
  }
  for (let i = 0; i < results.length; i++) {
    const { file, result } = results[i]!;
    await writeFileAtomically(targets[i]!, markdown[i]!);
    process.stdout.write(formatReport(file, result, targets[i]));
  }
  return 0;
}
