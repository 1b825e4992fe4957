/**
 * The contract between the print templates (templates/*.hbs, a theme's overrides) and the
 * code that reads the rendered page back: the PDF engines, the chunking of long books, the
 * outline and the preview. A theme may change any markup and style as long as it keeps what
 * is listed here; README.md ("Themes") documents it for theme authors.
 *
 * Selectors are strings so that they can be handed to code running in the browser page.
 */
export const TEMPLATE_CONTRACT = {
  /**
   * A speech, matter section, contents, index or section heading that gets a PDF bookmark
   * (and, under Paged.js, sets the running head): an element with an id and
   * data-bookmark-level="1|2", titled by data-bookmark-title.
   */
  bookmark: '[data-bookmark-level][id]',
  bookmarkLevelAttribute: 'data-bookmark-level',
  bookmarkTitleAttribute: 'data-bookmark-title',
  /** An element that opens on a recto (right-hand, odd) page; a long book is split only before one. */
  recto: '[data-recto][id]',
  rectoAttribute: 'data-recto',
  /**
   * A page number in the contents or the index: the engine writes the page where the
   * element whose id is data-target starts. The template must reserve its room (a fixed
   * inline-size), since the number is filled in after layout.
   */
  tocPage: 'span.toc-page[data-target]',
  /** Top-level elements of a speech and of front/back matter (Paged.js's page rules name them). */
  speechClass: 'speech',
  matterClass: 'matter',
  /** A page left blank on purpose (styled in book.css as a page of its own). */
  blankPageClass: 'blank-page',
} as const;

export type TemplateContract = typeof TEMPLATE_CONTRACT;
