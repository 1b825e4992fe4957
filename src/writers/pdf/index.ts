/**
 * pdf writer. STUB — its issue replaces the body; the signature is the contract.
 */
import type { Book, Edition } from '../../model/book.ts';
import type { WriteContext, WriteResult } from '../types.ts';

export async function writePdf(book: Book, edition: Edition, ctx: WriteContext): Promise<WriteResult> {
  throw new Error(`writePdf not implemented yet: ${book.title} ${edition.name} ${ctx.outFile}`);
}
