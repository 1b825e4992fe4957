/** `wenji init DIR`: scaffolds a collection — a commented book.yaml, speeches/, a preface. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WenjiError } from '../model/diagnostics.ts';

export const summary = 'scaffold a collection (book.yaml, speeches/, preface)';

const HELP = `Usage: wenji init DIR

Creates DIR with a book.yaml (every key explained in comments), an empty speeches/ folder
and a preface.md. DIR must not exist or be empty: nothing is ever overwritten.
Then put speeches into DIR/speeches/ and run \`wenji build DIR/book.yaml\`.
`;

export function bookYamlTemplate(title: string): string {
  return `# ${title}: a wenji collection. Build it with: wenji build ${title}/book.yaml
# Paths are relative to this file. Every key except title, speeches and editions is optional.

title: ${title}
# subtitle: 二〇二四年
# editor: 编者姓名               # EPUB creator, PDF author
# publisher: 出版者              # printed in the colophon
# year: 2024                     # default: the year of the latest speech
# identifier: urn:isbn:9787000000000   # default: derived from the content
# cover: cover.jpg               # EPUB cover (PNG or JPEG); default: a generated cover
# credits:                       # sources of the texts, printed in the colophon
#   - 某某网站 https://example.org/

# Sources: .txt (scraped pages), .html, .md (with front matter), .docx; globs allowed.
# Metadata the page gets wrong can be given per file, or in a sidecar NAME.meta.yaml:
#   - file: speeches/2024-03-19.txt
#     title: 在……上的讲话
#     speaker: 张三
#     role: 省长
#     date: 2024-03-19
#     occasion: ……座谈会
#     venue: 兰州
speeches:
  - speeches/*

order: date            # date | manual (as listed)
groupBy: month         # none | year | month | quarter | speaker, or explicit parts:
# groupBy:
#   - title: 上半年
#     speeches: [speeches/01-*.md, speeches/02-*.md]

frontMatter:
  - preface.md
# backMatter:
#   - afterword.md
# theme: theme/        # templates/ and styles/ that override the built-in ones
# dictionary: dict.txt # user dictionary for traditional editions
# ruby: {单于: chán yú, 行长: false}   # reading copies: pinyin to force (a reading, or true) or suppress

# Editions: each is built into output/<folder>/<name>.<format>.
#   preset: handout | book | ebook | reading (a reading copy, for the lectern)
#   layout: horizontal | vertical     script: source | hans | tw | hk
#   formats: [pdf, epub, html]
#   paper: A4 | A5 | B5 | 32k | 16k   engine: pagedjs | chromium (vertical needs chromium)
#   mark: 内部资料                     embedFonts: true | false
#   label: 简体竖排本                  (what the colophon calls it; default from script and layout)
#   speeches: [...]                   (this edition's own speeches, e.g. a handout of one)
editions:
  - name: book
    preset: book
    layout: horizontal
    formats: [pdf]
  - name: book-vertical
    preset: book
    layout: vertical
    formats: [pdf]
  - name: ebook
    preset: ebook
    formats: [epub]
`;
}

const PREFACE = `# 编辑说明

本书收录的讲话按日期编排，分月成编。各篇标题、讲话人及日期以原始稿件为准，
个别明显的排印错误已径改，不另出注。
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const unknown = argv.find((a) => a.startsWith('-'));
  if (unknown) throw new WenjiError(`unknown option '${unknown}'. Usage: wenji init DIR`);
  if (argv.length !== 1) throw new WenjiError('give one folder to create. Usage: wenji init DIR');
  const dir = path.resolve(argv[0]!);
  const shown = argv[0]!;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new WenjiError('exists and is a file: choose a new folder name', shown);
    if (readdirSync(dir).length) {
      throw new WenjiError('exists and is not empty: wenji init never overwrites; choose a new or empty folder', shown);
    }
  }
  await mkdir(path.join(dir, 'speeches'), { recursive: true });
  await writeFile(path.join(dir, 'book.yaml'), bookYamlTemplate(path.basename(dir)), { flag: 'wx' });
  await writeFile(path.join(dir, 'preface.md'), PREFACE, { flag: 'wx' });
  process.stdout.write(
    `created ${shown}/book.yaml, ${shown}/preface.md and ${shown}/speeches/\n` +
      `next: put speeches into ${shown}/speeches/ and run: wenji build ${shown}/book.yaml\n`,
  );
  return 0;
}
