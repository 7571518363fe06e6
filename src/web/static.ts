// Static assets, read once at start and served from memory. No CDN: this must work offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);

const assets: Record<string, { body: string; type: string }> = {
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
  'favicon.svg': { body: readFileSync(new URL('./assets/favicon.svg', import.meta.url), 'utf8'), type: 'image/svg+xml' },
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
