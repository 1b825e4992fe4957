/** The EPUB writer's small pure functions. */
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../src/model/labels.ts';
import { modifiedInstant } from '../../src/model/book.ts';
import { chineseDate } from '../../src/model/chinese-numbers.ts';
import { planContents, speechSections } from '../../src/writers/epub/contents.ts';
import { sniffImageType } from '../../src/writers/epub/cover.ts';
import { charactersByFace, clearSubsetCache, subsetFace, unicodeRange } from '../../src/writers/epub/fonts.ts';
import { modifiedStamp, publicationIdentifier } from '../../src/writers/epub/package-document.ts';
import { escapeXml, markRuns, renderInlines, withoutNumericReferences } from '../../src/writers/epub/xhtml.ts';
import { zipEntryDate } from '../../src/writers/epub/zip.ts';
import { corpusBook, edition, sampleSpeech, singleSpeechBook } from './fixtures.ts';

describe('XHTML text', () => {
  it('escapes the XML specials and nothing else', () => {
    expect(escapeXml(`a<b>&"c" '兰州' =\``)).toBe(`a&lt;b&gt;&amp;&quot;c&quot; '兰州' =\``);
    expect(escapeXml('a\u0001b')).toBe('ab');
  });

  it("turns Handlebars' numeric references back into characters, but not escaped source text", () => {
    expect(withoutNumericReferences('&#x27;x&#x60;&#x3D;')).toBe("'x`=");
    expect(withoutNumericReferences('&amp;#x27;')).toBe('&amp;#x27;');
  });

  it('sets one or two characters in one upright cell and longer numbers upright', () => {
    expect(markRuns('2024年3月19日', true)).toBe('<span class="upright">2024</span>年<span class="tcy">3</span>月<span class="tcy">19</span>日');
    expect(markRuns('a<5', true)).toBe('a&lt;<span class="tcy">5</span>');
    expect(markRuns('35.6%和365天', true)).toBe('<span class="upright">35.6%</span>和<span class="upright">365</span>天');
  });

  it('renders emphasis, strong and note references', () => {
    const html = renderInlines(
      [
        { type: 'emphasis', children: [{ type: 'text', text: '着重' }] },
        { type: 'strong', children: [{ type: 'text', text: '强调' }] },
        { type: 'noteRef', id: 'x"1' },
        { type: 'noteRef', id: 'missing' },
      ],
      { vertical: false, noteNumber: (id) => (id === 'x"1' ? 1 : undefined) },
    );
    expect(html).toBe(
      '<em class="dots">着重</em><strong>强调</strong><a class="noteref" epub:type="noteref" role="doc-noteref" href="#fn-1">①</a>',
    );
  });

  it('formats dates the Chinese way', () => {
    expect(chineseDate('2024-03-19')).toBe('2024年3月19日');
    expect(chineseDate('1927-07')).toBe('1927年7月');
  });
});

describe('contents', () => {
  it('names files in ASCII, one per speech, with parts and an index for collections', () => {
    const c = planContents(corpusBook(), LABELS['zh-Hans']);
    expect(c.documents.map((d) => d.file)).toEqual([
      'cover.xhtml', 'title.xhtml', 'fm-01.xhtml', 'part-01.xhtml', 'sp-001.xhtml', 'sp-002.xhtml',
      'part-02.xhtml', 'sp-003.xhtml', 'sp-004.xhtml', 'sp-005.xhtml', 'index.xhtml',
    ]);
    expect(c.bodyStart).toBe('part-01.xhtml');
  });

  it('keeps two speeches with CJK titles apart', () => {
    const a = { ...sampleSpeech(), title: '讲话一' };
    const b = { ...sampleSpeech(), title: '讲话二' };
    const book = { ...singleSpeechBook(a), parts: [{ id: 'p', speeches: [a, b] }] };
    const files = planContents(book, LABELS['zh-Hans']).documents.filter((d) => d.kind === 'speech').map((d) => d.file);
    expect(files).toEqual(['sp-001.xhtml', 'sp-002.xhtml']);
  });

  it('takes sections from headings, nesting level 2 under level 1', () => {
    const { entries } = speechSections(
      [
        { type: 'heading', level: 1, number: '一、', content: [{ type: 'text', text: 'A' }] },
        { type: 'paragraph', lead: [{ type: 'text', text: '不是节' }], content: [] },
        { type: 'heading', level: 2, number: '（一）', content: [{ type: 'text', text: 'B' }] },
        { type: 'heading', level: 3, number: '1.', content: [{ type: 'text', text: 'C' }] },
      ],
      'sp-001.xhtml',
    );
    expect(entries).toEqual([
      { label: '一、A', href: 'sp-001.xhtml#s1', children: [{ label: '（一）B', href: 'sp-001.xhtml#s2', children: [] }] },
    ]);
  });
});

describe('package metadata', () => {
  const book = singleSpeechBook(sampleSpeech());

  it('derives a stable UUID from the content and edition', () => {
    const id = publicationIdentifier(book, edition('horizontal'));
    expect(publicationIdentifier(singleSpeechBook(sampleSpeech()), edition('horizontal'))).toBe(id);
    expect(publicationIdentifier(book, edition('vertical'))).not.toBe(id);
    const edited = { ...book, parts: [{ id: 'p1', speeches: [{ ...sampleSpeech(), title: '另一个标题' }] }] };
    expect(publicationIdentifier(edited, edition('horizontal'))).not.toBe(id);
  });

  it('normalises ISBNs and keeps other identifiers', () => {
    expect(publicationIdentifier({ ...book, identifier: '978-7-01-012345-6' }, edition('horizontal'))).toBe('urn:isbn:9787010123456');
    expect(publicationIdentifier({ ...book, identifier: 'urn:isbn:7-01-000001-x' }, edition('horizontal'))).toBe('urn:isbn:701000001X');
    expect(publicationIdentifier({ ...book, identifier: 'https://example.org/book/1' }, edition('horizontal'))).toBe('https://example.org/book/1');
  });

  it("stamps dcterms:modified with the book's instant, in whole seconds", () => {
    expect(modifiedStamp(modifiedInstant(book))).toBe('2024-03-19T00:00:00Z');
    expect(modifiedStamp(modifiedInstant({ ...book, modified: '2023-11-14T22:13:20Z' }))).toBe('2023-11-14T22:13:20Z');
  });

  it('stamps zip entries with the same local fields in any time zone, no earlier than 1980', () => {
    const d = zipEntryDate(new Date('2024-03-19T08:30:00Z'));
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2024, 2, 19, 8, 30]);
    const old = zipEntryDate(new Date('1927-04-08T00:00:00Z'));
    expect([old.getFullYear(), old.getMonth(), old.getDate()]).toEqual([1980, 0, 1]);
  });
});

describe('fonts and cover', () => {
  it('writes compact unicode ranges', () => {
    expect(unicodeRange([0x4e00, 0x4e01, 0x4e02, 0x4e0a, 0xff0c])).toBe('U+4e00-4e02,U+4e0a,U+ff0c');
  });

  it('splits characters between the heading and body faces', () => {
    const doc = '<html><head><title>不算</title></head><body><h1>标<span class="tcy">12</span>题</h1><p><span class="lead">一、要点。</span>正文&amp;<strong>强</strong></p></body></html>';
    const { body, heading } = charactersByFace([doc]);
    expect(heading).toBe('标12题一、要点。强');
    expect(body).toBe('正文&');
  });

  it("takes each character from the region's face, and one it lacks from the next region's", async () => {
    // Whole faces: 们 is in no traditional face (SC sets it), 𨋢 is in TC and HK only.
    const hex = (c: string) => c.codePointAt(0)!.toString(16);
    const region = (set: Awaited<ReturnType<typeof subsetFace>>, c: string) =>
      set.fonts.find((f) => f.unicodeRange.split(',').includes(`U+${hex(c)}`))?.filename.split('-')[2];
    const tc = await subsetFace('TC', 'body', '國們们觫');
    expect(tc.fonts.map((f) => f.filename)).toEqual(['body-400-tc.ttf', 'body-400-sc.ttf']);
    expect([region(tc, '國'), region(tc, '觫'), region(tc, '们')]).toEqual(['tc.ttf', 'tc.ttf', 'sc.ttf']);
    expect(tc.fonts[1]!.unicodeRange).toBe(`U+${hex('们')}`);
    expect(tc.css).toContain(`src: url("fonts/body-400-sc.ttf") format("truetype"); unicode-range: U+${hex('们')}; }`);
    const sc = await subsetFace('SC', 'heading', '国𨋢鮒');
    expect(sc.fonts.map((f) => f.filename)).toEqual(['heading-700-sc.ttf', 'heading-700-tc.ttf']);
    expect(sc.fonts[1]!.unicodeRange).toBe('U+282e2');
    // A text the region's face covers needs no other face.
    expect((await subsetFace('HK', 'body', '香港的巴士')).fonts.map((f) => f.filename)).toEqual(['body-400-hk.ttf']);
    for (const f of [...tc.fonts, ...sc.fonts]) {
      expect([...f.data.subarray(0, 4)]).toEqual([0, 1, 0, 0]); // TrueType
      expect(f.data.length).toBeLessThan(100_000); // a subset, not the 15 MB face
    }
  });

  it('subsets to the same bytes for the same characters, in any order and from a cold cache', async () => {
    const first = await subsetFace('SC', 'body', '为人民服务');
    clearSubsetCache();
    const again = await subsetFace('SC', 'body', '务服民人为为');
    expect(again.fonts.map((f) => f.unicodeRange)).toEqual(first.fonts.map((f) => f.unicodeRange));
    expect(Buffer.from(again.fonts[0]!.data).equals(Buffer.from(first.fonts[0]!.data))).toBe(true);
  });

  it('recognises images by their bytes, not their names', () => {
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBe('image/gif');
    expect(sniffImageType(new TextEncoder().encode('<svg>'))).toBeUndefined();
  });
});
