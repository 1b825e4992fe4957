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
      /** Print HTML, paginated by Paged.js in the page. */
      kind: 'paged';
      html: string;
      files: Map<string, ServedFile>;
    }
  | {
      /** The PDF as the build prints it, shown by the browser's PDF viewer. */
      kind: 'pdf';
      pdf: Uint8Array;
    };

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
  /** Font files of the current and the previous build (a page still loading may ask for them). */
  private files = new Map<string, ServedFile>();
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
    const previous = this.pages?.kind === 'paged' ? this.pages.files : new Map();
    this.files = new Map([...previous, ...(pages.kind === 'paged' ? pages.files : [])]);
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
    return { type: 'pages', version: this.published, kind: this.pages!.kind, ...this.info };
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

    const m = /^\/pages\/(\d+)\/pages\.(html|pdf)$/.exec(url);
    if (m) {
      const pages = this.pages;
      // Only the current pages: an older version asked for is gone.
      if (!pages || Number(m[1]) !== this.published) return notFound();
      if (m[2] === 'html' && pages.kind === 'paged') return reply(200, 'text/html; charset=utf-8', withPreviewScripts(pages.html));
      if (m[2] === 'pdf' && pages.kind === 'pdf') {
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
#frames { position: absolute; inset: 0; }
#frames iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; background: #808080; }
#frames iframe.loading { visibility: hidden; }
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
 * The preview page. Each build is loaded in a hidden frame while the last one stays visible;
 * Paged.js pages are shown as soon as the place the reader was at has been laid out (the
 * rest follow), scrolled to the same distance from the same speech or section. A PDF opens
 * at the page of the speech that changed. An error shows above the last good pages.
 */
const SHELL_SCRIPT = `'use strict';
const frames = document.getElementById('frames');
const errorBox = document.getElementById('error');
const status = document.getElementById('status');
let shown = null;
let loading = null;
let wanted = null;
let started = 0;

/** Where the reader is: the last marked element (speech, section) above the top of the view. */
function readingPlace(frame) {
  if (!frame || frame.dataset.kind !== 'paged') return null;
  const doc = frame.contentDocument;
  if (!doc) return null;
  let place = null;
  for (const el of doc.querySelectorAll(${JSON.stringify(TEMPLATE_CONTRACT.bookmark)})) {
    const top = el.getBoundingClientRect().top;
    if (top > 1) break;
    place = { id: el.id, offset: -top };
  }
  return place || { id: null, offset: frame.contentWindow.scrollY };
}

function absoluteTop(el) {
  return el.getBoundingClientRect().top + el.ownerDocument.defaultView.scrollY;
}

function reveal(frame) {
  if (frame !== loading) return;
  loading = null;
  if (frame.dataset.kind === 'paged' && wanted) {
    const el = wanted.id ? frame.contentDocument.getElementById(wanted.id) : null;
    frame.contentWindow.scrollTo(0, (el ? absoluteTop(el) : 0) + wanted.offset);
  }
  frame.classList.remove('loading');
  if (shown) shown.remove();
  shown = frame;
  document.documentElement.dataset.version = frame.dataset.version;
  setStatus('updated ' + new Date().toLocaleTimeString() + (started ? ' in ' + ((performance.now() - started) / 1000).toFixed(1) + ' s' : ''));
  started = 0;
}

/** Whether the place to show has been laid out, with the page after it. */
function placeLaidOut(frame) {
  const doc = frame.contentDocument;
  if (!wanted || !wanted.id) return doc.querySelectorAll('.pagedjs_page').length > 1;
  const el = doc.getElementById(wanted.id);
  if (!el) return false;
  const page = el.closest('.pagedjs_page');
  return !!(page && page.nextElementSibling);
}

function load(message) {
  if (loading) loading.remove();
  wanted = readingPlace(shown);
  const frame = document.createElement('iframe');
  frame.className = 'loading';
  frame.dataset.kind = message.kind;
  frame.dataset.version = String(message.version);
  frame.title = 'pages';
  loading = frame;
  if (message.kind === 'pdf') {
    frame.addEventListener('load', () => reveal(frame));
    frame.src = '/pages/' + message.version + '/pages.pdf' + (message.page ? '#page=' + message.page : '');
  } else {
    frame.src = '/pages/' + message.version + '/pages.html';
  }
  frames.appendChild(frame);
}

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || !loading || event.source !== loading.contentWindow) return;
  const type = event.data && event.data.type;
  if (type === 'wenji-done' || (type === 'wenji-page' && placeLaidOut(loading))) reveal(loading);
});

function setStatus(text) {
  status.textContent = text;
}

const events = new EventSource('/events');
events.onopen = () => setStatus(shown ? 'connected' : 'waiting for the first build…');
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
    load(message);
  }
};
`;

/**
 * Runs in the pages frame before Paged.js: tells the preview page about each page laid out,
 * and at the end writes the page numbers of the contents and index as the PDF engine does.
 */
const PAGES_SCRIPT = `'use strict';
window.PagedConfig = {
  auto: true,
  before() {
    window.PagedPolyfill.on('page', () => parent.postMessage({ type: 'wenji-page' }, location.origin));
  },
  after(flow) {
    for (const el of document.querySelectorAll(${JSON.stringify(TEMPLATE_CONTRACT.tocPage)})) {
      const target = document.getElementById(el.dataset.target);
      const page = target && target.closest('.pagedjs_page');
      el.textContent = page ? page.dataset.pageNumber : '';
    }
    document.documentElement.dataset.pages = String(flow ? flow.total : 0);
    parent.postMessage({ type: 'wenji-done' }, location.origin);
  },
};
`;
