/**
 * Decoding a source file: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK and
 * Big5. Legacy encodings are told apart by decoding with each and scoring how many of the
 * resulting Han characters are common ones: the wrong table yields rare characters.
 */
import iconv from 'iconv-lite';
import { WenjiError } from '../model/diagnostics.ts';

export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';

// The most frequent Han characters of Chinese speeches, simplified and traditional.
const COMMON = new Set('的是不有一人了新在我要他文以也为这发就学大来生所和展们而力说产时到业高因看得可于上自国然之能个做地好中会便家革但质作很子事实才出如多想那没区样书都还者命天去动话己用平对下章现技后全过面创成无其道先起化年总开只代么点当进企本知里讲或民趣行主制吃同意兰更思着方见别战州些各经加使提理此必非何情服色走改常问论绿位术教社放心并省诗已什重种强名來破味活深前量又等定曹二果小打科级引呢西从建分反两旧這候三少几关将說你明工研外通性至许第推白世比操把读相苦度融药倒正东听坏谈為易变叫倘路造批类声康且即究体杀阮嵇解最字法立近特快古酒部怎們容士眼气持宜日死像怕求信态真次长今十完再被精流优篇由老目义却记须散写争故界件言略向孔足表回受政系入基晋示望切神物干增身素觉领给礼籍個形夫於女君北条难音习专坚太合机集调评樣著國往原喜欢概诸月门史识敢經及青培间念口应校带穿罢它底设支拉她若山效认虽决场竟歌朝帝光张饮例共与衣务首假希感算乎育土品空钱处聚际确济末還沒承權公句弄越范谓马极端装传环广让移答突譬似害每水准拿座功结终手断则娜後除裏麼海無曾式濟客未四牢戏冷嗜甘懂司转清称验爱势索魏接待夢既境掉直凡仍刻官始保甚游题译俄报五察较汉局治孝晏石肃市指現任安落固免需取利兵头历师满办修连远够响源父時期會孩許將卻見金尚遇花百升息肯久林亡整域内劳德观倡旁献该派苏补城激七续细标况傀儡痛對笑坐步演祖运脱备朋友恐格乱毫江影儿线丕振营键型链初唱借否富千握京找万亲证管勇电约华具率军试风努团构计畅別英實忘母差消產迫翻急止桌存奇幼稚超状钟八艺据错周热参居牌武黑渐灭议压促惯穷罪台王施阶幾劇當住院志助元永南泥印充尽尝跑愿职美紧请脑胜午布复载皇丽刚简族单缘怀');

/** Share of Han characters that are common ones, and share of replacement characters. */
function score(text: string): { common: number; bad: number; han: number } {
  let han = 0;
  let common = 0;
  let bad = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    if (ch === '\ufffd') bad++;
    else if (/\p{Script=Han}/u.test(ch)) {
      han++;
      if (COMMON.has(ch)) common++;
    }
  }
  return { common: han ? common / han : 0, bad: total ? bad / total : 0, han };
}

/** True when the bytes look like a binary file (NUL bytes, many control codes, known magic). */
export function looksBinary(buf: Uint8Array): boolean {
  const head = String.fromCharCode(...buf.subarray(0, 8));
  if (/^(%PDF|\x89PNG|GIF8|\xff\xd8\xff|PK\x03\x04|\x7fELF|Rar!|7z\xbc\xaf)/.test(head)) return true;
  const sample = buf.subarray(0, 8192);
  if (sample.indexOf(0) >= 0) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i] as number;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.02;
}

/**
 * UTF-16 without a byte-order mark: the ASCII in it (newlines, digits, spaces) puts NUL bytes
 * on the high side of each pair (the low side has one only for the rare U+xx00).
 */
function bomlessUtf16(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (buf.length < 4 || buf.length % 2) return undefined;
  const sample = buf.subarray(0, Math.min(buf.length, 8192));
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 ? odd++ : even++);
  const pairs = sample.length / 2;
  if (odd > pairs * 0.01 && odd > even * 3) return 'utf-16le';
  if (even > pairs * 0.01 && even > odd * 3) return 'utf-16be';
  return undefined;
}

function decodeUtf16(buf: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string {
  return encoding === 'utf-16le' ? Buffer.from(buf).toString('utf16le') : iconv.decode(Buffer.from(buf), 'utf-16be');
}

/** Decoded text that is text: no broken surrogates, almost no control codes, common Han characters. */
function readsAsText(text: string): boolean {
  if (/[\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return false;
  const control = text.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (control > text.length * 0.01) return false;
  const { han, common } = score(text.slice(0, 20000));
  return han === 0 || common >= 0.3;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (overlongs, surrogates, > U+10FFFF).
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i + k;
    }
    i += n + 1;
  }
  return -1;
}

/**
 * Decodes a text source. Throws WenjiError for binary data or bytes no supported encoding
 * reads cleanly; the error names the first byte that is not UTF-8, with its line.
 */
export function decodeSource(buf: Uint8Array, file: string): { text: string; encoding: SourceEncoding } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: Buffer.from(buf.subarray(2)).toString('utf16le'), encoding: 'utf-16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(Buffer.from(buf.subarray(2)), 'utf-16be'), encoding: 'utf-16be' };
  const utf16 = bomlessUtf16(buf);
  if (utf16) {
    const text = decodeUtf16(buf, utf16);
    if (readsAsText(text)) return { text, encoding: utf16 };
  }
  if (looksBinary(buf)) {
    throw new WenjiError('binary file, not text: give a .txt, .html, .md or .docx source', file);
  }
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? buf.subarray(3) : buf);
    return { text, encoding: 'utf-8' };
  } catch {
    // Not UTF-8: try the legacy Chinese encodings.
  }
  const candidates = (['gb18030', 'big5'] as const).map((encoding) => {
    const text = iconv.decode(Buffer.from(buf), encoding);
    return { encoding, text, ...score(text) };
  });
  candidates.sort((a, b) => b.common - b.bad * 10 - (a.common - a.bad * 10));
  const best = candidates[0]!;
  if (best.bad > 0.01 || best.han === 0 || best.common < 0.3) {
    const at = firstInvalidUtf8(buf);
    let line = 1;
    for (let i = 0; i < at; i++) if (buf[i] === 0x0a) line++;
    throw new WenjiError(
      `cannot decode byte 0x${buf[at]!.toString(16).toUpperCase().padStart(2, '0')} at byte offset ${at}: the file is not valid UTF-8 (nor GB18030/GBK or Big5) text; fix or remove that byte, or convert the file to UTF-8`,
      file,
      line,
    );
  }
  return { text: best.text, encoding: best.encoding };
}
