/**
 * Script conversion for traditional (tw, hk) and simplified (hans) editions.
 *
 * Every text of the book goes through one text converter per edition (convert-text.ts):
 * protected spans (URLs, Latin words, the editor's protected terms) are kept; the rest is
 * converted by opencc-js (s2tw, s2hk, or tw2s for a mainland edition of a traditional
 * source) with the built-in overrides (overrides.ts), then the editor's replacements, then
 * the edition's quote style (quotes.ts). A text already in the target script keeps its
 * characters: only quotes and replacements apply.
 */
import { SCRIPTS, type Book, type MatterSection, type Script } from '../../model/book.ts';
import { WenjiError } from '../../model/diagnostics.ts';
import { blockText, mapSpeechText, type Lang, type Speech } from '../../model/speech.ts';
import { ambiguousCharacters } from './ambiguous-characters.ts';
import { createTextConverter, type TextConverter } from './convert-text.ts';
import { openccPipeline } from './opencc-pipeline.ts';
import { builtInOverrides } from './overrides.ts';
import { toCornerQuotes, toCurlyQuotes } from './quotes.ts';
import { createWordConverter } from './word-conversion.ts';
import { buildConversionReport, type ConversionReport, type ConvertedRun } from './report.ts';
import { detectScript } from './script-detection.ts';
import { EMPTY_DICTIONARY, loadUserDictionary, replacementsFor, type UserDictionary } from './user-dictionary.ts';

export type { AmbiguousOccurrence, ConversionReport, ConvertedRun, ReportFormatOptions } from './report.ts';
export { buildConversionReport, formatConversionReport } from './report.ts';
export { BUILT_IN_OVERRIDES } from './overrides.ts';
export { loadUserDictionary, parseUserDictionary, type UserDictionary } from './user-dictionary.ts';
export { detectScript } from './script-detection.ts';

export interface ScriptOptions {
  /** User dictionary file (protect / replace terms). */
  dictionary?: string;
}

/** Valid values of --script / `script:`. */
export const SCRIPT_VALUES: readonly Script[] = SCRIPTS;

/** Checks a script name from the command line or a config file (`where` names it). */
export function parseScript(name: string, where?: string, line?: number): Script {
  if ((SCRIPT_VALUES as readonly string[]).includes(name)) return name as Script;
  throw new WenjiError(
    `unknown script "${name}"; use one of: ${SCRIPT_VALUES.join(', ')} (source keeps each speech's own script)`,
    where,
    line,
  );
}

/** The language a book or speech has once converted to `script`. */
export function scriptLang(script: Exclude<Script, 'source'>): Lang {
  return script === 'hans' ? 'zh-Hans' : 'zh-Hant';
}

/**
 * A text converter for one edition and one source script. Built-in opencc pipelines are
 * cached per process, so creating converters is cheap after the first.
 */
export function createScriptConverter(
  script: Exclude<Script, 'source'>,
  sourceLang: Lang,
  dictionary: UserDictionary = EMPTY_DICTIONARY,
): TextConverter {
  const changesCharacters = sourceLang !== scriptLang(script);
  let opencc;
  if (changesCharacters) {
    const pipeline = openccPipeline(script, () => (script === 'hans' ? new Map() : builtInOverrides(script)));
    const ambiguous = ambiguousCharacters(script);
    // Simplified text is converted word by word; traditional → simplified needs no segmentation.
    const words = script === 'hans' ? undefined : createWordConverter(pipeline, (c) => ambiguous.has(c));
    opencc = { pipeline, ambiguous, words };
  }
  return createTextConverter({
    opencc,
    protect: dictionary.protect,
    replace: replacementsFor(dictionary, script),
    quotes: script === 'hans' ? toCurlyQuotes : toCornerQuotes,
  });
}

/** Converts every text of the book; returns it unchanged for 'source'. Pure apart from reading the dictionary. */
export async function convertBook(
  book: Book,
  script: Script,
  options: ScriptOptions = {},
): Promise<{ book: Book; report: ConversionReport }> {
  if (script === 'source') return { book, report: { ambiguous: [], script } };
  const dictionary = options.dictionary ? await loadUserDictionary(options.dictionary) : EMPTY_DICTIONARY;
  const target = scriptLang(script);
  const converters = new Map<Lang, TextConverter>();
  const converterFor = (lang: Lang) => {
    let c = converters.get(lang);
    if (!c) converters.set(lang, (c = createScriptConverter(script, lang, dictionary)));
    return c;
  };
  const runs: ConvertedRun[] = [];
  const keptScript: string[] = [];
  /** A text function for one speech or section that records what it converted. */
  const textFn = (id: string, sourceLang: Lang, names: readonly string[] = []) => {
    if (sourceLang === target) keptScript.push(id);
    const converter = converterFor(sourceLang);
    return (t: string) => {
      const r = converter.convert(t, names);
      if (r.hits.length > 0) runs.push({ speechId: id, text: r.text, hits: r.hits });
      return r.text;
    };
  };

  // The book's own texts (title, editor, parts, matter) are judged together.
  const bookText = [book.title, book.subtitle, book.editor, book.publisher, ...(book.credits ?? [])]
    .concat(book.parts.map((p) => p.title), book.frontMatter.concat(book.backMatter).map(matterText))
    .filter(Boolean)
    .join('\n');
  const bookLang = detectScript(bookText) ?? book.lang;
  const bookFn = textFn('book', bookLang);
  const opt = (v: string | undefined) => (v === undefined ? undefined : bookFn(v));
  const convertMatter = (m: MatterSection): MatterSection => {
    const fn = textFn(m.id, detectScript(matterText(m)) ?? bookLang);
    const carrier: Speech = { id: '', title: '', speaker: null, date: null, source: { file: '' }, lang: 'zh-Hans', blocks: m.blocks, ...(m.notes ? { notes: m.notes } : {}) };
    const mapped = mapSpeechText(carrier, fn);
    return { ...m, title: fn(m.title), blocks: mapped.blocks, ...(m.notes ? { notes: mapped.notes } : {}) };
  };

  const converted: Book = {
    ...book,
    title: bookFn(book.title),
    subtitle: opt(book.subtitle),
    editor: opt(book.editor),
    publisher: opt(book.publisher),
    credits: book.credits?.map(bookFn),
    lang: target,
    frontMatter: book.frontMatter.map(convertMatter),
    parts: book.parts.map((part) => ({
      ...part,
      title: opt(part.title),
      speeches: part.speeches.map((s) => ({
        // The speaker's name, wherever it appears in the speech, is converted as a name.
        ...mapSpeechText(s, textFn(s.id, speechLang(s), s.speaker?.name ? [s.speaker.name] : [])),
        lang: target,
      })),
    })),
    backMatter: book.backMatter.map(convertMatter),
  };
  return { book: converted, report: buildConversionReport(script, runs, keptScript) };
}

/** A speech's script: what its text shows, else its language tag. */
function speechLang(s: Speech): Lang {
  const text = [s.title, s.subtitle ?? '', ...s.blocks.map(blockText)].join('\n');
  return detectScript(text) ?? s.lang;
}

function matterText(m: MatterSection): string {
  return [m.title, ...m.blocks.map(blockText)].join('\n');
}

