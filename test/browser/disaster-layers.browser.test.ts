// A municipality's layers and a route in Chromium: 青森市's editor uploads the AED list (CP932, as
// Excel saves it) and a road network, checks the preview and imports them; the public layer API
// shows them; the route page finds the way on that road. axe 0 and no overflow at 390 px.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shelter } from '../../src/modules/disaster/index.ts';
import { encodeCp932 } from '../cp932.ts';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, phonePage, municipalityEditor, type ServedApp, type StaffAccount } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let target: Shelter;
let account: StaffAccount;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/disaster/${name}`, import.meta.url), 'utf8');

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  account = await municipalityEditor(t, 'aomori@example.jp');
  const data = await t.disaster.queries.map();
  target = data.byMunicipality.get('02201')!.find((s) => s.kind === 'emergency' && s.hazards.includes('tsunami'))!;
});
afterAll(() => closeSuite(browser, t));

const phone = () => phonePage(browser);

describe("municipalities' layers and routes in Chromium", () => {
  it('imports the AED list with a preview, then the road network; the public layer API shows them', async () => {
    const page = await phone();
    await signInStaff(page, t.url, account);
    await page.goto(`${t.url}/staff/disaster/layers`);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the layer import form');
    await page.getByLabel('レイヤー').selectOption('aed');
    await page
      .getByLabel(/^ファイル/)
      .setInputFiles({ name: 'aed.csv', mimeType: 'text/csv', buffer: Buffer.from(encodeCp932(fixture('aed.csv'))) });
    await page.getByRole('button', { name: '読み込んで確認する' }).click();
    expect(await page.locator('h2').first().innerText()).toBe('確認: 青森市のAED（3件）');
    expect(await page.getByRole('region', { name: '最初の行' }).innerText()).toContain('テスト市民センター');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the preview');
    await page.getByRole('button', { name: 'この内容で取り込む' }).click();
    expect(await page.getByRole('status').innerText()).toBe('取り込みました（3件）。');

    // A road from beside the shelter to it (GeoJSON written for this test, in the layout of roads.geojson).
    const [lon, lat] = target.coordinates;
    const road = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'テスト通り' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [lon + 0.0005, lat + 0.0002],
              [lon, lat + 0.0002],
            ],
          },
        },
      ],
    };
    await page.getByLabel('レイヤー').selectOption('roads');
    await page
      .getByLabel(/^ファイル/)
      .setInputFiles({ name: 'roads.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(road)) });
    await page.getByRole('button', { name: '読み込んで確認する' }).click();
    await page.getByRole('button', { name: 'この内容で取り込む' }).click();
    expect(await page.getByRole('status').innerText()).toBe('取り込みました（1件）。');

    const aeds = (await (await fetch(`${t.url}/api/v1/disaster/layers/aed?municipality=02201`)).json()) as {
      features: { properties: { name: string } }[];
    };
    expect(aeds.features.map((f) => f.properties.name)).toEqual(['テスト市民センター', 'テスト体育館', 'テスト図書館']);
  });

  it('the route page: typed coordinates without JavaScript give the steps on the road; with it, the line is drawn', async () => {
    const from = `${(target.coordinates[0] + 0.0004).toFixed(6)},${target.coordinates[1].toFixed(6)}`;
    const noJs = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })).newPage();
    await noJs.goto(`${t.url}/disaster/route`);
    await noJs.getByLabel('出発地点（経度,緯度）').fill(from);
    await noJs.getByLabel('災害の種類').selectOption('tsunami');
    await noJs.getByRole('button', { name: '道順を調べる' }).click();
    const steps = await noJs.locator('.route-steps li').allInnerTexts();
    expect(steps[1]).toMatch(/^テスト通りを西へ/);
    expect(await noJs.locator('#route-result').innerText()).toContain(target.name);

    const page = await phone();
    await page.goto(`${t.url}/disaster/route?from=${from}&hazard=tsunami`);
    // The line is drawn on the map (disaster-route.browser.test.ts checks its geometry).
    await page.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state === 'ready', null, { timeout: 60_000 });
    expect(await page.getByRole('button', { name: '現在地を使う' }).isVisible()).toBe(true);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the route page');
  });
});
