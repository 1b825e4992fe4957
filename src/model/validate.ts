/**
 * Runtime validation of the speech model, for anything that did not come from our own
 * type-checked code: Markdown front matter, JSON files, caches. One clear error naming the
 * file and the field (blocks[3].content[0].text) instead of a crash deep in a writer.
 */
import { WenjiError } from './diagnostics.ts';
import type { Block, Inline, Speech } from './speech.ts';
import { rubyRuleProblem } from './ruby.ts';

type Obj = Record<string, unknown>;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Why a YYYY-MM-DD string is not a day of the calendar (2024-02-30), or undefined when it is
 * one (or is not shaped YYYY-MM-DD at all: callers say that in their own words).
 */
export function calendarProblem(iso: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `${iso} is not a day of the calendar (there is no month ${month})`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${iso} is not a day of the calendar (${MONTHS[month - 1]} ${year} has ${days} days)`;
  return undefined;
}

class Checker {
  constructor(readonly file: string) {}

  fail(path: string, what: string, line?: number): never {
    throw new WenjiError(`invalid speech: ${path} ${what}`, this.file, line);
  }

  obj(v: unknown, path: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'must be an object');
    return v as Obj;
  }

  str(v: unknown, path: string, { nonEmpty = false } = {}): string {
    if (typeof v !== 'string') this.fail(path, 'must be text');
    if (nonEmpty && !v.trim()) this.fail(path, 'must not be empty');
    return v;
  }

  optStr(o: Obj, key: string, path: string): void {
    if (o[key] !== undefined) this.str(o[key], `${path}.${key}`);
  }

  arr(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'must be a list');
    return v;
  }

  isoDate(v: unknown, path: string): void {
    const s = this.str(v, path);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || calendarProblem(s)) this.fail(path, `must be a date YYYY-MM-DD, not "${s}"`);
  }

  inlines(v: unknown, path: string): void {
    this.arr(v, path).forEach((n, i) => this.inline(n, `${path}[${i}]`));
  }

  inline(v: unknown, path: string): asserts v is Inline {
    const o = this.obj(v, path);
    switch (o.type) {
      case 'text':
        this.str(o.text, `${path}.text`);
        return;
      case 'emphasis':
      case 'strong':
        this.inlines(o.children, `${path}.children`);
        return;
      case 'noteRef':
        this.str(o.id, `${path}.id`, { nonEmpty: true });
        return;
      case 'ruby':
        this.str(o.base, `${path}.base`, { nonEmpty: true });
        this.str(o.annotation, `${path}.annotation`, { nonEmpty: true });
        return;
      default:
        this.fail(`${path}.type`, `must be text, emphasis, strong, noteRef or ruby, not ${JSON.stringify(o.type)}`);
    }
  }

  block(v: unknown, path: string): asserts v is Block {
    const o = this.obj(v, path);
    if (o.pos !== undefined) {
      const p = this.obj(o.pos, `${path}.pos`);
      if (!Number.isInteger(p.line) || (p.line as number) < 1) this.fail(`${path}.pos.line`, 'must be a line number');
    }
    switch (o.type) {
      case 'heading':
        if (![1, 2, 3, 4].includes(o.level as number)) this.fail(`${path}.level`, 'must be 1, 2, 3 or 4');
        this.optStr(o, 'number', path);
        this.inlines(o.content, `${path}.content`);
        return;
      case 'paragraph':
        if (o.lead !== undefined) this.inlines(o.lead, `${path}.lead`);
        this.inlines(o.content, `${path}.content`);
        return;
      case 'salutation':
      case 'closing':
      case 'note':
        this.inlines(o.content, `${path}.content`);
        return;
      case 'quote':
        this.arr(o.paragraphs, `${path}.paragraphs`).forEach((p, i) => this.inlines(p, `${path}.paragraphs[${i}]`));
        return;
      case 'list':
        if (typeof o.ordered !== 'boolean') this.fail(`${path}.ordered`, 'must be true or false');
        this.arr(o.items, `${path}.items`).forEach((p, i) => this.inlines(p, `${path}.items[${i}]`));
        return;
      case 'figure': {
        const img = this.obj(o.image, `${path}.image`);
        const src = this.str(img.src, `${path}.image.src`, { nonEmpty: true });
        if (/^[a-z][a-z0-9+.-]*:/i.test(src) && !/^[a-z]:[\\/]/i.test(src)) this.fail(`${path}.image.src`, `must be a local file, not ${src}`);
        this.optStr(img, 'data', `${path}.image`);
        this.optStr(img, 'mediaType', `${path}.image`);
        this.str(o.alt, `${path}.alt`);
        if (o.caption !== undefined) this.inlines(o.caption, `${path}.caption`);
        this.optStr(o, 'credit', path);
        return;
      }
      case 'table': {
        if (o.caption !== undefined) this.inlines(o.caption, `${path}.caption`);
        const row = (r: unknown, p: string) => this.arr(r, p).forEach((c, j) => this.inlines(c, `${p}[${j}]`));
        if (o.header !== undefined) row(o.header, `${path}.header`);
        const rows = this.arr(o.rows, `${path}.rows`);
        rows.forEach((r, i) => row(r, `${path}.rows[${i}]`));
        if (!rows.length && o.header === undefined) this.fail(`${path}.rows`, 'must hold at least one row');
        return;
      }
      default:
        this.fail(
          `${path}.type`,
          `must be heading, paragraph, salutation, closing, quote, list, note, figure or table, not ${JSON.stringify(o.type)}`,
        );
    }
  }
}

/** Checks that `value` is a well-formed Speech and returns it typed; throws WenjiError otherwise. */
export function validateSpeech(value: unknown, file: string): Speech {
  const c = new Checker(file);
  const s = c.obj(value, 'speech');
  const id = c.str(s.id, 'id', { nonEmpty: true });
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) c.fail('id', `must be ASCII letters, digits, . _ - (got "${id}")`);
  c.str(s.title, 'title', { nonEmpty: true });
  c.optStr(s, 'subtitle', 'speech');
  if (s.speaker !== null) {
    const sp = c.obj(s.speaker, 'speaker');
    // A role alone is allowed (秘书长联合国日献词 names no one); a speaker with neither is not.
    c.optStr(sp, 'name', 'speaker');
    c.optStr(sp, 'role', 'speaker');
    if (sp.name === undefined) c.str(sp.role, 'speaker.role', { nonEmpty: true });
  }
  if (s.date !== null) c.isoDate(s.date, 'date');
  for (const k of ['dateText', 'occasion', 'venue']) c.optStr(s, k, 'speech');
  const src = c.obj(s.source, 'source');
  c.str(src.file, 'source.file');
  for (const k of ['url', 'site']) c.optStr(src, k, 'source');
  if (src.published !== undefined) c.isoDate(src.published, 'source.published');
  if (s.lang !== 'zh-Hans' && s.lang !== 'zh-Hant') c.fail('lang', `must be zh-Hans or zh-Hant, not ${JSON.stringify(s.lang)}`);
  c.arr(s.blocks, 'blocks').forEach((b, i) => c.block(b, `blocks[${i}]`));
  if (s.notes !== undefined) {
    c.arr(s.notes, 'notes').forEach((n, i) => {
      const o = c.obj(n, `notes[${i}]`);
      c.str(o.id, `notes[${i}].id`, { nonEmpty: true });
      c.inlines(o.content, `notes[${i}].content`);
    });
  }
  if (s.ruby !== undefined) {
    const rules = c.obj(s.ruby, 'ruby');
    for (const [word, rule] of Object.entries(rules)) {
      const problem = rubyRuleProblem(word, rule);
      if (problem) c.fail(`ruby.${word}`, problem);
    }
  }
  return value as Speech;
}
