/**
 * The Handlebars environment: our templates/ and styles/, overridden file by file by a
 * theme directory (`--theme DIR` holding templates/ and/or styles/).
 * Everything is escaped by Handlebars' {{ }}; templates must not use {{{ }}} on content.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { WenjiError } from '../model/diagnostics.ts';

/** Root of the wenji package (where templates/ and styles/ live). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TemplateEnv {
  handlebars: typeof Handlebars;
  /** Renders templates/<name>.hbs (name may contain a folder, e.g. "epub/chapter"). */
  render(name: string, context: unknown): string;
  /** Path of styles/<name> (theme first). */
  stylePath(name: string): string;
  /** Contents of styles/<name> (theme first). */
  style(name: string): string;
}

function resolveFile(kind: 'templates' | 'styles', name: string, theme?: string): string {
  const candidates = [theme && path.join(theme, kind, name), path.join(PACKAGE_ROOT, kind, name)].filter(
    (p): p is string => !!p,
  );
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new WenjiError(`no ${kind.slice(0, -1)} named ${name} (looked in ${candidates.join(', ')})`);
  return hit;
}

/** Files under `dir` (recursively) whose names end in `ext`. */
function filesIn(dir: string, ext: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(ext))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

/** Parses a template now, so a mistake names its file and line (Handlebars compiles lazily, mid-render). */
function checkTemplate(file: string, source: string): void {
  try {
    Handlebars.parse(source);
  } catch (e) {
    const message = (e as Error).message;
    const lines = source.replace(/\n$/, '').split('\n').length;
    const mismatch = /^(.*) - (\d+):\d+$/.exec(message);
    const parse = /^Parse error on line (\d+):[\s\S]*\n(Expecting .*)$/.exec(message);
    let what = message.split('\n')[0]!;
    let line: number | undefined;
    if (mismatch) [what, line] = [mismatch[1]!, Number(mismatch[2])];
    else if (parse) {
      line = Number(parse[1]);
      what = /OPEN_ENDBLOCK.*got 'EOF'/.test(parse[2]!) ? 'a block is not closed: expected {{else}} or {{/…}}, found the end of the file' : parse[2]!;
    }
    throw new WenjiError(
      `the template does not parse (${what}): close each {{#…}} with its {{/…}}`,
      file,
      line === undefined ? undefined : Math.min(line, lines),
    );
  }
}

/** `url(…)` and `@import "…"` in a style sheet, with their lines (comments skipped). */
function cssUrls(css: string): { url: string; line: number }[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const out: { url: string; line: number }[] = [];
  const re = /url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ url: (m[2] ?? m[4] ?? '').trim(), line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

/**
 * Checks a theme before anything renders: every template parses, and no template or style
 * sheet asks for a file from outside (a scheme other than data:, //host or an absolute path), which the
 * renderer would refuse mid-build with an error naming neither. Throws WenjiError.
 */
export function checkTheme(theme: string): void {
  for (const file of filesIn(path.join(theme, 'templates'), '.hbs')) {
    const source = readFileSync(file, 'utf8');
    checkTemplate(file, source);
    for (const { url, line } of loadedUrls(source)) refuseOutside(url, file, line);
  }
  for (const file of filesIn(path.join(theme, 'styles'), '.css')) {
    for (const { url, line } of cssUrls(readFileSync(file, 'utf8'))) refuseOutside(url, file, line);
  }
}

/** A URL from outside (a scheme other than data:, //host, an absolute path) is an error naming it. */
function refuseOutside(url: string, file: string, line: number): void {
  if (/^data:/i.test(url) || !/^([a-z][a-z0-9+.-]*:|\/)/i.test(url)) return;
  throw new WenjiError(
    `the theme asks for ${url}, which the renderer never loads (it loads only the build's own files): copy the file into the theme folder and refer to it by a relative path, or remove it`,
    file,
    line,
  );
}

/** What a template's markup loads (src=…, <link href=…>), literal URLs only, with their lines. */
function loadedUrls(source: string): { url: string; line: number }[] {
  const out: { url: string; line: number }[] = [];
  const re = /<link\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1|\b(?:src|srcset|poster|data)\s*=\s*(["'])(.*?)\3/gi;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const url = (m[2] ?? m[4] ?? '').trim();
    if (url && !url.includes('{{')) out.push({ url, line: source.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** Creates an isolated Handlebars instance with partials from templates/partials/ (theme first). */
export function createTemplateEnv(theme?: string, registerHelpers?: (hb: typeof Handlebars) => void): TemplateEnv {
  if (theme) checkTheme(theme);
  const hb = Handlebars.create();
  registerHelpers?.(hb);
  const partialDirs = [path.join(PACKAGE_ROOT, 'templates/partials'), theme && path.join(theme, 'templates/partials')];
  for (const dir of partialDirs) {
    if (!dir || !existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.hbs')) hb.registerPartial(f.slice(0, -4), readFileSync(path.join(dir, f), 'utf8'));
    }
  }
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  return {
    handlebars: hb,
    render(name, context) {
      let t = compiled.get(name);
      if (!t) {
        const file = resolveFile('templates', `${name}.hbs`, theme);
        t = hb.compile(readFileSync(file, 'utf8'), { strict: false });
        compiled.set(name, t);
      }
      return t(context);
    },
    stylePath: (name) => resolveFile('styles', name, theme),
    style: (name) => readFileSync(resolveFile('styles', name, theme), 'utf8'),
  };
}
