export * from './speech.ts';
export * from './book.ts';
export * from './diagnostics.ts';
