/**
 * The preview server serves its fixed table and nothing else: no path of a request reaches
 * the file system, whatever its `..`, percent-encoding or symlinks; requests for another
 * host are refused; every page carries a policy that runs only the preview's own scripts.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreviewServer, contentPath, withPreviewScripts } from '../../src/build/preview-server.ts';
import { testFolder } from '../temp-folders.ts';

/** A raw GET: the path goes out exactly as written (fetch would normalise `..`). */
function get(url: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('preview server', () => {
  let server: PreviewServer;
  let url: string;
  let project: string;
  const font = new TextEncoder().encode('not really a font');
  const CHUNK = '0123456789abcdef';
  const fontPath = contentPath('fonts', 'NotoSerifSC_400Regular.ttf', font);

  beforeAll(async () => {
    project = testFolder('serve');
    writeFileSync(path.join(project, 'book.yaml'), 'title: secret-book-yaml\n');
    // Links inside the project pointing outside it, and at a project file.
    symlinkSync('/etc', path.join(project, 'etc-link'));
    symlinkSync(path.join(project, 'book.yaml'), path.join(project, 'fonts'));
    server = new PreviewServer({ pagedPolyfill: '/* polyfill */', title: 'T<script>' });
    url = await server.listen(0);
    server.publish({
      kind: 'paged',
      chunks: [{ id: CHUNK, html: '<!DOCTYPE html><html><head><title>x</title></head><body><p>正文</p></body></html>' }],
      files: new Map([[fontPath, { type: 'font/ttf', body: font }]]),
    });
  });
  afterAll(() => server.close());

  it('binds to 127.0.0.1 and serves the page, the current pages and their fonts', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const shell = await get(url, '/');
    expect(shell.status).toBe(200);
    expect(shell.body).toContain('/preview/shell.js');
    expect(shell.body).not.toContain('T<script>');
    const pages = await get(url, '/chunks/0123456789abcdef/pages.html');
    expect(pages.status).toBe(200);
    expect(pages.body).toContain('<p>正文</p>');
    expect(pages.body.indexOf('/preview/pages.js')).toBeLessThan(pages.body.indexOf('/preview/paged.js'));
    expect((await get(url, fontPath)).body).toBe('not really a font');
    expect((await get(url, '/chunks/0123456789abcdee/pages.html')).status).toBe(404);
  });

  it('lets only its own scripts run: a policy on every page', async () => {
    for (const p of ['/', '/chunks/0123456789abcdef/pages.html']) {
      const csp = String((await get(url, p)).headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline\'; script');
      expect(csp.split(';').find((d) => d.includes('script-src'))).not.toMatch(/unsafe|\*|http/);
      expect(csp).toContain("default-src 'none'");
    }
  });

  it('reads nothing from the disk: .., percent-encoded paths and symlinks give 404', async () => {
    const attempts = [
      '/../../../../etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/fonts/../../../etc/passwd',
      `${fontPath}/../../../../etc/passwd`,
      '/fonts/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/preview/..%5c..%5cpackage.json',
      '/etc-link/passwd',
      '/fonts',
      '/book.yaml',
      `/${encodeURIComponent(project)}/book.yaml`,
      `/${project}/book.yaml`,
      '/package.json',
      '/src/cli/preview.ts',
      '/pages/1/pages.html/../../book.yaml',
      '//etc/passwd',
    ];
    for (const a of attempts) {
      const r = await get(url, a);
      expect(r.status, a).toBe(404);
      expect(r.body, a).not.toMatch(/root:|secret-book-yaml|import /);
    }
  });

  it('answers only requests addressed to itself (no DNS rebinding)', async () => {
    const r = await get(url, '/', { host: 'evil.example:80' });
    expect(r.status).toBe(403);
  });

  it('refuses anything but GET and HEAD', async () => {
    const { hostname, port } = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: hostname, port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(status).toBe(405);
  });

  it('puts its scripts before the end of <head>, Paged.js after its configuration', () => {
    const html = withPreviewScripts('<html><head><title>t</title></head><body></body></html>');
    expect(html).toMatch(/<script src="\/preview\/pages\.js"><\/script><script src="\/preview\/paged\.js"><\/script><\/head>/);
  });
});
