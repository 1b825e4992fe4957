/** What a build prints at the end: the summary table and the proofreading report. */
import path from 'node:path';
import type { Book } from '../model/book.ts';
import { formatConversionReport, type ConversionReport } from '../transforms/script/index.ts';
import type { OutputResult } from './execute.ts';

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, n: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, n - width(s)));
  return right ? fill + s : s + fill;
}

function shownPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return !rel || rel.startsWith('..') ? file : rel;
}

/** The final table: edition, format, pages, size, time, warnings, file (or the failure). */
export function formatTable(outputs: readonly OutputResult[], cwd = process.cwd()): string {
  const header = ['edition', 'format', 'pages', 'size', 'time', 'warnings', 'result'];
  const rows = outputs.map((o) => [
    o.edition,
    o.format,
    o.pages === undefined ? '-' : String(o.pages),
    o.ok ? formatSize(o.bytes) : '-',
    `${(o.ms / 1000).toFixed(1)} s`,
    String(o.warnings),
    o.ok ? shownPath(o.file, cwd) : `FAILED: ${o.error ?? 'unknown error'}`,
  ]);
  const numeric = new Set([2, 3, 4, 5]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => (i === 6 ? 0 : width(r[i]!)))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!, numeric.has(i))))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** The script module's proofreading report, headed by the book it belongs to. */
export function formatProofreadingReport(book: Book, report: ConversionReport): string {
  return `${book.title}\n${formatConversionReport(report)}\n`;
}
