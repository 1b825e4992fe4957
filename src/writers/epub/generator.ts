/**
 * epub-gen-memory is the EPUB generator: it lays out the container (mimetype,
 * META-INF/container.xml, OEBPS/) and stores the package document, navigation, chapters,
 * stylesheet, fonts and cover. We hand it finished documents rendered from our own
 * Handlebars templates instead of its EJS ones, because as it comes it:
 * - re-serialises chapter HTML through dom-serializer, turning every CJK character into
 *   &#x…; (2.5× larger) and dropping attributes it does not know: so each chapter's
 *   finished XHTML goes in a field of its own and the chapter template only prints it;
 * - hard-codes xml:lang="en", a random uuid, dcterms:modified = now, a flat TOC, no
 *   landmarks: so content.opf, toc.xhtml and toc.ncx are ours too (same pass-through);
 * - fetches fonts by URL (node-fetch 2: http or file:// only): our fonts are subset in
 *   memory, so downloadAllFonts is overridden to store them directly;
 * - zips with the clock's dates: so we take its files, not its zip, and zip.ts re-zips them.
 */
import { File } from 'node:buffer';
import { EPub, type Options } from 'epub-gen-memory';
import type { CoverImage } from './cover.ts';
import type { EmbeddedFont } from './fonts.ts';

export interface FinishedEpub {
  packageDocument: string;
  navDocument: string;
  ncx: string;
  css: string;
  /** Chapters in reading order: file name (ASCII, *.xhtml) and finished XHTML. */
  chapters: { filename: string; title: string; xhtml: string }[];
  fonts: EmbeddedFont[];
  cover: CoverImage;
  title: string;
  lang: string;
  /** ISO date for the generator's own bookkeeping (not written: our templates carry the dates). */
  date: string;
}

// EJS templates that print finished content handed over in options / chapter fields.
const PASS_THROUGH = {
  contentOPF: '<%- wenjiPackageDocument %>',
  tocXHTML: '<%- wenjiNavDocument %>',
  tocNCX: '<%- wenjiNcx %>',
  chapterXHTML: '<%- wenjiXhtml %>',
};

class WenjiEPub extends EPub {
  constructor(
    options: ConstructorParameters<typeof EPub>[0],
    content: ConstructorParameters<typeof EPub>[1],
    private readonly embeddedFonts: EmbeddedFont[],
  ) {
    super(options, content);
  }

  protected override async downloadAllFonts(): Promise<void> {
    if (this.embeddedFonts.length === 0) return;
    const dir = this.zip.folder('OEBPS')!.folder('fonts')!;
    for (const f of this.embeddedFonts) dir.file(f.filename, f.data);
  }

  /** Every file the generator produced, by path, as bytes. */
  async files(): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const [name, entry] of Object.entries(this.zip.files)) {
      if (!entry.dir) out.set(name, await entry.async('uint8array'));
    }
    return out;
  }
}

/** Runs epub-gen-memory over finished documents; returns the EPUB's files by path. */
export async function generateEpubFiles(finished: FinishedEpub): Promise<Map<string, Uint8Array>> {
  const options = {
    title: finished.title,
    lang: finished.lang,
    date: finished.date,
    css: finished.css,
    ...PASS_THROUGH,
    // The cover is in memory: the generator accepts a File and stores it as OEBPS/cover.<ext>.
    // (Node's File; the generator's typings name the DOM one, which is the same at runtime.)
    cover: new File([finished.cover.data], finished.cover.filename, { type: finished.cover.mediaType }) as unknown as Options['cover'],
    verbose: false,
    wenjiPackageDocument: finished.packageDocument,
    wenjiNavDocument: finished.navDocument,
    wenjiNcx: finished.ncx,
  };
  const chapters = finished.chapters.map((c) => ({
    title: c.title,
    filename: c.filename,
    // The generator parses `content` (and would fetch any <img> in it); ours is in wenjiXhtml.
    content: '',
    wenjiXhtml: c.xhtml,
  }));
  const epub = new WenjiEPub(options, chapters, finished.fonts);
  await epub.render();
  return epub.files();
}
