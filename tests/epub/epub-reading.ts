/** Opens a built EPUB for the tests: files by path, documents parsed with linkedom. */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { DOMParser } from 'linkedom';

export interface OpenedEpub {
  bytes: Uint8Array;
  names: string[];
  text(name: string): string;
  has(name: string): boolean;
  /** Raw bytes of one entry. */
  entry(name: string): Uint8Array;
  /** Parses an XML document (package, nav, chapter, ncx). */
  xml(name: string): Document;
}

export function openEpub(file: string): OpenedEpub {
  const bytes = new Uint8Array(readFileSync(file));
  const files = unzipSync(bytes);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    bytes,
    names: Object.keys(files),
    has: (name) => name in files,
    entry(name) {
      const f = files[name];
      if (!f) throw new Error(`${name} not in ${file}`);
      return f;
    },
    text(name) {
      const f = files[name];
      if (!f) throw new Error(`${name} not in ${file}`);
      return decoder.decode(f);
    },
    xml(name) {
      return new DOMParser().parseFromString(this.text(name), 'text/xml') as unknown as Document;
    },
  };
}
