/**
 * The one browser driver: puppeteer-core with the system Chromium. Pages load only the
 * build's own files; every other request is refused, so nothing is fetched from the network.
 */
import { existsSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { atExitBeforeRemoval, processTempFolder, tempFolder } from './temp-folder.ts';
import { WenjiError } from '../model/diagnostics.ts';
import { wholeFontFile } from '../render/fonts.ts';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

// Flags measured to work headless as root on this kind of machine; the networking ones stop
// Chromium from calling home on a closed network.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--font-render-hinting=none',
];

/**
 * Containers often give /dev/shm 64 MB, too little for Chromium's shared memory: then it must
 * use files in /tmp instead. Where /dev/shm is large, those files (on disk here) only cost time.
 */
function sharedMemoryFlags(): string[] {
  try {
    const fs = statfsSync('/dev/shm');
    return fs.blocks * fs.bsize >= 1 << 30 ? [] : ['--disable-dev-shm-usage'];
  } catch {
    return ['--disable-dev-shm-usage'];
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  for (const v of ['WENJI_CHROME', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const p = env[v];
    if (p) {
      if (!existsSync(p)) throw new WenjiError(`${v}=${p} does not exist. Point it at a Chromium or Chrome binary.`);
      return p;
    }
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  throw new WenjiError(
    'no Chromium found. Install one (Debian/Ubuntu: `apt-get install chromium`) or set WENJI_CHROME to its path.',
  );
}

/** Browsers running, by process id: ended at exit if still running (after Ctrl-C or an error). */
const running = new Set<number>();
let exitHooked = false;
function endBrowsersAtExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  atExitBeforeRemoval(() => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL'); // its process group: the browser and its renderers
      } catch {
        // already gone
      }
    }
  });
}

/**
 * A fontconfig configuration of wenji's own, for Chromium only, written into `dir`. Chromium
 * falls back to fontconfig's fonts for any character its @font-face stack lacks: the same book
 * came out differently on every machine (DejaVu embedded here, a CFF CJK face as Type 3 there,
 * a blank elsewhere). The private configuration lists one folder: the bundled Noto Serif SC,
 * which Chromium needs as its last-resort face (with no font at all it failed to load web
 * fonts on some pages). So only wenji's faces reach the page, on every machine; what they lack
 * is reported before rendering (src/render/coverage.ts).
 */
function writePrivateFontconfig(dir: string): string {
  const file = path.join(dir, 'fonts.conf');
  const fontDir = path.dirname(wholeFontFile('serifSC', 400));
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${escapeXml(fontDir)}</dir>\n  <cachedir>${escapeXml(path.join(dir, 'fontconfig-cache'))}</cachedir>\n</fontconfig>\n`,
  );
  return file;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Launches the system Chromium. It talks to us over a pipe (--remote-debugging-pipe), so it
 * exits when our process dies, even by SIGKILL: no renderer outlives a build.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  // The profile and Chromium's own temp files go in our temp folder (see temp-folder.ts).
  const userDataDir = tempFolder('chromium-');
  endBrowsersAtExit();
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      userDataDir,
      env: { ...process.env, TMPDIR: processTempFolder(), FONTCONFIG_FILE: writePrivateFontconfig(userDataDir) },
      args: [...FLAGS, ...sharedMemoryFlags()],
      timeout: 60_000,
      protocolTimeout: 600_000,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new WenjiError(`Chromium at ${executablePath} failed to start: ${(e as Error).message.split('\n')[0]}`);
  }
  const pid = browser.process()?.pid;
  if (pid) running.add(pid);
  closeCleanly(browser, userDataDir);
  keepSpares(browser);
  return browser;
}

/**
 * browser.close(), for every caller, first stops opening spare pages and waits for those
 * being opened: a page still being opened when the browser goes leaves puppeteer waiting
 * 30 s for its target, which kept the process alive after the build had finished.
 */
const closing = new WeakSet<Browser>();
function closeCleanly(browser: Browser, userDataDir: string): void {
  const close = browser.close.bind(browser);
  // puppeteer resolves on the process's exit; its pipes close a moment later.
  const proc = browser.process();
  const pipesClosed = proc ? new Promise<void>((resolve) => proc.once('close', () => resolve())) : Promise.resolve();
  browser.close = async () => {
    closing.add(browser);
    await Promise.allSettled(spares.get(browser) ?? []);
    try {
      await close();
      await pipesClosed;
    } finally {
      if (proc?.pid) running.delete(proc.pid);
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 2 });
    }
  };
}

/** A page in a browser context of its own, hence its own renderer process; closing it closes the context. */
async function isolatedPage(browser: Browser): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => {}));
  return page;
}

/**
 * Starting a renderer takes ~0.3 s, and printing a long book needs one per core at once. So
 * a few pages are opened ahead: right after launch, and again when a page is closed (a build
 * prints its editions one after another, so the next one finds them ready).
 */
const spares = new WeakMap<Browser, Promise<Page>[]>();
const SPARE_PAGES = Math.max(1, Math.min(4, os.availableParallelism()));

function keepSpares(browser: Browser): void {
  if (!browser.connected || closing.has(browser)) return;
  const pool = spares.get(browser) ?? [];
  while (pool.length < SPARE_PAGES) {
    const page = isolatedPage(browser);
    page.catch(() => {});
    pool.push(page);
  }
  spares.set(browser, pool);
}

/**
 * Opens a page that may load files under `allowedDirs` (and data: URLs) and nothing else.
 * Each page has its own renderer process: pages printing parts of one book in parallel
 * then really run on separate cores.
 */
export async function openSandboxedPage(browser: Browser, allowedDirs: string[]): Promise<Page> {
  const spare = spares.get(browser)?.shift();
  const page = (spare && (await spare.catch(() => undefined))) || (await isolatedPage(browser));
  page.once('close', () => keepSpares(browser));
  const allowed = allowedDirs.map((d) => pathToFileURL(path.resolve(d)).href.replace(/\/?$/, '/'));
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url === 'about:blank' || allowed.some((a) => url.startsWith(a))) {
      void req.continue();
    } else {
      void req.abort('blockedbyclient');
    }
  });
  return page;
}

/** Runs `fn` with a browser that is always closed afterwards, even on error. */
export async function withBrowser<T>(fn: (b: Browser) => Promise<T>): Promise<T> {
  const b = await launchBrowser();
  try {
    return await fn(b);
  } finally {
    await b.close().catch(() => {});
  }
}

/**
 * A browser for a long-running session (watch, preview): launched on first use, launched
 * again if it died, closed once at the end.
 */
export function sessionBrowser(): { get: () => Promise<Browser>; close: () => Promise<void> } {
  let browser: Promise<Browser> | undefined;
  return {
    get: async () => {
      const b = await browser?.catch(() => undefined);
      if (b?.connected) return b;
      browser = launchBrowser();
      return browser;
    },
    close: async () => {
      const b = await browser?.catch(() => undefined);
      await b?.close().catch(() => {});
    },
  };
}
