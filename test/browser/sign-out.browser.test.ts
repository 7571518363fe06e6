// Sign-out in Chromium: the staff session and the common ID's session end together on our Japanese
// pages (no script anywhere), and /staff then asks for the password and code again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { nextTotp } from '../totp.ts';
import { serveTestApp } from '../db.ts';
import { expectAccessible, launchChromium, signInStaff } from './chromium.ts';
import { closeSuite, staffPassword, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
const email = 'signout@example.jp';
const password = staffPassword;
let totpSecret: string;

beforeAll(async () => {
  t = await serveTestApp('empty');
  browser = await launchChromium();
  totpSecret = (await createAccount(t.database.db, { email, name: '退出 花子', password, roles: ['viewer'] })).totpSecret;
});
afterAll(() => closeSuite(browser, t));

async function signIn(page: Page) {
  await signInStaff(page, t.url, { email, password, totpSecret });
  expect(await page.locator('h1').innerText()).toBe('職員ページ');
}

describe('sign-out in Chromium', () => {
  it('ends both sessions on our Japanese pages; /staff then shows the sign-in form, not the staff home', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    // nothing blocked by the CSP on the way (a form-action to another origin would be)
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && errors.push(m.text()));
    await signIn(page);

    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.waitForURL(/\/id\/session\/end\?/);
    expect(await page.locator('h1').innerText()).toBe('共通IDからサインアウトします');
    expect(await page.locator('main').innerText()).not.toMatch(/sign-out|Do you want/i);
    expect(await page.getByRole('button').count()).toBe(1);
    await expectAccessible(page);
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.getByRole('button', { name: 'サインアウトする' }).click();
    await page.waitForURL(`${t.url}/staff/signed-out`);
    expect(await page.locator('h1').innerText()).toBe('サインアウトしました');
    await expectAccessible(page);

    await page.goto(`${t.url}/staff`);
    await page.waitForURL(/\/id\/interaction\//);
    expect(await page.locator('h1').innerText()).toBe('職員サインイン（共通ID）');
    await expect(page.getByLabel('パスワード').isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('leaving the question unanswered still asks for credentials at /staff', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.waitForURL(/\/id\/session\/end\?/);
    await page.goto(`${t.url}/staff`);
    await page.waitForURL(/\/id\/interaction\//);
    expect(await page.locator('h1').innerText()).toBe('職員サインイン（共通ID）');
    // and signing in again works as usual
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForURL(/\/totp$/);
    await page.getByLabel('確認コード').fill(await nextTotp(totpSecret));
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(`${t.url}/staff`);
    expect(await page.locator('h1').innerText()).toBe('職員ページ');
    await context.close();
  });
});
