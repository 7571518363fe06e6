// A sign-in left open too long: the page that replaces it is accessible, and its link starts a
// sign-in that works.
import AxeBuilder from '@axe-core/playwright';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { nextTotp } from '../totp.ts';
import { rows, serveTestApp } from '../db.ts';
import { launchChromium } from './chromium.ts';
import { closeSuite, staffPassword, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
const email = 'kikaku@example.jp';
const password = staffPassword;
let totpSecret: string;

beforeAll(async () => {
  t = await serveTestApp('empty');
  totpSecret = (await createAccount(t.database.db, { email, name: '企画 花子', password, roles: ['viewer'] })).totpSecret;
  browser = await launchChromium();
});
afterAll(() => closeSuite(browser, t));

describe('an expired sign-in in Chromium', () => {
  it('shows a 400 page that passes axe, and 「最初からやり直す」 signs in', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.url}/staff`);
    await page.waitForURL(/\/id\/interaction\//);
    await rows(t.database, sql`update oidc_payloads set expires_at = now() - interval '1 second' where kind = 'Interaction'`);

    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(password);
    const [response] = await Promise.all([page.waitForResponse(/\/password$/), page.getByRole('button', { name: '次へ' }).click()]);
    expect(response.status()).toBe(400);
    expect(await page.locator('h1').innerText()).toBe('サインインを最初からやり直してください');
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    await page.getByRole('link', { name: '最初からやり直す' }).click();
    await page.waitForURL(/\/id\/interaction\//);
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByLabel('確認コード').fill(await nextTotp(totpSecret));
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(`${t.url}/staff`);
    expect(await page.locator('main').innerText()).toContain('企画 花子');
  });
});
