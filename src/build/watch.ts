/**
 * Rebuild on save (`wenji build --watch`, `wenji preview`): the files a build plan reads are
 * watched through their folders (editors save by writing a temp file and renaming it over
 * the old one, which ends a watch on the file itself), templates and styles through their
 * trees. Changes are gathered for a moment and then built once; a save during a build
 * starts one more build after it, never two at once. The plan is resolved again before
 * every build, so a new file matching a glob of the book.yaml is picked up.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../render/templates.ts';
import { forgetTemplates } from '../render/index.ts';
import type { BuildPlan } from '../config/resolve.ts';
import { SOURCE_EXTENSIONS } from '../readers/formats.ts';
import { sidecarCandidates } from './cache.ts';

/** What a build depends on: files, the folders holding them, and trees of templates and styles. */
export interface WatchSet {
  files: Set<string>;
  /** Folders watched on their own (not their subfolders). */
  dirs: Set<string>;
  /** Folders watched with everything below them. */
  trees: Set<string>;
  /** Folders whose changes never count (the build's own output and cache). */
  ignored: string[];
  /** Folders where a new source counts (a glob of the book.yaml may match it). */
  sourceDirs: Set<string>;
}

/** The watch set of the inputs named on the command line, before any plan exists. */
export function watchSetOfInputs(inputs: readonly string[], cwd = process.cwd()): WatchSet {
  const files = new Set(inputs.map((i) => path.resolve(cwd, i)));
  return { files, dirs: new Set([...files].map((f) => path.dirname(f))), trees: new Set(), ignored: [], sourceDirs: new Set() };
}

/** The watch set of a plan: its sources and their sidecars, book.yaml, matter, dictionary, cover, templates, styles, theme. */
export function watchSetOfPlan(plan: BuildPlan): WatchSet {
  const files = new Set<string>();
  const trees = new Set([path.join(PACKAGE_ROOT, 'templates'), path.join(PACKAGE_ROOT, 'styles')]);
  if (plan.configFile) files.add(path.resolve(plan.configFile));
  for (const { edition, book, dictionary } of plan.editions) {
    for (const s of book.speeches) {
      files.add(s.file);
      for (const c of sidecarCandidates(s.file)) files.add(c);
    }
    for (const f of [...book.frontMatter, ...book.backMatter, book.cover, dictionary]) if (f) files.add(f);
    if (edition.theme) trees.add(path.resolve(edition.theme));
  }
  const dirs = new Set([...files].map((f) => path.dirname(f)));
  // Sources named on the command line are all there is; a book.yaml's globs may match new ones.
  const sourceDirs = new Set(plan.mode === 'book' ? plan.editions.flatMap((e) => e.book.speeches.map((s) => path.dirname(s.file))) : []);
  return { files, dirs, trees, ignored: [plan.outDir, plan.cacheDir], sourceDirs };
}

const inside = (dir: string, file: string) => file === dir || file.startsWith(dir + path.sep);

/** Whether a change to `file` (in a watched folder) can change the build. */
export function isRelevantChange(set: WatchSet, file: string): boolean {
  if (set.ignored.some((d) => inside(d, file))) return false;
  const name = path.basename(file);
  // Editors' temp, swap and backup files.
  if (name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/i.test(name)) return false;
  if (set.files.has(file)) return true;
  if ([...set.trees].some((t) => inside(t, file))) return true;
  // A new source next to the others (a glob may match it), or a new sidecar.
  const lower = name.toLowerCase();
  return set.sourceDirs.has(path.dirname(file)) && (SOURCE_EXTENSIONS.some((e) => lower.endsWith(e)) || /\.ya?ml$/.test(lower));
}

/** Watches the folders of a WatchSet and reports relevant changes, gathered for `delayMs`. */
export class ChangeWatcher {
  private watchers = new Map<string, FSWatcher>();
  private set: WatchSet = { files: new Set(), dirs: new Set(), trees: new Set(), ignored: [], sourceDirs: new Set() };
  private changed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onChange: (files: string[]) => void,
    private readonly delayMs = 40,
  ) {}

  /** Watches exactly this set from now on (folders no longer in it are let go). */
  update(set: WatchSet): void {
    this.set = set;
    const wanted = new Map<string, boolean>();
    for (const d of set.dirs) wanted.set(d, false);
    for (const t of set.trees) wanted.set(t, true);
    for (const [key, w] of this.watchers) {
      const [dir, recursive] = [key.slice(2), key.startsWith('r:')];
      if (wanted.get(dir) !== recursive) {
        w.close();
        this.watchers.delete(key);
      }
    }
    for (const [dir, recursive] of wanted) {
      const key = `${recursive ? 'r' : 'd'}:${dir}`;
      if (this.watchers.has(key)) continue;
      try {
        const w = watch(dir, { recursive }, (_event, name) => {
          if (name) this.note(path.join(dir, name.toString()));
        });
        w.on('error', () => {
          w.close();
          this.watchers.delete(key);
        });
        this.watchers.set(key, w);
      } catch {
        // A folder that does not exist (yet): the build reports the missing file.
      }
    }
  }

  private note(file: string): void {
    if (!isRelevantChange(this.set, file)) return;
    this.changed.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.changed];
      this.changed.clear();
      this.onChange(files);
    }, this.delayMs);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

export interface RebuildLoopOptions {
  /** Resolves the plan afresh (book.yaml may have changed); throws on a bad config. */
  resolve(): BuildPlan;
  /** Builds the plan; `changed` is empty for the first build. Errors go to `fail`. */
  build(plan: BuildPlan, changed: string[]): Promise<void>;
  fail(error: unknown, changed: string[]): void;
  /** What to watch until a plan resolves. */
  initial: WatchSet;
  delayMs?: number;
}

export interface RebuildLoop {
  /** Resolves when the build in progress (and any queued after it) is done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Builds once, then again after every relevant save, one build at a time. */
export function startRebuildLoop(options: RebuildLoopOptions): RebuildLoop {
  let running: Promise<void> | undefined;
  let queued: string[] | undefined;
  let closed = false;
  const watcher = new ChangeWatcher((files) => trigger(files), options.delayMs);
  watcher.update(options.initial);

  const once = async (changed: string[]): Promise<void> => {
    forgetTemplates();
    let plan: BuildPlan;
    try {
      plan = options.resolve();
    } catch (e) {
      // Keep watching what was watched, plus the files named in the error's place.
      options.fail(e, changed);
      return;
    }
    watcher.update(watchSetOfPlan(plan));
    try {
      await options.build(plan, changed);
    } catch (e) {
      options.fail(e, changed);
    }
  };

  const trigger = (changed: string[]) => {
    if (closed) return;
    if (running) {
      queued = [...(queued ?? []), ...changed];
      return;
    }
    running = (async () => {
      let next: string[] | undefined = changed;
      while (next && !closed) {
        await once(next);
        next = queued;
        queued = undefined;
      }
      running = undefined;
    })();
  };

  trigger([]);
  return {
    idle: async () => {
      while (running) await running;
    },
    close: async () => {
      closed = true;
      watcher.close();
      while (running) await running;
    },
  };
}
