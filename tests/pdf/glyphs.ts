/**
 * Every glyph a PDF draws, with its position, from pdf.js's operator list: what a reader
 * measures with a loupe. pdftotext gives whole lines; typography rules (punctuation trimmed
 * at a line end, numbers in one cell) need each character's own origin and advance.
 *
 * Chromium (Skia) draws text as one glyph per show-text operator, positioned by text-matrix
 * moves; this follows the text state far enough for that: cm / q / Q, Tm, Td, Tf, and the
 * advance of the glyphs shown.
 */
import { readFileSync } from 'node:fs';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface Glyph {
  /** The character (several for a ligature). */
  text: string;
  /** Origin in points from the page's top-left corner (y grows downwards). */
  x: number;
  y: number;
  /** Advance along the line and font size, in points. */
  advance: number;
  size: number;
  /** Base font name without the subset tag, e.g. "FandolFang-Regular". */
  font: string;
  /** The glyph is drawn turned 90° (sideways in vertical text). */
  rotated: boolean;
}

export interface GlyphPage {
  width: number;
  height: number;
  glyphs: Glyph[];
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

interface PdfGlyphArg {
  unicode: string;
  width: number;
}

export async function pdfGlyphs(file: string): Promise<GlyphPage[]> {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), disableFontFace: true, verbosity: 0, isEvalSupported: false })
    .promise;
  const pages: GlyphPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const height = y1 - y0;
    const ops = await page.getOperatorList();
    const glyphs: Glyph[] = [];
    let ctm: Matrix = [1, 0, 0, 1, 0, 0];
    const stack: Matrix[] = [];
    let line: Matrix = [1, 0, 0, 1, 0, 0];
    let tm: Matrix = [1, 0, 0, 1, 0, 0];
    let size = 0;
    let font = '';
    ops.fnArray.forEach((fn, i) => {
      const args = ops.argsArray[i] as unknown[];
      switch (fn) {
        case OPS.save:
          stack.push(ctm);
          break;
        case OPS.restore:
          ctm = stack.pop() ?? ctm;
          break;
        case OPS.transform:
          ctm = multiply(args as Matrix, ctm);
          break;
        case OPS.beginText:
          line = tm = [1, 0, 0, 1, 0, 0];
          break;
        case OPS.setFont: {
          size = args[1] as number;
          const loaded = page.commonObjs.has(args[0] as string) ? (page.commonObjs.get(args[0] as string) as { name?: string }) : undefined;
          font = (loaded?.name ?? String(args[0])).replace(/^[A-Z]{6}\+/, '');
          break;
        }
        case OPS.setTextMatrix:
          line = tm = [...(args as Matrix)];
          break;
        case OPS.moveText:
          line = tm = multiply([1, 0, 0, 1, args[0] as number, args[1] as number], line);
          break;
        case OPS.showText:
          for (const g of args[0] as (PdfGlyphArg | number)[]) {
            if (typeof g === 'number') {
              tm = multiply([1, 0, 0, 1, (-g / 1000) * size, 0], tm);
              continue;
            }
            const m = multiply(tm, ctm);
            const [x, y] = apply(m, 0, 0);
            const scale = Math.hypot(m[0], m[1]);
            const advance = (g.width / 1000) * size;
            if (g.unicode.trim()) {
              glyphs.push({
                text: g.unicode,
                x: x - x0,
                y: height - (y - y0),
                advance: advance * scale,
                size: size * scale,
                font,
                rotated: Math.abs(m[1]) > Math.abs(m[0]),
              });
            }
            tm = multiply([1, 0, 0, 1, advance, 0], tm);
          }
          break;
      }
    });
    pages.push({ width: x1 - x0, height, glyphs });
    page.cleanup();
  }
  await doc.destroy();
  return pages;
}

/** Glyphs grouped into lines: same baseline (horizontal) or same column (vertical), in reading order. */
export function textLines(glyphs: readonly Glyph[], vertical: boolean, tolerance = 2): Glyph[][] {
  const key = (g: Glyph) => (vertical ? g.x : g.y);
  const lines: Glyph[][] = [];
  for (const g of [...glyphs].sort((a, b) => (vertical ? b.x - a.x : a.y - b.y))) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(key(last[0]!) - key(g)) <= tolerance) last.push(g);
    else lines.push([g]);
  }
  return lines.map((l) => l.sort((a, b) => (vertical ? a.y - b.y : a.x - b.x)));
}
