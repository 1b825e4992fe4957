import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockText } from '../../src/model/speech.ts';
import { decodeSource, looksBinary } from '../../src/readers/encoding.ts';
import { readSource } from '../../src/readers/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const bytes = (p: string) => readFileSync(path.join(fixtures, p));
const text = (p: string) => readFileSync(path.join(fixtures, p), 'utf8');

describe('decodeSource', () => {
  it.each([
    ['encodings/lanzhou-gb18030.txt', 'scraped/lanzhou-2024-scraped.txt', 'gb18030'],
    ['encodings/xuewen-gbk.txt', 'corpus/03-liangqichao-xuewenzhiquwei.txt', 'gb18030'],
    ['encodings/weiyoutiancai-big5.txt', 'corpus/02-luxun-weiyoutiancai-trad.txt', 'big5'],
    ['encodings/lanzhou-utf8-bom.txt', 'scraped/lanzhou-2024-scraped.txt', 'utf-8'],
    ['encodings/lanzhou-utf16le.txt', 'scraped/lanzhou-2024-scraped.txt', 'utf-16le'],
    ['scraped/lanzhou-2024-scraped.txt', 'scraped/lanzhou-2024-scraped.txt', 'utf-8'],
  ])('%s decodes to the original text (%s)', (encoded, original, encoding) => {
    const d = decodeSource(bytes(encoded), encoded);
    expect(d.encoding).toBe(encoding);
    expect(d.text).toBe(text(original));
  });

  it('a Big5 file reads as the same speech as its UTF-8 original', async () => {
    const big5 = await readSource(path.join(fixtures, 'encodings/weiyoutiancai-big5.txt'));
    const utf8 = await readSource(path.join(fixtures, 'corpus/02-luxun-weiyoutiancai-trad.txt'));
    expect(big5.speech.blocks.map(blockText)).toEqual(utf8.speech.blocks.map(blockText));
    expect(big5.speech.lang).toBe('zh-Hant');
    expect(big5.report.encoding).toBe('big5');
  });

  it('binary data is refused', () => {
    expect(looksBinary(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(() => decodeSource(Uint8Array.from([1, 2, 0, 3, 4, 5]), 'x.txt')).toThrow(/binary file/);
  });

  it('bytes that no supported encoding reads cleanly are refused', () => {
    // Random high bytes: not UTF-8, and as GB18030 or Big5 only rare characters.
    let seed = 7;
    const random = Uint8Array.from({ length: 4000 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return 0x81 + (seed % 0x7e);
    });
    expect(() => decodeSource(random, 'garbage.txt')).toThrow(/cannot decode/);
  });
});
