/**
 * Renders every XHTML document of the EPUB from templates/epub/*.hbs: speeches, part
 * titles, front and back matter, the title page, the cover page and the index of speeches.
 * Inline content is pre-rendered by ./xhtml.ts and handed to templates as safe strings.
 */
import type { Book } from '../../model/book.ts';
import { inlineText, type Block, type Inline, type Speech } from '../../model/speech.ts';
import type { FigureImages } from '../../render/figure-images.ts';
import { blockLabel } from '../../render/index.ts';
import { noteMark } from '../../render/helpers.ts';
import type { TemplateEnv } from '../../render/templates.ts';
import { chineseDate } from '../../model/chinese-numbers.ts';
import type { Labels } from '../../model/labels.ts';
import { type EpubContents, type EpubDocument } from './contents.ts';
import { markRuns, renderInlines, withoutNumericReferences, type InlineOptions } from './xhtml.ts';

export interface ChapterSettings {
  /** Language tag for lang / xml:lang (zh-Hans, zh-Hant-TW …). */
  lang: string;
  vertical: boolean;
  /** Name of the cover image inside the EPUB. */
  coverImage: string;
  /** Who the title page names: the speaker of a single speech, or the collection's editor. */
  creator?: string;
  labels: Labels;
  /** For the colophon on the title page. */
  editionLabel: string;
  identifier: string;
  /** The figures' pictures, made for the EPUB, stored under IMAGE_FOLDER by their names. */
  figureImages?: FigureImages;
}

/** Where figure pictures go inside OEBPS/. */
export const IMAGE_FOLDER = 'images';

/** A cell that holds a number: right-aligned (same rule as print). */
const NUMERIC_CELL = /^[-+−±]?[¥$€£]?\d[\d,，.]*\s*(%|‰|万|亿|万亿|元|万元|亿元)?$/u;

export function renderDocuments(book: Book, contents: EpubContents, env: TemplateEnv, s: ChapterSettings): Map<string, string> {
  const Safe = env.handlebars.SafeString;
  /** Plain text as markup: escaped, and in vertical layout with upright digit runs. */
  const plain = (t: string | undefined) =>
    t === undefined || t === '' ? undefined : new Safe(markRuns(t, s.vertical));

  const layout = s.vertical ? 'vertical' : 'horizontal';
  const blocksMarkup = (blocks: readonly Block[], sectionIds: Map<number, string>, opts: InlineOptions) => {
    const inl = (xs: Parameters<typeof renderInlines>[0]) => new Safe(renderInlines(xs, opts));
    const cells = (row: Inline[][]) => row.map((c) => ({ html: inl(c), numeric: NUMERIC_CELL.test(inlineText(c).trim()) }));
    let figures = 0;
    let tables = 0;
    const views = blocks.map((b, i) => {
      const id = sectionIds.get(i);
      switch (b.type) {
        case 'heading':
          return { type: b.type, id, level: b.level, tag: Math.min(b.level + 1, 6), number: plain(b.number), html: inl(b.content) };
        case 'paragraph':
          return { type: b.type, id, lead: b.lead && b.lead.length ? inl(b.lead) : undefined, html: inl(b.content) };
        case 'quote':
          return { type: b.type, paragraphs: b.paragraphs.map(inl) };
        case 'list':
          return { type: b.type, ordered: b.ordered, items: b.items.map(inl) };
        case 'figure': {
          const image = s.figureImages?.get(b);
          return {
            type: b.type,
            id: `fig-${++figures}`,
            label: plain(blockLabel(s.labels.figure, figures, layout)),
            src: image && `${IMAGE_FOLDER}/${image.name}`,
            width: image?.width,
            height: image?.height,
            alt: b.alt,
            caption: b.caption && b.caption.length ? inl(b.caption) : undefined,
            credit: plain(b.credit),
          };
        }
        case 'table':
          return {
            type: b.type,
            id: `tab-${++tables}`,
            label: plain(blockLabel(s.labels.table, tables, layout)),
            caption: b.caption && b.caption.length ? inl(b.caption) : undefined,
            header: b.header && cells(b.header),
            rows: b.rows.map(cells),
          };
        default:
          return { type: b.type, html: inl(b.content) };
      }
    });
    return new Safe(env.render('epub/blocks', { blocks: views }));
  };

  const page = (doc: EpubDocument, body: string, bodyClass: string) =>
    withoutNumericReferences(
      env.render('epub/page.xhtml', { lang: s.lang, title: doc.title, bodyClass, body: new Safe(body) }),
    );

  const out = new Map<string, string>();
  for (const doc of contents.documents) {
    switch (doc.kind) {
      case 'cover':
        out.set(doc.file, page(doc, env.render('epub/cover.xhtml', { image: s.coverImage, alt: book.title }), 'cover-page'));
        break;
      case 'title':
        out.set(
          doc.file,
          page(
            doc,
            env.render('epub/title.xhtml', {
              title: plain(book.title),
              subtitle: plain(book.subtitle),
              creator: plain(s.creator),
              publisher: plain(book.publisher),
              date: plain(chineseDate(book.date)),
              credits: (book.credits ?? []).map((c) => plain(c)),
              colophon: [
                { label: s.labels.edition, value: plain(s.editionLabel) },
                { label: s.labels.identifier, value: s.identifier },
              ],
            }),
            'title-page',
          ),
        );
        break;
      case 'part':
        out.set(doc.file, page(doc, env.render('epub/part.xhtml', { title: plain(doc.part.title) }), 'part-page'));
        break;
      case 'matter': {
        const notes = doc.matter.notes ?? [];
        const numbers = new Map(notes.map((n, i) => [n.id, i + 1]));
        const opts: InlineOptions = { vertical: s.vertical, noteNumber: (id) => numbers.get(id), called: new Set() };
        const blocks = blocksMarkup(doc.matter.blocks, doc.sectionIds, opts);
        const body = env.render('epub/matter.xhtml', {
          title: plain(doc.matter.title),
          epubType: doc.side === 'front' ? 'frontmatter' : 'backmatter',
          blocks,
          notes: noteViews(notes, opts),
        });
        out.set(doc.file, page(doc, body, 'matter-page'));
        break;
      }
      case 'speech':
        out.set(doc.file, page(doc, speechBody(doc.speech, doc.sectionIds), 'speech-page'));
        break;
      case 'index':
        out.set(doc.file, page(doc, indexBody(), 'index-page'));
        break;
    }
  }
  return out;

  function speechBody(speech: Speech, sectionIds: Map<number, string>): string {
    const notes = speech.notes ?? [];
    const numbers = new Map(notes.map((n, i) => [n.id, i + 1]));
    const opts: InlineOptions = { vertical: s.vertical, noteNumber: (id) => numbers.get(id), called: new Set() };
    const blocks = blocksMarkup(speech.blocks, sectionIds, opts);
    return env.render('epub/speech.xhtml', {
      title: plain(speech.title),
      subtitle: plain(speech.subtitle),
      speaker: plain(speech.speaker?.name),
      role: plain(speech.speaker?.role),
      date: speech.date ? plain(chineseDate(speech.date)) : undefined,
      // Where it was given: the occasion, else the venue.
      occasion: plain(speech.occasion ?? speech.venue),
      blocks,
      notes: noteViews(notes, opts),
    });
  }

  /** Notes after their section, each mark linking back to its first call (when it has one). */
  function noteViews(notes: readonly { content: Inline[] }[], opts: InlineOptions) {
    const called = new Set(opts.called);
    return notes.map((n, i) => ({
      number: i + 1,
      mark: noteMark(i + 1),
      backlink: called.has(i + 1),
      html: new Safe(renderInlines(n.content, { ...opts, called: undefined })),
    }));
  }

  function indexBody(): string {
    const speeches = contents.documents.flatMap((d) => (d.kind === 'speech' ? [{ speech: d.speech, href: d.file }] : []));
    const collator = new Intl.Collator(book.lang === 'zh-Hant' ? 'zh-TW-u-co-stroke' : 'zh-CN-u-co-pinyin');
    const byDate = [...speeches].sort(
      (a, b) => (a.speech.date ?? '9999').localeCompare(b.speech.date ?? '9999') || a.href.localeCompare(b.href),
    );
    const speakers = new Map<string, typeof speeches>();
    for (const x of speeches) {
      const name = x.speech.speaker?.name ?? '';
      speakers.set(name, [...(speakers.get(name) ?? []), x]);
    }
    const bySpeaker = [...speakers.keys()]
      .sort((a, b) => (a === '' ? 1 : b === '' ? -1 : collator.compare(a, b)))
      .map((name) => ({
        speaker: plain(name || s.labels.unknownSpeaker),
        speeches: speakers.get(name)!.map((x) => ({
          href: x.href,
          title: plain(x.speech.title),
          date: x.speech.date ? plain(chineseDate(x.speech.date)) : undefined,
        })),
      }));
    return env.render('epub/index.xhtml', {
      title: plain(s.labels.index),
      byDateTitle: s.labels.byDate,
      bySpeakerTitle: s.labels.bySpeaker,
      byDate: byDate.map((x) => ({
        href: x.href,
        title: plain(x.speech.title),
        speaker: plain(x.speech.speaker?.name),
        date: plain(x.speech.date ? chineseDate(x.speech.date) : s.labels.unknownDate),
      })),
      bySpeaker,
    });
  }
}

