/**
 * `wenji preview INPUT | book.yaml [--edition NAME] [--port N]`: one edition as pages in the
 * browser, rebuilt on every save. The build is the ordinary one (plan, source cache, book,
 * script conversion, print HTML); only its last step differs: instead of a PDF file, the
 * pages go to the preview server. Horizontal editions (Paged.js) are paginated by Paged.js
 * in the page, from the same print HTML and the same patched polyfill as the PDF build;
 * editions printed by Chromium (all vertical ones) are printed exactly as `wenji build`
 * prints them and shown in the browser's PDF viewer.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import iconv from 'iconv-lite';
import { sessionBrowser } from '../browser/chromium.ts';
import { executeBuild, type Writer } from '../build/execute.ts';
import { contentPath, PreviewServer, type PreviewPages, type PublishInfo, type ServedFile } from '../build/preview-server.ts';
import { startRebuildLoop, watchSetOfInputs, type RebuildLoop } from '../build/watch.ts';
import { parseBuildArgs, type BuildOptions } from '../config/options.ts';
import { resolveBuild, type BuildPlan } from '../config/resolve.ts';
import type { Book, Edition } from '../model/book.ts';
import { formatDiagnostic, WenjiError } from '../model/diagnostics.ts';
import type { Speech } from '../model/speech.ts';
import { subsetFontFile } from '../render/font-subset.ts';
import { codePointsOf, type FontSlice } from '../render/fonts.ts';
import { pageName, renderPrintHtml } from '../render/index.ts';
import { prepareFigureImages, printImageTarget } from '../render/figure-images.ts';
import { renderPdfBytes, renderPrintHtmlWithImages } from '../writers/pdf/index.ts';
import { pagedPolyfill } from '../writers/pdf/pagedjs.ts';
import { ENGINE_LAYOUTS } from '../render/page-engines.ts';
import { TEMPLATE_CONTRACT } from '../render/template-contract.ts';
import { buildErrorText } from './build.ts';

export const summary = 'show an edition as pages in the browser, rebuilt on every save';

export const DEFAULT_PORT = 5170;

export const PREVIEW_HELP = `Usage: wenji preview INPUT [options]
       wenji preview path/to/book.yaml [--edition NAME] [options]

Starts a local web server (127.0.0.1 only) and prints its address: open it in a browser to
see the edition as pages. Saving a source, a sidecar .meta.yaml, the book.yaml, a front or
back matter file, a template or a style rebuilds what changed and refreshes the page at the
same speech. A build error shows in the page and here as file:line: message; the last good
pages stay on screen.

Horizontal editions are paginated by Paged.js in the page, as the PDF build does; editions
printed by Chromium (every vertical one) are shown as the very PDF the build writes, in the
browser's PDF viewer, opened at the speech that changed.

Options:
  --edition NAME    with a book.yaml: the edition to show (default: the first that has pages,
                    i.e. not an e-book)
  --port N          port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  -h, --help        show this help

Every option of wenji build that shapes the pages (--preset, --layout, --paper, --engine,
--script, --dictionary, --theme, --mark) applies too. Nothing is written into output/.
`;

export interface PreviewOptions {
  build: BuildOptions;
  port: number;
}

/** Takes --port out, then parses the rest as build options. */
export function parsePreviewArgs(argv: readonly string[]): PreviewOptions {
  const rest: string[] = [];
  let port = DEFAULT_PORT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
        throw new WenjiError(`--port ${value ?? ''}: give a port number from 0 to 65535 (0 picks a free one)`);
      }
      port = Number(value);
    } else if (arg === '--watch' || arg === '--out' || arg.startsWith('--out=') || arg === '--format' || arg.startsWith('--format=')) {
      throw new WenjiError(`${arg.replace(/=.*/, '')} does not apply to wenji preview: it writes no files (use wenji build --watch for files)`);
    } else rest.push(arg);
  }
  return { build: parseBuildArgs(rest), port };
}

/** Where the pages of the preview's one output are said to go (the cache, not output/): nothing is written there. */
const NOWHERE = 'preview';

/**
 * The plan of the one edition to show. A book.yaml shows the edition named by --edition, or
 * its first edition with pages; sources on the command line must be a single one.
 */
export function previewPlan(options: BuildOptions, cwd = process.cwd(), env = process.env): BuildPlan {
  if (options.editions.length > 1) throw new WenjiError(`preview shows one edition at a time: give one --edition (got ${options.editions.join(', ')})`);
  const plan = resolveBuild(options, { cwd, env });
  if (plan.mode === 'single' && plan.editions.length > 1) {
    throw new WenjiError(`preview shows one publication: give one source or a book.yaml (got ${plan.editions.length} sources)`);
  }
  const chosen = options.editions.length ? plan.editions[0] : (plan.editions.find((e) => e.edition.preset !== 'ebook') ?? plan.editions[0]);
  if (!chosen) throw new WenjiError('nothing to preview: the book has no edition');
  if (chosen.edition.preset === 'ebook') {
    const paged = plan.editions.filter((e) => e.edition.preset !== 'ebook').map((e) => e.edition.name);
    throw new WenjiError(
      `edition '${chosen.edition.name || 'ebook'}' is an e-book: it has no pages to preview. ` +
        (paged.length ? `Choose one with pages: --edition ${paged.join(' | ')}` : 'Give --preset handout or book.'),
    );
  }
  return { ...plan, editions: [{ ...chosen, outputs: [{ format: 'html', file: path.join(plan.cacheDir, NOWHERE, 'pages.html') }], reportFile: undefined }] };
}

/** How the preview shows an edition: Paged.js in the page, or the printed PDF. */
export function previewKind(edition: Edition): PreviewPages['kind'] {
  return ENGINE_LAYOUTS[edition.engine].paginatesInPage ? 'paged' : 'pdf';
}

/** Font files (Kai slices) keep their URL for the whole session: they never change. */
const sliceUrls = new Map<string, string>();

/** Characters each whole face is cut down to this session: they only grow (see previewCharacters). */
const sessionCharacters = new Map<string, Set<number>>();

let commonCharacters: { hans: number[]; hant: number[] } | undefined;

/**
 * The characters of the common-use tables: GB 2312 (6,763 hanzi and its symbols) for the
 * simplified faces, Big5's frequent hanzi (5,401) for the traditional ones; ASCII for both.
 */
function common(): { hans: number[]; hant: number[] } {
  if (commonCharacters) return commonCharacters;
  const decode = (encoding: string, rows: [number, number], cells: [number, number][]) => {
    const out: number[] = [];
    for (let a = rows[0]; a <= rows[1]; a++) {
      for (const [from, to] of cells) {
        for (let b = from; b <= to; b++) {
          const ch = iconv.decode(Buffer.from([a, b]), encoding);
          if (ch.length === 1 && ch !== '\ufffd') out.push(ch.codePointAt(0)!);
        }
      }
    }
    return out;
  };
  const ascii = Array.from({ length: 95 }, (_, i) => 32 + i);
  commonCharacters = {
    hans: [...ascii, ...decode('gb2312', [0xa1, 0xf7], [[0xa1, 0xfe]])],
    hant: [...ascii, ...decode('big5', [0xa1, 0xc6], [[0x40, 0x7e], [0xa1, 0xfe]])],
  };
  return commonCharacters;
}

/**
 * What a whole face is cut down to: the common-use table of its script, every character the
 * book has had this session, and those it has now. So a save rarely needs a new cut (only for
 * a character outside all of these), and an older cut still covers the chunks it was made for.
 */
function previewCharacters(font: FontSlice, characters: ReadonlySet<number>): Set<number> {
  let set = sessionCharacters.get(font.file);
  if (!set) {
    set = new Set(/\b(TC|HK)\b/.test(font.family) ? common().hant : common().hans);
    sessionCharacters.set(font.file, set);
  }
  for (const c of characters) set.add(c);
  return set;
}

/**
 * The print HTML cut into chunks, with its fonts served by the preview: whole faces cut down
 * (previewCharacters; named by their bytes), web-font slices as they are. A chunk's id hashes
 * its HTML without the font URLs: a new cut of the fonts leaves the other chunks as they are.
 */
export async function pagedPreview(book: Book, edition: Edition): Promise<PreviewPages> {
  const pending: string[] = [];
  // Figures' pictures go in as data: URLs (the preview serves only the page and its fonts).
  const figureImages = await prepareFigureImages(book, printImageTarget(edition.paper));
  const rendered = renderPrintHtml(book, edition, { fontUrl: (file) => `/fonts/pending/${pending.push(file) - 1}`, figureImages });
  const characters = codePointsOf(rendered.html);
  const files = new Map<string, ServedFile>();
  const urls: string[] = [];
  for (const file of pending) {
    const font = rendered.fontSlices.find((s) => s.file === file)!;
    const name = path.basename(font.file);
    if (font.kind === 'whole') {
      const bytes = await subsetFontFile(font.file, previewCharacters(font, characters));
      const url = contentPath('fonts', name, bytes);
      files.set(url, { type: 'font/ttf', body: bytes });
      urls.push(url);
    } else {
      let url = sliceUrls.get(font.file);
      if (!url) {
        url = `/fonts/${sliceUrls.size}/${encodeURIComponent(name)}`;
        sliceUrls.set(font.file, url);
      }
      files.set(url, { type: 'font/woff2', body: { file: font.file } });
      urls.push(url);
    }
  }
  const chunks = splitAtOpenings(rendered.html).map((chunk) => ({
    id: createHash('sha256').update(chunk).digest('hex').slice(0, 16),
    html: chunk.replace(/\/fonts\/pending\/(\d+)/g, (_, i: string) => urls[Number(i)]!),
  }));
  return { kind: 'paged', chunks, files };
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * The print HTML cut into documents that each open on a recto: a new one at every top-level
 * element marked data-recto (speech, part title, matter, contents), each with the whole
 * head. Laid out on its own, each gives the very pages it has in the book, as the PDF build's
 * chunks do (src/writers/pdf/chunks.ts), so a save lays out again only the chunk that changed.
 * A scan of the tags is enough: the HTML comes from our templates, where every text and
 * attribute value is escaped.
 */
export function splitAtOpenings(html: string): string[] {
  const open = /<body\b[^>]*>/i.exec(html);
  const close = html.lastIndexOf('</body>');
  if (!open || close < 0) return [html];
  const head = html.slice(0, open.index + open[0].length);
  const tail = html.slice(close);
  const rectoMark = new RegExp(`\\s${TEMPLATE_CONTRACT.rectoAttribute}(?=[\\s=/>])`);
  const runs: string[][] = [];
  let depth = 0;
  let start = -1;
  let recto = false;
  const tag = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g;
  tag.lastIndex = open.index + open[0].length;
  for (let m = tag.exec(html); m && m.index < close; m = tag.exec(html)) {
    if (!m[2]) continue;
    const name = m[2].toLowerCase();
    if (m[1]) {
      depth--;
      if (depth === 0 && start >= 0) {
        const element = html.slice(start, m.index + m[0].length);
        if (recto || !runs.length) runs.push([element]);
        else runs.at(-1)!.push(element);
        start = -1;
      }
    } else if (!VOID_ELEMENTS.has(name) && !m[3]) {
      if (depth === 0) {
        start = m.index;
        recto = rectoMark.test(m[0]);
      }
      depth++;
    }
  }
  if (depth !== 0 || runs.length < 2) return [html];
  return runs.map((run) => `${head}\n${run.join('\n')}\n${tail}`);
}

/** The first speech whose content differs from the previous build's, by id. */
function firstChangedSpeech(book: Book, before: Map<string, string>): string | undefined {
  let changed: string | undefined;
  const speeches: Speech[] = book.parts.flatMap((p) => p.speeches);
  for (const s of speeches) {
    const text = JSON.stringify(s);
    if (before.size && before.get(s.id) !== text) changed ??= s.id;
    before.set(s.id, text);
  }
  return changed;
}

export interface PreviewSession {
  url: string;
  kind: PreviewPages['kind'];
  server: PreviewServer;
  /** Resolves when no build is running or queued. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface PreviewIo {
  /** Lines for the terminal (stderr in the CLI). */
  say(line: string): void;
  env?: NodeJS.ProcessEnv;
}

/** Starts the server and the first build; rebuilds on every save until closed. */
export async function startPreview(options: PreviewOptions, io: PreviewIo): Promise<PreviewSession> {
  // Sources are read by the paths shown in messages, relative to the working directory.
  const cwd = process.cwd();
  const env = io.env ?? process.env;
  // Bad options or a bad book.yaml at the start are the command's error, as in wenji build.
  const first = previewPlan(options.build, cwd, env);
  const planned = first.editions[0]!;
  const kind = previewKind(planned.edition);
  const title = first.configFile ?? planned.book.speeches[0]?.display ?? 'wenji';
  const server = new PreviewServer({ pagedPolyfill: kind === 'paged' ? pagedPolyfill() : '', title });
  const url = await server.listen(options.port);

  const browser = sessionBrowser();
  const speechTexts = new Map<string, string>();
  const printed = new Set<string>();
  type Built = { pages: PreviewPages; info: PublishInfo };
  const latest: { result?: Built } = {};

  const previewWriter: Writer = async (book, edition, ctx) => {
    if (previewKind(edition) === 'paged') {
      const pages = await pagedPreview(book, edition);
      latest.result = { pages, info: {} };
      return { file: ctx.outFile, bytes: pages.kind === 'paged' ? pages.chunks.reduce((n, c) => n + c.html.length, 0) : 0 };
    }
    const changed = firstChangedSpeech(book, speechTexts);
    const rendered = await renderPrintHtmlWithImages(book, edition, ctx.cacheDir);
    const { bytes, printed: pdf } = await renderPdfBytes(book, edition, rendered, ctx);
    const anchor = changed && pageName('sp', changed);
    latest.result = { pages: { kind: 'pdf', pdf: bytes }, info: { page: pdf.marks.find((m) => m.id === anchor)?.page } };
    return { file: ctx.outFile, bytes: bytes.length, pages: pdf.pages };
  };

  const report = (text: string) => {
    for (const line of text.split('\n')) io.say(line);
  };

  const loop: RebuildLoop = startRebuildLoop({
    initial: watchSetOfInputs(options.build.inputs, cwd),
    resolve: () => previewPlan(options.build, cwd, env),
    build: async (plan, changedFiles) => {
      const t = performance.now();
      if (changedFiles.length) {
        io.say(`changed: ${changedFiles.map((f) => path.relative(cwd, f) || f).join(', ')}`);
        server.building();
      }
      latest.result = undefined;
      const built = await executeBuild(plan, { browser: browser.get, writers: { html: previewWriter } });
      // Warnings once per session, not again at every save.
      for (const d of built.diagnostics) {
        const line = formatDiagnostic(d);
        if (!printed.has(line)) io.say(line);
        printed.add(line);
      }
      const failed = built.outputs.find((o) => !o.ok);
      // (Set by the writer during executeBuild: TypeScript cannot see that.)
      const result = latest.result as Built | undefined;
      if (failed || !result) throw new WenjiError(failed?.error ?? 'the build produced no pages');
      const ms = performance.now() - t;
      server.publish(result.pages, { ...result.info, ms });
      io.say(`updated in ${(ms / 1000).toFixed(1)} s`);
    },
    fail: (e) => {
      const text = buildErrorText(e);
      report(text);
      server.fail(text);
    },
  });

  return {
    url,
    kind,
    server,
    idle: () => loop.idle(),
    close: async () => {
      await loop.close();
      await server.close();
      await browser.close();
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  const options = parsePreviewArgs(argv);
  if (options.build.help) {
    process.stdout.write(PREVIEW_HELP);
    return 0;
  }
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const session = await startPreview(options, { say });
  process.stdout.write(`wenji preview: ${session.url}\n`);
  say(`${session.kind === 'paged' ? 'Paged.js lays the pages out in the browser' : 'pages as the PDF build prints them, in the browser\'s PDF viewer'}; Ctrl-C stops.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await session.close();
  return 0;
}
