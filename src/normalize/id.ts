/** Speech ids and file names: stable, derived from what the speech is, never from the clock. */
import { createHash } from 'node:crypto';

function shortHash(s: string, length: number): string {
  return createHash('sha1').update(s, 'utf8').digest('hex').slice(0, length);
}

/**
 * A stable ASCII id: `2024-03-19-1a2b3c` (date + hash of title and speaker), or
 * `undated-1a2b3c4d` when the date is unknown. The same speech gives the same id.
 */
export function speechId(title: string, speakerName: string | undefined, date: string | null): string {
  const key = `${title}\u0000${speakerName ?? ''}`;
  return date ? `${date}-${shortHash(key, 6)}` : `undated-${shortHash(key, 8)}`;
}

/** Characters that no file system or shell likes in a name. */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\s　]+/g;

/** Markdown file name from date and title: 2024-03-19-在兰州新区高新技术企业座谈会上的讲话.md */
export function speechFileName(title: string, date: string | null, id: string): string {
  const clean = [...title.replace(UNSAFE, '').replace(/^[.-]+/, '')].slice(0, 60).join('');
  const stem = clean || id;
  return `${date ?? 'undated'}-${stem}.md`;
}
