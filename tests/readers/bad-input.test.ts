/**
 * Hostile or damaged sources: each is a one-line WenjiError naming the file (and the line or
 * byte offset), what is wrong and what to do; none exhausts memory or prints a stack.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { WenjiError } from '../../src/model/diagnostics.ts';
import { decodeSource } from '../../src/readers/encoding.ts';
import { readSource } from '../../src/readers/index.ts';
import { DOCX_MAX_XML_BYTES } from '../../src/readers/docx.ts';
import { testFolder } from '../temp-folders.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const DOCX = path.join(fixtures, 'docx/speech-with-headings.docx');
const SCRAPED = path.join(fixtures, 'scraped/lanzhou-2024-scraped.txt');
const dir = testFolder('bad-input');

function write(name: string, data: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}

/** The one-line message readSource fails with. */
async function failure(file: string): Promise<string> {
  try {
    await readSource(file);
  } catch (e) {
    expect(e).toBeInstanceOf(WenjiError);
    const line = (e as WenjiError).format();
    expect(line.split('\n')).toHaveLength(1);
    return line;
  }
  throw new Error(`${file} was read without an error`);
}

describe('.docx', () => {
  it('a zip bomb (XML inflating past the limit) is refused before it is inflated in full', async () => {
    const parts = unzipSync(readFileSync(DOCX));
    // A valid document.xml whose body opens with one comment far longer than the limit.
    const [head, tail] = new TextDecoder().decode(parts['word/document.xml']).split(/(?<=<w:body>)/) as [string, string];
    const open = Buffer.from(`${head}<!--`);
    const close = Buffer.from(`-->${tail}`);
    const xml = Buffer.alloc(open.length + DOCX_MAX_XML_BYTES + (8 << 20) + close.length, 'x');
    open.copy(xml, 0);
    close.copy(xml, xml.length - close.length);
    parts['word/document.xml'] = xml;
    const bomb = write('bomb.docx', zipSync(parts, { level: 1 }));
    expect(readFileSync(bomb).length).toBeLessThan(2 << 20);
    expect(await failure(bomb)).toBe(
      `${bomb}: word/document.xml inflates to more than ${DOCX_MAX_XML_BYTES >> 20} MiB of XML (a zip bomb, or a document too large to read): split it, or save it as .txt or .md`,
    );
  });

  it('a cut-short .docx says so without quoting the zip library', async () => {
    const bytes = readFileSync(DOCX);
    const cut = write('cut.docx', bytes.subarray(0, bytes.length >> 1));
    expect(await failure(cut)).toBe(`${cut}: not a complete Word .docx file (its zip directory is missing: cut short or damaged): open it in Word and save it again`);
  });

  it('a zip that is not a Word document says what is missing', async () => {
    const zip = write('other.docx', zipSync({ 'readme.txt': new TextEncoder().encode('hello') }));
    expect(await failure(zip)).toBe(`${zip}: not a Word document: it has no word/document.xml (open it in Word and save it as .docx)`);
  });
});

describe('front matter YAML', () => {
  it('an alias bomb is refused, naming the file', async () => {
    // Nine levels of nine aliases each: 9^9 strings once expanded. The anchors hide in a
    // nested map, where key names are not checked before the values are built.
    const levels = ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      levels.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const md = write('bomb.md', `---\ntitle: 讲话\nsource:\n${levels.join('\n')}\n---\n\n正文。\n`);
    expect(await failure(md)).toBe(`${md}:5: front matter uses YAML aliases (*name) too much (more than 100 copies): write the values out instead`);
  });

  it('a __proto__ key is an unknown key with its line, not [object Object]', async () => {
    const md = write('proto.md', '---\ntitle: 讲话\n__proto__:\n  polluted: yes\n---\n\n正文。\n');
    expect(await failure(md)).toBe(`${md}:3: unknown front matter key "__proto__" (allowed: id, title, subtitle, speaker, role, date, dateText, occasion, venue, lang, source)`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a date that does not exist is refused with its line', async () => {
    const md = write('date.md', '---\ntitle: 讲话\nspeaker: 鲁迅\ndate: 2024-02-30\n---\n\n正文。\n');
    expect(await failure(md)).toBe(`${md}:4: front matter "date" 2024-02-30 is not a day of the calendar (February 2024 has 29 days): correct it as YYYY-MM-DD`);
  });
});

describe('sidecar metadata', () => {
  it('a date that does not exist is refused with the sidecar line', async () => {
    const txt = write('speech.txt', readFileSync(SCRAPED));
    const sidecar = write('speech.meta.yaml', 'speaker: 任振鹤\ndate: 2023-02-29\n');
    expect(await failure(txt)).toBe(`${sidecar}:2: "date" 2023-02-29 is not a day of the calendar (February 2023 has 28 days): correct it as YYYY-MM-DD`);
  });
});

describe('text encodings', () => {
  it('invalid UTF-8 is reported with its line and byte offset', async () => {
    const text = readFileSync(SCRAPED);
    const at = text.indexOf(Buffer.from('座谈会')) + 3; // inside 谈
    const bad = Buffer.from(text);
    bad[at] = 0xff;
    const line = text.subarray(0, at).toString('latin1').split('\n').length;
    const file = write('bad-utf8.txt', bad);
    expect(await failure(file)).toBe(
      `${file}:${line}: cannot decode byte 0xFF at byte offset ${at}: the file is not valid UTF-8 (nor GB18030/GBK or Big5) text; fix or remove that byte, or convert the file to UTF-8`,
    );
  });

  it.each(['utf-16le', 'utf-16be'] as const)('%s without a byte-order mark is read as such', (encoding) => {
    const text = readFileSync(SCRAPED, 'utf8');
    const le = Buffer.from(text, 'utf16le');
    const bytes = encoding === 'utf-16le' ? le : Buffer.from(le).swap16();
    expect(decodeSource(bytes, 'x.txt')).toEqual({ text, encoding });
  });
});
