/**
 * A saved web page: Mozilla Readability over linkedom finds the main content, then the same
 * normaliser as scraped text runs on its blocks. The page is untrusted: scripts, styles,
 * frames, forms and images are removed before anything else looks at it, no script runs
 * (linkedom executes none) and nothing is fetched.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { countHan } from '../normalize/chars.ts';
import { describeItem, normalizeDocument, type NormalizeResult, type RawLine } from '../normalize/index.ts';
import { INLINE_MARKS, stripMarks, type Container } from '../normalize/inline-marks.ts';
import { BOLD, extractRichContent, ITALIC, ITEM_PATTERN, NOTE_PATTERN, type RichItem } from './html-rich.ts';

const UNSAFE = 'script,style,noscript,iframe,frame,frameset,object,embed,applet,form,input,button,select,textarea,svg,canvas,video,audio,source,track,img,picture,link,template,figcaption,nav,aside,header>nav,footer';

const BLOCK = new Set([
  'P', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'HEADER', 'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'UL', 'OL',
  'BLOCKQUOTE', 'PRE', 'TABLE', 'TR', 'TD', 'TH', 'DL', 'DT', 'DD', 'FIGURE', 'CENTER', 'ADDRESS', 'HR', 'BODY', 'FONT',
]);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

/** The class the Word reader gives paragraphs in Word's Caption style. */
export const CAPTION_CLASS = 'wenji-caption';

/** One block of a page: its text, and the bold run it opens with (a run-in lead), if any. */
export interface HtmlBlock {
  text: string;
  lead?: string;
  /** The text with its emphasis and strong runs marked (see INLINE_MARKS), when it has any. */
  marked?: string;
  /** The block quote or list the block stands in. */
  container?: Container;
  /** A placeholder for figure or table number `item` (./html-rich.ts). */
  item?: number;
  /** A caption paragraph (Word's Caption style). */
  caption?: boolean;
  /** Ruby annotations and note ids of the marks in `marked`, in order. */
  annotations?: string[];
  noteIds?: string[];
}

/** Blocks in document order; line breaks (<br>) split blocks too. */
export function htmlBlocks(root: DomNode): HtmlBlock[] {
  const out: HtmlBlock[] = [];
  let buf = '';
  let lead = '';
  // 'open' while the block so far is only whitespace and bold text.
  let leadState: 'none' | 'open' | 'closed' = 'none';
  let bold = 0;
  let marked = '';
  let hasMarks = false;
  const containers: Container[] = [];
  let groups = 0;
  let annotations: string[] = [];
  let noteIds: string[] = [];
  let captionDepth = 0;
  const flush = () => {
    const item = ITEM_PATTERN.exec(buf.trim());
    if (item) out.push({ text: buf.trim(), item: Number(item[1]) });
    else if (buf.trim()) {
      const b: HtmlBlock = lead.trim() && leadState !== 'none' ? { text: buf, lead: lead.trim() } : { text: buf };
      if (hasMarks && stripMarks(marked).trim()) {
        b.marked = marked;
        if (annotations.length) b.annotations = annotations;
        if (noteIds.length) b.noteIds = noteIds;
      }
      const c = containers[containers.length - 1];
      if (c) b.container = c;
      if (captionDepth > 0) b.caption = true;
      out.push(b);
    }
    buf = '';
    lead = '';
    marked = '';
    hasMarks = false;
    leadState = 'none';
    annotations = [];
    noteIds = [];
  };
  const walk = (n: DomNode) => {
    if (n.nodeType === 3) {
      const raw = n.textContent ?? '';
      // Note references (./html-rich.ts) are marks of no width: out of the text, into `marked`.
      let t = raw;
      let markedPiece = stripMarks(raw);
      if (raw.includes('\uE00A')) {
        t = '';
        markedPiece = '';
        let at = 0;
        for (const m of raw.matchAll(NOTE_PATTERN)) {
          t += raw.slice(at, m.index);
          markedPiece += stripMarks(raw.slice(at, m.index)) + INLINE_MARKS.noteRef;
          noteIds.push(m[1]!);
          hasMarks = true;
          at = m.index! + m[0].length;
        }
        t += raw.slice(at);
        markedPiece += stripMarks(raw.slice(at));
      }
      if (t.trim()) {
        const opensBold = bold > 0 && (leadState === 'open' || (leadState === 'none' && !buf.trim()));
        if (opensBold) {
          leadState = 'open';
          lead += t;
        } else leadState = 'closed';
      } else if (bold > 0 && leadState === 'open') lead += t;
      buf += t;
      marked += markedPiece;
      return;
    }
    if (n.nodeType !== 1) return;
    const name = n.nodeName.toUpperCase();
    if (name === 'BR') return flush();
    if (name === 'RT' || name === 'RP') return;
    if (name === 'RUBY') {
      // The base is text; the annotation (<rt>) travels beside it.
      let base = '';
      let note = '';
      const collect = (c: DomNode, inRt: boolean) => {
        if (c.nodeType === 3) {
          if (inRt) note += c.textContent ?? '';
          else base += c.textContent ?? '';
          return;
        }
        const cn = c.nodeName.toUpperCase();
        if (cn === 'RP') return;
        for (let i = 0; i < c.childNodes.length; i++) collect(c.childNodes[i]!, inRt || cn === 'RT');
      };
      collect(n, false);
      base = base.replace(/\s+/g, '');
      note = note.trim().replace(/\s+/g, ' ');
      if (!base) return;
      if (leadState === 'none' && !buf.trim()) leadState = 'closed';
      else if (leadState === 'open') leadState = 'closed';
      buf += base;
      if (note) {
        marked += INLINE_MARKS.ruby[0] + base + INLINE_MARKS.ruby[1];
        annotations.push(note);
        hasMarks = true;
      } else marked += base;
      return;
    }
    const block = BLOCK.has(name);
    if (block) flush();
    const isCaption = (n.getAttribute?.('class') ?? '').split(/\s+/).includes(CAPTION_CLASS);
    if (isCaption) captionDepth++;
    const container = name === 'BLOCKQUOTE' ? 'quote' : name === 'UL' ? 'ul' : name === 'OL' ? 'ol' : undefined;
    if (container) containers.push({ kind: container, group: ++groups });
    const mark = BOLD.has(name) ? INLINE_MARKS.strong : ITALIC.has(name) ? INLINE_MARKS.emphasis : undefined;
    if (BOLD.has(name)) bold++;
    if (mark) {
      marked += mark[0];
      hasMarks = true;
    }
    for (let i = 0; i < n.childNodes.length; i++) walk(n.childNodes[i]!);
    if (mark) marked += mark[1];
    if (BOLD.has(name)) bold--;
    if (container) containers.pop();
    if (block) flush();
    if (isCaption) captionDepth--;
  };
  walk(root);
  flush();
  // A block that is bold throughout has no lead: it is a heading or bold text.
  return out.map((b) => {
    if (b.lead === undefined || b.lead !== b.text.trim()) return b;
    const { lead: _, ...rest } = b;
    return rest;
  });
}

/** Text of each block element, in document order. */
export function blockTexts(root: DomNode): string[] {
  return htmlBlocks(root).map((b) => b.text);
}

/** Blocks as lines for the normaliser, a blank line after each; placeholders carry their figure or table. */
export function blocksToLines(blocks: HtmlBlock[], items: readonly RichItem[] = []): RawLine[] {
  const lines: RawLine[] = [];
  for (const b of blocks) {
    if (b.item !== undefined) {
      const item = items[b.item];
      if (item) lines.push({ text: '', item }, { text: '' });
      continue;
    }
    lines.push(
      {
        text: b.text,
        ...(b.lead ? { lead: b.lead } : {}),
        ...(b.marked ? { marked: b.marked } : {}),
        ...(b.container ? { container: b.container } : {}),
        ...(b.caption ? { caption: true } : {}),
        ...(b.annotations ? { annotations: b.annotations } : {}),
        ...(b.noteIds ? { noteIds: b.noteIds } : {}),
      },
      { text: '' },
    );
  }
  return lines;
}

/** A block's text as a report shows it: a placeholder as the figure or table it stands for. */
export function shownText(b: HtmlBlock, items: readonly RichItem[]): string {
  const item = b.item === undefined ? undefined : items[b.item];
  return item ? describeItem(item) : b.text;
}

function meta(document: Document, ...names: string[]): string | undefined {
  for (const name of names) {
    const el = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
    const v = el?.getAttribute('content')?.trim();
    if (v) return v;
  }
  return undefined;
}

/**
 * The article's JSON-LD (schema.org NewsArticle, Article, WebPage): headline, publication
 * date, publisher. Only strings are read; a script that is not valid JSON is ignored.
 */
function linkedData(document: Document): { headline?: string; datePublished?: string; publisher?: string } {
  const out: { headline?: string; datePublished?: string; publisher?: string } = {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  for (const el of [...document.querySelectorAll('script[type="application/ld+json"]')]) {
    let data: unknown;
    try {
      data = JSON.parse(el.textContent ?? '');
    } catch {
      continue;
    }
    const items = (Array.isArray(data) ? data : [data, ...(((data as Record<string, unknown>)?.['@graph'] as unknown[]) ?? [])]).filter((x) => x && typeof x === 'object') as Record<string, unknown>[];
    for (const item of items) {
      out.headline ??= str(item.headline);
      out.datePublished ??= str(item.datePublished);
      const pub = item.publisher as Record<string, unknown> | undefined;
      out.publisher ??= str(pub && typeof pub === 'object' ? pub.name : undefined);
    }
  }
  return out;
}

/** A page <title> often carries the site after a separator: 在……的讲话_甘肃省人民政府. */
export function titleWithoutSite(title: string): string {
  const parts = title.split(/\s*[_|｜]\s*|\s+[-–—]\s+/).filter((p) => p.trim());
  if (parts.length <= 1) return title.trim();
  return parts.reduce((a, b) => (countHan(b) > countHan(a) ? b : a)).trim();
}

function isoDay(v: string | undefined): string | undefined {
  const m = v && /((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(v);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : undefined;
}

/** Reads a saved HTML page. Throws WenjiError when no speech is in it. */
export function readHtml(html: string, file: string): NormalizeResult {
  const { document } = parseHTML(html);
  const ld = linkedData(document);
  const pageTitle = meta(document, 'og:title', 'ArticleTitle') ?? ld.headline ?? document.querySelector('title')?.textContent ?? undefined;
  const hints = {
    title: pageTitle ? titleWithoutSite(pageTitle) : undefined,
    published: isoDay(
      meta(document, 'article:published_time', 'PubDate', 'pubdate', 'publishdate', 'datePublished', 'dc.date') ??
        ld.datePublished ??
        document.querySelector('time[datetime]')?.getAttribute('datetime') ??
        undefined,
    ),
    site: meta(document, 'og:site_name', 'SiteName', 'application-name') ?? ld.publisher,
    url: meta(document, 'og:url') ?? document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? undefined,
  };
  // Figures, data tables and notes leave placeholders before chrome elements go.
  const rich = extractRichContent(document, file, {
    lineOf: (text, occurrence) => {
      let at = -1;
      for (let k = 0; k <= occurrence; k++) {
        at = html.indexOf(text, at + 1);
        if (at < 0) return undefined;
      }
      return html.slice(0, at).split('\n').length;
    },
  });
  for (const el of [...document.querySelectorAll(UNSAFE)]) el.remove();

  const body = document.body as unknown as DomNode | null;
  const wholeBlocks = body ? htmlBlocks(body) : [];
  const whole = wholeBlocks.map((b) => shownText(b, rich.items));
  let blocks = wholeBlocks;
  try {
    // Readability mutates the document it is given: hand it a copy.
    const copy = parseHTML(document.toString()).document;
    const article = new Readability(copy as unknown as Document, { charThreshold: 200 }).parse();
    if (article?.content) {
      const content = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body as unknown as DomNode;
      const main = htmlBlocks(content);
      const han = (xs: HtmlBlock[]) => xs.reduce((n, b) => n + countHan(b.text), 0);
      // Readability sometimes keeps a fragment only: use it when it holds most of the text.
      if (han(main) >= han(wholeBlocks) * 0.5) blocks = main;
      if (article.title && !hints.title) hints.title = titleWithoutSite(article.title);
    }
  } catch {
    // Readability gave up on this page: the whole body goes to the normaliser.
  }
  const result = normalizeDocument({ file, lines: blocksToLines(blocks, rich.items), paragraphsGiven: true, hints, notes: rich.notes });
  // What Readability left out is page chrome too: report it.
  const kept = new Set(blocks.map((b) => shownText(b, rich.items)));
  const outside = whole.filter((t) => !kept.has(t)).map((t) => t.replace(/\s+/g, ' ').trim());
  return {
    ...result,
    diagnostics: [...rich.diagnostics, ...result.diagnostics],
    removed: [...outside, ...result.removed],
    explain: [...outside.map((text) => ({ text, role: 'chrome' as const, rule: 'outside the main content (Readability)' })), ...result.explain],
  };
}
