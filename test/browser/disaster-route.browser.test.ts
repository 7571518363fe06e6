// The route page in Chromium (issue 13 point 8, "shown on the map and as steps"): the line on the
// MapLibre map (its source holds the route API's geometry and the line layer is drawn), the steps as a
// list; without JavaScript the steps and the server's SVG sketch. axe 0 and no overflow at 390 px.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp } from '../db.ts';
import { roadBeside } from '../disaster-road.ts';
import { expectAccessible, expectPhoneLayout, launchChromium, phoneViewport } from './chromium.ts';
import { closeSuite, type ServedApp } from './suite.ts';

type Feature = { geometry: { type: string; coordinates: unknown } };
/** disaster-map.js exposes its map on the box (box.map), as the page's other scripts use it. */
type MapBox = HTMLElement & {
  map: {
    getSource(id: string): { getData(): Promise<{ features: Feature[] }> } | undefined;
    queryRenderedFeatures(o: { layers: string[] }): unknown[];
  };
};

let browser: Browser;
let t: ServedApp;
let query = '';
beforeAll(async () => {
  t = await serveTestApp();
  await t.broker.loadDefaultData();
  const data = await t.disaster.queries.map();
  const target = data.byMunicipality.get('02201')!.find((s) => s.kind === 'emergency' && s.hazards.includes('tsunami'))!;
  const [lon, lat] = target.coordinates;
  // A road beside the shelter, so the way is along the network (more than the two ends).
  await t.broker.commands.put('', roadBeside('02201-browser-1', target.coordinates));
  query = `from=${lon + 0.0004},${lat}&hazard=tsunami`;
  browser = await launchChromium();
}, 120_000);
afterAll(() => closeSuite(browser, t));

describe('route page in Chromium', () => {
  it('draws the route on the map: the source holds the API line, start and shelter; the layer is rendered; axe 0, 390 px', async () => {
    const context = await browser.newContext({ viewport: phoneViewport, isMobile: true });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${t.url}/disaster/route?${query}`);
      await page.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state, null, { timeout: 60_000 });
      expect(await page.locator('#disaster-map').getAttribute('data-state'), errors.join('\n')).toBe('ready');
      expect(await page.locator('#disaster-map canvas.maplibregl-canvas').isVisible()).toBe(true);

      const api = (await (await fetch(`${t.url}/api/v1/disaster/route?${query}`)).json()) as { mode: string; line: Feature };
      expect(api.mode).toBe('network');
      const line = api.line.geometry.coordinates as number[][];
      expect(line.length).toBeGreaterThan(2);
      const onMap = await page.evaluate(async () => {
        const map = (document.getElementById('disaster-map') as MapBox).map;
        return (await map.getSource('route')!.getData()).features.map((f) => f.geometry);
      });
      expect(onMap).toEqual([
        { type: 'LineString', coordinates: line },
        { type: 'Point', coordinates: line[0] },
        { type: 'Point', coordinates: line.at(-1) },
      ]);
      // Drawn, not only loaded: the line and both ends are on the canvas.
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              (document.getElementById('disaster-map') as MapBox).map.queryRenderedFeatures({ layers: ['route-line', 'route-ends'] })
                .length,
          ),
        )
        .toBeGreaterThanOrEqual(3);
      // The steps stay as a list; the sketch gives way to the map.
      expect(await page.locator('.route-steps li').count()).toBe(3);
      expect(await page.locator('.route-sketch').isVisible()).toBe(false);
      await expectPhoneLayout(page, 'route page with its map');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('without JavaScript: the steps and the sketch of the line, no map box', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${t.url}/disaster/route?${query}`);
      expect(await page.locator('.route-steps li').count()).toBe(3);
      expect(await page.locator('#disaster-map').isHidden()).toBe(true);
      expect(await page.locator('.route-sketch').isVisible()).toBe(true);
      expect((await page.locator('.route-sketch polyline').getAttribute('points'))!.split(' ').length).toBeGreaterThan(2);
      // axe itself needs JavaScript: the page's accessibility is checked with it above (the sketch is aria-hidden).
      await expectPhoneLayout(page, 'route page without JavaScript');
    } finally {
      await context.close();
    }
  }, 60_000);
});
