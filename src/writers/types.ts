/** What every writer receives and returns. Each format is one module with one entry point. */
import type { Browser } from 'puppeteer-core';
import type { Diagnostics } from '../model/diagnostics.ts';

export interface WriteContext {
  /** Final path of the output file; writers write atomically (temp file, then rename). */
  outFile: string;
  /** Shared browser for the whole build (launched lazily by the caller). */
  browser: () => Promise<Browser>;
  diagnostics: Diagnostics;
  /** --strict: a character no bundled face has fails the output. */
  strict?: boolean;
  /** Where prepared figure pictures are kept between builds (absent: in memory only). */
  cacheDir?: string;
  /** Progress messages for the CLI (stage names, counts). */
  progress?: (message: string) => void;
}

export interface WriteResult {
  file: string;
  bytes: number;
  /** Page count, for PDFs. */
  pages?: number;
}
