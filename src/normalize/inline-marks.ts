/**
 * Emphasis and strong runs of HTML and Word text, carried through the normaliser as marks in
 * the text (private-use characters no page contains), and turned into Inline content once
 * the paragraph's punctuation is repaired. Block quotes and lists travel as a container.
 */
import type { Inline } from '../model/speech.ts';
import { inlineText, text } from '../model/speech.ts';

/**
 * Opening and closing mark of each inline kind. Ruby marks its base; its annotations, and the
 * ids of note references (a mark of no width), travel beside the text in order (InlineExtras).
 */
export const INLINE_MARKS = { strong: ['\uE000', '\uE001'], emphasis: ['\uE002', '\uE003'], ruby: ['\uE004', '\uE005'], noteRef: '\uE006' } as const;

const ANY_MARK = /[\uE000-\uE006]/gu;

/** What the marks of a line refer to, in the order they occur. */
export interface InlineExtras {
  /** One per ruby mark pair: the annotation over its base. */
  annotations?: string[];
  /** One per note reference mark: the note's id. */
  noteIds?: string[];
}

/** The block quote or list (ul, ol) a block of HTML or Word stands in; `group` tells one from the next. */
export interface Container {
  kind: 'quote' | 'ul' | 'ol';
  group: number;
}

export function stripMarks(s: string): string {
  return s.replace(ANY_MARK, '');
}

/**
 * Where each character of `plain` went in `repaired` (the same text after punctuation repair):
 * the same place when the repair kept the length, else the length of the repaired prefix.
 */
function positionMap(plain: string, repaired: string, repair: (s: string) => string): (i: number) => number {
  if (plain.length === repaired.length) return (i) => i;
  return (i) => Math.min(repaired.length, repair(plain.slice(0, i)).length);
}

/**
 * Inline content of a repaired paragraph from its marked source: `marked` is the cleaned line
 * with marks, `repaired` the repaired plain text. Undefined when the marks cannot be placed
 * (the line was changed otherwise) or mark nothing.
 */
export function inlinesFromMarked(marked: string, plain: string, repaired: string, repair: (s: string) => string, extras: InlineExtras = {}): Inline[] | undefined {
  if (stripMarks(marked) !== plain) return undefined;
  const at = positionMap(plain, repaired, repair);
  const root: Inline[] = [];
  const stack: { kind: 'strong' | 'emphasis' | 'ruby' | 'root'; children: Inline[] }[] = [{ kind: 'root', children: root }];
  let annotation = 0;
  let note = 0;
  // A ruby cut by another mark's end keeps its base as plain content.
  const closeFrame = (f: (typeof stack)[number]) => {
    if (!f.children.length) return;
    const parent = stack[stack.length - 1]!.children;
    if (f.kind === 'ruby' || f.kind === 'root') parent.push(...f.children);
    else parent.push({ type: f.kind, children: f.children });
  };
  let plainPos = 0;
  let outPos = 0;
  const emit = (upTo: number) => {
    const end = at(upTo);
    if (end > outPos) stack[stack.length - 1]!.children.push(text(repaired.slice(outPos, end)));
    outPos = Math.max(outPos, end);
  };
  for (const ch of marked) {
    if (ch === INLINE_MARKS.noteRef) {
      emit(plainPos);
      const id = extras.noteIds?.[note++];
      if (id !== undefined) stack[stack.length - 1]!.children.push({ type: 'noteRef', id });
      continue;
    }
    if (ch === INLINE_MARKS.ruby[0]) {
      emit(plainPos);
      stack.push({ kind: 'ruby', children: [] });
      continue;
    }
    if (ch === INLINE_MARKS.ruby[1]) {
      emit(plainPos);
      const k = stack.length - 1;
      if (stack[k]!.kind !== 'ruby') continue;
      const f = stack.pop()!;
      const base = inlineText(f.children);
      const over = extras.annotations?.[annotation++];
      stack[stack.length - 1]!.children.push(...(base && over ? [{ type: 'ruby' as const, base, annotation: over }] : f.children));
      continue;
    }
    const kind = ch === INLINE_MARKS.strong[0] || ch === INLINE_MARKS.strong[1] ? 'strong' : ch === INLINE_MARKS.emphasis[0] || ch === INLINE_MARKS.emphasis[1] ? 'emphasis' : undefined;
    if (!kind) {
      plainPos += ch.length;
      continue;
    }
    emit(plainPos);
    const opening = ch === INLINE_MARKS.strong[0] || ch === INLINE_MARKS.emphasis[0];
    if (opening) stack.push({ kind, children: [] });
    else {
      let k = stack.length - 1;
      while (k > 0 && stack[k]!.kind !== kind) k--;
      if (k <= 0) continue;
      while (stack.length > k) {
        const f = stack.pop()!;
        closeFrame(f);
      }
    }
  }
  emit(plain.length);
  if (outPos < repaired.length) stack[stack.length - 1]!.children.push(text(repaired.slice(outPos)));
  while (stack.length > 1) {
    const f = stack.pop()!;
    closeFrame(f);
  }
  const marksSomething = root.some((n) => n.type !== 'text');
  // A paragraph bold or italic throughout is a styled block, not a marked phrase.
  const whole = root.length === 1 && (root[0]!.type === 'strong' || root[0]!.type === 'emphasis');
  return marksSomething && !whole ? root : undefined;
}

/** `inlines` without their first `n` characters of text (a run-in lead set apart). */
export function dropLeadingText(inlines: Inline[], n: number): Inline[] {
  const out: Inline[] = [];
  let skip = n;
  for (const node of inlines) {
    if (skip <= 0) {
      out.push(node);
      continue;
    }
    if (node.type === 'text') {
      if (node.text.length > skip) out.push(text(node.text.slice(skip)));
      skip -= Math.min(skip, node.text.length);
    } else if (node.type === 'strong' || node.type === 'emphasis') {
      const len = inlineText(node.children).length;
      if (len > skip) out.push({ ...node, children: dropLeadingText(node.children, skip) });
      skip -= Math.min(skip, len);
    } else out.push(node);
  }
  return out;
}
