/**
 * The layers of the pipeline import only downwards: sources → readers → model ← writers, with
 * the plan (config) and its execution (build) on top. A forbidden import fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, moduleGraph } from '../../src/build/module-graph.ts';
import { ROOT, sources } from './source-files.ts';

/** Which layers (folders of src/) each layer may import. Anything else is a layer crossing. */
const ALLOWED: Record<string, string[]> = {
  model: [],
  // The private fontconfig names the folder of the bundled faces (render/fonts.ts).
  browser: ['model', 'render'],
  transforms: ['model'],
  // Import tags a speech's script with the one detector (transforms/script/script-detection.ts).
  normalize: ['model', 'transforms'],
  readers: ['model', 'normalize', 'transforms'],
  book: ['model'],
  render: ['model'],
  // Writers consume the model; they never reach back into reading, the plan or its execution.
  writers: ['model', 'render', 'browser'],
  // The plan asks the one table of formats (readers/formats.ts) and the engines (render/page-engines.ts) what they can do.
  config: ['model', 'book', 'readers', 'render'],
  build: ['model', 'book', 'browser', 'config', 'readers', 'render', 'transforms', 'writers'],
  cli: ['model', 'book', 'browser', 'build', 'config', 'readers', 'normalize', 'render', 'transforms', 'writers'],
};

/** Single files another layer may use: the Markdown dialect is shared by its reader and its writer. */
const SHARED_FILES = new Set(['src/readers/markdown-dialect.ts']);

const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');
const layerOf = (f: string) => rel(f).split('/')[1]!;

describe('layers', () => {
  const files = sources('src', /(?<!\.d)\.ts$/).map((f) => path.join(ROOT, f.file));
  const graph = moduleGraph(files);

  it('every folder of src/ has a place in the table', () => {
    expect([...new Set(files.map(layerOf))].filter((l) => !l.endsWith('.ts') && !(l in ALLOWED))).toEqual([]);
  });

  it('no file imports a layer it may not (readers never writers; writers never build, normalize or config; book never config)', () => {
    const crossings: string[] = [];
    for (const [file, targets] of graph.edges) {
      const from = layerOf(file);
      for (const t of targets) {
        const to = layerOf(t);
        if (to === from || SHARED_FILES.has(rel(t))) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) crossings.push(`${rel(file)} → ${rel(t)}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('the book layer is pure: it reads no files (matter comes read by the readers)', () => {
    const io = files.filter((f) => layerOf(f) === 'book' && importSpecifiers(readFileSync(f, 'utf8')).some((s) => /^node:fs/.test(s)));
    expect(io.map(rel)).toEqual([]);
  });
});
