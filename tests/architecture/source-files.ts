/** The project's own source files, read for tests that check where a concept lives. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

/** Files under `dir` (relative to the repository) as { file: 'src/…', text }. */
export function sources(dir: string, ext = /\.(ts|hbs|css)$/): { file: string; text: string }[] {
  return walk(path.join(ROOT, dir), ext).map((p) => ({ file: path.relative(ROOT, p).split(path.sep).join('/'), text: readFileSync(p, 'utf8') }));
}

/** Source text without comments, so a comment may name what the code must not contain. */
export function withoutComments(ts: string): string {
  return ts.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The files (other than `home`) whose code matches `pattern`. */
export function copiesOutside(pattern: RegExp, home: string | string[], dirs = ['src', 'templates']): string[] {
  const homes = new Set([home].flat());
  return dirs
    .flatMap((d) => sources(d))
    .filter((f) => !homes.has(f.file) && pattern.test(withoutComments(f.text)))
    .map((f) => f.file);
}
