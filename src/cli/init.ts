/** `wenji init`. STUB — replaced by its issue. */
export const summary = 'init';

export async function run(argv: string[]): Promise<number> {
  process.stderr.write(`wenji init: not implemented yet (${argv.join(' ')})\n`);
  return 1;
}
