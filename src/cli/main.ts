/** `wenji COMMAND …`: dispatches to one module per command. */
import { WenjiError } from '../model/diagnostics.ts';

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  import: () => import('./import.ts'),
  build: () => import('./build.ts'),
  init: () => import('./init.ts'),
  preview: () => import('./preview.ts'),
};

const HELP = `wenji — turns Chinese speeches into handouts, books and e-books

Usage: wenji COMMAND [options]

Commands:
  import FILE...          normalise sources into Markdown with front matter (or --json)
  build INPUT...          build PDF / EPUB / HTML from sources or a book.yaml (--watch: on every save)
  preview INPUT           show an edition as pages in the browser, refreshed on every save
  init DIR                scaffold a collection (book.yaml, speeches/, preface)

Run \`wenji COMMAND --help\` for the options of a command.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`wenji: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}.\n`);
    return 2;
  }
  try {
    const cmd = await load();
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof WenjiError) {
      process.stderr.write(`wenji: ${e.format()}\n`);
      return 1;
    }
    throw e;
  }
}
