/**
 * The EPUB 3 navigation document (nested table of contents + landmarks) and the EPUB 2
 * toc.ncx that older reading systems still use; both from the same NavEntry tree.
 */
import type { TemplateEnv } from '../../render/templates.ts';
import type { Labels } from '../../model/labels.ts';
import { COVER_FILE, NAV_FILE, type EpubContents, type NavEntry } from './contents.ts';
import { withoutNumericReferences } from './xhtml.ts';

export function navDepth(entries: readonly NavEntry[]): number {
  return entries.reduce((d, e) => Math.max(d, 1 + navDepth(e.children)), 0);
}

export function renderNav(env: TemplateEnv, contents: EpubContents, labels: Labels, lang: string): string {
  const Safe = env.handlebars.SafeString;
  const list = (entries: readonly NavEntry[]): InstanceType<typeof Safe> =>
    new Safe(
      env.render('epub/nav-list', {
        entries: entries.map((e) => ({ href: e.href, label: e.label, children: e.children.length ? list(e.children) : undefined })),
      }),
    );
  const body = env.render('epub/nav.xhtml', {
    tocTitle: labels.toc,
    landmarksTitle: labels.landmarks,
    list: list(contents.nav),
    landmarks: [
      { type: 'cover', href: COVER_FILE, label: labels.cover },
      { type: 'toc', href: `${NAV_FILE}#toc`, label: labels.toc },
      { type: 'bodymatter', href: contents.bodyStart, label: labels.bodyStart },
    ],
  });
  return withoutNumericReferences(
    env.render('epub/page.xhtml', { lang, title: labels.toc, bodyClass: 'toc-page', body: new Safe(body) }),
  );
}

export function renderNcx(
  env: TemplateEnv,
  contents: EpubContents,
  meta: { lang: string; identifier: string; title: string; creator?: string },
): string {
  const Safe = env.handlebars.SafeString;
  let order = 0;
  const points = (entries: readonly NavEntry[]): InstanceType<typeof Safe> =>
    new Safe(
      env.render('epub/ncx-points', {
        // playOrder follows document order: a parent before its children.
        points: entries.map((e) => {
          const o = ++order;
          return { order: o, label: e.label, href: e.href, children: e.children.length ? points(e.children) : undefined };
        }),
      }),
    );
  return withoutNumericReferences(
    env.render('epub/toc.ncx', { ...meta, depth: Math.max(1, navDepth(contents.nav)), points: points(contents.nav) }),
  );
}
