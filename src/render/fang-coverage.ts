/**
 * The 仿宋 face (FandolFang) has the GB 2312 set; a character beyond it is set in the Song
 * face, which an editor should know before a handout goes out. One warning per speech,
 * listing the characters, at the line of the first block that has one.
 */
import type { Book } from '../model/book.ts';
import type { Diagnostics } from '../model/diagnostics.ts';
import { blockText } from '../model/speech.ts';
import { charactersWithoutFang } from './fonts.ts';

export function warnCharactersWithoutFang(book: Book, diagnostics: Diagnostics): void {
  for (const speech of book.parts.flatMap((p) => p.speeches)) {
    const texts = [speech.title, speech.subtitle ?? '', ...speech.blocks.map(blockText)];
    // Han characters only: a symbol or emoji is set in its own face in every preset.
    const missing = charactersWithoutFang(texts.join('\n')).filter((c) => /\p{Script=Han}/u.test(c));
    if (!missing.length) continue;
    const first = speech.blocks.find((b) => charactersWithoutFang(blockText(b)).some((c) => missing.includes(c)));
    diagnostics.warn(
      'W-FONT-NO-FANGSONG',
      speech.source.file,
      `${missing.length} character${missing.length > 1 ? 's' : ''} not in the FangSong face, set in the Song face (or a rarer-character face): ${missing.join('')}`,
      first?.pos?.line,
    );
  }
}
