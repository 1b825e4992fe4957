/** `wenji build INPUT... | book.yaml`: validate → plan → execute → report. */
import { BUILD_HELP, parseBuildArgs } from '../config/options.ts';
import { resolveBuild } from '../config/resolve.ts';
import { executeBuild } from '../build/execute.ts';
import { formatTable } from '../build/report.ts';
import { formatDiagnostic } from '../model/diagnostics.ts';

export const summary = 'build PDF / EPUB / HTML from sources or a book.yaml';

export async function run(argv: string[]): Promise<number> {
  const options = parseBuildArgs(argv);
  if (options.help) {
    process.stdout.write(BUILD_HELP);
    return 0;
  }
  const plan = resolveBuild(options);
  const result = await executeBuild(plan, { progress: (line) => process.stderr.write(`${line}\n`) });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  for (const o of result.outputs) if (o.ok) process.stdout.write(`wrote ${o.file}\n`);
  process.stdout.write(`\n${formatTable(result.outputs)}`);
  const failed = result.outputs.filter((o) => !o.ok);
  if (failed.length) {
    process.stderr.write(`wenji build: ${failed.length} of ${result.outputs.length} outputs failed\n`);
    return 1;
  }
  return 0;
}
