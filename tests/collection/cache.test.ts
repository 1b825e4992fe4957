import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READER_ENTRY, SpeechCache, cacheKey, codeFingerprint } from '../../src/build/cache.ts';
import { importSpecifiers, moduleGraph } from '../../src/build/module-graph.ts';
import { readSpeeches } from '../../src/build/sources.ts';
import { ConfigError } from '../../src/config/schema.ts';
import type { SpeechInput } from '../../src/config/resolve.ts';
import { fakeReader, makeCollection } from './fixtures.ts';

function inputs(dir: string, names: string[]): SpeechInput[] {
  return names.map((n) => ({ file: path.join(dir, n), display: path.join(dir, n), overrides: {} }));
}

describe('the source cache', () => {
  it('a second build re-normalises only the edited source and what changed its sidecar or overrides', async () => {
    const dir = makeCollection({ 'a.txt': '甲|鲁迅|1927-04-08\n正文甲。', 'b.txt': '乙|鲁迅|1926-08-22\n正文乙。', 'c.txt': '丙|鲁迅|\n正文丙。' });
    const cacheDir = path.join(dir, 'cache');
    const list = inputs(dir, ['a.txt', 'b.txt', 'c.txt']);

    const first = fakeReader();
    const cache1 = new SpeechCache(cacheDir);
    const read1 = await readSpeeches(list, { cache: cache1, read: first.read });
    expect(first.calls).toHaveLength(3);
    expect(cache1.stats).toEqual({ hits: 0, misses: 3 });

    const second = fakeReader();
    const cache2 = new SpeechCache(cacheDir);
    const read2 = await readSpeeches(list, { cache: cache2, read: second.read });
    expect(second.calls).toEqual([]);
    expect(cache2.stats).toEqual({ hits: 3, misses: 0 });
    expect([...read2.values()]).toEqual([...read1.values()]);
    // Warnings come back from the cache too.
    expect([...read2.values()][2]!.diagnostics).toEqual([{ severity: 'warning', code: 'W-IMPORT-DATE-MISSING', file: list[2]!.file, message: 'no date found' }]);

    writeFileSync(path.join(dir, 'b.txt'), '乙|鲁迅|1926-08-22\n正文乙，改过。');
    writeFileSync(path.join(dir, 'c.meta.yaml'), 'title: 丙篇\n');
    const third = fakeReader();
    const withOverride = [list[0]!, list[1]!, list[2]!, { ...list[0]!, overrides: { title: '甲篇' } }];
    await readSpeeches(withOverride, { cache: new SpeechCache(cacheDir), read: third.read });
    expect(third.calls.map((f) => path.basename(f))).toEqual(['b.txt', 'c.txt', 'a.txt']);
  });

  it('a source whose picture file appears, or goes, after it was cached is read again', async () => {
    const photo = path.join(import.meta.dirname, '../fixtures/rich/images/huiyi.png');
    const md = '---\ntitle: 讲话\nspeaker: 某某\ndate: 2024-03-19\n---\n\n今天召开会议，主要任务是总结工作。\n\n![现场](images/huiyi.png "会议现场")\n';
    const dir = makeCollection({ 'a.md': md });
    const cacheDir = path.join(dir, 'cache');
    const list = inputs(dir, ['a.md']);
    const figures = (m: Map<string, { speech: { blocks: { type: string }[] } }>) => [...m.values()][0]!.speech.blocks.filter((b) => b.type === 'figure').length;
    expect(figures(await readSpeeches(list, { cache: new SpeechCache(cacheDir) }))).toBe(0);
    mkdirSync(path.join(dir, 'images'));
    copyFileSync(photo, path.join(dir, 'images/huiyi.png'));
    const cache = new SpeechCache(cacheDir);
    expect(figures(await readSpeeches(list, { cache }))).toBe(1);
    expect(cache.stats).toEqual({ hits: 0, misses: 1 });
    const unchanged = new SpeechCache(cacheDir);
    expect(figures(await readSpeeches(list, { cache: unchanged }))).toBe(1);
    expect(unchanged.stats).toEqual({ hits: 1, misses: 0 });
    rmSync(path.join(dir, 'images/huiyi.png'));
    expect(figures(await readSpeeches(list, { cache: new SpeechCache(cacheDir) }))).toBe(0);
  });

  it('a corrupt cache entry is a miss, not an error', async () => {
    const dir = makeCollection({ 'a.txt': '甲|鲁迅|1927-04-08\n正文甲。' });
    const cacheDir = path.join(dir, 'cache');
    const list = inputs(dir, ['a.txt']);
    await readSpeeches(list, { cache: new SpeechCache(cacheDir), read: fakeReader().read });
    const shard = readdirSync(path.join(cacheDir, 'speeches'))[0]!;
    const entry = readdirSync(path.join(cacheDir, 'speeches', shard))[0]!;
    writeFileSync(path.join(cacheDir, 'speeches', shard, entry), JSON.stringify({ version: 1, speech: { id: 'x' }, diagnostics: [] }));
    const again = fakeReader();
    const cache = new SpeechCache(cacheDir);
    await readSpeeches(list, { cache, read: again.read });
    expect(again.calls).toHaveLength(1);
    expect(cache.stats.misses).toBe(1);
  });

  it('the key covers bytes, sidecars, overrides, the shown path and the reader code', () => {
    const base = { bytes: new TextEncoder().encode('x'), display: 'a.txt', overrides: {}, sidecars: [], code: 'c1' };
    const k = cacheKey(base);
    expect(cacheKey({ ...base })).toBe(k);
    for (const changed of [
      { bytes: new TextEncoder().encode('y') },
      { display: 'b.txt' },
      { overrides: { title: 't' } },
      { sidecars: [{ name: 'a.meta.yaml', bytes: new Uint8Array([1]) }] },
      { code: 'c2' },
    ]) {
      expect(cacheKey({ ...base, ...changed })).not.toBe(k);
    }
  });

  it('collects every unreadable source into one error', async () => {
    const dir = makeCollection({ 'a.txt': 'x' });
    const failing = async (file: string): Promise<never> => {
      throw new Error(`cannot read ${path.basename(file)}`);
    };
    const err = await readSpeeches(inputs(dir, ['a.txt', 'b.txt']), { read: failing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).errors.map((e) => e.message)).toEqual(['cannot read a.txt', 'cannot read b.txt']);
  });
});

describe('the fingerprint of the import path', () => {
  it('covers every file the readers import, wherever it lives, and the packages they name', () => {
    const graph = moduleGraph([READER_ENTRY]);
    const files = graph.files.map((f) => path.relative(path.resolve(READER_ENTRY, '../../..'), f).split(path.sep).join('/'));
    // Two files outside readers/ and normalize/ that the readers run.
    expect(files).toEqual(expect.arrayContaining(['src/model/validate.ts', 'src/readers/formats.ts', 'src/normalize/index.ts']));
    expect(files.some((f) => f.startsWith('src/render/') || f.startsWith('src/writers/pdf/'))).toBe(false);
    expect(graph.packages).toEqual(expect.arrayContaining(['mammoth', 'linkedom', 'iconv-lite']));
  });

  it('changes when a file imported anywhere down the path, the version or a package changes', () => {
    const dir = makeCollection({
      'package.json': '{"version":"1.0.0"}',
      'node_modules/dep/package.json': '{"version":"2.0.0"}',
      'src/readers/index.ts': "import { a } from '../shared/a.ts';\nexport { b } from './b.ts';\nimport dep from 'dep/sub';\n",
      'src/readers/b.ts': 'export const b = 1;\n',
      'src/shared/a.ts': "import type { C } from '../model/c.ts';\nexport const a = 1;\n",
      'src/model/c.ts': 'export type C = number;\n',
      'src/writers/w.ts': 'export const w = 1;\n',
    });
    const entry = path.join(dir, 'src/readers/index.ts');
    const print = () => codeFingerprint([entry], dir);
    const first = print();
    writeFileSync(path.join(dir, 'src/writers/w.ts'), 'export const w = 2;\n');
    expect(print()).toBe(first);
    const seen = new Set([first]);
    for (const [file, text] of [
      ['src/model/c.ts', 'export type C = string;\n'],
      ['node_modules/dep/package.json', '{"version":"2.0.1"}'],
      ['package.json', '{"version":"1.0.1"}'],
    ] as const) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
      const next = print();
      expect(seen.has(next)).toBe(false);
      seen.add(next);
    }
  });

  it('finds imports, re-exports, side-effect imports and dynamic imports', () => {
    const src = "import a from 'x';\nimport type { T } from './t.ts';\nexport * from './e.ts';\nimport './side.ts';\nconst m = await import('./dyn.ts');\n// import z from 'not-code';\n";
    expect(importSpecifiers(src).sort()).toEqual(['./dyn.ts', './e.ts', './side.ts', './t.ts', 'x'].sort());
  });
});
