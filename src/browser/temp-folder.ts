/**
 * The process's one temp folder, `$TMPDIR/wenji-<pid>-XXXXXX`: Chromium's profile, its own
 * temp files and the pages being printed all go inside, and it goes when the process exits
 * (by its end, an error or Ctrl-C). A process killed outright cannot remove it, so the next
 * run removes the folders of processes that no longer run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'wenji-';
let root: string | undefined;
const beforeExit: Array<() => void> = [];

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temp folders left by wenji processes that were killed. */
export function removeStaleTempFolders(tmp = os.tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-[A-Za-z0-9]{6}$`).exec(name);
    if (m && Number(m[1]) !== process.pid && !processRuns(Number(m[1]))) rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
}

/** The process's temp folder, made on first use. */
export function processTempFolder(): string {
  if (root) return root;
  removeStaleTempFolders();
  root = mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  process.once('exit', () => {
    for (const f of beforeExit.splice(0)) f();
    rmSync(root!, { recursive: true, force: true, maxRetries: 2 });
    root = undefined;
  });
  return root;
}

/** A new folder inside the process's temp folder. */
export function tempFolder(prefix: string): string {
  return mkdtempSync(path.join(processTempFolder(), prefix));
}

/** Runs `f` at exit before the temp folder is removed (to stop what writes into it). */
export function atExitBeforeRemoval(f: () => void): void {
  beforeExit.push(f);
}
