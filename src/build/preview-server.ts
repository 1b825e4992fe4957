/**
 * The HTTP server of `wenji preview`: it serves the pages of the last good build from memory
 * and tells the open page about every new build (or build error) through server-sent events.
 *
 * What it can serve is a fixed table: the preview page and its two scripts, the Paged.js
 * polyfill, the current pages (print HTML or PDF) and the font files that HTML declares.
 * No URL is ever turned into a path on disk, so nothing else is readable through it, whatever
 * the `..`, percent-encoding or symlinks in a request. It binds to 127.0.0.1 and answers only
 * requests addressed to that host (a web page elsewhere cannot reach it by DNS rebinding).
 * The Content-Security-Policy lets only these scripts run: never a script of the content.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WenjiError } from '../model/diagnostics.ts';
import { TEMPLATE_CONTRACT } from '../render/template-contract.ts';

/** One file the pages use (a font), by URL path. */
export interface ServedFile {
  type: string;
  /** The bytes, or the file to read them from (a package file, never a content path). */
  body: Uint8Array | { file: string };
}

export type PreviewPages =
  | {
      /**
       * Print HTML, paginated by Paged.js in the page: the book cut at its recto openings into
       * documents of its own (see splitAtOpenings), each named by its content.
       */
      kind: 'paged';
      chunks: PagedChunk[];
      files: Map<string, ServedFile>;
    }
  | {
      /** The PDF as the build prints it, shown by the browser's PDF viewer. */
      kind: 'pdf';
      pdf: Uint8Array;
    };

/** One document of the book: its head and a run of its body that opens on a recto. */
export interface PagedChunk {
  /** Hash of the HTML: the same content is the same chunk, which the page keeps as it is. */
  id: string;
  html: string;
}

/** What the preview page is told after a build. */
export interface PublishInfo {
  /** Page of the PDF to open (the first speech that changed). */
  page?: number;
  /** Build time, for the status line. */
  ms?: number;
}

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** A URL path for bytes: their hash, so a browser may keep them and a change is a new URL. */
export function contentPath(prefix: string, name: string, bytes: Uint8Array): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  return `/${prefix}/${hash}/${encodeURIComponent(name)}`;
}

export interface PreviewServerOptions {
  /** The polyfill text (patched as the PDF engine runs it). */
  pagedPolyfill: string;
  /** Shown in the page's title. */
  title: string;
}

export class PreviewServer {
  private server: http.Server | undefined;
  private published = 0;
  private pages: PreviewPages | undefined;
  private info: PublishInfo = {};
  private error: string | undefined;
  private readonly clients = new Set<http.ServerResponse>();
  /** Font files and chunks of the current and the previous build (a page still loading may ask for them). */
  private files = new Map<string, ServedFile>();
  private chunks = new Map<string, string>();
  private host = '127.0.0.1';
  private port = 0;

  constructor(private readonly options: PreviewServerOptions) {}

  /** Starts listening; resolves to the preview's URL. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`wenji preview: ${(e as Error).message}\n`);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(
          e.code === 'EADDRINUSE'
            ? new WenjiError(`port ${port} on ${host} is in use: choose another with --port N (or --port 0 for any free port)`)
            : e,
        );
      });
      server.listen(port, host, () => resolve());
    });
    this.host = host;
    this.port = (server.address() as AddressInfo).port;
    return this.url;
  }

  /** How many builds have been published (the version the page shows, when it is up to date). */
  get version(): number {
    return this.published;
  }

  get url(): string {
    return `http://${this.host}:${this.port}/`;
  }

  /** A build started: the page says so, and keeps showing the last good pages. */
  building(): void {
    this.send({ type: 'building' });
  }

  /** New pages: the page loads them and shows them once ready, at the same place. */
  publish(pages: PreviewPages, info: PublishInfo = {}): number {
    this.published++;
    const previous = this.pages?.kind === 'paged' ? this.pages : undefined;
    this.files = new Map([...(previous?.files ?? []), ...(pages.kind === 'paged' ? pages.files : [])]);
    this.chunks = new Map(
      [...(previous?.chunks ?? []), ...(pages.kind === 'paged' ? pages.chunks : [])].map((c) => [c.id, c.html]),
    );
    this.pages = pages;
    this.info = info;
    this.error = undefined;
    this.send(this.pagesMessage());
    return this.published;
  }

  /** A build failed: the page shows the message over the last good pages. */
  fail(message: string): void {
    this.error = message;
    this.send({ type: 'error', message });
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.end();
    this.clients.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private pagesMessage() {
    const pages = this.pages!;
    return { type: 'pages', version: this.published, kind: pages.kind, chunks: pages.kind === 'paged' ? pages.chunks.map((c) => c.id) : undefined, ...this.info };
  }

  private send(message: object): void {
    const data = `data: ${JSON.stringify(message)}\n\n`;
    for (const c of this.clients) c.write(data);
  }

  private allowedHost(req: http.IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    return [`${this.host}:${this.port}`, `localhost:${this.port}`, `127.0.0.1:${this.port}`, `[::1]:${this.port}`].includes(host);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': type,
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const notFound = () => reply(404, 'text/plain; charset=utf-8', 'not found\n');
    if (!this.allowedHost(req)) return reply(403, 'text/plain; charset=utf-8', 'wrong host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
    // Only the path counts, exactly as sent: no decoding, no normalising, no file system.
    const url = (req.url ?? '/').split('?')[0]!;

    if (url === '/') return reply(200, 'text/html; charset=utf-8', shellHtml(this.options.title));
    if (url === '/preview/shell.js') return reply(200, 'text/javascript; charset=utf-8', SHELL_SCRIPT);
    if (url === '/preview/pages.js') return reply(200, 'text/javascript; charset=utf-8', PAGES_SCRIPT);
    if (url === '/preview/paged.js') return reply(200, 'text/javascript; charset=utf-8', this.options.pagedPolyfill, { 'cache-control': 'max-age=3600' });
    if (url === '/events') return this.events(req, res);

    const chunk = /^\/chunks\/([0-9a-f]{16})\/pages\.html$/.exec(url);
    const html = chunk && this.chunks.get(chunk[1]!);
    if (html) return reply(200, 'text/html; charset=utf-8', withPreviewScripts(html));
    const m = /^\/pages\/(\d+)\/pages\.pdf$/.exec(url);
    if (m) {
      const pages = this.pages;
      // Only the current pages: an older version asked for is gone.
      if (!pages || Number(m[1]) !== this.published) return notFound();
      if (pages.kind === 'pdf') {
        // The PDF viewer is the browser's own: no policy of ours applies inside it.
        res.writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        res.end(req.method === 'HEAD' ? undefined : pages.pdf);
        return;
      }
      return notFound();
    }
    const file = this.files.get(url);
    if (file) {
      const body = file.body instanceof Uint8Array ? file.body : await readFile(file.body.file);
      return reply(200, file.type, body, { 'cache-control': 'max-age=31536000, immutable' });
    }
    return notFound();
  }

  private events(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 500\n\n');
    if (this.pages) res.write(`data: ${JSON.stringify(this.pagesMessage())}\n\n`);
    if (this.error) res.write(`data: ${JSON.stringify({ type: 'error', message: this.error })}\n\n`);
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }
}

/**
 * The print HTML with the preview's scripts. They go at the end of <head>: pages.js first
 * (Paged.js reads its configuration when it loads), then the polyfill. The screen style is
 * marked for Paged.js to leave alone: it places the pages, it does not lay them out.
 */
export function withPreviewScripts(html: string): string {
  const tags =
    `<style data-pagedjs-ignore>${PAGES_SCREEN_CSS}</style>` +
    '<script src="/preview/pages.js"></script><script src="/preview/paged.js"></script>';
  return html.replace(/<\/head>/i, (m) => `${tags}${m}`);
}

const PAGES_SCREEN_CSS = `
html { background: #808080 !important; }
body { margin: 0 !important; background: transparent !important; }
.pagedjs_pages { display: flex; flex-direction: column; align-items: center; padding: 12px 0; }
.pagedjs_page { background: #fff; margin: 0 0 12px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.4); flex: none; }`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shellHtml(title: string): string {
  return `<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} — wenji preview</title>
<style>
html, body { margin: 0; height: 100%; overflow: hidden; font: 14px/1.4 system-ui, sans-serif; }
#frames { position: absolute; inset: 0; overflow: auto; overflow-anchor: none; background: #808080; }
#frames > iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; }
#frames iframe.loading { visibility: hidden; }
.chunk { position: relative; }
.chunk > iframe { display: block; width: 100%; height: 0; border: 0; }
.chunk > iframe.loading { position: absolute; top: 0; left: 0; height: 100vh; }
.blank { margin: 12px auto 0; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.4); }
#error { position: absolute; top: 0; left: 0; right: 0; margin: 0; padding: 10px 14px; z-index: 2;
  background: #fde8e8; color: #8a1010; border-bottom: 2px solid #c62828; white-space: pre-wrap; max-height: 40%; overflow: auto; }
#status { position: absolute; right: 10px; bottom: 8px; z-index: 2; padding: 3px 8px; border-radius: 4px;
  background: rgba(0, 0, 0, 0.6); color: #fff; font-size: 12px; }
</style>
<script src="/preview/shell.js" defer></script>
</head>
<body>
<div id="frames"></div>
<pre id="error" hidden></pre>
<div id="status">connecting…</div>
</body>
</html>
`;
}

/**
 * The preview page. Paged editions: one frame per chunk of the book, stacked; a build
 * reloads only the chunks whose content changed, each laid out out of sight while the old
 * one stays, then swapped in; page numbers run on across chunks (a counter offset, a blank
 * page where a chunk would open on a verso, as in the PDF build) and the contents get their
 * numbers once every chunk is laid out. After each swap the view returns to the same speech
 * or section, the same distance into it. PDF editions: the PDF in one frame, opened at the
 * page of the speech that changed. An error shows above the last good pages.
 */
const SHELL_SCRIPT = `'use strict';
const scroller = document.getElementById('frames');
const errorBox = document.getElementById('error');
const status = document.getElementById('status');
let mode = null;
let slots = [];
let queue = [];
let loadingSlot = null;
let place = null;
let started = 0;
let pdfFrame = null;

function setStatus(text) {
  status.textContent = text;
}

/** The frame each chunk shows: its pages, or its previous pages while the new ones are laid out. */
function shownFrame(slot) {
  const frame = slot.frame || slot.stale;
  return frame && frame.contentDocument ? frame : null;
}

function shownFrames() {
  return slots.map(shownFrame).filter((f) => f);
}

/** Where the reader is: the last marked element (speech, section) above the top of the view. */
function readingPlace() {
  const top = scroller.getBoundingClientRect().top;
  let found = null;
  for (const frame of shownFrames()) {
    const frameTop = frame.getBoundingClientRect().top - top;
    if (frameTop > 1) break;
    for (const el of frame.contentDocument.querySelectorAll(${JSON.stringify(TEMPLATE_CONTRACT.bookmark)})) {
      const y = frameTop + el.getBoundingClientRect().top;
      if (y > 1) break;
      found = { id: el.id, offset: -y };
    }
  }
  return found || { id: null, offset: scroller.scrollTop };
}

function findInFrames(id) {
  for (const frame of shownFrames()) {
    const el = frame.contentDocument.getElementById(id);
    if (el) return { frame, el };
  }
  return null;
}

/** Where goTo last put the view: if the reader has scrolled since, the view is theirs. */
let putAt = null;

function goTo(target) {
  if (!target) return;
  if (putAt !== null && Math.abs(scroller.scrollTop - putAt) > 2) {
    place = null;
    putAt = null;
    return;
  }
  const hit = target.id ? findInFrames(target.id) : null;
  const base = scroller.scrollTop - scroller.getBoundingClientRect().top;
  const y = hit ? base + hit.frame.getBoundingClientRect().top + hit.el.getBoundingClientRect().top : 0;
  scroller.scrollTop = y + target.offset;
  putAt = scroller.scrollTop;
}

/** Page counter offsets and blank pages, as the PDF build joins its chunks (placeChunks). */
function placeChunks() {
  let used = 0;
  for (const [i, slot] of slots.entries()) {
    const blank = i > 0 && used % 2 === 1 ? 1 : 0;
    slot.offset = used + blank;
    used = slot.offset + (slot.pages || 0);
    slot.blank.hidden = !blank;
    const doc = shownFrame(slot) && shownFrame(slot).contentDocument;
    if (!doc || doc.documentElement.dataset.offset === String(slot.offset)) continue;
    doc.documentElement.dataset.offset = String(slot.offset);
    let style = doc.getElementById('wenji-offset');
    if (!style) {
      style = doc.createElement('style');
      style.id = 'wenji-offset';
      doc.head.appendChild(style);
    }
    style.textContent = slot.offset ? '.pagedjs_pages > .pagedjs_page:first-child { counter-increment: page ' + (slot.offset + 1) + '; }' : '';
  }
  const first = shownFrames()[0];
  const page = first && first.contentDocument.querySelector('.pagedjs_page');
  for (const slot of slots) {
    if (page) {
      slot.blank.style.width = page.offsetWidth + 'px';
      slot.blank.style.height = page.offsetHeight + 'px';
    }
  }
}

/** The numbers of the contents and index, from the pages every target landed on. */
function fillContents() {
  const where = new Map();
  for (const slot of slots) {
    const doc = shownFrame(slot) && shownFrame(slot).contentDocument;
    if (!doc) continue;
    for (const el of doc.querySelectorAll(${JSON.stringify(TEMPLATE_CONTRACT.tocPage)})) where.set(el.dataset.target, null);
  }
  for (const id of where.keys()) {
    for (const slot of slots) {
      const el = shownFrame(slot) && shownFrame(slot).contentDocument.getElementById(id);
      const page = el && el.closest('.pagedjs_page');
      if (page) {
        where.set(id, slot.offset + Number(page.dataset.pageNumber));
        break;
      }
    }
  }
  for (const slot of slots) {
    const doc = shownFrame(slot) && shownFrame(slot).contentDocument;
    if (!doc) continue;
    for (const el of doc.querySelectorAll(${JSON.stringify(TEMPLATE_CONTRACT.tocPage)})) {
      const n = where.get(el.dataset.target);
      el.textContent = n == null ? '' : String(n);
    }
  }
}

function fitHeight(frame) {
  frame.style.height = frame.contentDocument.documentElement.scrollHeight + 'px';
}

function loadNext() {
  if (loadingSlot) return;
  // The changed chunk being read first, then the other changed ones (their old pages are on
  // show), then those never laid out, in order (a book still loading when a save comes).
  const here = place && place.id ? queue.find((s) => s.stale && s.stale.contentDocument && s.stale.contentDocument.getElementById(place.id)) : null;
  const slot = here || queue.find((s) => s.stale) || queue[0];
  if (!slot) {
    fillContents();
    document.documentElement.dataset.laidOut = 'all';
    if (started) setStatus('updated ' + new Date().toLocaleTimeString() + ' in ' + ((performance.now() - started) / 1000).toFixed(1) + ' s');
    started = 0;
    return;
  }
  queue = queue.filter((s) => s !== slot);
  loadingSlot = slot;
  const frame = document.createElement('iframe');
  frame.className = 'loading';
  frame.title = 'pages';
  frame.setAttribute('scrolling', 'no');
  frame.src = '/chunks/' + slot.id + '/pages.html';
  slot.loading = frame;
  slot.element.appendChild(frame);
}

function chunkDone(slot, pages) {
  const frame = slot.loading;
  slot.loading = null;
  loadingSlot = null;
  if (!slots.includes(slot)) {
    frame.remove();
    loadNext();
    return;
  }
  frame.classList.remove('loading');
  fitHeight(frame);
  if (slot.stale) slot.stale.remove();
  slot.stale = null;
  slot.frame = frame;
  slot.pages = pages;
  placeChunks();
  goTo(place);
  loadNext();
}

function updatePaged(message) {
  place = slots.length ? readingPlace() : null;
  putAt = null;
  if (mode !== 'paged') {
    scroller.replaceChildren();
    pdfFrame = null;
    slots = [];
  }
  mode = 'paged';
  const old = slots;
  const byId = new Map(old.map((s) => [s.id, s]));
  const kept = new Set(message.chunks.filter((id) => byId.has(id)).map((id) => byId.get(id)));
  const next = message.chunks.map((id, i) => {
    const same = byId.get(id);
    if (same && kept.has(same) && !same.taken) {
      same.taken = true;
      return same;
    }
    // A changed chunk takes the place of the old one there, whose pages it shows until its
    // own are ready. (Frames are never moved in the document: a moved frame reloads.)
    const before = old[i] && !kept.has(old[i]) && !old[i].taken ? old[i] : null;
    if (before) {
      before.taken = true;
      if (before.loading) before.loading.remove();
      before.loading = null;
      if (before.frame) {
        if (before.stale) before.stale.remove();
        before.stale = before.frame;
      }
      before.frame = null;
      before.id = id;
      return before;
    }
    const element = document.createElement('div');
    element.className = 'chunk';
    const blank = document.createElement('div');
    blank.className = 'blank';
    blank.hidden = true;
    element.appendChild(blank);
    return { id, element, blank, frame: null, stale: null, loading: null, pages: 0, offset: 0, taken: true };
  });
  for (const s of old) if (!next.includes(s)) s.element.remove();
  for (const s of next) s.taken = false;
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i].element.parentNode !== scroller) scroller.insertBefore(next[i].element, next[i + 1] ? next[i + 1].element : null);
  }
  slots = next;
  queue = slots.filter((s) => !s.frame);
  if (loadingSlot && !loadingSlot.loading) loadingSlot = null;
  goTo(place);
  document.documentElement.dataset.laidOut = queue.length ? '' : 'all';
  loadNext();
}

function updatePdf(message) {
  mode = 'pdf';
  slots = [];
  queue = [];
  const frame = document.createElement('iframe');
  frame.className = 'loading';
  frame.title = 'pages';
  frame.addEventListener('load', () => {
    for (const child of [...scroller.children]) if (child !== frame) child.remove();
    frame.classList.remove('loading');
    pdfFrame = frame;
    document.documentElement.dataset.laidOut = 'all';
    setStatus('updated ' + new Date().toLocaleTimeString());
  });
  frame.src = '/pages/' + message.version + '/pages.pdf' + (message.page ? '#page=' + message.page : '');
  scroller.appendChild(frame);
}

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || !event.data) return;
  if (event.data.type === 'wenji-done' && loadingSlot && loadingSlot.loading && event.source === loadingSlot.loading.contentWindow) {
    chunkDone(loadingSlot, event.data.pages);
  } else if (event.data.type === 'wenji-link') {
    putAt = null;
    goTo({ id: event.data.id, offset: 0 });
  }
});

const events = new EventSource('/events');
events.onopen = () => setStatus(mode ? 'connected' : 'waiting for the first build…');
events.onerror = () => setStatus('disconnected: is wenji preview still running?');
events.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.type === 'building') {
    started = performance.now();
    setStatus('building…');
  } else if (message.type === 'error') {
    errorBox.textContent = message.message;
    errorBox.hidden = false;
    setStatus('build failed: showing the last good pages');
  } else if (message.type === 'pages') {
    errorBox.hidden = true;
    errorBox.textContent = '';
    if (!started) started = performance.now();
    setStatus('laying out pages…');
    document.documentElement.dataset.version = String(message.version);
    if (message.kind === 'pdf') updatePdf(message);
    else updatePaged(message);
  }
};
`;

/**
 * Runs in each chunk's frame before Paged.js: says when the chunk is laid out (and in how
 * many pages); a link to a place in another chunk is passed to the preview page.
 */
const PAGES_SCRIPT = `'use strict';
window.PagedConfig = {
  auto: true,
  after(flow) {
    const pages = flow ? flow.total : 0;
    document.documentElement.dataset.pages = String(pages);
    parent.postMessage({ type: 'wenji-done', pages }, location.origin);
  },
};
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#"]');
  if (!link) return;
  const id = decodeURIComponent(link.getAttribute('href').slice(1));
  if (document.getElementById(id)) return;
  event.preventDefault();
  parent.postMessage({ type: 'wenji-link', id }, location.origin);
});
`;
