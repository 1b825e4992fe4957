/**
 * The source formats wenji reads, with the file name endings of each: the one list that
 * decides both which reader a named file goes to and which files a glob in book.yaml picks
 * (Pandoc's table of readers). The reader of each format is bound in ./index.ts, which must
 * name one for every format here (the Record type makes a missing one an error).
 *
 * This module imports nothing heavy, so the plan (config/resolve.ts) can use it.
 */
import path from 'node:path';

export type SourceFormat = 'text' | 'html' | 'markdown' | 'docx';

export interface SourceFormatSpec {
  /** File name endings, lower case, with the dot. */
  extensions: readonly string[];
  /** For messages and the README. */
  description: string;
}

export const SOURCE_FORMATS: Readonly<Record<SourceFormat, SourceFormatSpec>> = {
  text: { extensions: ['.txt', '.text'], description: 'scraped text' },
  html: { extensions: ['.html', '.htm', '.xhtml'], description: 'saved web page' },
  markdown: { extensions: ['.md', '.markdown'], description: 'Markdown with YAML front matter' },
  docx: { extensions: ['.docx'], description: 'Word document' },
};

/** Every file name ending a reader accepts, in table order. */
export const SOURCE_EXTENSIONS: readonly string[] = Object.values(SOURCE_FORMATS).flatMap((f) => f.extensions);

/** The format a file name says it is, if it says. */
export function formatOfName(file: string): SourceFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return (Object.keys(SOURCE_FORMATS) as SourceFormat[]).find((f) => SOURCE_FORMATS[f].extensions.includes(ext));
}

/** The format of a file: by its name, else by its first bytes. */
export function detectFormat(file: string, bytes: Uint8Array): SourceFormat {
  const byName = formatOfName(file);
  if (byName) return byName;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'docx';
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8').replace(/^\ufeff/, '').trimStart();
  if (/^---\s*\n/.test(head)) return 'markdown';
  if (/^(<!doctype html|<html|<head|<body|<meta|<article|<div|<p[\s>])/i.test(head)) return 'html';
  return 'text';
}
