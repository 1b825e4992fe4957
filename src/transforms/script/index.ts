/**
 * Script conversion for traditional (tw, hk) and simplified (hans) editions.
 * STUB — the traditional-editions issue replaces the body; the signature is the contract.
 */
import type { Book, Script } from '../../model/book.ts';

export interface ScriptOptions {
  /** User dictionary file (protect / replace terms). */
  dictionary?: string;
}

export interface ConversionReport {
  /** One entry per occurrence of an ambiguous character, for the proofreading report. */
  ambiguous: { speechId: string; char: string; chosen: string; context: string }[];
}

/** Converts every text of the book; returns it unchanged for 'source'. Pure apart from reading the dictionary. */
export async function convertBook(
  book: Book,
  script: Script,
  options: ScriptOptions = {},
): Promise<{ book: Book; report: ConversionReport }> {
  if (script === 'source') return { book, report: { ambiguous: [] } };
  throw new Error(`convertBook(${script}) not implemented yet ${JSON.stringify(options)}`);
}
