import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTable, fontCoverage, parseCmap, tableCount } from '../../src/render/cmap.ts';
import { WenjiError } from '../../src/model/diagnostics.ts';

const require = createRequire(import.meta.url);
const fontFile = (pkg: string, file: string) =>
  path.join(path.dirname(require.resolve(`@expo-google-fonts/${pkg}/package.json`)), file);
const SERIF_SC = fontFile('noto-serif-sc', '400Regular/NotoSerifSC_400Regular.ttf');
const SERIF_TC = fontFile('noto-serif-tc', '400Regular/NotoSerifTC_400Regular.ttf');
const SERIF_HK = fontFile('noto-serif-hk', '700Bold/NotoSerifHK_700Bold.ttf');

const cp = (c: string) => c.codePointAt(0)!;

/** A cmap table with one subtable of each given (platform, encoding, bytes). */
function cmapTable(subtables: [number, number, number[]][]): Uint8Array {
  const header = 4 + subtables.length * 8;
  const out: number[] = [0, 0, 0, subtables.length];
  let offset = header;
  for (const [platform, encoding, bytes] of subtables) {
    out.push(platform >> 8, platform & 255, encoding >> 8, encoding & 255, ...u32(offset));
    offset += bytes.length;
  }
  for (const [, , bytes] of subtables) out.push(...bytes);
  return Uint8Array.from(out);
}
const u16 = (n: number) => [(n >> 8) & 255, n & 255];
const u32 = (n: number) => [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];

/**
 * Format 4 with segments [start, end, idDelta, glyphs?] and the closing 0xFFFF segment;
 * a segment with glyphs maps through the glyph id array (idRangeOffset ≠ 0).
 */
function format4(segments: [number, number, number, number[]?][]): number[] {
  const all = [...segments, [0xffff, 0xffff, 1] as [number, number, number]];
  const n = all.length;
  const glyphArray: number[] = [];
  const rangeOffsets = all.map(([, , , glyphs], s) => {
    if (!glyphs) return 0;
    const at = (n - s) * 2 + glyphArray.length * 2;
    glyphArray.push(...glyphs);
    return at;
  });
  const body = [
    ...all.flatMap(([, end]) => u16(end)),
    0, 0,
    ...all.flatMap(([start]) => u16(start)),
    ...all.flatMap(([, , delta]) => u16(delta & 0xffff)),
    ...rangeOffsets.flatMap(u16),
    ...glyphArray.flatMap(u16),
  ];
  return [...u16(4), ...u16(14 + body.length), 0, 0, ...u16(n * 2), 0, 0, 0, 0, 0, 0, ...body];
}

/** Format 12 with groups [start, end, firstGlyph]. */
function format12(groups: [number, number, number][]): number[] {
  return [...u16(12), 0, 0, ...u32(16 + groups.length * 12), 0, 0, 0, 0, ...u32(groups.length), ...groups.flatMap((g) => g.flatMap(u32))];
}

describe('cmap reader', () => {
  it('reads format 4 segments, leaving out characters mapped to glyph 0', () => {
    // 'A'..'C' → glyphs 1..3; U+4E00 → glyph 0 (missing) by its delta.
    const set = parseCmap(cmapTable([[3, 1, format4([[0x41, 0x43, 1 - 0x41], [0x4e00, 0x4e00, -0x4e00]])]]));
    expect([...set].sort((a, b) => a - b)).toEqual([0x41, 0x42, 0x43]);
  });

  it('reads format 4 segments that map through the glyph id array', () => {
    // 'a' → 5 + 2, 'b' → 0 (missing: a zero in the array stays zero), 'c' → 9 + 2.
    const set = parseCmap(cmapTable([[3, 1, format4([[0x61, 0x63, 2, [5, 0, 9]]])]]));
    expect([...set]).toEqual([0x61, 0x63]);
  });

  it("agrees with itself on a real face: the BMP part of 3/10 is what the 3/1 subtable maps", () => {
    const font = readFileSync(SERIF_SC);
    const { offset, length } = findTable(font.subarray(0, 12 + 16 * 40), 'cmap')!;
    const cmap = font.subarray(offset, offset + length);
    const v = new DataView(cmap.buffer, cmap.byteOffset, cmap.byteLength);
    const records = Array.from({ length: v.getUint16(2) }, (_, i) => ({
      platform: v.getUint16(4 + i * 8),
      encoding: v.getUint16(6 + i * 8),
      offset: v.getUint32(8 + i * 8),
    }));
    const bmp = records.find((r) => r.platform === 3 && r.encoding === 1)!;
    expect(v.getUint16(bmp.offset)).toBe(4);
    // A cmap with only the 3/1 record, pointing into the real table.
    const only31 = Uint8Array.from([...cmap]);
    new DataView(only31.buffer).setUint16(2, 1);
    new DataView(only31.buffer).setUint32(4, 0x00030001);
    new DataView(only31.buffer).setUint32(8, bmp.offset);
    const fromFormat4 = parseCmap(only31);
    const full = parseCmap(cmap);
    expect(fromFormat4.size).toBeGreaterThan(20000);
    expect([...fromFormat4].sort((a, b) => a - b)).toEqual([...full].filter((c) => c <= 0xffff).sort((a, b) => a - b));
  });

  it('prefers the full-Unicode subtable (3/10, format 12) over the BMP one (3/1)', () => {
    const set = parseCmap(
      cmapTable([
        [3, 1, format4([[0x41, 0x41, 1 - 0x41]])],
        [3, 10, format12([[0x41, 0x41, 1], [0x20021, 0x20022, 2]])],
      ]),
    );
    expect([...set]).toEqual([0x41, 0x20021, 0x20022]);
  });

  it('refuses a table with no Unicode subtable it can read', () => {
    expect(() => parseCmap(cmapTable([[1, 0, [0, 0, 0, 6, 0, 0]]]))).toThrow(/no Unicode cmap subtable/);
  });

  it('finds tables in the directory of a real font', () => {
    const head = readFileSync(SERIF_SC).subarray(0, 12 + 16 * 40);
    expect(tableCount(head)).toBeGreaterThan(10);
    for (const tag of ['cmap', 'glyf', 'vhea', 'vmtx', 'GSUB', 'GPOS']) expect(findTable(head, tag), tag).toBeDefined();
    expect(findTable(head, 'CFF ')).toBeUndefined();
  });

  it('reads the real faces: sizes, and the characters one region has and another lacks', () => {
    const sc = fontCoverage(SERIF_SC);
    const tc = fontCoverage(SERIF_TC);
    const hk = fontCoverage(SERIF_HK);
    // The same counts fontconfig reports (fc-query charset) for these files.
    expect(sc.size).toBe(30928);
    expect(tc.size).toBe(20748);
    for (const c of '国國觫鮒A，。「」　') expect(sc.has(cp(c)) && tc.has(cp(c)) && hk.has(cp(c)), c).toBe(true);
    // TC has some Extension B characters and compatibility ideographs SC lacks…
    expect(sc.has(0x20021)).toBe(false);
    expect(tc.has(0x20021)).toBe(true);
    expect(sc.has(0xf907)).toBe(false);
    expect(tc.has(0xf907)).toBe(true);
    // …and lacks most simplified forms.
    for (const c of '们这说') expect(tc.has(cp(c)) || hk.has(cp(c)), c).toBe(false);
    expect(fontCoverage(SERIF_SC)).toBe(sc); // read once
  });

  it('names the file it cannot read', () => {
    expect(() => fontCoverage(path.join(import.meta.dirname, 'cmap.test.ts'))).toThrow(WenjiError);
  });
});
