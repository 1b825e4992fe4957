"""Converts an OpenType CFF face to TrueType outlines (quadratic, via cu2qu), so Chromium
embeds it as CID TrueType instead of Type 3. Deterministic: same input and fontTools
version, same bytes (the head timestamps are kept, glyph names are dropped).

    python3 fandol-to-truetype.py FandolFang-Regular.otf FandolFang-Regular.ttf
"""
import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

src, dst = sys.argv[1:3]
font = TTFont(src, recalcTimestamp=False)
order = font.getGlyphOrder()
glyphs = font.getGlyphSet()
glyf = newTable('glyf')
glyf.glyphOrder = order
glyf.glyphs = {}
for name in order:
    pen = TTGlyphPen(glyphs)
    # 1 unit of 1000 per em: far below what print shows; PostScript winding becomes TrueType's.
    glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
    glyf[name] = pen.glyph()
font['glyf'] = glyf
font['loca'] = newTable('loca')
maxp = font['maxp']
maxp.tableVersion = 0x00010000
maxp.maxZones = 1
for key in ('maxTwilightPoints', 'maxStorage', 'maxFunctionDefs', 'maxInstructionDefs',
            'maxStackElements', 'maxSizeOfInstructions', 'maxComponentElements', 'maxComponentDepth'):
    setattr(maxp, key, 0)
# No glyph names (a CID font's are cid00001 …): post format 3.
font['post'].formatType = 3.0
del font['CFF ']
if 'VORG' in font:
    del font['VORG']
font.sfntVersion = '\x00\x01\x00\x00'
font['head'].glyphDataFormat = 0
font.save(dst)
