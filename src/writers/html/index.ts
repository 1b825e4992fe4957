/**
 * html writer. STUB — its issue replaces the body; the signature is the contract.
 */
import type { Book, Edition } from '../../model/book.ts';
import type { WriteContext, WriteResult } from '../types.ts';

export async function writeHtml(book: Book, edition: Edition, ctx: WriteContext): Promise<WriteResult> {
  throw new Error(`writeHtml not implemented yet: ${book.title} ${edition.name} ${ctx.outFile}`);
}
