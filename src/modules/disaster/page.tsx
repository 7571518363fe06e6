// The frame of every public あおもり防災アプリ page: the layout with the app's manifest (installable),
// its own navigation, and a short public cache (the same page for everyone; ETags from the map data).
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { securityHeaders } from '../../platform/http.ts';
import { Layout, type Crumb } from '../../web/layout.tsx';

export const sections = [
  { href: '/disaster', label: '防災マップ' },
  { href: '/disaster/alerts', label: '警報・避難情報' },
  { href: '/disaster/my-area', label: 'マイエリア' },
] as const;

export interface PageOptions {
  crumbs?: Crumb[];
  /** More for <head>: map styles and scripts. */
  head?: Child;
  status?: 200 | 400 | 404 | 413 | 422 | 429;
  /** Seconds a shared cache may keep it (default 60); 0 for no-store. */
  maxAge?: number;
  /** The page's Content-Security-Policy, when it needs more than our own scripts (the map: `mapCsp`). */
  csp?: string;
}

/** Our own scripts only (the service worker, the save button): never inline, never from elsewhere. */
export const pageCsp = securityHeaders['content-security-policy'].replace("script-src 'none'", "script-src 'self'");

export async function disasterPage(c: Context, title: string, body: Child, o: PageOptions = {}) {
  const crumbs =
    o.crumbs ?? (c.req.path === '/disaster' ? [{ label: '防災マップ' }] : [{ href: '/disaster', label: '防災マップ' }, { label: title }]);
  const doc = (
    <Layout
      lang="ja"
      title={title}
      path={c.req.path}
      crumbs={crumbs}
      head={
        <>
          <link rel="manifest" href="/disaster/manifest.webmanifest" />
          <meta name="theme-color" content="#00118f" />
          <script src="/assets/disaster-offline.js" defer></script>
          {/* マイエリア: its page's controls, and on every page the push subscription renewed when the app opens. */}
          <script src="/assets/disaster-my-area.js" defer></script>
          {o.head}
        </>
      }
    >
      <nav class="disaster-nav" aria-label="防災アプリ">
        <ul>
          {sections.map((s) => (
            <li>
              <a href={s.href} aria-current={c.req.path === s.href ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {body}
    </Layout>
  );
  c.header('content-security-policy', o.csp ?? pageCsp);
  c.header('Cache-Control', o.maxAge === 0 ? 'no-store' : `public, max-age=${o.maxAge ?? 60}`);
  return c.html(`<!DOCTYPE html>${await doc.toString()}`, o.status ?? 200);
}
