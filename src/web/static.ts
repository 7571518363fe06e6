// Static assets, read once at start and served from memory. No CDN: this must work offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);

const js = 'text/javascript; charset=utf-8';

const assets: Record<string, { body: string | Uint8Array<ArrayBuffer>; type: string }> = {
  'tokens.css': {
    body: readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8'),
    type: 'text/css; charset=utf-8',
  },
  'app.css': { body: readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8'), type: 'text/css; charset=utf-8' },
  // マイページ's passkey ceremonies: the library's browser bundle (global SimpleWebAuthnBrowser), then ours.
  'simplewebauthn-browser.js': {
    body: readFileSync(new URL('../dist/bundle/index.umd.min.js', pathToFileURL(require.resolve('@simplewebauthn/browser'))), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
  'disaster-my-area.js': {
    body: readFileSync(new URL('./assets/disaster-my-area.js', import.meta.url), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
  'disaster-push-sw.js': {
    body: readFileSync(new URL('./assets/disaster-push-sw.js', import.meta.url), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
  'passkeys.js': { body: readFileSync(new URL('./assets/passkeys.js', import.meta.url), 'utf8'), type: 'text/javascript; charset=utf-8' },
  'disaster-alerts.css': {
    body: readFileSync(new URL('./assets/disaster-alerts.css', import.meta.url), 'utf8'),
    type: 'text/css; charset=utf-8',
  },
  // The disaster map (MapLibre GL JS, its worker beside it where it looks by default, and pmtiles for a
  // PMTiles base map, whose one bare import is pointed at our copy of fflate: no import map, no CDN).
  'maplibre-gl.mjs': { body: readFileSync(require.resolve('maplibre-gl/dist/maplibre-gl.mjs'), 'utf8'), type: js },
  'maplibre-gl-worker.mjs': { body: readFileSync(require.resolve('maplibre-gl/dist/maplibre-gl-worker.mjs'), 'utf8'), type: js },
  'maplibre-gl.css': { body: readFileSync(require.resolve('maplibre-gl/dist/maplibre-gl.css'), 'utf8'), type: 'text/css; charset=utf-8' },
  'pmtiles.mjs': {
    body: readFileSync(new URL('../esm/index.js', pathToFileURL(require.resolve('pmtiles'))), 'utf8').replaceAll(
      'from"fflate"',
      'from"/assets/fflate.mjs"',
    ),
    type: js,
  },
  'fflate.mjs': { body: readFileSync(new URL('../esm/browser.js', pathToFileURL(require.resolve('fflate'))), 'utf8'), type: js },
  'disaster-map.js': { body: readFileSync(new URL('./assets/disaster-map.js', import.meta.url), 'utf8'), type: js },
  'disaster-draw.js': { body: readFileSync(new URL('./assets/disaster-draw.js', import.meta.url), 'utf8'), type: js },
  'disaster-near.js': { body: readFileSync(new URL('./assets/disaster-near.js', import.meta.url), 'utf8'), type: js },
  'disaster-route.js': {
    body: readFileSync(new URL('./assets/disaster-route.js', import.meta.url), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
  // 写真投稿: the form's offline queue (IndexedDB through idb's ES module).
  'disaster-dashboard.js': { body: readFileSync(new URL('./assets/disaster-dashboard.js', import.meta.url), 'utf8'), type: js },
  'disaster-reports.js': { body: readFileSync(new URL('./assets/disaster-reports.js', import.meta.url), 'utf8'), type: js },
  // The disaster forms' shared offline queue; 避難所の受付: the QR reader (jsQR's UMD build sets window.jsQR) and the reception's offline queue.
  'disaster-queue.js': { body: readFileSync(new URL('./assets/disaster-queue.js', import.meta.url), 'utf8'), type: js },
  'jsqr.js': { body: readFileSync(require.resolve('jsqr'), 'utf8'), type: js },
  'disaster-reception.js': { body: readFileSync(new URL('./assets/disaster-reception.js', import.meta.url), 'utf8'), type: js },
  'disaster-my-areas.js': { body: readFileSync(new URL('./assets/disaster-my-areas.js', import.meta.url), 'utf8'), type: js },
  'idb.mjs': { body: readFileSync(new URL('./index.js', pathToFileURL(require.resolve('idb'))), 'utf8'), type: js },
  'favicon.svg': { body: readFileSync(new URL('./assets/favicon.svg', import.meta.url), 'utf8'), type: 'image/svg+xml' },
  // あおもり防災アプリ: its pages' script (service worker, 「この市町村を保存」) and the installed app's icons.
  'disaster-offline.js': {
    body: readFileSync(new URL('./assets/disaster-offline.js', import.meta.url), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
  'disaster-icon.svg': { body: readFileSync(new URL('./assets/disaster-icon.svg', import.meta.url), 'utf8'), type: 'image/svg+xml' },
  'disaster-icon-192.png': {
    body: new Uint8Array(readFileSync(new URL('./assets/disaster-icon-192.png', import.meta.url))),
    type: 'image/png',
  },
  'disaster-icon-512.png': {
    body: new Uint8Array(readFileSync(new URL('./assets/disaster-icon-512.png', import.meta.url))),
    type: 'image/png',
  },
};

export function staticRoutes() {
  const app = new Hono();
  // Browsers ask for /favicon.ico whatever the page links; the SVG answers there too.
  app.get('/favicon.ico', (c) => c.redirect('/assets/favicon.svg', 301));
  app.get('/assets/:name', (c) => {
    const asset = Object.hasOwn(assets, c.req.param('name')) ? assets[c.req.param('name')] : undefined;
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(asset.body);
  });
  return app;
}
