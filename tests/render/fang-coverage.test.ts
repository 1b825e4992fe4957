/** The 仿宋 face's coverage, on real corpus speeches: what it lacks is named in a warning. */
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/model/diagnostics.ts';
import { blockText } from '../../src/model/speech.ts';
import { charactersWithoutFang } from '../../src/render/fonts.ts';
import { warnCharactersWithoutFang } from '../../src/render/fang-coverage.ts';
import { corpusSpeech, lanzhouSpeech, singleSpeechBook } from './fixtures.ts';

describe('FangSong coverage', () => {
  it('has every character of the simplified sample speech', () => {
    const d = new Diagnostics();
    warnCharactersWithoutFang(singleSpeechBook(lanzhouSpeech()), d);
    expect(d.items).toEqual([]);
  });

  it('lists the characters beyond GB 2312 once each, with the source file and line', () => {
    // 魏晋风度: rare names (嵇 is in GB 2312; 瑒, 頠 are not).
    const speech = corpusSpeech('08-luxun-weijinfengdu.txt');
    speech.blocks = speech.blocks.map((b, i) => ({ ...b, pos: { line: i + 1 } }));
    const d = new Diagnostics();
    warnCharactersWithoutFang(singleSpeechBook(speech), d);
    expect(d.items).toHaveLength(1);
    const [w] = d.items;
    expect(w).toMatchObject({ code: 'W-FONT-NO-FANGSONG', file: speech.source.file });
    expect(w!.line).toBeGreaterThan(0);
    const listed = [...w!.message.split(': ').at(-1)!];
    expect(listed).toEqual(charactersWithoutFang([speech.title, ...speech.blocks.map(blockText)].join('\n')));
    expect(listed.length).toBe(new Set(listed).size);
    expect(listed).toContain('瑒');
  });
});
