import type { Child } from 'hono/jsx';
import { ja } from './lang.tsx';
import { messages, type Lang } from './messages.ts';

export interface Crumb {
  href?: string;
  label: string;
  /** The label is a Japanese name (a plan's, a KPI's): marked lang="ja" on English pages. */
  ja?: boolean;
}

/**
 * The trail as shown: a crumb whose label the next one repeats (職員ページ › 職員ページ, a plan's
 * name and its overview page) is dropped, so the trail ends on the page itself, once.
 */
export const crumbTrail = (crumbs: Crumb[]): Crumb[] => crumbs.filter((c, i) => crumbs[i + 1]?.label !== c.label);

/** A link that keeps the reader's language. */
export const href = (path: string, lang: Lang) => (lang === 'ja' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);

/**
 * `bilingual`: the page also exists in the other language (public pages), so the header links to it.
 * `head`: what a page adds to <head> (the disaster app's manifest, map styles and scripts).
 */
export function Layout(props: {
  lang: Lang;
  title: string;
  path: string;
  crumbs?: Crumb[];
  bilingual?: boolean;
  head?: Child;
  children: Child;
}) {
  const m = messages[props.lang];
  const other: Lang = props.lang === 'ja' ? 'en' : 'ja';
  const trail = crumbTrail(props.crumbs ?? []);
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} | ${m.siteName}`}</title>
        <link rel="stylesheet" href="/assets/tokens.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        {props.head}
      </head>
      <body>
        <a class="skip" href="#main">
          {m.skip}
        </a>
        <header class="site-header">
          <div class="wrap">
            <a class="site-name" href={href('/', props.lang)}>
              {m.siteName}
            </a>
            {props.bilingual && (
              <a class="lang" href={href(props.path, other)} lang={other} hreflang={other}>
                {m.language}
              </a>
            )}
          </div>
        </header>
        {trail.length > 0 && (
          <nav class="wrap crumbs" aria-label={m.breadcrumb}>
            <ol>
              {trail.map((c, i) => (
                <li>
                  {c.href && i < trail.length - 1 ? (
                    <a href={href(c.href, props.lang)} lang={c.ja ? ja(props.lang) : undefined}>
                      {c.label}
                    </a>
                  ) : (
                    <span aria-current="page" lang={c.ja ? ja(props.lang) : undefined}>
                      {c.label}
                    </span>
                  )}
                </li>
              ))}
            </ol>
          </nav>
        )}
        <main id="main" class="wrap">
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{m.footerNote}</p>
            <p>
              <a href="/api/v1/plans">API</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A chart and the same numbers as a table, so the figure is readable without seeing it. */
export function Figure(props: { id: string; caption: string; svg: string; tableLabel: string; children: Child }) {
  return (
    <figure class="chart" aria-labelledby={`${props.id}-caption`}>
      <figcaption id={`${props.id}-caption`}>{props.caption}</figcaption>
      <div class="chart-svg" dangerouslySetInnerHTML={{ __html: props.svg }} />
      <details>
        <summary>{props.tableLabel}</summary>
        {props.children}
      </details>
    </figure>
  );
}

/** A table that may be wider than a phone: it scrolls, and the scroll area can be reached by keyboard. */
export function TableScroll(props: { label: string; children: Child }) {
  return (
    <div class="table-scroll" role="region" aria-label={props.label} tabindex={0}>
      {props.children}
    </div>
  );
}
