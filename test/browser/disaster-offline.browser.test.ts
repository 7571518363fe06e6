// あおもり防災アプリ offline (issue 13, point 4): save a municipality's pack with 「この市町村を保存」, cut
// the network, and the municipality page (its list), its shelters' pages and the map page still open
// from the device; a page not saved shows the Japanese offline page; back online, a changed pack
// (new ETag) is saved again when the app opens. axe 0 and the 390 px layout throughout.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectPhoneLayout, phoneViewport } from './chromium.ts';
import { openSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let context: BrowserContext;
beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  context = await browser.newContext({ viewport: phoneViewport, isMobile: true });
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.close();
});

/** disaster-map.js exposes its map on the box (box.map). */
type MapBox = HTMLElement & { map: { getSource(id: string): { getData(): Promise<{ features: unknown[] }> } | undefined } };

const CODE = '02201'; // 青森市
const saved = /^保存済み・\d+\.\dMB・\d{1,2}月\d{1,2}日\d{1,2}時更新$/;
const savedVersion = (page: Page) =>
  page.evaluate(async (code) => {
    const res = await (await caches.open(`disaster-pack-${code}`)).match(`/disaster/municipalities/${code}/pack`);
    return res ? ((await res.json()) as { version: string }).version : null;
  }, CODE);

async function check(page: Page, what: string) {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
}

describe('disaster app offline', () => {
  let shelterPath = '';

  it('installs: the manifest names the app, its start URL is in the service worker scope; the worker is never cached stale', async () => {
    const manifest = await (await fetch(`${t.url}/disaster/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ name: 'あおもり防災アプリ', start_url: '/disaster', scope: '/disaster', lang: 'ja' });
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const res = await fetch(`${t.url}${icon.src}`);
      expect([res.status, res.headers.get('content-type')]).toEqual([200, icon.type]);
    }
    const sw = await fetch(`${t.url}/disaster/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('service-worker-allowed')).toBe('/disaster');
    // Its own CSP governs importScripts of the push handlers.
    expect(sw.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('「この市町村を保存」 saves the pack and shows its size and age', async () => {
    const page = await context.newPage();
    await page.goto(`${t.url}/disaster/municipalities/${CODE}`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const status = page.locator('.save-pack [role="status"]');
    await expect.poll(() => status.innerText()).toBe('この端末にはまだ保存されていません。');
    await check(page, 'municipality page before saving');
    await page.getByRole('button', { name: 'この市町村を保存' }).click();
    await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(saved);
    await check(page, 'municipality page, saved');
    shelterPath = (await page.locator('.shelter-list a').first().getAttribute('href'))!;
    await page.close();
  }, 90_000);

  it('with the network cut, the municipality page, a shelter page and the map page open from the device', async () => {
    await context.setOffline(true);
    const page = await context.newPage();
    // A phone evicts its HTTP cache when it likes: only what the worker saved may count.
    await (await context.newCDPSession(page)).send('Network.clearBrowserCache');
    try {
      const list = await page.goto(`${t.url}/disaster/municipalities/${CODE}`);
      expect(list?.fromServiceWorker()).toBe(true);
      expect(await page.locator('h1').innerText()).toBe('青森市の避難場所・避難所');
      expect(await page.locator('.shelter-list li').count()).toBeGreaterThan(100);
      // Its styles and scripts came from the device too: the script shows what is saved.
      await expect.poll(() => page.locator('.save-pack [role="status"]').innerText()).toMatch(saved);
      await check(page, 'municipality page offline');
      await page.reload();
      expect(await page.locator('.shelter-list li').count()).toBeGreaterThan(100);
      // The map too: MapLibre's module and its worker (which no page names) and the boundary came from the pack.
      await page.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state, null, { timeout: 30_000 });
      const failure = await page.locator('#disaster-map').getAttribute('data-error');
      expect(await page.locator('#disaster-map').getAttribute('data-state'), failure ?? '').toBe('ready');
      expect(await page.locator('#disaster-map canvas.maplibregl-canvas').isVisible()).toBe(true);
      const boundary = await page.evaluate(async () => {
        const map = (document.getElementById('disaster-map') as MapBox).map;
        return (await map.getSource('boundaries')!.getData()).features.length;
      });
      expect(boundary).toBe(1);

      const shelter = await page.goto(`${t.url}${shelterPath}`);
      expect(shelter?.fromServiceWorker()).toBe(true);
      expect(await page.locator('.shelter-facts').isVisible()).toBe(true);
      await check(page, 'shelter page offline');

      await page.goto(`${t.url}/disaster`);
      expect(await page.locator('.municipality-list li').count()).toBe(40);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('a page not saved shows the Japanese offline page, with the saved municipalities', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${t.url}/disaster/municipalities/02202`);
      expect(await page.locator('h1').innerText()).toBe('オフラインです');
      await expect
        .poll(() => page.locator('[data-saved-packs] li').allInnerTexts())
        .toEqual([expect.stringMatching(/^青森市（保存済み・/)]);
      await check(page, 'offline page');
    } finally {
      await page.close();
      await context.setOffline(false);
    }
  }, 60_000);

  it('back online, opening the app saves a changed pack again (new ETag), so the shelter page shows the change offline', async () => {
    const page = await context.newPage();
    const before = await (async () => {
      await page.goto(`${t.url}/disaster/offline`);
      return savedVersion(page);
    })();
    const slug = shelterPath.split('/').pop()!;
    const data = await t.disaster.queries.map();
    await t.broker.commands.update('', data.shelters.get(slug)!.id, { occupancy: { type: 'Property', value: 37 } });
    await page.close();
    // A new tab is a new visit: the page asks the worker to bring saved packs up to date.
    const next = await context.newPage();
    try {
      await next.goto(`${t.url}/disaster`);
      await expect.poll(() => savedVersion(next), { timeout: 60_000 }).not.toBe(before);
      await context.setOffline(true);
      await next.goto(`${t.url}${shelterPath}`);
      expect(await next.locator('.shelter-facts').innerText()).toContain('37人/－人');
    } finally {
      await next.close();
      await context.setOffline(false);
    }
  }, 90_000);
});
