import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBookConfig } from '../../src/config/schema.ts';
import { parseBuildArgs } from '../../src/config/options.ts';
import { formatOfName } from '../../src/readers/formats.ts';
import { resolveBuild } from '../../src/config/resolve.ts';
import { executeBuild, type Writer } from '../../src/build/execute.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { configError, fakeReader, makeCollection } from './fixtures.ts';

/** The message the CLI prints for what `fn` throws (file:line: message). */
async function failure(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof WenjiError) return e.format();
    throw e;
  }
  throw new Error('expected an error');
}

const MINIMAL = `title: 文集
speeches:
  - speeches/*.txt
editions:
  - name: book
    preset: book
`;


describe('book.yaml schema', () => {
  it('accepts a minimal book and fills defaults', () => {
    const c = parseBookConfig(MINIMAL, 'book.yaml');
    expect(c.title).toBe('文集');
    expect(c.order).toBe('date');
    expect(c.groupBy).toBe('none');
    expect(c.speeches).toEqual([{ pattern: 'speeches/*.txt', line: 3, overrides: {} }]);
    expect(c.editions[0]).toMatchObject({ name: 'book', preset: 'book', line: 5 });
  });

  it('names the line, the unknown key and the valid keys', () => {
    const e = configError(MINIMAL.replace('title: 文集', 'title: 文集\ntilte: x'));
    expect(e.errors).toHaveLength(1);
    expect(e.errors[0]).toMatchObject({ file: 'book.yaml', line: 2 });
    expect(e.format()).toMatch(/^book\.yaml:2: unknown key 'tilte' in book\.yaml \(did you mean 'title'\?\)\. Valid keys: title, subtitle,/);
  });

  it('__proto__ and constructor are unknown keys like any other', () => {
    const e = configError(MINIMAL.replace('title: 文集', 'title: 文集\n__proto__: x\nconstructor: y'));
    expect(e.format()).toMatch(/^book\.yaml:2: unknown key '__proto__' in book\.yaml.*\nbook\.yaml:3: unknown key 'constructor' in book\.yaml/);
  });

  it('the ebook preset with a PDF or HTML format is refused before anything is read', async () => {
    const dir = makeCollection({
      'speeches/a.txt': '讲话|鲁迅|1927-07-23\n正文。',
      'book.yaml': MINIMAL.replace('preset: book', 'preset: ebook\n    formats: [html, pdf]'),
    });
    expect(await failure(() => resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} }))).toBe(
      `${path.join(dir, 'book.yaml')}:5: edition 'book': preset ebook makes only EPUB, not html or pdf: use preset book (or handout) for PDF and HTML, or list only epub in formats`,
    );
  });

  it('a handout on paper other than A4 is refused, in book.yaml with its line and on the command line with its option', async () => {
    const dir = makeCollection({
      'speeches/a.txt': '讲话|鲁迅|1927-07-23\n正文。',
      'book.yaml': MINIMAL.replace('preset: book', 'preset: handout\n    paper: A5'),
    });
    expect(await failure(() => resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} }))).toBe(
      `${path.join(dir, 'book.yaml')}:5: edition 'book': preset handout is the GB/T 9704 A4 page (22 lines of 28 characters) and has no A5 form: leave out paper, or use preset book (or reading) for A5`,
    );
    expect(await failure(() => resolveBuild(parseBuildArgs([path.join(dir, 'speeches/a.txt'), '--paper', 'B5']), { env: {} }))).toBe(
      'on the command line, preset handout is the GB/T 9704 A4 page (22 lines of 28 characters) and has no B5 form: leave out --paper, or use preset book (or reading) for B5',
    );
  });

  it('a theme whose CSS loads from outside is refused at validation, naming its file and line', async () => {
    const dir = makeCollection({
      'speeches/a.txt': '讲话|鲁迅|1927-07-23\n正文。',
      'theme/styles/book.css': '.speech {}\n@import "http://example.com/x.css";\n',
      'book.yaml': MINIMAL,
    });
    expect(await failure(() => resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml'), '--theme', path.join(dir, 'theme')]), { env: {} }))).toMatch(
      new RegExp(`^${path.join(dir, 'theme/styles/book.css')}:2: the theme asks for http://example.com/x.css, which the renderer never loads`),
    );
  });

  it('a speech entry whose date is not a day of the calendar names its line', () => {
    const e = configError(MINIMAL.replace('  - speeches/*.txt', '  - {file: speeches/a.txt, date: 2024-13-01}'));
    expect(e.format()).toBe("book.yaml:3: 'date' 2024-13-01 is not a day of the calendar (there is no month 13): correct it as YYYY-MM-DD");
  });

  it('reports an unknown key inside an edition with the edition keys', () => {
    const e = configError(MINIMAL + '    colour: red\n');
    expect(e.format()).toContain("book.yaml:7: unknown key 'colour' in edition 'book'. Valid keys: name, preset, layout, script, formats, paper");
  });

  it('rejects a duplicate edition name, naming both lines', () => {
    const e = configError(MINIMAL + '  - name: book\n    preset: ebook\n');
    expect(e.format()).toBe("book.yaml:7: duplicate edition name 'book' (first at line 5): each edition needs its own name");
  });

  it('lists the valid values of a bad enum', () => {
    const e = configError(MINIMAL + '    layout: diagonal\n    script: tw2\n');
    expect(e.format()).toContain("book.yaml:7: 'layout' is 'diagonal'. Valid values: horizontal, vertical");
    expect(e.format()).toContain("book.yaml:8: 'script' is 'tw2' (did you mean 'tw'?). Valid values: source, hans, tw, hk");
    const g = configError(MINIMAL.replace('editions:', 'groupBy: week\neditions:'));
    expect(g.format()).toContain("'groupBy' is 'week'. Valid values: none, year, month, quarter, speaker");
  });

  it('reports several problems at once, in line order, and YAML syntax errors with their line', () => {
    const e = configError('title: x\nfoo: 1\neditions:\n  - name: a b\n    preset: pamphlet\n');
    expect(e.errors.map((d) => d.line)).toEqual([2, 4, 5]);
    expect(configError('title: [x\nspeeches: y\n').format()).toMatch(/^book\.yaml:\d+: YAML: /);
    expect(configError('title: a\ntitle: b\n').format()).toMatch(/^book\.yaml:2: YAML: Map keys must be unique: each key may appear once/);
  });

  it('requires title and editions', () => {
    const e = configError('speeches: [a.txt]\n');
    expect(e.format()).toContain("book.yaml:1: book.yaml has no 'title'");
    expect(e.format()).toContain("book.yaml:1: book.yaml has no 'editions'");
  });

  it('reads speech entries with editor overrides and explicit parts', () => {
    const c = parseBookConfig(
      `title: t
speeches:
  - file: a.txt
    title: 甲
    date: "2024-03-19"
groupBy:
  - title: 上编
    speeches: [a.txt]
editions: [{name: e, preset: ebook}]
`,
      'book.yaml',
    );
    expect(c.speeches[0]).toEqual({ pattern: 'a.txt', line: 3, overrides: { title: '甲', date: '2024-03-19' } });
    expect(c.groupBy).toEqual([{ title: '上编', line: 7, speeches: [{ pattern: 'a.txt', line: 8, overrides: {} }] }]);
    expect(configError(`title: t\nspeeches:\n  - file: a.txt\n    date: 19 March\neditions: [{name: e, preset: ebook}]\n`).format()).toContain(
      "book.yaml:4: 'date' is '19 March': write it as YYYY-MM-DD",
    );
  });
});

describe('resolving a book.yaml into a plan', () => {
  const files = {
    'speeches/a.txt': '甲|鲁迅|1927-04-08\n正文甲。',
    'speeches/b.txt': '乙|鲁迅|1926-08-22\n正文乙。',
    'speeches/b.meta.yaml': 'title: 乙\n',
    'preface.md': '# 前言\n\n说明。\n',
  };

  it('expands globs (never picking sidecars), resolves every edition field and output path', () => {
    const dir = makeCollection({
      ...files,
      'book.yaml': `title: 文集
speeches: [speeches/*]
frontMatter: [preface.md]
editions:
  - {name: h, preset: book}
  - {name: v, preset: book, layout: vertical, script: tw, formats: [pdf, epub], label: 臺灣直排典藏本}
  - {name: e, preset: ebook}
  - {name: one, preset: handout, speeches: [speeches/a.txt]}
`,
    });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} });
    const book = plan.editions[0]!.book;
    expect(book.speeches.map((s) => path.basename(s.file))).toEqual(['a.txt', 'b.txt']);
    expect(plan.editions.map((e) => e.edition)).toEqual([
      { name: 'h', preset: 'book', layout: 'horizontal', script: 'source', formats: ['pdf'], paper: 'A5', engine: 'pagedjs', embedFonts: true, mark: undefined, theme: undefined },
      { name: 'v', preset: 'book', layout: 'vertical', script: 'tw', formats: ['pdf', 'epub'], paper: 'A5', engine: 'chromium', embedFonts: true, mark: undefined, label: '臺灣直排典藏本', theme: undefined },
      { name: 'e', preset: 'ebook', layout: 'horizontal', script: 'source', formats: ['epub'], paper: 'A5', engine: 'pagedjs', embedFonts: true, mark: undefined, theme: undefined },
      { name: 'one', preset: 'handout', layout: 'horizontal', script: 'source', formats: ['pdf'], paper: 'A4', engine: 'pagedjs', embedFonts: true, mark: undefined, theme: undefined },
    ]);
    const slug = path.basename(dir).replace(/[^A-Za-z0-9._-]+/g, '-');
    expect(plan.editions[1]!.outputs.map((o) => path.relative(process.cwd(), o.file))).toEqual([
      path.join('output', slug, 'v.pdf'),
      path.join('output', slug, 'v.epub'),
    ]);
    expect(plan.editions[3]!.book.speeches.map((s) => path.basename(s.file))).toEqual(['a.txt']);
    expect(plan.editions[3]!.book.key).not.toBe(book.key);
    // A one-speech edition is that speech's publication: its title, no collection matter.
    expect(plan.editions[3]!.book).toMatchObject({ title: undefined, frontMatter: [], groupBy: 'none' });
    expect(book.frontMatter).toEqual([path.join(dir, 'preface.md')]);
    expect(plan.editions[0]!.book).toBe(plan.editions[1]!.book);
  });

  it('a glob picks every file a reader reads when named (one table of formats), and nothing else', () => {
    const dir = makeCollection({
      'speeches/a.txt': '甲', 'speeches/b.text': '乙', 'speeches/c.xhtml': '<p>丙</p>', 'speeches/d.htm': '<p>丁</p>',
      'speeches/e.markdown': '---\ntitle: 戊\n---\n', 'speeches/f.pdf': '%PDF', 'speeches/a.meta.yaml': 'title: 甲\n',
      'book.yaml': 'title: 文集\nspeeches: [speeches/*]\neditions: [{name: e, preset: ebook}]\n',
    });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} });
    const picked = plan.editions[0]!.book.speeches.map((s) => path.basename(s.file));
    expect(picked).toEqual(['a.txt', 'b.text', 'c.xhtml', 'd.htm', 'e.markdown']);
    expect(picked.map((f) => formatOfName(f))).toEqual(['text', 'text', 'html', 'html', 'markdown']);
  });

  it('fails before reading anything on a missing file, a glob matching nothing, a missing front-matter file', async () => {
    const dir = makeCollection({
      ...files,
      'book.yaml': `title: 文集
speeches:
  - speeches/*.txt
  - speeches/missing.txt
  - talks/*.docx
frontMatter: [nope.md]
editions:
  - {name: h, preset: book}
`,
    });
    const text = await failure(() => resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} }));
    const shown = path.join(dir, 'book.yaml');
    expect(text).toContain(`${shown}:4: speech file 'speeches/missing.txt' not found`);
    expect(text).toContain(`${shown}:5: 'talks/*.docx' matches no speech source`);
    expect(text).toContain(`${shown}:6: frontMatter file 'nope.md' not found`);
  });

  it('explicit parts: their files are the book; a listed speech in no part is an error', async () => {
    const parts = `groupBy:\n  - title: 上编\n    speeches: [speeches/b.txt]\n  - title: 下编\n    speeches: [speeches/a.txt]\neditions:\n  - {name: a, preset: book}\n`;
    const dir = makeCollection({ ...files, 'book.yaml': `title: t\n${parts}` });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} });
    expect(plan.editions[0]!.book.groupBy).toEqual([
      { title: '上编', files: [path.join(dir, 'speeches/b.txt')] },
      { title: '下编', files: [path.join(dir, 'speeches/a.txt')] },
    ]);
    const extra = makeCollection({ ...files, 'speeches/c.txt': '丙|鲁迅|\n丙', 'book.yaml': `title: t\nspeeches: [speeches/*.txt]\n${parts}` });
    expect(await failure(() => resolveBuild(parseBuildArgs([path.join(extra, 'book.yaml')]), { env: {} }))).toMatch(
      /book\.yaml:2: speech '.*c\.txt' is in 'speeches' but in no part of 'groupBy': add it to a part/,
    );
  });

  it('refuses Paged.js for a vertical edition, saying why', async () => {
    const dir = makeCollection({ ...files, 'book.yaml': `title: t\nspeeches: [speeches/*.txt]\neditions:\n  - {name: v, preset: book, layout: vertical, engine: pagedjs}\n` });
    expect(await failure(() => resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} }))).toMatch(
      /:4: edition 'v': the pagedjs engine cannot set vertical text: Paged\.js 0\.4\.3 drops part of the text in writing-mode: vertical-rl.*use --engine chromium/,
    );
  });

  it('--edition builds only the named editions and rejects unknown names with the list', () => {
    const dir = makeCollection({ ...files, 'book.yaml': `title: t\nspeeches: [speeches/*.txt]\neditions:\n  - {name: a, preset: book}\n  - {name: b, preset: ebook}\n` });
    const yaml = path.join(dir, 'book.yaml');
    expect(resolveBuild(parseBuildArgs([yaml, '--edition', 'b']), { env: {} }).editions.map((e) => e.edition.name)).toEqual(['b']);
    // A folder holding a book.yaml stands for it.
    expect(resolveBuild(parseBuildArgs([dir]), { env: {} }).configFile).toBe(yaml);
    expect(() => resolveBuild(parseBuildArgs([yaml, '--edition', 'c']), { env: {} })).toThrow(/no edition named 'c' .* Editions: a, b/);
  });

  it('command-line values override every edition; --layout vertical drops a horizontal engine choice', () => {
    const dir = makeCollection({ ...files, 'book.yaml': `title: t\nspeeches: [speeches/*.txt]\neditions:\n  - {name: a, preset: book, engine: pagedjs}\n` });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml'), '--layout', 'vertical', '--format', 'html', '--out', path.join(dir, 'out')]), { env: {} });
    expect(plan.editions[0]!.edition).toMatchObject({ layout: 'vertical', engine: 'chromium', formats: ['html'] });
    expect(plan.editions[0]!.outputs[0]!.file).toBe(path.join(dir, 'out', 'a.html'));
  });

  it('a bad front-matter file fails in assembly, before any writer runs', async () => {
    const dir = makeCollection({
      ...files,
      'bad.md': '---\ntitle: [unclosed\n---\n正文\n',
      'book.yaml': `title: t\nspeeches: [speeches/*.txt]\nfrontMatter: [bad.md]\neditions:\n  - {name: a, preset: book}\n`,
    });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: { WENJI_CACHE_DIR: path.join(dir, 'cache') } });
    let written = 0;
    const writer = async () => {
      written++;
      return { file: 'x', bytes: 0 };
    };
    expect(
      await failure(() => executeBuild(plan, { read: fakeReader().read, writers: { pdf: writer, epub: writer, html: writer }, noCache: true })),
    ).toMatch(/bad\.md:2: front matter is not valid YAML/);
    expect(written).toBe(0);
  });
});

describe('what writers notice', () => {
  it("a writer's warnings reach the build's diagnostics and its row of the summary", async () => {
    const dir = makeCollection({ 'speeches/a.txt': '甲|鲁迅|1927-04-08\n正文甲。', 'book.yaml': `title: t\nspeeches: [speeches/*.txt]\neditions:\n  - {name: a, preset: book, formats: [pdf, epub]}\n` });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} });
    const writer: Writer = async (_book, _edition, ctx) => {
      ctx.diagnostics.warn('W-WRITE-NOTE-MISSING', 'speeches/a.txt', 'note reference [^1] has no note', 3);
      return { file: ctx.outFile, bytes: 1 };
    };
    const result = await executeBuild(plan, { read: fakeReader().read, writers: { pdf: writer, epub: writer, html: writer }, noCache: true, launch: async () => ({ connected: true, close: async () => {} }) as never });
    expect(result.diagnostics.filter((d) => d.code === 'W-WRITE-NOTE-MISSING')).toHaveLength(1);
    expect(result.outputs.map((o) => o.warnings)).toEqual([1, 1]);
  });
});

describe('bad inputs found before rendering', () => {
  it('a malformed dictionary stops the build before any writer runs, naming file and line', async () => {
    const dir = makeCollection({
      'speeches/a.txt': '甲|鲁迅|1927-04-08\n正文甲。',
      'dict.txt': '# 人名\nprotect 干国强\nrewrite 計劃 計畫\n',
      'book.yaml': `title: t\nspeeches: [speeches/*.txt]\ndictionary: dict.txt\neditions:\n  - {name: a, preset: book}\n  - {name: tw, preset: book, script: tw}\n`,
    });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'book.yaml')]), { env: {} });
    let written = 0;
    const writer = async () => {
      written++;
      return { file: 'x', bytes: 0 };
    };
    const message = await failure(() => executeBuild(plan, { read: fakeReader().read, writers: { pdf: writer, epub: writer, html: writer }, noCache: true }));
    expect(message).toMatch(/dict\.txt:3: /);
    expect(written).toBe(0);
  });
});

describe('wenji build command line', () => {
  it('parses every flag', () => {
    const o = parseBuildArgs([
      'a.md', 'b.txt', '--preset', 'book', '--layout=vertical', '--paper', '32k', '--format', 'pdf,epub', '--format', 'html',
      '--engine', 'chromium', '--script', 'tw', '--report', '--dictionary', 'd.txt', '--cover', 'c.png', '--no-embed-fonts',
      '--theme', 'th', '--mark', '内部资料', '--out', 'o', '--edition', 'x,y', '--edition', 'z',
    ]);
    expect(o).toEqual({
      inputs: ['a.md', 'b.txt'], preset: 'book', layout: 'vertical', paper: '32k', formats: ['pdf', 'epub', 'html'],
      engine: 'chromium', script: 'tw', report: true, dictionary: 'd.txt', cover: 'c.png', embedFonts: false,
      theme: 'th', mark: '内部资料', out: 'o', editions: ['x', 'y', 'z'], help: false,
    });
    expect(parseBuildArgs(['--help']).help).toBe(true);
    expect(parseBuildArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--preset', 'poster'], "--preset poster: unknown preset. Valid values: handout, book, ebook"],
    [['--layout', 'vertikal'], "--layout vertikal: unknown layout (did you mean 'vertical'?). Valid values: horizontal, vertical"],
    [['--paper', 'A3'], 'Valid values: A4, A5, B5, 32k, 16k'],
    [['--format', 'pdf,mobi'], '--format mobi: unknown format. Valid values: pdf, epub, html'],
    [['--engine', 'prince'], 'Valid values: pagedjs, chromium'],
    [['--script', 'hant'], 'Valid values: hans, tw, hk'],
    [['--colour', 'x'], "unknown option '--colour'"],
    [['--layot', 'x'], "(did you mean '--layout'?)"],
    [['-x'], "unknown option '-x'"],
    [['--out'], '--out needs a value'],
    [['--report=yes'], '--report takes no value'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseBuildArgs(argv)).toThrow(WenjiError);
    expect(() => parseBuildArgs(argv)).toThrow(message);
  });

  it('single-file builds: output names, defaults, pagedjs vertical refused, missing input', async () => {
    const dir = makeCollection({ 'talk.md': '---\ntitle: x\n---\n正文\n' });
    const plan = resolveBuild(parseBuildArgs([path.join(dir, 'talk.md'), '--layout', 'vertical', '--script', 'tw', '--format', 'pdf,epub', '--out', dir]), { env: {} });
    expect(plan.mode).toBe('single');
    expect(plan.editions[0]!.edition).toMatchObject({ preset: 'handout', paper: 'A4', engine: 'chromium', name: 'handout-vertical-tw' });
    expect(plan.editions[0]!.outputs.map((o) => path.basename(o.file))).toEqual(['talk-handout-vertical-tw.pdf', 'talk-handout-vertical-tw.epub']);
    const epubOnly = resolveBuild(parseBuildArgs([path.join(dir, 'talk.md'), '--format', 'epub']), { env: {} });
    expect(epubOnly.editions[0]!.edition).toMatchObject({ preset: 'ebook', formats: ['epub'] });
    expect(() => resolveBuild(parseBuildArgs([path.join(dir, 'talk.md'), '--layout', 'vertical', '--engine', 'pagedjs']), { env: {} })).toThrow(
      /Paged\.js .* vertical-rl/,
    );
    expect(await failure(() => resolveBuild(parseBuildArgs([path.join(dir, 'nope.md')]), { env: {} }))).toMatch(/nope\.md: no such file/);
    expect(() => resolveBuild(parseBuildArgs([]), { env: {} })).toThrow(/no input given/);
    expect(() => resolveBuild(parseBuildArgs([path.join(dir, 'talk.md'), '--cover', path.join(dir, 'talk.md')]), { env: {} })).toThrow(
      /is not an image/,
    );
  });
});
