// マイエリア（防災）in マイページ in Chromium (issue 13.5, areas that follow the person): a signed-in
// resident opens the section from マイページ, adds 青森市 and a point with a radius, sees them listed and
// removes one; a wrong point is refused in Japanese. axe 0 and no horizontal overflow at 390 px.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, residentContext } from './chromium.ts';
import { openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let context: BrowserContext;

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  context = await residentContext(browser, t.url, (await signedInResident(t.database.db)).cookie);
});
afterAll(() => closeSuite(browser, t));

describe('マイエリア（防災）in Chromium', () => {
  it('adds a municipality and a point to the account, lists and removes them; axe 0, 390 px', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/my`);
    await page.getByRole('link', { name: 'マイエリア（防災）' }).click();
    await page.waitForURL(/\/my\/disaster\/areas$/);
    expect(await page.locator('h1').innerText()).toBe('マイエリア（防災）');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'my areas, empty');

    await page.getByLabel('市町村').selectOption({ label: '青森市' });
    await page.getByRole('button', { name: '市町村を追加' }).click();
    await page.waitForURL(/done=1/);
    await expect.poll(() => page.locator('#my-areas li').allInnerTexts()).toEqual([expect.stringContaining('青森市')]);

    await page.getByLabel(/^地点（/).fill('140.74,40.8222');
    await page.getByLabel('半径').selectOption({ label: '2km' });
    await page.getByRole('button', { name: '地点を追加' }).click();
    await page.waitForURL(/done=1/);
    expect(await page.locator('#my-areas li').count()).toBe(2);
    expect(await page.locator('#my-areas').innerText()).toContain('半径2km');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'my areas, two areas');

    await page.getByLabel(/^地点（/).fill('東京');
    await page.getByRole('button', { name: '地点を追加' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('経度,緯度');
    await expectAccessible(page);

    await page.getByRole('button', { name: '青森市を削除' }).click();
    await page.waitForURL(/done=1/);
    expect(await page.locator('#my-areas li').count()).toBe(1);
    // With JavaScript the device can be linked (push): its button is shown.
    expect(await page.getByRole('button', { name: 'この端末で通知を受け取る' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });
});
