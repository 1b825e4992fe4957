/**
 * A book.yaml names only files inside its own folder (its speeches, matter, theme,
 * dictionary, cover), after following symbolic links, unless the build is given
 * --allow-outside-files.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBuildArgs } from '../../src/config/options.ts';
import { resolveBuild } from '../../src/config/resolve.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { makeCollection } from './fixtures.ts';

const EDITIONS = 'editions:\n  - {name: book, preset: book}\n';

function failure(yaml: string, extra: string[] = []): string {
  try {
    resolveBuild(parseBuildArgs([yaml, ...extra]), { env: {} });
  } catch (e) {
    if (e instanceof WenjiError) return e.format();
    throw e;
  }
  return '';
}

/** A folder holding `book/` (the collection) and `outside/a.txt` beside it. */
function setUp(book: string): { root: string; yaml: string } {
  const root = makeCollection({
    'outside/a.txt': '讲话|鲁迅|1927-07-23\n正文。',
    'outside/preface.md': '---\ntitle: 序\n---\n\n序言。\n',
    'book/speeches/b.txt': '讲话|鲁迅|1927-07-24\n正文。',
    'book/book.yaml': book,
  });
  return { root, yaml: path.join(root, 'book/book.yaml') };
}

describe('files outside the book folder', () => {
  it('a speech path that leaves the folder is refused with its line, saying how to allow it', () => {
    const { root, yaml } = setUp(`title: 文集\nspeeches:\n  - speeches/*.txt\n  - ../outside/a.txt\n${EDITIONS}`);
    expect(failure(yaml)).toBe(
      `${yaml}:4: '../outside/a.txt' is outside the book's folder (${path.join(root, 'outside/a.txt')}): a book.yaml names only files inside ${path.join(root, 'book')}; move it in, or build with --allow-outside-files`,
    );
    expect(failure(yaml, ['--allow-outside-files'])).toBe('');
  });

  it('an absolute path such as /etc/passwd is refused', () => {
    const { yaml } = setUp(`title: 文集\nspeeches:\n  - speeches/*.txt\nfrontMatter: [/etc/passwd]\n${EDITIONS}`);
    expect(failure(yaml)).toMatch(new RegExp(`^${yaml}:4: '/etc/passwd' is outside the book's folder \\(/etc/passwd\\)`));
  });

  it('a symbolic link inside the folder that points out of it is refused, and so is a glob through one', () => {
    const { root, yaml } = setUp(`title: 文集\nspeeches:\n  - speeches/*.txt\n  - linked/*.txt\nfrontMatter: [preface.md]\n${EDITIONS}`);
    symlinkSync(path.join(root, 'outside/preface.md'), path.join(root, 'book/preface.md'));
    symlinkSync(path.join(root, 'outside'), path.join(root, 'book/linked'));
    const text = failure(yaml);
    expect(text).toContain(`${yaml}:4: 'linked/a.txt' is outside the book's folder (${path.join(root, 'outside/a.txt')}, through a symbolic link)`);
    expect(text).toContain(`${yaml}:5: 'preface.md' is outside the book's folder (${path.join(root, 'outside/preface.md')}, through a symbolic link)`);
    expect(failure(yaml, ['--allow-outside-files'])).toBe('');
  });

  it('a theme or dictionary named on the command line is the user\'s own choice', () => {
    const { root, yaml } = setUp(`title: 文集\nspeeches: [speeches/*.txt]\n${EDITIONS}`);
    mkdirSync(path.join(root, 'outside/theme/styles'), { recursive: true });
    writeFileSync(path.join(root, 'outside/theme/styles/book.css'), '.speech {}\n');
    expect(failure(yaml, ['--theme', path.join(root, 'outside/theme')])).toBe('');
  });
});
