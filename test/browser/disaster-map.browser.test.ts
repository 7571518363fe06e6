// The disaster map in Chromium (issue 13, "Done when"): open /disaster, filter by hazard, open a
// municipality and a shelter; the map starts (WebGL through SwiftShader) and without WebGL the lists
// are the page; axe 0 and no horizontal overflow at 390 px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp } from '../db.ts';
import { expectAccessible, expectPhoneLayout, launchChromium } from './chromium.ts';
import { closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
beforeAll(async () => {
  t = await serveTestApp();
  await t.broker.loadDefaultData();
  browser = await launchChromium(); // Chromium falls back to SwiftShader for WebGL without a GPU
}, 120_000);
afterAll(() => closeSuite(browser, t));

async function phone(
  run: (page: Page, errors: string[]) => Promise<void>,
  o: { webgl?: boolean; at?: { longitude: number; latitude: number } } = {},
) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    ...(o.at ? { geolocation: o.at, permissions: ['geolocation'] } : {}),
  });
  // A phone without WebGL: every canvas refuses a WebGL context, as such a browser does.
  if (o.webgl === false)
    await context.addInitScript(() => {
      const own = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
        return kind.startsWith('webgl') || kind === 'experimental-webgl' ? null : own.call(this, kind, ...(rest as []));
      } as typeof own;
    });
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await run(page, errors);
  } finally {
    await context.close();
  }
}

const mapState = (page: Page) => page.locator('#disaster-map').getAttribute('data-state');

describe('disaster map in Chromium', () => {
  it('/disaster → hazard filter → a municipality → a shelter, the map drawn on a canvas; axe 0, 390 px', async () => {
    await phone(async (page, errors) => {
      await page.goto(`${t.url}/disaster`);
      await page.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state, null, { timeout: 60_000 });
      expect(await mapState(page), errors.join('\n')).toBe('ready');
      expect(await page.locator('#disaster-map canvas.maplibregl-canvas').count()).toBe(1);
      await expectPhoneLayout(page, '/disaster');
      await expectAccessible(page);

      // Filtering without a reload changes the map's data: the page's address follows.
      await page.selectOption('#filter-hazard', 'tsunami');
      await page.waitForURL(/\/disaster\?hazard=tsunami$/);
      // Submitting the form (as without JavaScript) narrows the counts and links.
      await page.click('form[data-filter] button[type=submit]');
      await page.waitForURL(/\/disaster\?hazard=tsunami$/);
      await page.click('a[href="/disaster/municipalities/02201?hazard=tsunami"]');
      await page.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state, null, { timeout: 60_000 });
      expect(await mapState(page), errors.join('\n')).toBe('ready');
      const hazards = await page.locator('.shelter-list > li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.hazards));
      expect(hazards.length).toBeGreaterThan(0);
      expect(hazards.every((h) => h!.split(' ').includes('tsunami'))).toBe(true);
      await expectPhoneLayout(page, 'a municipality');
      await expectAccessible(page);

      // The kind filter applied in place hides the other kind from the list.
      await page.selectOption('#filter-kind', 'evacuation');
      await page.waitForURL(/kind=evacuation/);
      expect(await page.locator('.shelter-list > li[data-kind=emergency]:visible').count()).toBe(0);

      await page.selectOption('#filter-kind', '');
      await page.locator('.shelter-list > li a').first().click();
      await page.waitForURL(/\/disaster\/shelters\//);
      expect(await page.locator('dl.shelter-facts').count()).toBe(1);
      expect(await page.locator('h1').textContent()).toBeTruthy();
      expect(await page.locator('dt').allTextContents()).toContain('避難者数/収容人数');
      await expectPhoneLayout(page, 'a shelter');
      await expectAccessible(page);
    });
  }, 180_000);

  it('without WebGL the map box stays hidden and the list is the page', async () => {
    await phone(
      async (page) => {
        await page.goto(`${t.url}/disaster/municipalities/02201`);
        await page.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state, null, { timeout: 60_000 });
        expect(await mapState(page)).toBe('failed');
        expect(await page.locator('#disaster-map').isHidden()).toBe(true);
        expect(await page.locator('.shelter-list > li').count()).toBeGreaterThan(100);
        await expectPhoneLayout(page, 'a municipality without WebGL');
        await expectAccessible(page);
      },
      { webgl: false },
    );
  }, 120_000);

  it('near me: a typed postal code lists shelters; axe 0, 390 px', async () => {
    await phone(async (page) => {
      await page.goto(`${t.url}/disaster/near`);
      await page.fill('#near-postal', '030-0801');
      await page.click('#near-postal ~ button');
      await page.waitForURL(/postal=030-0801/);
      expect(await page.locator('.shelter-list > li').count()).toBeGreaterThan(0);
      await expectPhoneLayout(page, '/disaster/near');
      await expectAccessible(page);
    });
  }, 60_000);

  it('near me: 「現在地から探す」 takes the browser location to the nearest shelters, with distances', async () => {
    await phone(
      async (page) => {
        await page.goto(`${t.url}/disaster/near`);
        await page.click('[data-locate] button');
        await page.waitForURL(/\/disaster\/near\?near=140\.74000,40\.82440$/);
        expect(await page.locator('.shelter-list > li').count()).toBe(10);
        expect(await page.locator('.shelter-list > li a').first().getAttribute('href')).toMatch(/\?from=140\.74,40\.8244$/);
        await expectAccessible(page);
      },
      { at: { longitude: 140.74, latitude: 40.8244 } },
    );
  }, 60_000);
});
