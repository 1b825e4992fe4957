/** `wenji import`. STUB — replaced by its issue. */
export const summary = 'import';

export async function run(argv: string[]): Promise<number> {
  process.stderr.write(`wenji import: not implemented yet (${argv.join(' ')})\n`);
  return 1;
}
