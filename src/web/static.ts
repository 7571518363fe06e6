// Static assets, read once at start and served from memory. No CDN: this must work offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);

const assets: Record<string, { body: string; type: string }> = {
  'tokens.css': {
    body: readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8'),
    type: 'text/css; charset=utf-8',
  },
  'app.css': { body: readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8'), type: 'text/css; charset=utf-8' },
};

export function staticRoutes() {
  const app = new Hono();
  app.get('/assets/:name', (c) => {
    const asset = assets[c.req.param('name')];
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(asset.body);
  });
  return app;
}
