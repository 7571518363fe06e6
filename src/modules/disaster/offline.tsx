// The installable app and its offline side: the web app manifest, the service worker (its code is
// src/web/assets/disaster-sw.js) and the page it shows for a page not saved on the device.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { securityHeaders } from '../../platform/http.ts';
import { disasterPage } from './page.tsx';

// The worker's scope is /disaster (no trailing slash) so that the start URL /disaster is in it; a
// script under /disaster/ may only claim that wider scope with Service-Worker-Allowed.
export const APP_SCOPE = '/disaster';
const worker = readFileSync(new URL('../../web/assets/disaster-sw.js', import.meta.url), 'utf8');

const manifest = JSON.stringify({
  name: 'あおもり防災アプリ',
  short_name: 'あおもり防災',
  description: '青森県の避難場所・避難所、警報・避難情報。保存した市町村は電波がなくても見られます。',
  lang: 'ja',
  dir: 'ltr',
  start_url: '/disaster',
  scope: APP_SCOPE,
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#00118f',
  icons: [
    { src: '/assets/disaster-icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any maskable' },
    { src: '/assets/disaster-icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
    { src: '/assets/disaster-icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
  ],
});

export function offlineRoutes() {
  const app = new Hono();
  app.get('/disaster/manifest.webmanifest', (c) => {
    c.header('Content-Type', 'application/manifest+json');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(manifest);
  });
  app.get('/disaster/sw.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    // Browsers check for a new worker at every navigation; always revalidated, never stale.
    c.header('Cache-Control', 'no-cache');
    c.header('Service-Worker-Allowed', APP_SCOPE);
    // A worker's own CSP governs its importScripts (the push handlers) and fetches.
    c.header('content-security-policy', securityHeaders['content-security-policy'].replace("script-src 'none'", "script-src 'self'"));
    return c.body(worker);
  });
  app.get('/disaster/offline', (c) =>
    disasterPage(
      c,
      'オフラインです',
      <>
        <h1>オフラインです</h1>
        <p>電波が届かないため、このページを表示できません。このページはこの端末に保存されていません。</p>
        <p>電波が届く所で、もう一度お試しください。「この市町村を保存」で保存した市町村のページは、電波がなくても見られます。</p>
        <section class="saved-packs" data-saved-packs aria-labelledby="saved-packs-title" hidden>
          <h2 id="saved-packs-title">保存した市町村</h2>
          <ul></ul>
        </section>
      </>,
      { crumbs: [{ label: 'オフラインです' }], maxAge: 3600 },
    ),
  );
  return app;
}
