import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { staticRoutes } from './static.ts';

describe('static assets', () => {
  const app = staticRoutes();
  it('serves the favicon as SVG, also where browsers ask for /favicon.ico', async () => {
    const svg = await app.request('/assets/favicon.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg /);
    const ico = await app.request('/favicon.ico');
    expect(ico.status).toBe(301);
    expect(ico.headers.get('location')).toBe('/assets/favicon.svg');
  });
  it("serves the passkey scripts from here (no CDN): the library's browser bundle and ours", async () => {
    const lib = await app.request('/assets/simplewebauthn-browser.js');
    expect(lib.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await lib.text()).toContain('SimpleWebAuthnBrowser');
    expect(await (await app.request('/assets/passkeys.js')).text()).toContain('startRegistration');
  });
  it("serves the disaster app's icons byte for byte (PNG is binary) and its page script", async () => {
    const png = await app.request('/assets/disaster-icon-192.png');
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect(bytes).toEqual(new Uint8Array(readFileSync(new URL('./assets/disaster-icon-192.png', import.meta.url))));
    expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(await (await app.request('/assets/disaster-offline.js')).text()).toContain("register('/disaster/sw.js'");
  });
  it('answers 404 for names that are not assets, prototype names included', async () => {
    for (const name of ['nope.css', 'constructor', '__proto__', 'toString'])
      expect((await app.request(`/assets/${name}`)).status).toBe(404);
  });
});
