/** `wenji build`. STUB — replaced by its issue. */
export const summary = 'build';

export async function run(argv: string[]): Promise<number> {
  process.stderr.write(`wenji build: not implemented yet (${argv.join(' ')})\n`);
  return 1;
}
