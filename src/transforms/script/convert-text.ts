/**
 * Converts one text run: protected spans stay as they are; the rest goes through opencc
 * (when the source is in the other script), the editor's replacements and the quote
 * style of the edition. Records, for the proofreading report, which form each ambiguous
 * character became.
 */
import { Trie } from 'opencc-js/core';
import type { AmbiguousCharacters } from './ambiguous-characters.ts';
import type { OpenccPipeline } from './opencc-pipeline.ts';
import { protectedSpanSplitter, type Span } from './protected-spans.ts';
import type { Decision, WordConverter } from './word-conversion.ts';

export interface AmbiguousHit {
  /** Source character, e.g. 发. */
  char: string;
  /** What it became, e.g. 髮; several characters when a replacement changed the length. */
  chosen: string;
  /** The source word it sat in (an opencc segment), e.g. 头发. */
  term: string;
  /** That word converted, e.g. 頭髮. */
  termChosen: string;
  /** UTF-16 offset of `chosen` in the converted text. */
  offset: number;
  /** How the form was decided (simplified → traditional only). */
  decision?: Decision;
}

export interface TextConverter {
  /** `names`: people and places the text may contain (the speaker …), kept as names. */
  convert(text: string, names?: readonly string[]): { text: string; hits: AmbiguousHit[] };
}

export interface TextConverterOptions {
  /** Present when characters change (the source is in the other script). */
  opencc?: { pipeline: OpenccPipeline; ambiguous: AmbiguousCharacters; words?: WordConverter };
  protect: readonly string[];
  /** Final pass on the converted text, FROM → TO (leftmost, longest match). */
  replace: ReadonlyMap<string, string>;
  /** Quote style of the edition; must keep the UTF-16 length. */
  quotes: (s: string) => string;
}

const HAN_OR_CJK_PUNCTUATION = /[\u3000-\u303F\u3400-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]/u;
const LATIN_LETTER = /[A-Za-z\u00C0-\u024F]/;

/**
 * Latin text (an English title or quotation) has Latin letters and no Han character or
 * CJK punctuation. A run such as ”。 (a quote closing after an emphasised word) is Chinese.
 */
function isLatinText(text: string): boolean {
  return LATIN_LETTER.test(text) && !HAN_OR_CJK_PUNCTUATION.test(text);
}

export function createTextConverter(options: TextConverterOptions): TextConverter {
  const split = protectedSpanSplitter(options.protect);
  const replace = options.replace.size > 0 ? replacer(options.replace) : undefined;
  const { opencc, quotes } = options;
  const isAmbiguous = opencc ? ambiguityFlags(opencc.ambiguous) : undefined;

  function convertSpan(span: string, base: number, hits: AmbiguousHit[], names: readonly string[]): string {
    let out = span;
    let spanHits: AmbiguousHit[] = [];
    if (opencc?.words) {
      const parts: string[] = [];
      let offset = 0;
      const text = opencc.pipeline.normalize(span);
      for (const w of opencc.words.convert(text, nameRanges(text, names))) {
        if (w.decisions.some(Boolean)) collectWordHits(w.source, w.converted, w.decisions, offset, spanHits);
        parts.push(w.converted);
        offset += w.converted.length;
      }
      out = parts.join('');
    } else if (opencc) {
      const { pipeline } = opencc;
      const parts: string[] = [];
      let offset = 0;
      for (const seg of pipeline.segment(pipeline.normalize(span))) {
        const converted = pipeline.convertSegment(seg);
        if (hasFlagged(seg, isAmbiguous!)) {
          collectHits(seg, converted, offset, isAmbiguous!, pipeline.isWord(seg), spanHits);
        }
        parts.push(converted);
        offset += converted.length;
      }
      out = parts.join('');
    }
    if (replace) {
      const replaced = replace(out, spanHits);
      out = replaced.text;
      spanHits = replaced.hits;
    }
    for (const h of spanHits) hits.push({ ...h, offset: h.offset + base });
    return quotes(out);
  }

  return {
    convert(text, names = []) {
      if (isLatinText(text)) return { text, hits: [] };
      const hits: AmbiguousHit[] = [];
      let out = '';
      for (const span of split(text) as Span[]) {
        out += span.convert ? convertSpan(span.text, out.length, hits, names) : span.text;
      }
      return { text: out, hits };
    },
  };
}

function ambiguityFlags(table: AmbiguousCharacters): Uint8Array {
  const flags = new Uint8Array(0x10000);
  for (const c of table.forms.keys()) if (c.length === 1) flags[c.charCodeAt(0)] = 1;
  return flags;
}

function hasFlagged(s: string, flags: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) if (flags[s.charCodeAt(i)]) return true;
  return false;
}

/** Where the names occur in a text, as [start, end) offsets, longest first where they overlap. */
function nameRanges(text: string, names: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const name of names) {
    if (name.length < 2) continue;
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      if (!ranges.some(([s, e]) => at < e && s < at + name.length)) ranges.push([at, at + name.length]);
    }
  }
  return ranges;
}

/** The ambiguous characters of one converted word, with how each was decided. */
function collectWordHits(
  word: string,
  converted: string,
  decisions: readonly (Decision | undefined)[],
  offset: number,
  hits: AmbiguousHit[],
): void {
  const source = Array.from(word);
  const output = Array.from(converted);
  let at = offset;
  for (let i = 0; i < source.length; i++) {
    const decision = decisions[i];
    if (decision) {
      const chosen = output[i] ?? '';
      const isWord = source.length > 1;
      hits.push({ char: source[i]!, chosen, term: isWord ? word : source[i]!, termChosen: isWord ? converted : chosen, offset: at, decision });
    }
    at += (output[i] ?? '').length;
  }
}

/** Conversion keeps code points one to one, so the n-th source code point became the n-th output one. */
function collectHits(
  seg: string,
  converted: string,
  offset: number,
  flags: Uint8Array,
  isWord: boolean,
  hits: AmbiguousHit[],
): void {
  // Basic-plane text (nearly all) can be indexed directly; otherwise split into code points.
  const bmp = seg.length === converted.length && !/[\uD800-\uDFFF]/.test(seg + converted);
  const source = bmp ? seg : Array.from(seg);
  const output = bmp ? converted : Array.from(converted);
  let at = offset;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c.length === 1 && flags[c.charCodeAt(0)]) {
      const chosen = output[i] ?? '';
      // A run of characters no dictionary word matched is no word: report the character alone.
      hits.push({ char: c, chosen, term: isWord ? seg : c, termChosen: isWord ? converted : chosen, offset: at });
    }
    at += (output[i] ?? '').length;
  }
}

/**
 * Leftmost-longest replacement that keeps hit offsets right: a hit inside a replaced
 * stretch reports what the replacement put there.
 */
function replacer(
  table: ReadonlyMap<string, string>,
): (text: string, hits: AmbiguousHit[]) => { text: string; hits: AmbiguousHit[] } {
  const trie = new Trie();
  const firstChars = new Set<string>();
  for (const [from, to] of table) {
    trie.addWord(from, to);
    firstChars.add(from[0]!);
  }
  return (text, hits) => {
    const edits: { start: number; end: number; to: string }[] = [];
    for (let i = 0; i < text.length; ) {
      const m = firstChars.has(text[i]!) ? trie.matchPrefix(text, i) : null;
      if (m) {
        edits.push({ start: i, end: m.end, to: m.value });
        i = m.end;
      } else i++;
    }
    if (edits.length === 0) return { text, hits };
    let out = '';
    let last = 0;
    for (const e of edits) {
      out += text.slice(last, e.start) + e.to;
      last = e.end;
    }
    out += text.slice(last);
    const moved = hits.map((h) => {
      let shift = 0;
      for (const e of edits) {
        if (h.offset >= e.end) shift += e.to.length - (e.end - e.start);
        else if (h.offset >= e.start) {
          const sameLength = e.to.length === e.end - e.start;
          const at = e.start + shift;
          return sameLength
            ? { ...h, chosen: e.to.substr(h.offset - e.start, h.chosen.length), offset: h.offset + shift }
            : { ...h, chosen: e.to, offset: at };
        } else break;
      }
      return { ...h, offset: h.offset + shift };
    });
    return { text: out, hits: moved };
  };
}
