/**
 * `wenji build --watch`: builds, then builds again when a source is saved (the new text in
 * the output), reports a broken source as file:line without stopping, and goes on after it
 * is fixed. Runs the real CLI in a child process on a temp copy of the sample speech.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRelevantChange, watchSetOfInputs } from '../../src/build/watch.ts';
import { testFolder } from '../temp-folders.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
});

describe('wenji build --watch', () => {
  it('rebuilds the output after a save, reports a broken source and recovers', async () => {
    const dir = testFolder('watch');
    const speeches = path.join(ROOT, 'content/speeches');
    const name = readdirSync(speeches).find((f) => f.endsWith('.md'))!;
    const source = path.join(dir, 'speech.md');
    copyFileSync(path.join(speeches, name), source);
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/wenji.js'), 'build', 'speech.md', '--format', 'html', '--out', 'out', '--watch'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const until = async (test: () => boolean, what: string) => {
      const start = Date.now();
      while (!test()) {
        if (child.exitCode !== null || Date.now() - start > 60_000) throw new Error(`${what} did not happen\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const wrote = () => stdout.split('\nwrote ').length - 1 + (stdout.startsWith('wrote ') ? 1 : 0);
    await until(() => stderr.includes('watching for changes'), 'the first build');
    expect(wrote()).toBe(1);
    const output = path.join(dir, 'out', readdirSync(path.join(dir, 'out')).find((f) => f.endsWith('.html'))!);

    const marker = '这是监视构建时新加的一句话。';
    const original = readFileSync(source, 'utf8');
    // Inside the first long paragraph of the body, where nothing can take it for a heading or a lead.
    const paragraph = original.slice(original.indexOf('\n---\n') + 5).split('\n\n').find((p) => p.trim().length > 80)!;
    writeFileSync(source, original.replace(paragraph, `${marker}${paragraph.trim()}`));
    await until(() => wrote() === 2, 'the rebuild');
    expect(readFileSync(output, 'utf8').replace(/<[^>]*>/g, ''), `${stdout}\n${stderr}`).toContain('监视构建时新加的一句话');

    writeFileSync(source, original.replace(/^---\n/, '---\ndate: [2024\n'));
    await until(() => /speech\.md:\d+: /.test(stderr), 'the error');
    expect(child.exitCode).toBeNull();

    writeFileSync(source, original);
    await until(() => wrote() === 3, 'the build after the fix');
    expect(readFileSync(output, 'utf8').replace(/<[^>]*>/g, '')).not.toContain('监视构建时新加的一句话');
    child.kill('SIGTERM');
  });
});

describe('what counts as a change', () => {
  it('sources, sidecars and new sources in their folders; not editor temp files or other folders', () => {
    const set = watchSetOfInputs(['/p/book.yaml']);
    set.files.add('/p/s/a.txt');
    set.files.add('/p/s/a.meta.yaml');
    set.dirs.add('/p/s');
    set.sourceDirs.add('/p/s');
    set.ignored.push('/p/output');
    expect(isRelevantChange(set, '/p/s/a.txt')).toBe(true);
    expect(isRelevantChange(set, '/p/s/a.meta.yaml')).toBe(true);
    expect(isRelevantChange(set, '/p/s/b.md')).toBe(true);
    expect(isRelevantChange(set, '/p/book.yaml')).toBe(true);
    expect(isRelevantChange(set, '/p/s/.a.txt.swp')).toBe(false);
    expect(isRelevantChange(set, '/p/s/a.txt~')).toBe(false);
    expect(isRelevantChange(set, '/p/s/notes.pdf')).toBe(false);
    expect(isRelevantChange(set, '/p/output/book.pdf')).toBe(false);
    expect(isRelevantChange(set, '/q/a.txt')).toBe(false);
    // Next to sources named on the command line, a new file is not a source.
    expect(isRelevantChange(set, '/p/log.txt')).toBe(false);
  });
});
