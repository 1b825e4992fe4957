/** Outputs are written to a temp file beside the target and renamed, so no half file is left. */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WenjiError } from '../model/diagnostics.ts';

const pending = new Set<string>();

// Ctrl-C during a build: remove temp files before exiting.
let hooked = false;
function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const f of pending) {
        rmSync(f, { force: true });
      }
      process.exit(130);
    });
  }
}

export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
}

/** Calls `produce(tmp)` to write a temp file, then renames it onto `target`. */
export async function writeAtomically(target: string, produce: (tmp: string) => Promise<void>): Promise<void> {
  hookSignals();
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  pending.add(tmp);
  try {
    await produce(tmp);
    await rename(tmp, target);
  } finally {
    pending.delete(tmp);
    await rm(tmp, { force: true });
  }
}

export async function writeFileAtomically(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, (tmp) => writeFile(tmp, data));
}

/**
 * Installs the Ctrl-C cleanup now. A build calls this before it launches a browser, so
 * temp files are removed before any other SIGINT handler (puppeteer's) exits the process.
 */
export function cleanUpOnInterrupt(): void {
  hookSignals();
}

/**
 * Makes sure outputs can be written into `dir` (made if missing), before any work: a --out
 * that is a file, lies below one or is read-only would otherwise fail only after rendering.
 */
export function checkOutputFolder(dir: string): void {
  let existing = dir;
  for (;;) {
    let st;
    try {
      st = statSync(existing);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) break;
      existing = parent;
      continue;
    }
    if (!st.isDirectory()) {
      if (existing === dir) throw new WenjiError('the output folder is a file: name a folder with --out (it is made if missing)', dir);
      throw new WenjiError(`is a file, so the output folder ${dir} cannot be made below it: name another folder with --out`, existing);
    }
    break;
  }
  const probe = path.join(dir, `.wenji-write-check.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new WenjiError(`cannot write in the output folder (${code}): make it writable or name another folder with --out`, dir);
  } finally {
    rmSync(probe, { force: true });
  }
}
