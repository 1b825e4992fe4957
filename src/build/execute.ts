/**
 * Executes a BuildPlan: read every source once (cached), assemble each book once, then per
 * edition convert the script and run each format's writer with one shared browser. One
 * failing edition does not stop the others; the result says what failed.
 */
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { assembleBook, type ReadSpeech } from '../book/assemble.ts';
import type { BookPlan, BuildPlan, PlannedEdition } from '../config/resolve.ts';
import { launchBrowser } from '../browser/chromium.ts';
import type { Book, Edition, Format } from '../model/book.ts';
import { blockText, type Block } from '../model/speech.ts';
import { Diagnostics, WenjiError, type Diagnostic } from '../model/diagnostics.ts';
import { convertBook, loadUserDictionary, type ConversionReport } from '../transforms/script/index.ts';
import { annotatePinyin } from '../transforms/pinyin/index.ts';
import { writeEpub } from '../writers/epub/index.ts';
import { writeHtml } from '../writers/html/index.ts';
import { writePdf } from '../writers/pdf/index.ts';
import type { WriteContext, WriteResult } from '../writers/types.ts';
import { checkOutputFolder, cleanUpOnInterrupt, writeFileAtomically } from '../writers/atomic.ts';
import { SpeechCache, type CacheStats } from './cache.ts';
import { formatProofreadingReport } from './report.ts';
import { inputKey, readBookMatter, readSpeeches, type ReadSourceFn } from './sources.ts';
import { ENGINE_LAYOUTS } from '../render/page-engines.ts';
import { TextCheckError } from '../writers/text-check.ts';

export type Writer = (book: Book, edition: Edition, ctx: WriteContext) => Promise<WriteResult>;

export const WRITERS: Record<Format, Writer> = { pdf: writePdf, epub: writeEpub, html: writeHtml };

/** One row of the final table. */
export interface OutputResult {
  edition: string;
  format: Format | 'report';
  file: string;
  ok: boolean;
  pages?: number;
  bytes?: number;
  ms: number;
  warnings: number;
  error?: string;
}

export interface StageTime {
  stage: string;
  ms: number;
}

export interface BuildResult {
  outputs: OutputResult[];
  /** Every warning of the build, each once, in order. */
  diagnostics: Diagnostic[];
  cache: CacheStats;
  stages: StageTime[];
  /** The books as assembled (before script conversion), by BookPlan key. */
  books: Map<string, Book>;
  failed: boolean;
}

export interface ExecuteOptions {
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  writers?: Partial<Record<Format, Writer>>;
  read?: ReadSourceFn;
  /** Browser factory (default: launch the system Chromium once, at the start when an output needs it). */
  launch?: () => Promise<Browser>;
  /** A browser the caller owns and keeps open between builds (watch, preview): used instead of launching one. */
  browser?: () => Promise<Browser>;
  /** Disable the content cache (always re-read). */
  noCache?: boolean;
}

const now = () => performance.now();

/**
 * The most characters set in one paragraph, by any engine: far beyond any speech (a whole
 * speech scraped onto one line is some 10,000), far below a 20 MB one-line file (6.8 million
 * characters), which Paged.js was still paginating after 10 minutes.
 */
export const MAX_PARAGRAPH_CHARS = 200_000;

/** The longest paragraph Paged.js paginates correctly (its limit lives with the engine, render/page-engines.ts). */
export const PAGEDJS_MAX_PARAGRAPH_CHARS = ENGINE_LAYOUTS.pagedjs.maxParagraphChars!;

interface LongestParagraph {
  chars: number;
  file: string;
  line?: number;
}

/** The book's longest block of text (speeches and the editor's matter), with where it is. */
export function longestParagraph(book: Book): LongestParagraph | undefined {
  let longest: LongestParagraph | undefined;
  const look = (blocks: readonly Block[], file: string) => {
    for (const b of blocks) {
      const chars = blockText(b).length;
      if (!longest || chars > longest.chars) longest = { chars, file, ...(b.pos?.line ? { line: b.pos.line } : {}) };
    }
  };
  for (const m of [...book.frontMatter, ...book.backMatter]) look(m.blocks, m.file ?? m.title);
  for (const part of book.parts) for (const s of part.speeches) look(s.blocks, s.source.file);
  return longest;
}

function errorMessage(e: unknown): string {
  if (e instanceof WenjiError) return e.format();
  return (e as Error)?.message?.split('\n')[0] ?? String(e);
}

/** Speeches of a book plan, in plan order, from what was read. */
function speechesOf(plan: BookPlan, read: Map<string, { speech: ReadSpeech['speech'] }>): ReadSpeech[] {
  return plan.speeches.map((input) => ({ file: input.file, display: input.display, speech: read.get(inputKey(input))!.speech }));
}

/**
 * Runs the plan. Bad sources or matter files throw (ConfigError / WenjiError) before any
 * writer runs; failures while writing are reported per output in the result.
 */
export async function executeBuild(plan: BuildPlan, options: ExecuteOptions = {}): Promise<BuildResult> {
  const folders = new Set(plan.editions.flatMap((e) => [...e.outputs.map((o) => o.file), ...(e.reportFile ? [e.reportFile] : [])]).map((f) => path.dirname(f)));
  for (const dir of folders) checkOutputFolder(dir);
  cleanUpOnInterrupt();
  if (options.browser) return runPlan(plan, options, options.browser);
  let browser: Promise<Browser> | undefined;
  const getBrowser = async (): Promise<Browser> => {
    if (browser) {
      const b = await browser.catch(() => undefined);
      if (b?.connected) return b;
    }
    browser = (options.launch ?? launchBrowser)();
    return browser;
  };
  // PDFs and EPUB covers need Chromium: start it now, while the sources are read.
  if (plan.editions.some((e) => e.outputs.some((o) => o.format === 'pdf' || o.format === 'epub'))) void getBrowser().catch(() => {});
  try {
    return await runPlan(plan, options, getBrowser);
  } finally {
    if (browser) {
      const b = await browser.catch(() => undefined);
      await b?.close().catch(() => {});
    }
  }
}

/** Steps 1–3 of executeBuild: read, assemble, write every edition. */
async function runPlan(plan: BuildPlan, options: ExecuteOptions, getBrowser: () => Promise<Browser>): Promise<BuildResult> {
  const progress = options.progress ?? (() => {});
  const stages: StageTime[] = [];
  const cache = new SpeechCache(plan.cacheDir);
  const writers = { ...WRITERS, ...options.writers };

  // 1. Read every distinct source once.
  let t = now();
  const inputs = plan.editions.flatMap((e) => e.book.speeches);
  const read = await readSpeeches(inputs, {
    cache: options.noCache ? undefined : cache,
    read: options.read,
    progress: (done, total, cached) => {
      if (done === total) progress(`read ${total} source${total === 1 ? '' : 's'} (${cached} from cache, ${total - cached} normalised)`);
      else if (done % 50 === 0) progress(`reading sources: ${done} of ${total}`);
    },
  });
  stages.push({ stage: 'read', ms: now() - t });

  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (ds: readonly Diagnostic[]) => {
    for (const d of ds) {
      const k = `${d.file}\0${d.line}\0${d.message}`;
      if (!seen.has(k)) {
        seen.add(k);
        diagnostics.push(d);
      }
    }
  };
  // Warnings of reading, once per source (editions sharing a source do not repeat them).
  for (const input of inputs) report(read.get(inputKey(input))!.diagnostics);

  // 2. Assemble each book once (front matter errors surface here, still before rendering).
  t = now();
  const books = new Map<string, Book>();
  const bookWarnings = new Map<string, number>();
  for (const e of plan.editions) {
    if (books.has(e.book.key)) continue;
    const items = speechesOf(e.book, read);
    const { book, diagnostics: ds } = assembleBook(e.book, items, readBookMatter(e.book));
    const longest = longestParagraph(book);
    if (longest && longest.chars > MAX_PARAGRAPH_CHARS) {
      throw new WenjiError(
        `a paragraph of ${longest.chars} characters, more than the ${MAX_PARAGRAPH_CHARS} wenji sets in one paragraph: split it into paragraphs (a blank line between them)`,
        longest.file,
        longest.line,
      );
    }
    books.set(e.book.key, book);
    report(ds);
    const readWarnings = e.book.speeches.reduce((n, input) => n + read.get(inputKey(input))!.diagnostics.length, 0);
    bookWarnings.set(e.book.key, readWarnings + ds.length);
    const count = book.parts.reduce((n, p) => n + p.speeches.length, 0);
    progress(
      `assembled ${book.title || 'book'}: ${count} speech${count === 1 ? '' : 'es'}${book.parts.length > 1 ? ` in ${book.parts.length} parts` : ''}`,
    );
  }
  // A malformed dictionary is a bad input like a bad source: reported before rendering.
  for (const file of new Set(plan.editions.filter((e) => e.edition.script !== 'source').map((e) => e.dictionary))) {
    if (file) await loadUserDictionary(file);
  }
  stages.push({ stage: 'assemble', ms: now() - t });

  // 3. Editions, one after the other, sharing one browser.

  const outputs: OutputResult[] = [];
  for (const [i, planned] of plan.editions.entries()) {
    outputs.push(
      ...(await buildEdition(planned, books.get(planned.book.key)!, {
        index: i + 1,
        total: plan.editions.length,
        progress,
        writers,
        browser: getBrowser,
        baseWarnings: bookWarnings.get(planned.book.key) ?? 0,
        report,
        stages,
        strict: plan.strict,
        cacheDir: options.noCache ? undefined : plan.cacheDir,
      })),
    );
  }
  return { outputs, diagnostics, cache: cache.stats, stages, books, failed: outputs.some((o) => !o.ok) };
}

interface EditionContext {
  index: number;
  total: number;
  progress: (line: string) => void;
  writers: Record<Format, Writer>;
  browser: () => Promise<Browser>;
  baseWarnings: number;
  report: (ds: readonly Diagnostic[]) => void;
  stages: StageTime[];
  strict?: boolean;
  cacheDir?: string;
}

async function buildEdition(planned: PlannedEdition, book: Book, c: EditionContext): Promise<OutputResult[]> {
  const { edition } = planned;
  const tag = `[${c.index}/${c.total} ${edition.name}]`;
  const say = (m: string) => c.progress(`${tag} ${m}`);
  const results: OutputResult[] = [];

  let converted: Book;
  let conversion: ConversionReport;
  const rubyDiagnostics = new Diagnostics();
  let t = now();
  try {
    if (edition.script !== 'source') say(`converting to ${edition.script}`);
    ({ book: converted, report: conversion } = await convertBook(book, edition.script, { dictionary: planned.dictionary }));
    c.stages.push({ stage: `${edition.name}: script`, ms: now() - t });
    if (edition.preset === 'reading') {
      t = now();
      say('pinyin');
      // Readings are decided on simplified text (pinyin-pro and the common-character table
      // are simplified); the ruby is set over the characters as printed, after conversion.
      const reference = edition.script === 'hans' ? converted : (await convertBook(book, 'hans')).book;
      converted = annotatePinyin(converted, { reference, rules: planned.ruby, diagnostics: rubyDiagnostics });
      c.report(rubyDiagnostics.items);
      c.stages.push({ stage: `${edition.name}: pinyin`, ms: now() - t });
    }
  } catch (e) {
    const error = errorMessage(e);
    say(`FAILED converting to ${edition.script}: ${error}`);
    return planned.outputs.map((o) => ({ edition: edition.name, format: o.format, file: o.file, ok: false, ms: now() - t, warnings: 0, error }));
  }

  if (planned.reportFile) {
    t = now();
    try {
      const text = formatProofreadingReport(converted, conversion);
      await writeFileAtomically(planned.reportFile, text);
      say(`proofreading report: ${conversion.ambiguous.length} characters to check`);
      results.push({ edition: edition.name, format: 'report', file: planned.reportFile, ok: true, ms: now() - t, warnings: 0, bytes: Buffer.byteLength(text) });
    } catch (e) {
      results.push({ edition: edition.name, format: 'report', file: planned.reportFile, ok: false, ms: now() - t, warnings: 0, error: errorMessage(e) });
    }
  }

  for (const out of planned.outputs) {
    t = now();
    const diagnostics = new Diagnostics();
    say(`${out.format}: writing`);
    let engineEdition = edition;
    const layout = out.format === 'pdf' ? ENGINE_LAYOUTS[edition.engine] : undefined;
    const longest = layout?.maxParagraphChars ? longestParagraph(book) : undefined;
    if (layout?.fallback && layout.maxParagraphChars && longest && longest.chars > layout.maxParagraphChars) {
      engineEdition = { ...edition, engine: layout.fallback };
      diagnostics.warn(
        'W-PDF-LONG-PARAGRAPH',
        longest.file,
        `a paragraph of ${longest.chars} characters: Paged.js mis-paginates paragraphs over ${layout.maxParagraphChars} characters, so this PDF is printed by the ${layout.fallback} engine; split the paragraph to keep Paged.js`,
        longest.line,
      );
    }
    const write = (ed: Edition) =>
      c.writers[out.format](converted, ed, {
        outFile: out.file,
        browser: c.browser,
        diagnostics,
        progress: (m) => say(`${out.format}: ${m}`),
        strict: c.strict,
        cacheDir: c.cacheDir,
      });
    try {
      let r: WriteResult;
      try {
        r = await write(engineEdition);
      } catch (e) {
        // An engine that loses text on some page (Paged.js on highly repetitive paragraphs)
        // gets one more try with the engine it hands long paragraphs to; the check runs again.
        const fallback = out.format === 'pdf' ? ENGINE_LAYOUTS[engineEdition.engine].fallback : undefined;
        if (!(e instanceof TextCheckError) || !fallback) throw e;
        diagnostics.warn('W-PDF-ENGINE-FALLBACK', e.file ?? edition.name, `${e.message.split('. Nothing was written.')[0]}; printed by the ${fallback} engine instead`);
        engineEdition = { ...engineEdition, engine: fallback };
        r = await write(engineEdition);
      }
      const ms = now() - t;
      c.report(diagnostics.items);
      results.push({
        edition: edition.name,
        format: out.format,
        file: r.file,
        ok: true,
        pages: r.pages,
        bytes: r.bytes,
        ms,
        warnings: c.baseWarnings + rubyDiagnostics.count + diagnostics.count,
      });
      say(`${out.format}: done${r.pages ? `, ${r.pages} pages` : ''} in ${(ms / 1000).toFixed(1)} s`);
    } catch (e) {
      const ms = now() - t;
      c.report(diagnostics.items);
      const error = errorMessage(e);
      say(`${out.format}: FAILED: ${error}`);
      results.push({ edition: edition.name, format: out.format, file: out.file, ok: false, ms, warnings: c.baseWarnings + rubyDiagnostics.count + diagnostics.count, error });
    }
    c.stages.push({ stage: `${edition.name}: ${out.format}`, ms: now() - t });
  }
  return results;
}
