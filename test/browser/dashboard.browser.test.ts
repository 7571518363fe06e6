import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './chromium.ts';
import { openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
mkdirSync('test-results', { recursive: true });

beforeAll(async () => {
  ({ t, browser } = await openSuite());
});
afterAll(() => closeSuite(browser, t));

describe('public dashboard in Chromium', () => {
  it('top page -> field -> KPI, each without WCAG 2.1 AA violations', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${t.url}/plans/aomori-dx`);
    expect(await page.locator('h1').innerText()).toContain('目標達成状況ダッシュボード');
    expect(await page.locator('.as-of').first().innerText()).toBe('2025年1月末時点');
    await expectAccessible(page);
    await page.screenshot({ path: 'test-results/top.png', fullPage: true });

    await page.getByRole('link', { name: '産業・しごと分野' }).click();
    await page.waitForURL('**/fields/industry');
    expect(await page.locator('h1').innerText()).toBe('産業・しごと分野');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'あらゆる産業分野のDXの推進状況' }).first().click();
    await page.waitForURL('**/kpis/industry-2');
    expect(await page.locator('h1').innerText()).toBe('あらゆる産業分野のDXの推進状況');
    const rows = page.locator('#main table').first().locator('tbody tr');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(1).innerText()).toContain('2,113台');
    await expectAccessible(page);
    await page.screenshot({ path: 'test-results/kpi.png', fullPage: true });

    await page.goto(`${t.url}/plans/aomori-dx/reconciliation`);
    await expectAccessible(page);
    await page.close();
  });

  it('reads without JavaScript: the chart tables open, on a phone-sized screen without sideways scrolling', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${t.url}/plans/aomori-dx`);
    const table = page.locator('#kpi-chart-caption ~ details table');
    expect(await table.isVisible()).toBe(false);
    await page.locator('#kpi-chart-caption ~ details summary').click();
    expect(await table.isVisible()).toBe(true);
    expect(await table.locator('tbody tr').count()).toBe(8);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/top-phone.png', fullPage: true });
    await context.close();
    // axe itself needs JavaScript: the phone layout is checked in a second context.
    const phone = await (await browser.newContext({ viewport: { width: 375, height: 800 }, isMobile: true })).newPage();
    await phone.goto(`${t.url}/plans/aomori-dx/kpis/living-2`);
    await expectAccessible(phone);
    await phone.context().close();
  });

  it('the 404 page is Japanese and accessible', async () => {
    const page = await (await browser.newContext()).newPage();
    const res = await page.goto(`${t.url}/plans/aomori-dx/kpis/industry-9`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('ページが見つかりません');
    await expectAccessible(page);
    await page.close();
  });
});

describe('regional vision and city plan in Chromium', () => {
  it('overview -> project -> municipality -> diff, each without WCAG 2.1 AA violations', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${t.url}/plans/aomori-regional-vision`);
    expect(await page.locator('h1').innerText()).toBe('青森圏域連携中枢都市圏ビジョン');
    await expectAccessible(page);

    await page.getByRole('link', { name: /具体的取組の一覧/ }).click();
    await page.waitForURL('**/projects');
    await page.getByLabel('キーワード').fill('水道');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/projects\?.*q=/);
    expect(await page.getByRole('status').innerText()).toContain('1件');
    await expectAccessible(page);
    await page.getByRole('link', { name: '水道事業の広域連携事業' }).click();
    await page.waitForURL('**/projects/40');
    expect(await page.locator('h1').innerText()).toContain('No.40 水道事業の広域連携事業');
    await expectAccessible(page);
    await page.screenshot({ path: 'test-results/project.png', fullPage: true });

    await page.goto(`${t.url}/plans/aomori-regional-vision/municipalities/02303`);
    expect(await page.locator('h1').innerText()).toBe('今別町');
    await expectAccessible(page);

    await page.goto(`${t.url}/plans/aomori-regional-vision/versions`);
    await page.getByRole('link', { name: /変更前（44事業） → 変更（48事業）/ }).click();
    await page.waitForURL('**/versions/v44/v48');
    await expectAccessible(page);

    await page.goto(`${t.url}/plans/aomori-regional-vision/reports/2020`);
    await expectAccessible(page);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);

    await page.goto(`${t.url}/plans/aomori-city-plan/policies/3-1`);
    await expectAccessible(page);
    await page.context().close();
  });
});
