/**
 * The 3,500 common-use characters (通用规范汉字表 2013, 一级字表), from data/common-characters.txt
 * (its header names the source). A reading copy annotates every character outside them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How many characters the level-1 table holds; the data file is checked against it. */
export const COMMON_CHARACTER_COUNT = 3500;

let common: ReadonlySet<string> | undefined;

/** The level-1 characters (read once per process). */
export function commonCharacters(): ReadonlySet<string> {
  if (!common) {
    const file = fileURLToPath(new URL('./data/common-characters.txt', import.meta.url));
    const chars = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const set = new Set(chars);
    if (set.size !== COMMON_CHARACTER_COUNT || chars.length !== COMMON_CHARACTER_COUNT || chars.some((c) => [...c].length !== 1)) {
      throw new Error(`${file}: expected ${COMMON_CHARACTER_COUNT} distinct characters, one a line; found ${set.size} in ${chars.length} lines`);
    }
    common = set;
  }
  return common;
}

/** Whether a character is one of the 3,500 common-use characters. */
export function isCommonCharacter(ch: string): boolean {
  return commonCharacters().has(ch);
}
