/**
 * The modules a source file imports, transitively: the project's own files, and the npm
 * packages they name. Used for the cache's fingerprint (everything the import path runs) and
 * by the tests that keep the layers apart. Reads the source text; resolves only relative
 * specifiers (the project's own), so it never loads anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every module specifier in a TypeScript file: static imports and re-exports, side-effect imports, import(). */
export function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) out.push(m[1]!);
  return out;
}

/** The npm package a bare specifier names: `@scope/name/sub` → `@scope/name`; node: builtins → undefined. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export interface ModuleGraph {
  /** Absolute paths of the project files reached, the entry included, sorted. */
  files: string[];
  /** npm packages named by those files, sorted. */
  packages: string[];
  /** For each file, the project files it imports directly. */
  edges: Map<string, string[]>;
}

/** Walks the relative imports from `entries` (absolute paths of .ts files). */
export function moduleGraph(entries: readonly string[]): ModuleGraph {
  const edges = new Map<string, string[]>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (edges.has(file)) continue;
    const own: string[] = [];
    edges.set(file, own);
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      const pkg = packageOf(spec);
      if (pkg) packages.add(pkg);
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (!existsSync(target)) continue; // a .d.ts shim or a non-module asset
      own.push(target);
      queue.push(target);
    }
  }
  return { files: [...edges.keys()].sort(), packages: [...packages].sort(), edges };
}
