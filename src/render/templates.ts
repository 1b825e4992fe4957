/**
 * The Handlebars environment: our templates/ and styles/, overridden file by file by a
 * theme directory (`--theme DIR` holding templates/ and/or styles/).
 * Everything is escaped by Handlebars' {{ }}; templates must not use {{{ }}} on content.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

/** Creates an isolated Handlebars instance with partials from templates/partials/ (theme first). */
export function createTemplateEnv(theme?: string, registerHelpers?: (hb: typeof Handlebars) => void): TemplateEnv {
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
