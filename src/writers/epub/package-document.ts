/**
 * Package metadata and the package document (content.opf): identifier, dates, creators,
 * language, accessibility metadata, manifest and spine.
 */
import { createHash } from 'node:crypto';
import type { Book, Edition } from '../../model/book.ts';
import type { TemplateEnv } from '../../render/templates.ts';
import { withoutNumericReferences } from './xhtml.ts';

export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties?: string;
}

export interface PackageMetadata {
  identifier: string;
  title: string;
  subtitle?: string;
  creators: { name: string; role: 'aut' | 'edt' }[];
  language: string;
  /** YYYY-MM-DD */
  date: string;
  publisher?: string;
  /** CCYY-MM-DDThh:mm:ssZ */
  modified: string;
  vertical: boolean;
}

/**
 * The publication's identifier: the editor's (an ISBN becomes urn:isbn:…), else a UUID
 * derived from the book's content and the edition, so a rebuild keeps it and another
 * edition of the same book gets its own.
 */
export function publicationIdentifier(book: Book, edition: Edition): string {
  const given = book.identifier?.trim();
  if (given) {
    const digits = given.replace(/^(urn:)?isbn:?\s*/i, '').replace(/[-\s]/g, '');
    if (/^(97[89]\d{10}|\d{9}[\dXx])$/.test(digits)) return `urn:isbn:${digits.toUpperCase()}`;
    return given;
  }
  const hash = createHash('sha256')
    .update(JSON.stringify({ book: { ...book, cover: undefined }, layout: edition.layout, script: edition.script, name: edition.name }))
    .digest();
  // RFC 4122 name-based layout (version 5 bits, variant 10xx) over the content hash.
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** dcterms:modified wants whole seconds in UTC: 2024-03-19T00:00:00Z. */
export function modifiedStamp(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Accessibility metadata (EPUB Accessibility 1.1 / schema.org). */
export function accessibilityMetadata(summary: string): { property: string; value: string }[] {
  return [
    { property: 'accessMode', value: 'textual' },
    { property: 'accessMode', value: 'visual' },
    { property: 'accessModeSufficient', value: 'textual' },
    { property: 'accessibilityFeature', value: 'structuralNavigation' },
    { property: 'accessibilityFeature', value: 'tableOfContents' },
    { property: 'accessibilityFeature', value: 'readingOrder' },
    { property: 'accessibilityFeature', value: 'alternativeText' },
    { property: 'accessibilityFeature', value: 'displayTransformability' },
    { property: 'accessibilityHazard', value: 'none' },
    { property: 'accessibilitySummary', value: summary },
  ];
}

export function accessibilitySummary(vertical: boolean, hant: boolean): string {
  if (hant) {
    return vertical
      ? '本書為可重排的文字內容，豎排，從右至左翻頁；目錄與各篇章節可導覽，封面圖片附有替代文字；無閃爍、聲音或動態內容。'
      : '本書為可重排的文字內容，橫排；目錄與各篇章節可導覽，封面圖片附有替代文字；無閃爍、聲音或動態內容。';
  }
  return vertical
    ? '本书为可重排的文字内容，竖排，从右至左翻页；目录与各篇章节可导航，封面图片附有替代文字；无闪烁、声音或动态内容。'
    : '本书为可重排的文字内容，横排；目录与各篇章节可导航，封面图片附有替代文字；无闪烁、声音或动态内容。';
}

export function renderPackageDocument(
  env: TemplateEnv,
  meta: PackageMetadata,
  manifest: ManifestItem[],
  spine: string[],
  summary: string,
): string {
  return withoutNumericReferences(
    env.render('epub/package.opf', { ...meta, accessibility: accessibilityMetadata(summary), manifest, spine }),
  );
}
