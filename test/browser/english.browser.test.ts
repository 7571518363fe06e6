// The public pages in English (issue 11, point 9): axe (WCAG 2.1 AA) on every page type with
// ?lang=en, and a reader who follows links and forms stays in English.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicPageTypes } from './page-types.ts';
import { expectAccessible, expectPhoneLayout, phoneViewport } from './chromium.ts';
import { openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
beforeAll(async () => {
  ({ t, browser } = await openSuite());
});
afterAll(() => closeSuite(browser, t));

const pages = publicPageTypes;

const english = (path: string) => `${path}${path.includes('?') ? '&' : '?'}lang=en`;

describe('public pages in English', () => {
  it.each(pages)('SC 3.1.2 %s (%s): lang="en", no axe violations', async (what, path) => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    try {
      await page.goto(`${t.url}${english(path)}`);
      expect(await page.locator('html').getAttribute('lang'), what).toBe('en');
      await expectAccessible(page);
    } finally {
      await page.context().close();
    }
  });

  // English words are longer than Japanese ones: the phone layout holds in English too.
  it.each(pages)('%s (%s) at 390 px', async (what, path) => {
    const context = await browser.newContext({ viewport: phoneViewport, isMobile: true });
    try {
      const page = await context.newPage();
      await page.goto(`${t.url}${english(path)}`);
      await expectPhoneLayout(page, what);
    } finally {
      await context.close();
    }
  });

  it('links, the project filter and the language switch keep or change the language as they say', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    try {
      await page.goto(`${t.url}/?lang=en`);
      await page.locator('a[href^="/plans/aomori-regional-vision"]').first().click();
      await page.getByRole('link', { name: /^Projects \(\d+\)$/ }).click();
      await page.waitForURL('**/projects?lang=en');
      await page.getByLabel('Keyword').fill('農業');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/[?&]q=/);
      expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.getByRole('status').innerText()).toMatch(/^\d+ projects? \(of \d+\)$/);
      await page.locator('a[hreflang="ja"]').click();
      await page.waitForURL((u) => !u.searchParams.has('lang'));
      expect(await page.locator('html').getAttribute('lang')).toBe('ja');
      expect(await page.locator('h1').innerText()).toBe('具体的取組の一覧');
    } finally {
      await page.context().close();
    }
  });
});
