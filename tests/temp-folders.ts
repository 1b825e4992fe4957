/**
 * Temp folders for tests: `testFolder(name)` makes `$TMPDIR/wenji-test-<name>-XXXXXX` and
 * remembers it; tests/temp-folders.setup.ts (a vitest setupFiles entry, so it runs for every
 * test file) removes them all when the test file ends, after the file's own afterAll hooks
 * (hooks run last-registered first), so browsers and servers have stopped using them.
 * The TMPDIR of the test process is left alone: Chromium in spawned CLIs relies on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new empty folder, removed when the test file ends. */
export function testFolder(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `wenji-test-${name}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder testFolder made so far (tests that removed theirs already are fine). */
export function removeTestFolders(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
}
