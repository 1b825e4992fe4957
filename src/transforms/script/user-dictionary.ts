/**
 * The editor's dictionary: a UTF-8 text file, one entry per line.
 *
 *     # 人名、地名：不转换
 *     protect 干国强
 *     protect 于都县
 *     # 繁体版用字：转换之后再替换
 *     replace 計劃 計畫          # every traditional edition
 *     replace-tw 報道 報導       # Taiwan edition only (also replace-hk, replace-hans)
 *
 * `protect TERM` keeps TERM exactly as written in the source, in every edition.
 * `replace FROM TO` runs on the converted text (so FROM is written in the target script)
 * as the very last step; `replace` alone applies to the tw and hk editions, `replace-tw`,
 * `replace-hk`, `replace-hans` to one edition. Fields are separated by spaces (an
 * ideographic space counts); `#` starts a comment. Mistakes are reported as
 * `file:line: message`.
 */
import { readFile } from 'node:fs/promises';
import { WenjiError } from '../../model/diagnostics.ts';

export type Edition = 'tw' | 'hk' | 'hans';

export interface Replacement {
  from: string;
  to: string;
  editions: readonly Edition[];
  line: number;
}

export interface UserDictionary {
  file: string;
  protect: readonly string[];
  replace: readonly Replacement[];
}

export const EMPTY_DICTIONARY: UserDictionary = { file: '', protect: [], replace: [] };

const REPLACE_DIRECTIVES: Record<string, readonly Edition[]> = {
  replace: ['tw', 'hk'],
  'replace-tw': ['tw'],
  'replace-hk': ['hk'],
  'replace-hans': ['hans'],
};
const DIRECTIVES = ['protect', ...Object.keys(REPLACE_DIRECTIVES)];

export async function loadUserDictionary(file: string): Promise<UserDictionary> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(e);
    throw new WenjiError(`cannot read the script dictionary (${why}); check the path given with --dictionary`, file);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WenjiError('the script dictionary is not UTF-8 text; save it as UTF-8', file);
  }
  return parseUserDictionary(text, file);
}

/** Parses dictionary text; throws WenjiError naming file and line on the first mistake. */
export function parseUserDictionary(text: string, file: string): UserDictionary {
  const protect: string[] = [];
  const replace: Replacement[] = [];
  const protectedAt = new Map<string, number>();
  const replacedAt = new Map<string, Replacement>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') return;
    const [directive, ...terms] = content.split(/\s+/);
    const fail = (message: string): never => {
      throw new WenjiError(message, file, line);
    };
    if (directive === 'protect') {
      if (terms.length !== 1) {
        fail(`"protect" takes one term, found ${terms.length}: write "protect 干国强" (one term per line)`);
      }
      const term = terms[0]!;
      if (!protectedAt.has(term)) {
        protectedAt.set(term, line);
        protect.push(term);
      }
      return;
    }
    const editions = REPLACE_DIRECTIVES[directive!];
    if (!editions) {
      fail(`unknown entry "${directive}"; a line starts with one of: ${DIRECTIVES.join(', ')} (or # for a comment)`);
    }
    if (terms.length !== 2) {
      fail(`"${directive}" takes two terms, found ${terms.length}: write "${directive} 計劃 計畫"`);
    }
    const [from, to] = terms as [string, string];
    if (from === to) fail(`"${directive} ${from} ${to}" replaces a term with itself; use "protect ${from}" to keep a term`);
    for (const edition of editions!) {
      const earlier = replacedAt.get(`${edition}\u0000${from}`);
      if (earlier && earlier.to !== to) {
        fail(`"${from}" is already replaced by "${earlier.to}" on line ${earlier.line}; keep one of the two lines`);
      }
    }
    const entry: Replacement = { from, to, editions: editions!, line };
    for (const edition of editions!) replacedAt.set(`${edition}\u0000${from}`, entry);
    replace.push(entry);
  });
  return { file, protect, replace };
}

/** The replacements for one edition, FROM → TO. */
export function replacementsFor(dictionary: UserDictionary, edition: Edition): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of dictionary.replace) if (r.editions.includes(edition)) out.set(r.from, r.to);
  return out;
}
