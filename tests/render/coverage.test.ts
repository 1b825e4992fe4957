/** Coverage before rendering: every character looked up in the bundled faces, the missing ones named. */
import { describe, expect, it } from 'vitest';
import type { Book } from '../../src/model/book.ts';
import { Diagnostics, WenjiError, formatDiagnostic } from '../../src/model/diagnostics.ts';
import type { Speech } from '../../src/model/speech.ts';
import { missingGlyphs, reportMissingGlyphs } from '../../src/render/coverage.ts';
import { faceSetFor } from '../../src/render/fonts.ts';

function bookWith(...paragraphs: string[]): Book {
  const speech: Speech = {
    id: 's',
    title: '罕见字',
    speaker: { name: '张三' },
    date: '2024-01-02',
    source: { file: 'speeches/rare.md' },
    lang: 'zh-Hans',
    blocks: paragraphs.map((text, i) => ({ type: 'paragraph', content: [{ type: 'text', text }], pos: { line: 7 + 2 * i } })),
  };
  return { title: '文集', date: '2024-01-02', lang: 'zh-Hans', frontMatter: [], parts: [{ id: 'p', speeches: [speech] }], backMatter: [] };
}
const bySpeechLang = (s: Speech) => faceSetFor(s.lang);

describe('missingGlyphs', () => {
  it('finds symbols, emoji and Extension B names in the bundled faces (fonts-hanazono installed)', () => {
    expect(missingGlyphs(bookWith('编号①②③※，气温25℃，№3；罕见字𠀀𪚥𡘙，表情😀👍🏽❤️。'), bySpeechLang)).toEqual([]);
  });

  it('names a character no face has, with its code point, file and line, once', () => {
    const d = new Diagnostics();
    const skip = reportMissingGlyphs(bookWith('第一段。', '扩展G的𰀀字，又一个𰀀。'), bySpeechLang, d);
    expect([...skip]).toEqual([0x30000]);
    expect(d.items.map(formatDiagnostic)).toEqual([
      'speeches/rare.md:9: warning: 𰀀 (U+30000) is in no font wenji has and will print blank; replace it, or check the text [W-FONT-MISSING-GLYPH]',
    ]);
  });

  it('does not look up what draws nothing itself: joiners, variation selectors, spaces', () => {
    expect(missingGlyphs(bookWith('葛\u{E0100}与👨\u200D👩，全角空格\u3000，不换行\u00A0。'), bySpeechLang)).toEqual([]);
  });

  it('with --strict, fails instead', () => {
    expect(() => reportMissingGlyphs(bookWith('𰀀'), bySpeechLang, new Diagnostics(), true)).toThrow(WenjiError);
    expect(() => reportMissingGlyphs(bookWith('𰀀'), bySpeechLang, new Diagnostics(), true)).toThrow(/𰀀 U\+30000 \(speeches\/rare\.md:7\)/);
  });
});
