/**
 * Every warning and error carries the file (and line, where there is one) it concerns,
 * so the CLI can print `content/x.md:12: message` like a compiler.
 */

export interface Diagnostic {
  severity: 'warning' | 'error';
  file: string;
  line?: number;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}` : d.file;
  return `${where}: ${d.severity === 'error' ? 'error: ' : 'warning: '}${d.message}`;
}

/** An error the user can fix: bad input, bad config, missing tool. Printed without a stack. */
export class WenjiError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'WenjiError';
  }

  /** One line: `file:line: message`. */
  format(): string {
    if (!this.file) return this.message;
    return `${this.line ? `${this.file}:${this.line}` : this.file}: ${this.message}`;
  }
}

/** Collects warnings while a stage runs. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  warn(file: string, message: string, line?: number): void {
    this.items.push({ severity: 'warning', file, line, message });
  }

  get count(): number {
    return this.items.length;
  }
}
