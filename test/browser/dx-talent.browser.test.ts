// The デジタル人財育成方針's page in Chromium: from the front door, accessible (axe, WCAG 2.1 AA), its
// charts' tables open without JavaScript, and on a 390 px phone nothing scrolls sideways.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectPhoneLayout } from './chromium.ts';
import { phonePage, openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
mkdirSync('test-results', { recursive: true });

beforeAll(async () => {
  ({ t, browser } = await openSuite());
});
afterAll(() => closeSuite(browser, t));

describe('the デジタル人財育成方針 in Chromium', () => {
  it('front door -> its page: pillars, yearly and cumulative targets, the stage table; no WCAG 2.1 AA violations', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: '青森県デジタル人財育成方針' }).click();
    await page.waitForURL('**/plans/aomori-dx-talent');
    expect(await page.locator('h1').innerText()).toBe('青森県デジタル人財育成方針');
    expect(await page.locator('h2').allInnerTexts()).toEqual(
      expect.arrayContaining([
        '基本方針１ 全職員のデジタルに関する基礎知識の底上げ',
        '基本方針２ ＤＸ推進の中核を担う「ＤＸ推進員」の育成',
        'ＤＸ推進員の育成数：年度ごとの目標と実績',
        '育成ステージ（育成計画）',
      ]),
    );
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(2);
    const years = page.locator('table.years').first().locator('tbody tr');
    expect(await years.count()).toBe(5);
    expect(await years.first().innerText()).toMatch(/R6年度\s+200名\s+200名\s+200名\s+200名/);
    expect(await page.locator('table.stages tbody tr').count()).toBe(6);
    await expectAccessible(page);
    await page.screenshot({ path: 'test-results/dx-talent.png', fullPage: true });
    await page.close();
  });

  it('without JavaScript on a 390 px phone: the chart table opens, no sideways scrolling, axe clean', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${t.url}/plans/aomori-dx-talent`);
    const table = page.locator('#years-policy-2-1-cumulative-caption ~ details table');
    expect(await table.isVisible()).toBe(false);
    await page.locator('#years-policy-2-1-cumulative-caption ~ details summary').click();
    expect(await table.isVisible()).toBe(true);
    expect(await table.locator('tbody tr').last().innerText()).toMatch(/R10年度\s+1,000名\s+－/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.screenshot({ path: 'test-results/dx-talent-phone.png', fullPage: true });
    await context.close();
    // axe itself needs JavaScript: the phone layout is checked again in a second context.
    const phone = await phonePage(browser, { isMobile: true });
    await phone.goto(`${t.url}/plans/aomori-dx-talent`);
    await expectPhoneLayout(phone, 'the デジタル人財育成方針');
    await expectAccessible(phone);
    await phone.context().close();
  });
});
