/**
 * Words a publication supplies itself — headings, colophon terms, placeholders for what the
 * sources do not say — in each script. The one table for print, EPUB and the part titles
 * the book assembles (a test fails if another table of these words appears).
 *
 * Plain words only: how a layout spaces them (目　录, 编　　者) is the renderer's choice.
 */
import type { Edition } from './book.ts';
import type { Lang } from './speech.ts';

export interface Labels {
  /** The table of contents. */
  toc: string;
  /** EPUB landmarks navigation. */
  landmarks: string;
  cover: string;
  /** Where the body of the book starts (EPUB landmark). */
  bodyStart: string;
  /** The index of speeches and its two lists. */
  index: string;
  byDate: string;
  bySpeaker: string;
  /** Colophon terms. */
  editor: string;
  publisher: string;
  edition: string;
  date: string;
  /** The editor's book number (an ISBN or the like). */
  bookNumber: string;
  /** The EPUB's publication identifier (given or derived from the content). */
  identifier: string;
  credits: string;
  /** After the editor's name on the title page: 某某 编. */
  edited: string;
  /** A speech without a date or a speaker: in indexes and as the title of the part they go to. */
  unknownDate: string;
  unknownSpeaker: string;
  /** Words of an edition's default name in the colophon (简体竖排本, 臺灣繁體直排電子書). */
  simplified: string;
  traditional: string;
  taiwan: string;
  hongKong: string;
  horizontal: string;
  vertical: string;
  printCopy: string;
  ebook: string;
  handout: string;
  /** Before a figure's number in its caption (图1), a table's (表1), and over a speech's notes. */
  figure: string;
  table: string;
  notes: string;
  /** After the number of a table continued in the next column or page: 表二（续）. */
  continued: string;
  reading: string;
  /** The folio of a reading copy: 第 N 页 共 M 页. */
  page: string;
}

export const LABELS: Readonly<Record<Lang, Readonly<Labels>>> = {
  'zh-Hans': {
    toc: '目录',
    landmarks: '导览',
    cover: '封面',
    bodyStart: '正文',
    index: '讲话索引',
    byDate: '按日期',
    bySpeaker: '按讲话人',
    editor: '编者',
    publisher: '出版',
    edition: '版本',
    date: '日期',
    bookNumber: '书号',
    identifier: '标识符',
    credits: '文本来源',
    edited: '编',
    unknownDate: '日期不详',
    unknownSpeaker: '讲话人不详',
    simplified: '简体',
    traditional: '繁体',
    taiwan: '台湾',
    hongKong: '香港',
    horizontal: '横排',
    vertical: '竖排',
    printCopy: '本',
    ebook: '电子书',
    handout: '讲话材料',
    figure: '图',
    table: '表',
    notes: '注释',
    continued: '续',
    reading: '诵读本',
    page: '页',
  },
  'zh-Hant': {
    toc: '目錄',
    landmarks: '導覽',
    cover: '封面',
    bodyStart: '正文',
    index: '講話索引',
    byDate: '按日期',
    bySpeaker: '按講話人',
    editor: '編者',
    publisher: '出版',
    edition: '版本',
    date: '日期',
    bookNumber: '書號',
    identifier: '標識符',
    credits: '文本來源',
    edited: '編',
    unknownDate: '日期不詳',
    unknownSpeaker: '講話人不詳',
    simplified: '簡體',
    traditional: '繁體',
    taiwan: '臺灣',
    hongKong: '香港',
    horizontal: '橫排',
    vertical: '直排',
    printCopy: '本',
    ebook: '電子書',
    handout: '講話材料',
    figure: '圖',
    table: '表',
    notes: '註釋',
    continued: '續',
    reading: '誦讀本',
    page: '頁',
  },
};

/**
 * What the colophon calls an edition: the editor's `label`, or one made from its script,
 * layout and kind in the edition's own script (简体竖排本, 臺灣繁體直排本, 简体横排电子书).
 * Never the edition's internal name, which names a file.
 */
export function editionLabel(edition: Pick<Edition, 'label' | 'script' | 'layout' | 'preset'>, lang: Lang): string {
  if (edition.label) return edition.label;
  const l = LABELS[lang];
  const region = edition.script === 'tw' ? l.taiwan : edition.script === 'hk' ? l.hongKong : '';
  const script = lang === 'zh-Hans' ? l.simplified : l.traditional;
  const kind = edition.preset === 'ebook' ? l.ebook : edition.preset === 'handout' ? l.handout : edition.preset === 'reading' ? l.reading : l.printCopy;
  return `${region}${script}${edition.layout === 'vertical' ? l.vertical : l.horizontal}${kind}`;
}
