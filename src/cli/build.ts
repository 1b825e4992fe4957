/** `wenji build INPUT... | book.yaml [--watch]`: validate → plan → execute → report. */
import { sessionBrowser } from '../browser/chromium.ts';
import { BUILD_HELP, parseBuildArgs, type BuildOptions } from '../config/options.ts';
import { resolveBuild, type BuildPlan } from '../config/resolve.ts';
import { executeBuild, type BuildResult } from '../build/execute.ts';
import { formatTable } from '../build/report.ts';
import { startRebuildLoop, watchSetOfInputs } from '../build/watch.ts';
import { formatDiagnostic, WenjiError } from '../model/diagnostics.ts';

export const summary = 'build PDF / EPUB / HTML from sources or a book.yaml';

const WATCH_HELP = `
  --watch                       build, then build again on every save of a source, sidecar,
                                book.yaml, matter file, template or style, until Ctrl-C
                                (sources are re-read only when they changed)
`;

/** An error of a build as the terminal and the preview page show it: `file:line: message` lines. */
export function buildErrorText(e: unknown): string {
  if (e instanceof WenjiError) return e.format();
  return (e as Error)?.message?.split('\n')[0] ?? String(e);
}

/** Prints what a build did; returns how many outputs failed. */
function printResult(result: BuildResult): number {
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  for (const o of result.outputs) if (o.ok) process.stdout.write(`wrote ${o.file}\n`);
  process.stdout.write(`\n${formatTable(result.outputs)}`);
  // A speech left out of the book is named where the editor looks last, not only among the warnings.
  const dropped = result.diagnostics.filter((d) => d.code === 'W-BOOK-DUPLICATE');
  if (dropped.length) {
    process.stdout.write(`\n${dropped.length} speech${dropped.length === 1 ? '' : 'es'} left out as duplicates:\n`);
    for (const d of dropped) process.stdout.write(`  ${d.file}: ${d.message}\n`);
  }
  const failed = result.outputs.filter((o) => !o.ok);
  if (failed.length) process.stderr.write(`wenji build: ${failed.length} of ${result.outputs.length} outputs failed\n`);
  return failed.length;
}

export async function run(argv: string[]): Promise<number> {
  const watching = argv.includes('--watch');
  const options = parseBuildArgs(argv.filter((a) => a !== '--watch'));
  if (options.help) {
    process.stdout.write(BUILD_HELP.replace(/\n(\s+-h, --help)/, `${WATCH_HELP.trimEnd()}\n$1`));
    return 0;
  }
  if (watching) return watch(options);
  const plan = resolveBuild(options);
  const result = await executeBuild(plan, { progress: (line) => process.stderr.write(`${line}\n`) });
  return printResult(result) ? 1 : 0;
}

/** `--watch`: one browser for the session, a build after every save, errors printed, never an exit. */
async function watch(options: BuildOptions): Promise<number> {
  // A bad command line or book.yaml at the start is an error, as without --watch.
  resolveBuild(options);
  const browser = sessionBrowser();
  const loop = startRebuildLoop({
    initial: watchSetOfInputs(options.inputs),
    resolve: () => resolveBuild(options),
    build: async (plan: BuildPlan, changed) => {
      if (changed.length) process.stderr.write(`\nchanged: ${changed.join(', ')}\n`);
      printResult(await executeBuild(plan, { browser: browser.get, progress: (line) => process.stderr.write(`${line}\n`) }));
      process.stderr.write('watching for changes (Ctrl-C stops)\n');
    },
    fail: (e) => process.stderr.write(`wenji: ${buildErrorText(e).replace(/\n/g, '\nwenji: ')}\n`),
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await loop.close();
  await browser.close();
  return 0;
}
