/**
 * Which characters a font file has glyphs for, from its cmap table.
 *
 * Enough of OpenType for the whole-file Noto faces: the sfnt table directory, and cmap
 * subtables of format 4 (BMP segments) and 12 (full-range groups). Preferred subtable:
 * Windows full Unicode (3/10), then Windows BMP (3/1), then the Unicode platform (0/*).
 * A character mapped to glyph 0 (.notdef) counts as missing.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { WenjiError } from '../model/diagnostics.ts';

export interface TableRecord {
  offset: number;
  length: number;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Bytes of the sfnt header and table directory that precede `numTables`' records. */
const SFNT_HEADER = 12;
const TABLE_RECORD = 16;

/** Number of tables an sfnt header declares (so a reader knows how much directory to read). */
export function tableCount(header: Uint8Array): number {
  const v = view(header);
  const version = v.getUint32(0);
  // 0x00010000 TrueType outlines, 'OTTO' CFF outlines, 'true' old Apple TrueType.
  if (version !== 0x00010000 && version !== 0x4f54544f && version !== 0x74727565) {
    throw new Error(`not an OpenType font (version 0x${version.toString(16)})`);
  }
  return v.getUint16(4);
}

/** Where a table lies in the file, from the header and table directory; undefined if absent. */
export function findTable(directory: Uint8Array, tag: string): TableRecord | undefined {
  const v = view(directory);
  const count = tableCount(directory);
  for (let i = 0; i < count; i++) {
    const at = SFNT_HEADER + i * TABLE_RECORD;
    const name = String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));
    if (name === tag) return { offset: v.getUint32(at + 8), length: v.getUint32(at + 12) };
  }
  return undefined;
}

/** Lower is better; undefined means a subtable we do not read. */
function encodingRank(platform: number, encoding: number, format: number): number | undefined {
  if (format !== 4 && format !== 12) return undefined;
  if (platform === 3 && encoding === 10) return 0;
  if (platform === 3 && encoding === 1) return 1;
  if (platform === 0) return 2;
  return undefined;
}

/** Code points of a format 4 subtable at `at` that map to a real glyph. */
function format4(v: DataView, at: number, out: Set<number>): void {
  const segments = v.getUint16(at + 6) / 2;
  const endCodes = at + 14;
  const startCodes = endCodes + segments * 2 + 2; // after reservedPad
  const idDeltas = startCodes + segments * 2;
  const idRangeOffsets = idDeltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = v.getUint16(endCodes + s * 2);
    const start = v.getUint16(startCodes + s * 2);
    const delta = v.getInt16(idDeltas + s * 2);
    const rangeOffsetAt = idRangeOffsets + s * 2;
    const rangeOffset = v.getUint16(rangeOffsetAt);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const g = v.getUint16(rangeOffsetAt + rangeOffset + (c - start) * 2);
        glyph = g === 0 ? 0 : (g + delta) & 0xffff;
      }
      if (glyph !== 0) out.add(c);
    }
  }
}

/** Code points of a format 12 subtable at `at` that map to a real glyph. */
function format12(v: DataView, at: number, out: Set<number>): void {
  const groups = v.getUint32(at + 12);
  for (let g = 0; g < groups; g++) {
    const rec = at + 16 + g * 12;
    const start = v.getUint32(rec);
    const end = v.getUint32(rec + 4);
    const firstGlyph = v.getUint32(rec + 8);
    for (let c = start; c <= end; c++) if (firstGlyph + (c - start) !== 0) out.add(c);
  }
}

/** The code points a cmap table maps to glyphs, read from its best Unicode subtable. */
export function parseCmap(table: Uint8Array): Set<number> {
  const v = view(table);
  const count = v.getUint16(2);
  let best: { rank: number; offset: number; format: number } | undefined;
  for (let i = 0; i < count; i++) {
    const rec = 4 + i * 8;
    const offset = v.getUint32(rec + 4);
    const format = v.getUint16(offset);
    const rank = encodingRank(v.getUint16(rec), v.getUint16(rec + 2), format);
    if (rank !== undefined && (!best || rank < best.rank)) best = { rank, offset, format };
  }
  if (!best) throw new Error('no Unicode cmap subtable of format 4 or 12');
  const out = new Set<number>();
  (best.format === 12 ? format12 : format4)(v, best.offset, out);
  return out;
}

function readAt(fd: number, offset: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  const got = readSync(fd, buf, 0, length, offset);
  if (got !== length) throw new Error(`file ends at ${offset + got}, expected ${offset + length}`);
  return buf;
}

/** Reads the directory and the cmap table only (a CJK face is ~15 MB; its cmap ~100 KB). */
function readCmapTable(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const count = tableCount(readAt(fd, 0, SFNT_HEADER));
    const cmap = findTable(readAt(fd, 0, SFNT_HEADER + count * TABLE_RECORD), 'cmap');
    if (!cmap) throw new Error('no cmap table');
    return readAt(fd, cmap.offset, cmap.length);
  } finally {
    closeSync(fd);
  }
}

const coverageCache = new Map<string, ReadonlySet<number>>();

/** The code points a font file has glyphs for (read once per file and process). */
export function fontCoverage(file: string): ReadonlySet<number> {
  let set = coverageCache.get(file);
  if (!set) {
    try {
      set = parseCmap(readCmapTable(file));
    } catch (e) {
      throw new WenjiError(`cannot read the character map of font ${file}: ${(e as Error).message}`);
    }
    coverageCache.set(file, set);
  }
  return set;
}
