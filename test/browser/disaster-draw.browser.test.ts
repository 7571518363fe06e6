// Staff draw an alert's area on a map (issue 13 point 6a, "for municipalities or drawn areas"): clicks
// on the form's MapLibre canvas place vertices (1つ戻す, 消す, 範囲を閉じる), the polygon lands in the
// area field, the preview shows the area and counts only the devices whose circle it touches, and the
// issued alert carries the polygon (CAP 1.2 §3.2.4 <polygon>). axe 0 and no overflow at 390 px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp } from '../db.ts';
import { loopbackOutbound } from '../ngsi-ld.ts';
import { pushService } from '../push-service.ts';
import { expectAccessible, expectPhoneLayout, launchChromium, signInStaff } from './chromium.ts';
import { municipalityEditor, type ServedApp, type StaffAccount, phonePage } from './suite.ts';

type Feature = { geometry: { type: string; coordinates: unknown } };
/** disaster-draw.js exposes its map on the box (box.map), as the public maps do. */
type MapBox = HTMLElement & {
  map: { project(c: [number, number]): { x: number; y: number }; getSource(id: string): { getData(): Promise<{ features: Feature[] }> } };
};

let browser: Browser;
let t: ServedApp;
let ps: Awaited<ReturnType<typeof pushService>>;
let editor: StaffAccount;
const CITY_HALL: [number, number] = [140.74, 40.8222]; // 青森市役所
const NAMIOKA: [number, number] = [140.59, 40.71]; // 青森市浪岡, far outside the drawn area

beforeAll(async () => {
  ps = await pushService();
  t = await serveTestApp('aomori', undefined, { outbound: loopbackOutbound });
  await t.broker.loadDefaultData();
  browser = await launchChromium();
  editor = await municipalityEditor(t, 'draw@example.jp', { name: '青森市 職員' });
  // Two devices in 青森市, each a 100 m circle: one at the city hall (inside the area drawn below), one in 浪岡.
  for (const point of [CITY_HALL, NAMIOKA]) {
    const res = await fetch(`${t.url}/api/v1/disaster/push-subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscription: ps.subscribe().json, areas: [{ point, radius: 100 }] }),
    });
    expect(res.status).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await ps?.close();
});

const box = (page: Page) => page.locator('[data-area-draw] .area-map');
/** Clicks the canvas where the map shows [lon, lat]. */
async function clickAt(page: Page, at: [number, number]) {
  const { x, y } = await box(page).evaluate((el, c) => (el as MapBox).map.project(c), at);
  await box(page).locator('canvas').click({ position: { x, y } });
}
const field = (page: Page) => page.locator('textarea[name=area]');
const status = (page: Page) => page.locator('.area-draw-status');

describe('staff draw an alert area on a map, in Chromium', () => {
  it('clicks place vertices; undo, clear and close work; the preview shows the area and its count; issued with the polygon', async () => {
    const page = await phonePage(browser, { isMobile: true });
    await signInStaff(page, t.url, editor);
    await page.goto(`${t.url}/staff/disaster/alerts`);
    await page.waitForFunction(() => (document.querySelector('[data-area-draw]') as HTMLElement | null)?.dataset.state, null, {
      timeout: 60_000,
    });
    expect(await page.locator('[data-area-draw]').getAttribute('data-state')).toBe('ready');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'staff alert form with its map');

    const d = 0.012;
    const [lon, lat] = CITY_HALL;
    // Two vertices, then 消す: nothing left, the field empty.
    await clickAt(page, [lon - d, lat - d]);
    await clickAt(page, [lon + d, lat - d]);
    expect(await status(page).innerText()).toBe('頂点2個。3個以上置いてください。');
    expect(await page.getByRole('button', { name: '範囲を閉じる' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '消す' }).click();
    expect(await status(page).innerText()).toBe('');
    expect(await field(page).inputValue()).toBe('');

    // Five vertices, 1つ戻す drops the last (a stray one far away), 範囲を閉じる writes the closed ring.
    const ring: [number, number][] = [
      [lon - d, lat - d],
      [lon + d, lat - d],
      [lon + d, lat + d],
      [lon - d, lat + d],
    ];
    for (const p of ring) await clickAt(page, p);
    await clickAt(page, [lon + 3 * d, lat + 3 * d]);
    expect(await status(page).innerText()).toBe('頂点5個。「範囲を閉じる」で確定します。');
    await page.getByRole('button', { name: '1つ戻す' }).click();
    await page.getByRole('button', { name: '範囲を閉じる' }).click();
    expect(await status(page).innerText()).toBe('範囲を確定しました（頂点4個）。入力欄に入りました。');
    const polygon = JSON.parse(await field(page).inputValue()) as { type: string; coordinates: [number, number][][] };
    expect(polygon.type).toBe('Polygon');
    expect(polygon.coordinates[0]).toHaveLength(5);
    expect(polygon.coordinates[0]![4]).toEqual(polygon.coordinates[0]![0]);
    // Where the clicks were, to a pixel at this zoom (~0.001°).
    polygon.coordinates[0]!.slice(0, 4).forEach((p, i) => {
      expect(Math.abs(p[0] - ring[i]![0])).toBeLessThan(0.002);
      expect(Math.abs(p[1] - ring[i]![1])).toBeLessThan(0.002);
    });

    await page.locator('select[name=kind]').selectOption({ label: '避難指示' });
    await page.getByRole('button', { name: '確認する' }).click();
    await page.waitForURL(/\/staff\/disaster\/alerts\/preview$/);
    expect(await page.locator('.alert-area').innerText()).toBe('頂点4個の範囲（下の地図と入力欄）');
    expect(await page.locator('.alert-places').innerText()).toBe('青森市');
    // Only the device whose circle the area touches (the city hall), not the one in 浪岡.
    expect(await page.locator('.recipients').innerText()).toBe('1台');
    // The form again, its map drawing the area from the field.
    await page.waitForFunction(() => (document.querySelector('[data-area-draw]') as HTMLElement | null)?.dataset.state === 'ready', null, {
      timeout: 60_000,
    });
    const drawn = await box(page).evaluate(async (el) =>
      (await (el as MapBox).map.getSource('area').getData()).features.map((f) => f.geometry),
    );
    expect(drawn[0]).toEqual(polygon);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'preview with the drawn area');

    await page.getByRole('button', { name: '発令する' }).click();
    await page.waitForURL(/\/staff\/disaster\/alerts\/staff-[^/?]+\?done=issued$/);
    const slug = new URL(page.url()).pathname.split('/').pop()!;
    const cap = await (await fetch(`${t.url}/disaster/alerts/${slug}.cap`)).text();
    // CAP 1.2 §3.2.4: <polygon> as "lat,lon" pairs, the first and last the same.
    const pairs = /<polygon>([^<]+)<\/polygon>/.exec(cap)![1]!.split(' ');
    expect(pairs).toHaveLength(5);
    expect(pairs[0]).toBe(`${polygon.coordinates[0]![0]![1]},${polygon.coordinates[0]![0]![0]}`);
    await page.context().close();
  }, 180_000);
});
