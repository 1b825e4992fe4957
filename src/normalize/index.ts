/**
 * The normaliser: turns the lines a reader extracted (scraped text, HTML, Word) into a
 * Speech. Steps, each a small pure function: clean lines → mark page chrome → join
 * hard-wrapped lines into paragraphs → find the header (title, speaker, date, dash note)
 * and the body → trim trailing chrome and join page-chunk splits → repair punctuation →
 * classify blocks. General rules for any site; nothing here knows one page.
 */
import type { Diagnostic, DiagnosticCode } from '../model/diagnostics.ts';
import { WenjiError } from '../model/diagnostics.ts';
import type { Block, Speech } from '../model/speech.ts';
import { blockText } from '../model/speech.ts';
import { charLength, countHan, MID_SENTENCE_END, SENTENCE_END } from './chars.ts';
import { chromeRule, isEndMarker, isHandOver } from './chrome.ts';
import { parseDateLine, type ParsedDate } from './dates.ts';
import { speechId } from './id.ts';
import {
  factsFromTitle,
  findPublishedDate,
  isSpeechTitle,
  parseBareName,
  parseDashNote,
  parseSpeakerLine,
  type DashNote,
  type SpeakerGuess,
} from './metadata.ts';
import { repairPunctuation, repairText } from './punctuation.ts';
import { detectScript } from './script.ts';
import { splitLine, stripPinyin } from './flattened.ts';
import { classifyParagraph, isSalutation, parseHeading, sectionNumber } from './structure.ts';

/** One line (or, for HTML and Word, one block) as a reader extracted it. */
export interface RawLine {
  text: string;
  /** 1-based line in the source file, for `file:line:` messages. */
  line?: number;
  /** The bold run the line opens with in HTML or Word: a run-in lead if it is a sentence. */
  lead?: string;
}

export interface RawDocument {
  /** Source path, as given. */
  file: string;
  /** Lines in order; an empty text separates paragraphs. */
  lines: RawLine[];
  /** Every line is already a whole paragraph (HTML, Word): no hard-wrap joining. */
  paragraphsGiven?: boolean;
  /** What the container knows: an HTML <title>, meta publication date, site name, URL. */
  hints?: { title?: string; published?: string; site?: string; url?: string };
}

export interface NormalizeResult {
  speech: Speech;
  diagnostics: Diagnostic[];
  /** Lines removed as page chrome, in order. */
  removed: string[];
}

// ------------------------------------------------------------------ 1. clean lines

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ensp: ' ', emsp: ' ', mdash: '—', hellip: '…', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', middot: '·' };

/** Inline HTML left in scraped text (<p class="writing-date">…</p>) and its entities. */
export function stripInlineHtml(s: string): string {
  if (!/[<&]/.test(s)) return s;
  return s
    .replace(/<\/?[A-Za-z][^<>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** Trims every kind of space (U+00A0, U+3000, zero-width) and collapses inner runs to one. */
export function cleanLine(s: string): string {
  return stripPinyin(stripInlineHtml(s))
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

// ------------------------------------------------------------------ 2–3. paragraphs

interface Para {
  text: string;
  line?: number;
  /** The last source line joined into this paragraph, when it spans several. */
  lastLine?: number;
  lead?: string;
  /** Set when the paragraph is page chrome: the rule's name. */
  chrome?: string;
  /** The splitter that cut this paragraph out of a longer line. */
  split?: string;
}

/**
 * The width a text was hard-wrapped at: the most common length of its long lines, when
 * several distinct lines have it and almost none is longer. Undefined for unwrapped text.
 */
export function wrapWidth(lines: string[]): number | undefined {
  const counts = new Map<number, number>();
  const lengths: number[] = [];
  for (const l of new Set(lines)) {
    const n = charLength(l);
    if (n < 16) continue;
    lengths.push(n);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [n, c] of counts) if (c > bestCount || (c === bestCount && best !== undefined && n > best)) [best, bestCount] = [n, c];
  if (best === undefined || bestCount < 3 || bestCount < lengths.length * 0.25) return undefined;
  const longer = lengths.filter((n) => n > best! + 1).length;
  return longer <= lengths.length * 0.1 ? best : undefined;
}

function looksLikeHeaderLine(s: string): boolean {
  // Only a short line is a salutation of its own (a wrapped line may end in 诸君，).
  return Boolean(parseDateLine(s) || parseSpeakerLine(s) || parseDashNote(s) || (isSalutation(s) && s.length <= 16));
}

/** Whether line `b` continues line `a` (a hard wrap), given the text's wrap width. */
export function continuesLine(a: string, b: string, width: number | undefined): boolean {
  if (sectionNumber(b) || looksLikeHeaderLine(a)) return false;
  // A full line of hard-wrapped text goes on, even when it happens to end with 。 or the
  // next line happens to open with —— or read like 诸君！
  if (width !== undefined && charLength(a) >= width - 1) return true;
  if (looksLikeHeaderLine(b)) return false;
  if (SENTENCE_END.test(a) || /[：:；;]$/u.test(a)) return false;
  return MID_SENTENCE_END.test(a);
}

function joinText(a: string, b: string): string {
  return /[A-Za-z0-9,.;:!?]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
}

/** Cleans lines, marks chrome, and joins hard-wrapped lines into paragraphs. */
function toParagraphs(doc: RawDocument): Para[] {
  const cleaned = doc.lines.map((l) => ({ text: cleanLine(l.text), line: l.line, lead: l.lead, indented: /^(?:[\u3000\u00a0\t]| {2})\s*\S/u.test(l.text) }));
  const width = doc.paragraphsGiven ? undefined : wrapWidth(cleaned.map((l) => l.text));
  // Where paragraphs are marked by indentation, an indented line always starts a new one.
  const indentMarksParagraphs = cleaned.filter((l) => l.indented).length >= 2;
  const paras: Para[] = [];
  let open: Para | undefined;
  let seen = 0;
  for (const l of cleaned) {
    if (!l.text) {
      open = undefined;
      continue;
    }
    const pieces = splitLine(l.text, seen < 3);
    seen++;
    if (pieces.length > 1) {
      for (const piece of pieces) {
        const rule = piece.chrome ?? chromeRule(piece.text);
        paras.push({ text: piece.text, line: l.line, ...(rule ? { chrome: rule } : {}), ...(piece.split ? { split: piece.split } : {}) });
      }
      open = undefined;
      continue;
    }
    const rule = chromeRule(l.text);
    if (rule) {
      paras.push({ text: l.text, line: l.line, chrome: rule });
      open = undefined;
      continue;
    }
    if (open && !doc.paragraphsGiven && !(indentMarksParagraphs && l.indented) && continuesLine(open.text, l.text, width)) {
      open.text = joinText(open.text, l.text);
      if (l.line) open.lastLine = l.line;
      continue;
    }
    open = { text: l.text, line: l.line, ...(l.lead ? { lead: cleanLine(l.lead) } : {}) };
    paras.push(open);
  }
  return paras;
}

// ------------------------------------------------------------------ 4. header and body

function isTitleLike(s: string): boolean {
  const n = charLength(s);
  return (
    n >= 2 &&
    n <= 60 &&
    countHan(s) >= 2 &&
    !SENTENCE_END.test(s) &&
    !/[，、；：:,;]$/u.test(s) &&
    !isSalutation(s) &&
    !sectionNumber(s) &&
    !looksLikeHeaderLine(s)
  );
}

function isBodyLike(s: string): boolean {
  const n = charLength(s);
  return (n >= 24 && SENTENCE_END.test(s)) || n > 60 || isSalutation(s);
}

interface Header {
  title?: string;
  subtitle?: string;
  speaker?: SpeakerGuess;
  date?: ParsedDate;
  note?: DashNote;
  /** Index of the first body paragraph. */
  bodyStart: number;
  /** Indexes of paragraphs before the body that are not part of the header. */
  dropped: number[];
}

/** 甘肃省省长 任振鹤（2024年3月19日）: speaker and date on one line. */
export function parseSpeakerDateLine(s: string): { speaker: SpeakerGuess; date: ParsedDate } | undefined {
  if (s.length > 70) return undefined;
  const m = /^(.+?)[\s　]*[（(]?\s*((?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年[^）)]{2,12}[日号])\s*[）)]?$/u.exec(s.trim());
  if (!m) return undefined;
  const date = parseDateLine(m[2]!);
  const speaker = parseSpeakerLine(m[1]!) ?? parseBareName(m[1]!);
  return date && speaker ? { speaker, date } : undefined;
}

function headerKind(s: string): 'date' | 'speaker' | 'dash' | 'speaker+date' | undefined {
  if (parseDateLine(s)) return 'date';
  if (parseDashNote(s)) return 'dash';
  if (parseSpeakerLine(s)) return 'speaker';
  if (parseSpeakerDateLine(s)) return 'speaker+date';
  return undefined;
}

/** Finds title, speaker, date and dash note before the body; `content` holds non-chrome indexes. */
function findHeader(paras: Para[], content: number[], hintTitle: string | undefined): Header {
  const texts = content.map((i) => paras[i]!.text);
  // A news report handing over to the speech (……讲话全文如下：): what precedes it goes.
  let from = 0;
  const handOver = texts.findIndex((t, k) => k < texts.length / 2 && isHandOver(t));
  if (handOver >= 0) from = handOver + 1;

  const bodyFollows = (k: number): boolean => {
    for (let j = k + 1; j < texts.length && j <= k + 4; j++) {
      const t = texts[j]!;
      if (headerKind(t) || parseBareName(t)) continue;
      return isBodyLike(t) || isSalutation(t) || Boolean(sectionNumber(t));
    }
    return false;
  };

  let anchor = -1;
  for (let k = from; k < texts.length; k++) {
    if (headerKind(texts[k]!) && bodyFollows(k)) {
      anchor = k;
      break;
    }
    if (isBodyLike(texts[k]!) && k > from + 6) break;
  }

  const header: Header = { bodyStart: 0, dropped: [] };
  const take = (t: string): boolean => {
    const kind = headerKind(t);
    if (kind === 'date' && !header.date) header.date = parseDateLine(t);
    else if (kind === 'dash' && !header.note) {
      header.note = parseDashNote(t);
      if (header.note?.subtitle && !header.subtitle) header.subtitle = header.note.subtitle;
    } else if (kind === 'speaker' && !header.speaker) header.speaker = parseSpeakerLine(t);
    else if (kind === 'speaker+date') {
      const both = parseSpeakerDateLine(t)!;
      header.speaker ??= both.speaker;
      header.date ??= both.date;
    } else return false;
    return true;
  };

  if (anchor >= 0) {
    // Extend right over further header lines.
    let end = anchor;
    while (end + 1 < texts.length && (headerKind(texts[end + 1]!) || (parseBareName(texts[end + 1]!) && !header.speaker))) end++;
    // Extend left over header lines (and a name-only speaker line), then take one title.
    let start = anchor;
    const hint = hintTitle ? cleanLine(hintTitle) : undefined;
    for (;;) {
      const t = texts[start - 1];
      if (start - 1 < from || t === undefined) break;
      if (headerKind(t)) start--;
      // A name alone above the date (胡昌升 / （2024年2月18日）) is the speaker when a title
      // stands above it or the page's own title is something else.
      else if (parseBareName(t) && (isTitleLike(texts[start - 2] ?? '') || (hint !== undefined && !hint.includes(t)))) start--;
      else break;
    }
    for (let k = start; k <= end; k++) {
      const t = texts[k]!;
      if (!take(t) && !header.speaker) {
        const bare = parseBareName(t);
        if (bare) header.speaker = bare;
      }
    }
    let titleAt = start - 1;
    if (titleAt >= from && isTitleLike(texts[titleAt]!)) {
      header.title = texts[titleAt]!;
      start = titleAt;
      // A title broken over two lines: 在2024年全省经济工作会议暨 / 高质量发展推进大会上的讲话
      const before = texts[titleAt - 1];
      if (titleAt - 1 >= from && before && isTitleLike(before) && !isSpeechTitle(before) && isSpeechTitle(header.title) && !/\s/.test(before) && /[暨和与及、的在]$|^在/u.test(before)) {
        header.title = before + header.title;
        start = titleAt - 1;
      }
    } else if (titleAt >= from && parseBareName(texts[titleAt]!) && titleAt - 1 >= from && isTitleLike(texts[titleAt - 1]!)) {
      header.speaker ??= parseBareName(texts[titleAt]!);
      header.title = texts[titleAt - 1]!;
      start = titleAt - 1;
    }
    header.bodyStart = end + 1;
    for (let k = 0; k < start; k++) header.dropped.push(k);
  } else {
    // The body starts at the first line that reads as text (ends a sentence, or is long).
    let bodyStart = texts.findIndex((t, k) => k >= from && (isBodyLike(t) || SENTENCE_END.test(t) || /[：:]$/u.test(t) || Boolean(sectionNumber(t))));
    if (bodyStart < 0) bodyStart = from;
    const candidates: number[] = [];
    for (let k = from; k < bodyStart; k++) if (isTitleLike(texts[k]!)) candidates.push(k);
    const count = (t: string) => texts.filter((x) => x === t).length;
    const hint = hintTitle ? cleanLine(hintTitle) : undefined;
    const pick =
      candidates.find((k) => hint !== undefined && (texts[k] === hint || hint.startsWith(texts[k]!))) ??
      [...candidates].reverse().find((k) => isSpeechTitle(texts[k]!)) ??
      candidates.find((k) => count(texts[k]!) > 1) ??
      (candidates.includes(bodyStart - 1) ? bodyStart - 1 : undefined);
    if (pick !== undefined) header.title = texts[pick]!;
    header.bodyStart = bodyStart;
    for (let k = 0; k < bodyStart; k++) {
      if (k === pick) continue;
      // Header lines after the title still count (a date line before a heading).
      if (pick !== undefined && k > pick && take(texts[k]!)) continue;
      header.dropped.push(k);
    }
  }
  // The report's own headline names the speech when the text after the hand-over has none.
  if (!header.title && handOver > 0) {
    const before = texts.slice(0, handOver).filter(isTitleLike);
    header.title = before.find(isSpeechTitle) ?? before[0];
  }
  // Map back to paragraph indexes.
  header.bodyStart = header.bodyStart < content.length ? content[header.bodyStart]! : paras.length;
  header.dropped = header.dropped.map((k) => content[k]!);
  return header;
}

/** Body paragraphs after trimming trailing chrome and joining page-chunk splits. */
function shapeBody(paras: Para[], from: number, title: string | undefined, removed: string[]): Para[] {
  const body: Para[] = [];
  let ended = false;
  let afterBreak = false;
  for (let i = from; i < paras.length; i++) {
    const p = paras[i]!;
    if (ended) {
      removed.push(p.text);
      continue;
    }
    if (isEndMarker(p.text) && body.length > 0) {
      ended = true;
      removed.push(p.text);
      continue;
    }
    if (p.chrome) {
      removed.push(p.text);
      afterBreak = true;
      continue;
    }
    if (title && (p.text === title || (p.text.startsWith(title) && /(\.\.\.|…|……)$/u.test(p.text)))) {
      removed.push(p.text);
      continue;
    }
    const prev = body[body.length - 1];
    // A page-chunk split: the previous paragraph stops mid-sentence and this one goes on.
    const goesOn = /^[，、。；：？！”’）》,;:?!)]/u.test(p.text) || (afterBreak && !parseHeading(prev?.text ?? '') && !isSalutation(prev?.text ?? ''));
    if (prev && goesOn && !SENTENCE_END.test(prev.text) && !/[：:；;]$/u.test(prev.text) && !sectionNumber(p.text)) {
      prev.text = joinText(prev.text, p.text);
      afterBreak = false;
      continue;
    }
    afterBreak = false;
    body.push({ ...p });
  }
  // Trailing chrome: short fragments, repeated title, teasers.
  while (body.length > 1) {
    const last = body[body.length - 1]!.text;
    const short = charLength(last) <= 12 && !SENTENCE_END.test(last) && !sectionNumber(last) && !parseDateLine(last);
    const teaser = /(\.\.\.|…)$/u.test(last) && !/……$/u.test(last);
    if (!short && !teaser) break;
    removed.push(last);
    body.pop();
  }
  return body;
}

// ------------------------------------------------------------------ 5. assemble

function fileStem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.[^.]+$/, '');
}

/** Normalises extracted lines into a Speech. Throws WenjiError when no speech is left. */
export function normalizeDocument(doc: RawDocument): NormalizeResult {
  const { file } = doc;
  const diagnostics: Diagnostic[] = [];
  const warn = (code: DiagnosticCode, message: string, line?: number) =>
    diagnostics.push({ severity: 'warning', code, file, ...(line ? { line } : {}), message });
  const removed: string[] = [];

  const paras = toParagraphs(doc);
  const content = paras.map((p, i) => (p.chrome ? -1 : i)).filter((i) => i >= 0);
  let published = doc.hints?.published;
  for (const p of paras) if (p.chrome && !published) published = findPublishedDate(p.text);
  // A byline removed as chrome (作者：任振鹤) still names the speaker when nothing else does.
  let byline: SpeakerGuess | undefined;
  for (const p of paras) {
    const m = p.chrome && /^[【\[（(]?(?:作者|作者署名)\s*[:：]\s*([^\s　|｜】\]）)]{2,24})/u.exec(p.text);
    if (m && !byline) byline = parseSpeakerLine(m[1]!) ?? parseBareName(m[1]!);
  }

  const header = findHeader(paras, content, doc.hints?.title);
  for (let i = 0; i < header.bodyStart; i++) {
    const p = paras[i]!;
    if (p.chrome || header.dropped.includes(i)) removed.push(p.text);
  }
  const body = shapeBody(paras, header.bodyStart, header.title, removed);

  const bodyHan = body.reduce((n, p) => n + countHan(p.text), 0);
  if (bodyHan < 20) {
    throw new WenjiError(
      'no speech found: after removing page chrome nothing is left that reads as a speech (is this the right file?)',
      file,
    );
  }

  // A speech transcript may close with its date alone: （2024年3月19日）. Used when the
  // header gave none; a date with words after it (……，鲁迅附记。) stays a note.
  let closingDate: ParsedDate | undefined;
  const lastText = body[body.length - 1]?.text;
  if (lastText && !header.date && !header.note?.date && body.length > 1) {
    const d = parseDateLine(lastText);
    if (d?.iso && /^[（(]?\s*[^，,。]*[日号][）)]?$/u.test(lastText)) {
      closingDate = d;
      removed.push(lastText);
      body.pop();
    }
  }

  const blocks: Block[] = body.map((p, k) => {
    const repaired = repairText(p.text);
    const nearEnd = k >= body.length - 2;
    // A closing date line (一九二六年十月十四日，鲁迅附记。) is a note, not the speech date.
    if (nearEnd && k > 0 && parseDateLine(repaired)) return { type: 'note', content: [{ type: 'text', text: repaired }], ...(p.line ? { pos: { line: p.line } } : {}) };
    // A short line with no punctuation between two paragraphs: an unnumbered heading.
    const next = body[k + 1]?.text;
    if (k > 0 && next && !sectionNumber(repaired) && charLength(repaired) <= 24 && countHan(repaired) >= 2 && !/[。！？，、；：,.!?;:…]/u.test(repaired) && isBodyLike(next)) {
      return { type: 'heading', level: 1, content: [{ type: 'text', text: repaired }], ...(p.line ? { pos: { line: p.line } } : {}) };
    }
    const block = classifyParagraph(repaired, p.line, nearEnd);
    // A bold opening sentence in HTML or Word is a run-in lead even without a number.
    if (block.type === 'paragraph' && !block.lead && p.lead) {
      const lead = repairText(p.lead);
      if (repaired.startsWith(lead) && repaired.length > lead.length && /[。！？：]$/u.test(lead) && charLength(lead) <= 80) {
        return { ...block, lead: [{ type: 'text', text: lead }], content: [{ type: 'text', text: repaired.slice(lead.length) }] };
      }
    }
    return block;
  });

  // Title.
  let title = header.title ?? (doc.hints?.title ? cleanLine(doc.hints.title) : undefined);
  if (!title) {
    title = fileStem(file);
    warn('W-IMPORT-TITLE-MISSING', `no title found; used the file name "${title}" (give --title or a sidecar .meta.yaml)`);
  }
  title = repairPunctuation(title);
  const titleFacts = factsFromTitle(title);

  // Speaker.
  const speakerGuess = header.speaker ?? titleFacts.speaker ?? byline;
  const speaker = speakerGuess ? { name: speakerGuess.name, ...(speakerGuess.role ? { role: repairPunctuation(speakerGuess.role) } : {}) } : null;
  if (!speaker) warn('W-IMPORT-SPEAKER-MISSING', 'no speaker found (give --speaker and --role or a sidecar .meta.yaml)');

  // Date: a header date line, else the dash note. A page's publication date never counts.
  const parsed = header.date ?? header.note?.date ?? closingDate;
  const date = parsed?.iso ?? null;
  let dateText: string | undefined;
  if (!date && parsed) {
    dateText = parsed.text;
    warn('W-IMPORT-DATE-NO-YEAR', `date without a year: ${parsed.text} (give --date YYYY-MM-DD or a sidecar .meta.yaml)`);
  } else if (!date) warn('W-IMPORT-DATE-MISSING', 'no date found (give --date YYYY-MM-DD or a sidecar .meta.yaml)');

  const occasion = header.note?.occasion ?? titleFacts.occasion;
  const venue = header.note?.venue;
  const subtitle = header.subtitle && header.subtitle !== title ? header.subtitle : undefined;
  const lang = detectScript(title + body.map((p) => p.text).join(''));

  const speech: Speech = {
    id: speechId(title, speaker?.name, date),
    title,
    ...(subtitle ? { subtitle } : {}),
    speaker,
    date,
    ...(dateText ? { dateText } : {}),
    ...(occasion ? { occasion } : {}),
    ...(venue ? { venue } : {}),
    source: {
      file,
      ...(doc.hints?.url ? { url: doc.hints.url } : {}),
      ...(doc.hints?.site ? { site: doc.hints.site } : {}),
      ...(published ? { published } : {}),
    },
    lang,
    blocks,
  };
  const unbalanced = blocks.find((b) => {
    const t = blockText(b);
    return (t.match(/“/g)?.length ?? 0) !== (t.match(/”/g)?.length ?? 0);
  });
  if (unbalanced) warn('W-IMPORT-QUOTES-UNBALANCED', 'quotation marks “ ” do not pair up in this paragraph; check it', unbalanced.pos?.line);
  return { speech, diagnostics, removed };
}
