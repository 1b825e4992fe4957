/**
 * The normaliser: turns the lines a reader extracted (scraped text, HTML, Word) into a
 * Speech. Steps, each a small pure function: clean lines → mark page chrome → join
 * hard-wrapped lines into paragraphs → find the header (title, speaker, date, dash note)
 * and the body → trim trailing chrome and join page-chunk splits → repair punctuation →
 * classify blocks. General rules for any site; nothing here knows one page.
 */
import type { Diagnostic, DiagnosticCode } from '../model/diagnostics.ts';
import { WenjiError } from '../model/diagnostics.ts';
import type { Block, Footnote, Inline, Speech } from '../model/speech.ts';
import { blockText, inlineText } from '../model/speech.ts';
import { charLength, countHan, MID_SENTENCE_END, SENTENCE_END } from './chars.ts';
import { chromeRule, isEndMarker, isHandOver } from './chrome.ts';
import { findDate, parseDateLine, type ParsedDate } from './dates.ts';
import { speechId } from './id.ts';
import {
  factsFromTitle,
  findPublishedDate,
  findRoleAndName,
  isPlausibleName,
  looksLikePersonName,
  isSpeechTitle,
  SPEECH_GENRE,
  parseBareName,
  parseDashNote,
  parseSpeakerLine,
  type DashNote,
  type SpeakerGuess,
} from './metadata.ts';
import { repairPunctuation, repairText } from './punctuation.ts';
import { scriptOf } from '../transforms/script/script-detection.ts';
import { splitLine, stripPinyin } from './flattened.ts';
import { dropLeadingText, inlinesFromMarked, type Container, type InlineExtras } from './inline-marks.ts';
import { classifyParagraph, isSalutation, parseHeading, sectionNumber } from './structure.ts';

/** One line (or, for HTML and Word, one block) as a reader extracted it. */
export interface RawLine {
  text: string;
  /** 1-based line in the source file, for `file:line:` messages. */
  line?: number;
  /** The bold run the line opens with in HTML or Word: a run-in lead if it is a sentence. */
  lead?: string;
  /** The text with its emphasis and strong runs marked (HTML, Word). */
  marked?: string;
  /** The block quote or list the line stands in (HTML, Word). */
  container?: Container;
  /** A figure or table the reader found here (HTML, Word): kept in its place, never read as text. */
  item?: Extract<Block, { type: 'figure' | 'table' }>;
  /** The source marks this line as a caption (Word's Caption style). */
  caption?: boolean;
  /** Ruby annotations and note ids of the marks in `marked`, in order. */
  annotations?: string[];
  noteIds?: string[];
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
  /** Footnotes the reader found (HTML, Word); the text refers to them by noteIds. */
  notes?: Footnote[];
}

/** The role a source line got, for `wenji import --explain`. */
export type Role = 'title' | 'byline' | 'date' | 'lead' | 'heading' | 'body' | 'note' | 'figure' | 'table' | 'chrome';

export interface ExplainedLine {
  /** First and last source line (the same for a line that was not joined). */
  line?: number;
  lastLine?: number;
  text: string;
  role: Role;
  /** The rule that decided it. */
  rule: string;
}

export interface NormalizeResult {
  speech: Speech;
  diagnostics: Diagnostic[];
  /** Lines removed as page chrome, in order. */
  removed: string[];
  /** Every paragraph of the source with its role and the rule that decided it. */
  explain: ExplainedLine[];
}

// ------------------------------------------------------------------ 1. clean lines

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ensp: ' ', emsp: ' ', mdash: '—', hellip: '…', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', middot: '·' };

/** Elements whose tags leak into scraped text; anything else shaped like a tag is text. */
const HTML_ELEMENTS =
  'a|abbr|article|aside|b|big|blockquote|body|br|center|cite|code|dd|del|div|dl|dt|em|figcaption|figure|font|footer|h[1-6]|head|header|hr|html|i|iframe|img|ins|label|li|link|main|mark|meta|nav|ol|p|pre|q|s|section|small|span|strike|strong|style|sub|sup|table|tbody|td|tfoot|th|thead|title|tr|tt|u|ul|wbr';

/**
 * A tag only where it is unmistakably HTML: a known element's name (or a namespaced one, as
 * Word leaves: <o:p>), then the end of the tag, a slash or a space before attributes. So
 * vector<int>, map<string,int> and a<b且b>c stay.
 */
const HTML_TAG = new RegExp(`<\\/?(?:${HTML_ELEMENTS}|[a-z][a-z0-9]*:[a-z][a-z0-9-]*)(?:\\s[^<>]*)?\\/?>`, 'gi');

/** Inline HTML left in scraped text (<p class="writing-date">…</p>) and its entities. */
export function stripInlineHtml(s: string): string {
  if (!/[<&]/.test(s)) return s;
  return s
    .replace(HTML_TAG, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/**
 * Zero-width characters copied along with web text; a joiner inside an emoji sequence
 * (👨‍👩‍👧) stays, since emoji are text and print from the bundled emoji face.
 */
const ZERO_WIDTH = /[\u200b\u200c\u2060\ufeff]|(?<![\p{Extended_Pictographic}\uFE0F\u{1F3FB}-\u{1F3FF}])\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

/** Trims every kind of space (U+00A0, U+3000, zero-width) and collapses inner runs to one. */
export function cleanLine(s: string): string {
  return stripPinyin(stripInlineHtml(s))
    .replace(ZERO_WIDTH, '')
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

// ------------------------------------------------------------------ 2–3. paragraphs

interface Para {
  /** Position in the page's paragraph list (copies keep it). */
  index?: number;
  text: string;
  line?: number;
  /** The last source line joined into this paragraph, when it spans several. */
  lastLine?: number;
  lead?: string;
  /** Set when the paragraph is page chrome: the rule's name. */
  chrome?: string;
  /** The splitter that cut this paragraph out of a longer line. */
  split?: string;
  marked?: string;
  container?: Container;
  item?: RawLine['item'];
  /** The caption paragraph taken into the item (for --explain). */
  captionText?: string;
  captionRule?: string;
  extras?: InlineExtras;
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
  const cleaned = doc.lines.map((l) => ({
    text: cleanLine(l.text),
    line: l.line,
    lead: l.lead,
    marked: l.marked,
    container: l.container,
    item: l.item,
    caption: l.caption,
    extras: l.annotations || l.noteIds ? { ...(l.annotations ? { annotations: l.annotations } : {}), ...(l.noteIds ? { noteIds: l.noteIds } : {}) } : undefined,
    indented: /^(?:[\u3000\u00a0\t]| {2})\s*\S/u.test(l.text),
  }));
  const width = doc.paragraphsGiven ? undefined : wrapWidth(cleaned.map((l) => l.text));
  // Where paragraphs are marked by indentation, an indented line always starts a new one.
  const indentMarksParagraphs = cleaned.filter((l) => l.indented).length >= 2;
  const paras: Para[] = [];
  let open: Para | undefined;
  let seen = 0;
  for (const l of cleaned) {
    if (l.item) {
      paras.push({ text: '', line: l.line, item: l.item });
      open = undefined;
      continue;
    }
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
    open = {
      text: l.text,
      line: l.line,
      ...(l.lead ? { lead: cleanLine(l.lead) } : {}),
      ...(l.marked ? { marked: cleanLine(l.marked) } : {}),
      ...(l.container ? { container: l.container } : {}),
      ...(l.extras ? { extras: l.extras } : {}),
      ...(l.caption ? { captionRule: "the source's caption style" } : {}),
    };
    paras.push(open);
  }
  const withCaptions = takeCaptions(paras);
  withCaptions.forEach((p, i) => (p.index = i));
  return withCaptions;
}

// ------------------------------------------------------------------ figures and tables

/** 图1 / 圖 2 / 表3 / 表一: the numbered label a caption opens with. */
const CAPTION_LABEL = { figure: /^(?:图|圖)\s*[0-9０-９一二三四五六七八九十]+/u, table: /^表\s*[0-9０-９一二三四五六七八九十]+/u } as const;

/** The label a caption opens with (图1 ／ 表 2： ／ 图1-2.), which print numbers itself. */
const NUMBER_LABEL = /^(?:图|圖|表)\s*[0-9０-９一二三四五六七八九十]+(?:\s*[-－–—.．]\s*[0-9０-９]+)?\s*[：:.．、]?\s*/u;

/**
 * A caption without its 图1 / 表1 label: figures and tables are numbered per speech when
 * printed (图1, 表1; 图一 in vertical), so a label kept in the text would print twice.
 */
export function captionWithoutLabel(caption: Inline[]): Inline[] {
  const first = caption[0];
  if (first?.type !== 'text') return caption;
  const m = NUMBER_LABEL.exec(first.text);
  if (!m || m[0].length === first.text.length) return caption;
  return [{ type: 'text', text: first.text.slice(m[0].length) }, ...caption.slice(1)];
}

/** Why paragraph `p` is the caption of a figure or table of `kind` next to it, or undefined. */
function captionRule(p: Para | undefined, kind: 'figure' | 'table'): string | undefined {
  if (!p || p.item || charLength(p.text) > 80) return undefined;
  if (p.captionRule) return p.captionRule;
  if (CAPTION_LABEL[kind].test(p.text)) return kind === 'figure' ? 'a 图N line next to it' : 'a 表N line next to it';
  if (kind === 'figure' && (p.chrome === 'photo caption' || p.chrome === 'photo credit')) return 'a photo caption next to it';
  return undefined;
}

/**
 * A caption paragraph next to a figure (under it, else above) or a table (above it, else under)
 * becomes the item's caption: a figure's caption is chrome on a page without the figure, its
 * text in the speech with it.
 */
function takeCaptions(paras: Para[]): Para[] {
  const taken = new Set<number>();
  paras.forEach((p, i) => {
    const item = p.item;
    if (!item || item.caption) return;
    const order = item.type === 'figure' ? [i + 1, i - 1] : [i - 1, i + 1];
    for (const k of order) {
      const c = paras[k];
      const rule = taken.has(k) ? undefined : captionRule(c, item.type);
      if (!c || !rule) continue;
      taken.add(k);
      const text = repairText(c.text);
      if (item.type === 'figure') {
        const credit = /^(?:[（(]?(?:记者|記者|通讯员|通訊員)|摄影|攝影)/u.test(text) && c.chrome === 'photo credit';
        p.item = credit ? { ...item, credit: text.replace(/^[（(]|[）)]$/gu, '') } : { ...item, ...splitCaptionCredit(text) };
      } else p.item = { ...item, caption: captionWithoutLabel([{ type: 'text', text }]) };
      p.captionText = c.text;
      p.captionRule = rule;
      break;
    }
  });
  return paras.filter((_, k) => !taken.has(k));
}

/** A photographer or source line closing a caption: 记者 张三 摄, （新华社记者 王某某 摄）, 摄影：…, 图片来源：…. */
export const CAPTION_CREDIT = /[\s　]*[（(]?((?:新华社|新華社|本报|本報)?(?:记者|記者|通讯员|通訊員)[\s　]*[\p{Script=Han}·、\s]{2,20}?[\s　]*(?:摄|攝)|(?:摄影|攝影|图片来源|圖片來源|图源|圖源|来源|來源)\s*[：:]\s*[^）)]+)[）)]?$/u;

/** 图为兰州新区全景。记者 张三 摄: the caption, and the photographer's credit after it. */
function splitCaptionCredit(whole: string): { caption: Inline[]; credit?: string } {
  const label = captionWithoutLabel([{ type: 'text', text: whole }])[0];
  const text = label?.type === 'text' ? label.text : whole;
  const m = CAPTION_CREDIT.exec(text);
  if (!m || m.index === 0) return { caption: [{ type: 'text', text }] };
  return { caption: [{ type: 'text', text: text.slice(0, m.index) }], credit: m[1]!.replace(/\s+/g, ' ').trim() };
}

/** A figure or table as a report shows it: [figure] its caption (or alt text), [table] its caption (or first row). */
export function describeItem(b: Block): string {
  if (b.type === 'figure') return `[figure] ${inlineText(b.caption ?? []) || b.alt || b.image.src}`;
  if (b.type === 'table') return `[table] ${inlineText(b.caption ?? []) || (b.header ?? b.rows[0] ?? []).map(inlineText).join(' | ')}`;
  return blockText(b);
}

/** A figure's caption and a table's cells with their punctuation repaired like the body's. */
function repairItem(b: NonNullable<RawLine['item']>): Block {
  const fix = (xs: Inline[]): Inline[] => xs.map((n) => (n.type === 'text' ? { ...n, text: repairText(n.text) } : n));
  if (b.type === 'figure') return b.caption ? { ...b, caption: fix(b.caption) } : b;
  return { ...b, ...(b.caption ? { caption: fix(b.caption) } : {}), ...(b.header ? { header: b.header.map(fix) } : {}), rows: b.rows.map((r) => r.map(fix)) };
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
  /** Why the title line was chosen. */
  titleRule?: string;
  /** Source line of the title. */
  titleLine?: number;
  /** Paragraph index of a news report's line handing over to the speech. */
  handOver?: number;
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
  const handOver = texts.findIndex((t, k) => k <= Math.max(texts.length / 2, 8) && isHandOver(t));
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
      // A theme title under the speech's own title (在…上的讲话 / 用心用爱… / 以良好的… / date):
      // the speech title names the speech, the theme lines are its subtitle.
      if (!isSpeechTitle(header.title)) {
        for (let j = titleAt - 1; j >= Math.max(from, titleAt - 2); j--) {
          const t = texts[j]!;
          if (!isTitleLike(t)) break;
          if (isSpeechTitle(t)) {
            header.subtitle ??= texts.slice(j + 1, titleAt + 1).join('');
            header.title = t;
            start = j;
            break;
          }
        }
      }
    } else if (titleAt >= from && parseBareName(texts[titleAt]!) && titleAt - 1 >= from && isTitleLike(texts[titleAt - 1]!)) {
      header.speaker ??= parseBareName(texts[titleAt]!);
      header.title = texts[titleAt - 1]!;
      start = titleAt - 1;
    }
    header.bodyStart = end + 1;
    for (let k = 0; k < start; k++) header.dropped.push(k);
  } else {
    // The body starts at the first line that reads as text (ends a sentence, or is long),
    // unless it recurs further down: a pull-quote or a caption printed twice.
    const count = (t: string) => texts.filter((x) => x === t).length;
    let bodyStart = texts.findIndex(
      (t, k) =>
        k >= from &&
        count(t) === 1 &&
        (isBodyLike(t) || SENTENCE_END.test(t) || (/[：:]$/u.test(t) && countHan(t) >= 4) || Boolean(sectionNumber(t))),
    );
    if (bodyStart < 0) bodyStart = from;
    const candidates: number[] = [];
    for (let k = from; k < bodyStart; k++) if (isTitleLike(texts[k]!)) candidates.push(k);
    const hint = hintTitle ? cleanLine(hintTitle) : undefined;
    // A genre word alone (华语演讲全文) is a label, not a title: a title names its subject too.
    const namesSpeech = (t: string) => isSpeechTitle(t) && countHan(t.replace(new RegExp(`${SPEECH_GENRE}.*$`, 'u'), '')) >= 4;
    const choices: [string, (k: number) => boolean][] = [
      ["the page's own title", (k) => hint !== undefined && (texts[k] === hint || hint.startsWith(texts[k]!))],
      ['a speech title repeated in the header', (k) => count(texts[k]!) > 1 && namesSpeech(texts[k]!)],
      ['the speech title nearest the body', (k) => namesSpeech(texts[k]!)],
      ['a line repeated in the header', (k) => count(texts[k]!) > 1],
      // A headline is longer than the site names, labels and kickers around it.
      ['the longest line above the body', (k) => charLength(texts[k]!) >= 8 && candidates.every((j) => charLength(texts[j]!) <= charLength(texts[k]!))],
      ['the line before the body', (k) => k === bodyStart - 1],
    ];
    let pick: number | undefined;
    for (const [rule, test] of choices) {
      const ordered = rule === 'the speech title nearest the body' ? [...candidates].reverse() : candidates;
      pick = ordered.find(test);
      if (pick !== undefined) {
        header.titleRule = rule;
        break;
      }
    }
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
  if (handOver >= 0) header.handOver = content[handOver];
  if (header.title) {
    const k = texts.findIndex((t) => t === header.title || header.title!.endsWith(t));
    if (k >= 0) header.titleLine = paras[content[k]!]!.line;
  }
  header.bodyStart = header.bodyStart < content.length ? content[header.bodyStart]! : paras.length;
  header.dropped = header.dropped.map((k) => content[k]!);
  return header;
}

/** The title and an item number, alone on a line: 毕业典礼上校长讲话（一）：, 【毕业典礼校长致辞一】, 致辞篇二. */
export function isItemLabel(line: string, title: string): boolean {
  const t = line.trim().replace(/^[【\[]|[】\]]?[：:]?$/gu, '');
  if (!t.startsWith(title) || t === title) return false;
  return /^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}|[篇之第][一二三四五六七八九十\d]{1,3}篇?)$/u.test(t.slice(title.length).trim());
}

/** Body paragraphs after trimming trailing chrome and joining page-chunk splits. */
/** Ends of the names of bodies that issue a text: 办公室, 办公厅, 委员会, 人民政府 …. */
const ISSUER_END = /(办公室|辦公室|办公厅|辦公廳|委员会|委員會|人民政府|政府|党委|黨委|新闻办|新聞辦|宣传部|宣傳部|协会|協會|学会|學會|研究院|研究所)$/u;

interface Tail {
  /** Source line of the last non-empty line. */
  lastLine?: number;
  /** Texts dropped before the body (a lead a teaser may repeat). */
  before: string[];
  signature?: { speaker?: SpeakerGuess; date?: ParsedDate };
  /** Roles decided while shaping the body, by paragraph index. */
  roles: Map<number, [Role, string]>;
}

function shapeBody(paras: Para[], from: number, title: string | undefined, removed: string[], tail: Tail): Para[] {
  const body: Para[] = [];
  let ended = false;
  let afterBreak = false;
  for (let i = from; i < paras.length; i++) {
    const p = paras[i]!;
    const drop = (role: Role, rule: string) => {
      removed.push(p.item ? describeItem(p.item) : p.text);
      tail.roles.set(i, [role, rule]);
    };
    if (ended) {
      drop('chrome', 'after the end of the speech');
      continue;
    }
    if (isEndMarker(p.text) && body.length > 0) {
      ended = true;
      drop('chrome', 'end of the speech (related links, prev/next, copyright)');
      continue;
    }
    if (p.chrome) {
      removed.push(p.text);
      afterBreak = true;
      continue;
    }
    if (p.item) {
      body.push({ ...p });
      afterBreak = false;
      continue;
    }
    if (title && (p.text === title || (p.text.startsWith(title) && /(\.\.\.|…|……)$/u.test(p.text)))) {
      drop('chrome', 'title repeated after the header');
      continue;
    }
    const prev = body[body.length - 1];
    // A page-chunk split: the previous paragraph stops mid-sentence and this one goes on.
    const goesOn = /^[，、。；：？！”’）》,;:?!)]/u.test(p.text) || (afterBreak && !parseHeading(prev?.text ?? '') && !isSalutation(prev?.text ?? ''));
    if (prev && !prev.item && goesOn && !SENTENCE_END.test(prev.text) && !/[：:；;]$/u.test(prev.text) && !sectionNumber(p.text)) {
      prev.text = joinText(prev.text, p.text);
      tail.roles.set(i, ['body', `joined to line ${prev.line ?? '?'}: a paragraph split across page chunks`]);
      afterBreak = false;
      continue;
    }
    afterBreak = false;
    body.push({ ...p });
  }
  // Trailing chrome: short fragments, repeated title, teasers, signatures, another language.
  const hanOnly = (t: string) => t.replace(/[^\p{Script=Han}]/gu, '');
  const before = hanOnly(tail.before.join(''));
  // Figures and tables at the end stay with the speech; the text before them is looked at.
  const heldItems: Para[] = [];
  while (body.length > 1) {
    const p = body[body.length - 1]!;
    if (p.item) {
      heldItems.unshift(body.pop()!);
      continue;
    }
    const last = p.text;
    const signature = parseSignature(last);
    if (signature) {
      tail.signature = { ...signature, ...tail.signature };
      tail.roles.set(p.index!, ['byline', 'signature after the speech']);
      removed.push(last);
      body.pop();
      continue;
    }
    // A page cut off mid-sentence ends with a fragment of prose: it is the speech's last words.
    // Not an issuing body (中共XX市委办公室) or a bare name closing the page.
    const cutOff =
      p.line !== undefined && p.line === tail.lastLine && countHan(last) >= 2 && countHan(last) >= charLength(last) * 0.6 &&
      !ISSUER_END.test(last) && !looksLikePersonName(last);
    const short = !cutOff && charLength(last) <= 12 && !SENTENCE_END.test(last) && !sectionNumber(last) && !parseDateLine(last);
    const teaser = /(\.\.\.|…)$/u.test(last) && !/……$/u.test(last);
    const otherLanguage = charLength(last) >= 12 && countHan(last) < charLength(last) * 0.2 && body.some((b) => countHan(b.text) > charLength(b.text) * 0.5);
    // The news lead printed again as a teaser below the speech.
    // Only after a speech: a summary line above the title also repeats the first paragraph.
    const leadAgain =
      charLength(hanOnly(last)) >= 12 && before.includes(hanOnly(last).slice(0, 12)) && body.slice(0, -1).some((b) => isBodyLike(b.text) && !isSalutation(b.text));
    const rule = short ? 'short fragment after the body' : teaser ? 'teaser' : otherLanguage ? 'another language after the body' : leadAgain ? 'lead repeated after the body' : undefined;
    if (!rule) break;
    removed.push(last);
    tail.roles.set(p.index!, ['chrome', rule]);
    body.pop();
  }
  return [...body, ...heldItems];
}

/**
 * 以下为特朗普就职演说全文：: the name after 以下为 is the prefix of what follows that the
 * page repeats most often (特朗普, not 特朗普就职).
 */
function nameInHandOver(line: string, paras: Para[]): SpeakerGuess | undefined {
  const m = /^(?:以下|下面)(?:为|為|是)([\p{Script=Han}·•・]{2,8})/u.exec(line);
  if (!m) return undefined;
  const page = paras.map((p) => p.text).join('\n');
  let best: string | undefined;
  let bestCount = 1;
  for (let n = 2; n <= Math.min(4, m[1]!.length); n++) {
    const name = m[1]!.slice(0, n);
    const c = page.split(name).length - 1;
    if (c >= bestCount && c >= 3 && isPlausibleName(name)) [best, bestCount] = [name, c];
  }
  return best ? { name: best } : undefined;
}

/** 趙國安：…: in a transcript, the label that opens most paragraphs names the speaker. */
function transcriptSpeaker(texts: string[]): SpeakerGuess | undefined {
  const counts = new Map<string, number>();
  for (const t of texts) {
    const m = /^([\p{Script=Han}]{2,4})[：:]/u.exec(t);
    if (m && parseBareName(m[1]!)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  const [name, c] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return name && c! >= 2 ? { name } : undefined;
}

/** The role written right before a name in the title: 佤邦政府副主席趙國安… → 佤邦政府副主席. */
function roleBeforeName(title: string, name: string): string | undefined {
  const i = title.indexOf(name);
  if (i <= 0) return undefined;
  const g = parseSpeakerLine(`${title.slice(0, i)} ${name}`);
  return g?.name === name ? g.role : undefined;
}

/** 香江集团总裁 翟美卿 / 宗良勇2019.9.9 / 2023年1月21日: a signature closing the text. */
export function parseSignature(s: string): { speaker?: SpeakerGuess; date?: ParsedDate } | undefined {
  const speaker = parseSpeakerLine(s);
  if (speaker) return { speaker };
  const m = /^([\p{Script=Han}]{2,4})\s*((?:19|20)\d{2}[.\-/年]\d{1,2}[.\-/月]\d{1,2}日?)$/u.exec(s.trim());
  if (m && parseBareName(m[1]!)) return { speaker: parseBareName(m[1]!), date: findDate(m[2]!) };
  return undefined;
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
  // Tags leaked into plain text are removed line by line (cleanLine): say which, once.
  if (!doc.paragraphsGiven) {
    const tagged = doc.lines.filter((l) => l.text.includes('<') && new RegExp(HTML_TAG.source, 'i').test(l.text));
    if (tagged.length) {
      const tags = [...new Set(tagged.flatMap((l) => l.text.match(HTML_TAG) ?? []).map((t) => t.replace(/\s[^>]*/, '').replace(/\/?>$/, '>')))];
      warn('W-IMPORT-HTML-REMOVED', `HTML tags removed from ${tagged.length} line${tagged.length === 1 ? '' : 's'} of plain text: ${tags.slice(0, 8).join(' ')}${tags.length > 8 ? ' …' : ''}`, tagged[0]!.line);
    }
  }

  const paras = toParagraphs(doc);
  // Figures and tables are not text: never a title, header line or chrome.
  const content = paras.map((p, i) => (p.chrome || p.item ? -1 : i)).filter((i) => i >= 0);
  let published = doc.hints?.published;
  for (const p of paras) if (p.chrome && !published) published = findPublishedDate(p.text);
  // A byline removed as chrome (作者：任振鹤) still names the speaker when nothing else does.
  let byline: SpeakerGuess | undefined;
  for (const p of paras) {
    const m = p.chrome && /^[【\[（(]?(?:作者|作者署名)\s*[:：]\s*([^\s　|｜】\]）)]{2,24})/u.exec(p.text);
    if (m && !byline) byline = parseSpeakerLine(m[1]!) ?? parseBareName(m[1]!);
  }

  const header = findHeader(paras, content, doc.hints?.title);
  const lastLine = [...doc.lines].reverse().find((l) => cleanLine(l.text))?.line;
  const tail: Tail = { lastLine, before: [], roles: new Map() };
  // A figure or table before the body stays when only header lines (title, speaker, date) or
  // other figures stand between it and the body; above page chrome it is chrome too.
  const leading: Para[] = [];
  let onlyHeaderAfter = true;
  for (let i = header.bodyStart - 1; i >= 0; i--) {
    const p = paras[i]!;
    if (p.item) {
      if (onlyHeaderAfter) leading.unshift(p);
      else {
        removed.push(describeItem(p.item));
        tail.roles.set(i, ['chrome', 'a picture or table among the page chrome above the speech']);
      }
    } else if (p.chrome || header.dropped.includes(i)) onlyHeaderAfter = false;
  }
  for (let i = 0; i < header.bodyStart; i++) {
    const p = paras[i]!;
    if (p.chrome || header.dropped.includes(i)) {
      removed.push(p.text);
      tail.before.push(p.text);
    }
  }
  const body = [...leading, ...shapeBody(paras, header.bodyStart, header.title, removed, tail)];

  const bodyHan = body.reduce((n, p) => n + countHan(p.text), 0);
  if (bodyHan < 20) {
    throw new WenjiError(
      'no speech found: after removing page chrome nothing is left that reads as a speech (is this the right file?)',
      file,
    );
  }

  // A speech transcript may close with its date alone: （2024年3月19日）. Used when the
  // header gave none; a date with words after it (……，鲁迅附记。) stays a note.
  let closingDate: ParsedDate | undefined = tail.signature?.date;
  const lastPara = body[body.length - 1];
  if (lastPara && !header.date && !header.note?.date && body.length > 1) {
    const d = parseDateLine(lastPara.text);
    if (d?.iso && /^[（(]?\s*[^，,。]*[日号][）)]?$/u.test(lastPara.text)) {
      closingDate = d;
      removed.push(lastPara.text);
      tail.roles.set(lastPara.index!, ['date', 'date line closing the text']);
      body.pop();
    }
  }
  // The signature's name may stand above its date: 香江集团总裁 翟美卿 / 2023年1月21日.
  if (closingDate && !tail.signature?.speaker && body.length > 1) {
    const sig = parseSignature(body[body.length - 1]!.text);
    if (sig?.speaker) {
      tail.signature = { ...sig, date: closingDate };
      tail.roles.set(body[body.length - 1]!.index!, ['byline', 'signature after the speech']);
      removed.push(body[body.length - 1]!.text);
      body.pop();
    }
  }

  const blockRules: string[] = [];
  // The nearest text paragraph before and after `k` (figures and tables are skipped).
  const textAt = (k: number, step: 1 | -1): string | undefined => {
    for (let j = k + step; j >= 0 && j < body.length; j += step) if (!body[j]!.item) return body[j]!.text;
    return undefined;
  };
  const shaped: Block[] = body.map((p, k) => {
    if (p.item) {
      blockRules.push(p.captionRule ? `${p.item.type}, captioned by ${p.captionRule}` : p.item.type);
      return { ...repairItem(p.item), ...(p.line ? { pos: { line: p.line } } : {}) };
    }
    const repaired = repairText(p.text);
    const nearEnd = k >= body.length - 2;
    const pos = p.line ? { pos: { line: p.line } } : {};
    // A closing date line (一九二六年十月十四日，鲁迅附记。) is a note, not the speech date.
    if (nearEnd && k > 0 && parseDateLine(repaired)) {
      blockRules.push('date line with words after it');
      return { type: 'note', content: [{ type: 'text', text: repaired }], ...pos };
    }
    // A collection's item label, the page title and a number: 毕业典礼上校长讲话(一):, 毕业典礼校长致辞1.
    if (header.title && isItemLabel(repaired, header.title)) {
      blockRules.push('collection item label');
      return { type: 'heading', level: 1, content: [{ type: 'text', text: repaired }], ...pos };
    }
    // A short line with no punctuation between two paragraphs: an unnumbered heading.
    const next = textAt(k, 1);
    const prev = textAt(k, -1);
    if (k > 0 && next && prev && !sectionNumber(repaired) && charLength(repaired) <= 24 && countHan(repaired) >= 2 && !/[。！？，、；：,.!?;:…]/u.test(repaired) && (isBodyLike(next) || SENTENCE_END.test(next)) && SENTENCE_END.test(prev)) {
      blockRules.push('short unpunctuated line between paragraphs');
      return { type: 'heading', level: 1, content: [{ type: 'text', text: repaired }], ...pos };
    }
    // A numbered line with no sentence end, followed by text: a heading, however long.
    const num = sectionNumber(repaired);
    if (num && num.level <= 2 && next && charLength(repaired) <= 80 && !/[。！？!?；;]/u.test(repaired) && !/[，、：,:]$/u.test(repaired) && (isBodyLike(next) || SENTENCE_END.test(next)) && num.rest.trim()) {
      blockRules.push('numbered line without a sentence end');
      return { type: 'heading', level: num.level, number: num.number, content: [{ type: 'text', text: num.rest.trim() }], ...pos };
    }
    const block = classifyParagraph(repaired, p.line, nearEnd);
    blockRules.push(p.split ? `${block.type} (split: ${p.split})` : block.type === 'paragraph' && block.lead ? 'paragraph with a numbered run-in lead' : block.type);
    // A bold opening sentence in HTML or Word is a run-in lead even without a number.
    if (block.type === 'paragraph' && !block.lead && p.lead) {
      const lead = repairText(p.lead);
      if (repaired.startsWith(lead) && repaired.length > lead.length && /[。！？：]$/u.test(lead) && charLength(lead) <= 80) {
        blockRules[blockRules.length - 1] = 'paragraph with a bold run-in lead';
        return { ...block, lead: [{ type: 'text', text: lead }], content: [{ type: 'text', text: repaired.slice(lead.length) }] };
      }
    }
    return block;
  });

  // Emphasis and strong runs of HTML and Word paragraphs, placed on the repaired text.
  const marked = shaped.map((b, k): Block => {
    const p = body[k]!;
    if (!p.marked || b.type === 'heading' || b.type === 'quote' || b.type === 'list' || b.type === 'figure' || b.type === 'table') return b;
    const plain = b.type === 'paragraph' ? inlineText([...(b.lead ?? []), ...b.content]) : inlineText(b.content);
    const inlines = inlinesFromMarked(p.marked, p.text, plain, repairText, p.extras);
    if (!inlines) return b;
    if (b.type === 'paragraph' && b.lead) return { ...b, content: dropLeadingText(inlines, inlineText(b.lead).length) };
    return { ...b, content: inlines };
  });
  const bodyRoles = new Map<number, [Role, string]>();
  body.forEach((p, k) => {
    const b = marked[k]!;
    const role: Role = b.type === 'heading' ? 'heading' : b.type === 'note' ? 'note' : b.type === 'figure' || b.type === 'table' ? b.type : 'body';
    bodyRoles.set(p.index!, [role, blockRules[k]!]);
  });
  const blocks = groupContainers(marked, body, bodyRoles);

  const sidecar = `${fileStem(file)}.meta.yaml`;
  const handOverText = header.handOver !== undefined ? paras[header.handOver]!.text : undefined;
  const leadTexts = tail.before.filter((t) => countHan(t) >= 10);

  // Title: the header's, else the page's own, else what a news lead says was delivered.
  let titleRule = header.titleRule ?? 'title line above the date or speaker';
  let title = header.title;
  if (!title && doc.hints?.title) [title, titleRule] = [cleanLine(doc.hints.title), "the page's metadata (og:title, JSON-LD headline, <title>)"];
  if (!title && handOverText) {
    const m = new RegExp(`(?:发表|發表|致|作)了?(?:题为|題為)?[“《]?([^，。“”《》,\\s]{2,30}?${SPEECH_GENRE})`, 'u').exec(handOverText);
    if (m) [title, titleRule] = [m[1]!, 'what the news lead says was delivered'];
  }
  if (!title) {
    title = fileStem(file);
    titleRule = 'none found: the file name';
    warn('W-IMPORT-TITLE-MISSING', `no title found; used the file name "${title}" (set title: in ${sidecar}, or give --title)`);
  } else if (/^(the longest line above the body|the line before the body|a line repeated in the header|what the news lead|the page's metadata)/u.test(titleRule)) {
    warn('W-IMPORT-TITLE-UNCERTAIN', `title "${title}" is a guess (${titleRule}); check it (title: in ${sidecar}, or --title)`, header.titleLine);
  }
  // A site name after a separator: 在……的讲话_范文网, 在……的讲话 - 某某文库.
  const parts = title.split(/\s*[_|｜]\s*|\s+[-–—]\s+/u).filter((t) => t.trim());
  if (parts.length > 1) title = parts.find((t) => isSpeechTitle(t)) ?? parts.reduce((a, b) => (countHan(b) > countHan(a) ? b : a));
  // An SEO keyword or a site tag in brackets before the title: [史密斯热水器]对史密斯教授的欢送词.
  title = title.replace(/^(?:\[[^\[\]]{1,16}\]|【[^【】]{1,16}】)\s*(?=\S{4})/u, '');
  title = repairPunctuation(title);
  const titleFacts = factsFromTitle(title);

  // Speaker: a speaker line in the header, a signature, the title, a news lead, a byline.
  const leadSpeaker = [handOverText, ...leadTexts].flatMap((t) => (t ? [findRoleAndName(t)] : [])).find(Boolean) ?? (handOverText ? nameInHandOver(handOverText, paras) : undefined);
  const sources: [SpeakerGuess | undefined, string][] = [
    [header.speaker, 'speaker line'],
    [tail.signature?.speaker, 'signature after the speech'],
    [titleFacts.speaker, 'the title'],
    [leadSpeaker, 'the news lead'],
    [transcriptSpeaker(body.map((p) => p.text)), 'the transcript labels'],
    [byline, 'byline'],
  ];
  const found = sources.find(([g]) => g);
  let speakerGuess = found?.[0];
  // A role the title or lead states next to the name found elsewhere: 佤邦政府副主席趙國安….
  if (speakerGuess?.name && !speakerGuess.role) {
    const name = speakerGuess.name;
    const role = [titleFacts.speaker, leadSpeaker].find((g) => g?.name === name && g.role)?.role ?? roleBeforeName(title, name);
    if (role) speakerGuess = { ...speakerGuess, role };
  }
  const speaker = speakerGuess
    ? { ...(speakerGuess.name ? { name: speakerGuess.name } : {}), ...(speakerGuess.role ? { role: repairPunctuation(speakerGuess.role) } : {}) }
    : null;
  const from = found?.[1];
  if (!speaker) warn('W-IMPORT-SPEAKER-MISSING', `no speaker found (set speaker: and role: in ${sidecar}, or give --speaker and --role)`);
  else if (!speaker.name) warn('W-IMPORT-SPEAKER-MISSING', `the speaker is not named, only the role ${speaker.role} (from ${from}); set speaker: in ${sidecar}, or give --speaker`);
  else if (from !== 'speaker line' && from !== 'signature after the speech') {
    warn('W-IMPORT-SPEAKER-UNCERTAIN', `speaker ${speaker.name}${speaker.role ? `（${speaker.role}）` : ''} taken from ${from}; check it (speaker: and role: in ${sidecar})`);
  } else if (!speaker.role) warn('W-IMPORT-ROLE-MISSING', `no role found for ${speaker.name} (set role: in ${sidecar}, or give --role)`);

  // Date: a header date line, the dash note, a signature or closing date, the news lead's
  // dateline, a 'today' in the speech. A page's publication date never counts.
  let dateRule = 'date line';
  let parsed = header.date ?? header.note?.date ?? closingDate;
  if (!parsed && handOverText) {
    const d = findDate(handOverText);
    if (d?.iso && d.index <= 2) [parsed, dateRule] = [d, "the news lead's dateline"];
  }
  if (!parsed) {
    const m = /((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])的?今天/u.exec(body.map((p) => p.text).join('\n'));
    const d = m ? findDate(m[1]!) : undefined;
    if (d?.iso) [parsed, dateRule] = [d, "a 'today' in the speech"];
  }
  const date = parsed?.iso ?? null;
  let dateText: string | undefined;
  if (!date && parsed) {
    dateText = parsed.text;
    warn('W-IMPORT-DATE-NO-YEAR', `date without a year: ${parsed.text} (set date: YYYY-MM-DD in ${sidecar}, or give --date)`);
  } else if (!date) warn('W-IMPORT-DATE-MISSING', `no date found (set date: YYYY-MM-DD in ${sidecar}, or give --date)`);
  else if (dateRule !== 'date line') warn('W-IMPORT-DATE-UNCERTAIN', `date ${date} taken from ${dateRule}; check it (date: in ${sidecar})`);

  const occasion = header.note?.occasion ?? titleFacts.occasion;
  const venue = header.note?.venue;
  const subtitle = header.subtitle && header.subtitle !== title ? header.subtitle : undefined;
  const lang = scriptOf(title + body.map((p) => p.text).join(''));

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
    ...(doc.notes?.length ? { notes: doc.notes } : {}),
  };
  const unbalanced = blocks.find((b) => {
    const t = blockText(b);
    return (t.match(/“/g)?.length ?? 0) !== (t.match(/”/g)?.length ?? 0);
  });
  if (unbalanced) warn('W-IMPORT-QUOTES-UNBALANCED', 'quotation marks “ ” do not pair up in this paragraph; check it', unbalanced.pos?.line);

  // What happened to every line, for --explain.
  const explain: ExplainedLine[] = paras.map((p, i) => {
    const [role, rule] = explainParagraph(p, i, header, tail, bodyRoles, titleRule);
    const text = p.item ? describeItem(p.item) : p.text;
    return { ...(p.line ? { line: p.line } : {}), ...(p.lastLine && p.lastLine !== p.line ? { lastLine: p.lastLine } : {}), text, role, rule };
  });
  return { speech, diagnostics, removed, explain };
}

/** • 援助和债务减免规模扩大。: a bullet glyph opening a line of text marks a list item. */
const BULLET = /^[•●▪■◆◇▶►・]\s*(?=\S)/u;

/**
 * Consecutive paragraphs of one HTML or Word list or block quote become one list or quote
 * block, and so do runs of bulleted lines in text; the bullet glyph is markup, not text.
 */
function groupContainers(blocks: Block[], body: Para[], roles: Map<number, [Role, string]>): Block[] {
  const out: Block[] = [];
  const pos = (p: Para) => (p.line ? { pos: { line: p.line } } : {});
  const inlinesOf = (b: Block): Inline[] => (b.type === 'paragraph' ? [...(b.lead ?? []), ...b.content] : 'content' in b ? b.content : []);
  let k = 0;
  while (k < blocks.length) {
    const b = blocks[k]!;
    const p = body[k]!;
    const groupable = b.type === 'paragraph' || b.type === 'salutation' || b.type === 'closing';
    const c = p.container;
    const bulleted = !c && groupable && BULLET.test(p.text);
    if (!groupable || (!c && !bulleted)) {
      out.push(b);
      k++;
      continue;
    }
    let end = k + 1;
    const same = (j: number) => {
      const bj = blocks[j]!;
      const ok = bj.type === 'paragraph' || bj.type === 'salutation' || bj.type === 'closing';
      return ok && (c ? body[j]!.container?.group === c.group : !body[j]!.container && BULLET.test(body[j]!.text));
    };
    while (end < blocks.length && same(end)) end++;
    const members = blocks.slice(k, end).map(inlinesOf);
    if (c?.kind === 'quote') {
      out.push({ type: 'quote', paragraphs: members, ...pos(p) });
      for (let j = k; j < end; j++) roles.set(body[j]!.index!, ['body', 'block quote']);
    } else {
      const items = members.map((m) => {
        const first = m[0];
        return first?.type === 'text' ? [{ ...first, text: first.text.replace(BULLET, '') }, ...m.slice(1)] : m;
      });
      out.push({ type: 'list', ordered: c?.kind === 'ol', items, ...pos(p) });
      for (let j = k; j < end; j++) roles.set(body[j]!.index!, ['body', c ? 'list item' : 'bulleted line: list item']);
    }
    k = end;
  }
  return out;
}

/** The role a paragraph got and the rule that decided it. */
function explainParagraph(p: Para, i: number, header: Header, tail: Tail, bodyRoles: Map<number, [Role, string]>, titleRule: string): [Role, string] {
  if (p.chrome) return ['chrome', p.chrome];
  const decided = tail.roles.get(i) ?? bodyRoles.get(i);
  if (decided) return decided;
  if (i >= header.bodyStart) return ['chrome', 'after the body'];
  if (i === header.handOver) return ['lead', 'a news report handing over to the speech'];
  if (header.handOver !== undefined && i < header.handOver && header.dropped.includes(i)) {
    return header.title !== undefined && p.text === header.title ? ['title', "the report's headline"] : ['lead', 'news lead before the hand-over'];
  }
  if (header.title !== undefined && (p.text === header.title || (header.title.endsWith(p.text) && header.title !== p.text))) {
    return header.dropped.includes(i) ? ['chrome', 'title repeated in the header'] : ['title', titleRule];
  }
  if (header.dropped.includes(i)) return ['chrome', 'before the body and not a header line'];
  const kind = headerKind(p.text);
  if (kind === 'date') return ['date', 'date line'];
  if (kind === 'dash') return ['note', 'dash note (date, venue or occasion)'];
  if (kind === 'speaker+date') return ['byline', 'speaker and date line'];
  return ['byline', 'speaker line'];
}
