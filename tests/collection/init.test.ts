import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as init } from '../../src/cli/init.ts';
import { BUILD_HELP, parseBuildArgs } from '../../src/config/options.ts';
import { parseBookConfig } from '../../src/config/schema.ts';
import { resolveBuild } from '../../src/config/resolve.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { makeCollection } from './fixtures.ts';

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

describe('wenji init', () => {
  it('scaffolds a valid, commented book.yaml, a speeches folder and a preface', async () => {
    const dir = path.join(makeCollection({}), 'mybook');
    expect(await quietly(() => init([dir]))).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['book.yaml', 'preface.md', 'speeches']);
    const yaml = readFileSync(path.join(dir, 'book.yaml'), 'utf8');
    expect(yaml).toMatch(/^# /m);
    const config = parseBookConfig(yaml, 'book.yaml');
    expect(config.title).toBe('mybook');
    expect(config.editions.map((e) => e.name)).toEqual(['book', 'book-vertical', 'ebook']);
    // With no speeches yet, the build stops before rendering and says what to fix.
    expect(() => resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} })).toThrow(/matches no speech source/);
    // Once a speech is there, the plan resolves.
    writeFileSync(path.join(dir, 'speeches', 'a.md'), '---\ntitle: 甲\n---\n\n正文。\n');
    expect(resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} }).editions).toHaveLength(3);
  });

  it('refuses a non-empty folder and never overwrites', async () => {
    const dir = makeCollection({ 'book.yaml': 'mine' });
    await expect(init([dir])).rejects.toThrow(WenjiError);
    await expect(init([dir])).rejects.toThrow('exists and is not empty');
    expect(readFileSync(path.join(dir, 'book.yaml'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(dir, 'preface.md'))).toBe(false);
    await expect(init([])).rejects.toThrow('Usage: wenji init DIR');
  });

  it('wenji build --help describes every option', () => {
    for (const flag of ['--preset', '--layout', '--paper', '--format', '--engine', '--script', '--report', '--dictionary', '--cover', '--no-embed-fonts', '--theme', '--mark', '--out', '--edition', '--help']) {
      expect(BUILD_HELP).toContain(flag);
    }
  });
});
