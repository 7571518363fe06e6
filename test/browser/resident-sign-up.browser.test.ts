// 住民アカウント in Chromium at 390 px: sign-up with the local SMTP, the mailed link, password and
// TOTP from the secret on the page, マイページ, sign-out, and sign-in again in two steps. axe on each page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nextTotp } from '../totp.ts';
import { smtpMailer } from '../../src/platform/mailer.ts';
import { serveTestApp } from '../db.ts';
import { localSmtp } from '../smtp.ts';
import { expectAccessible, expectPhoneLayout, launchChromium } from './chromium.ts';
import { phonePage, type ServedApp } from './suite.ts';

let browser: Browser;
let smtp: Awaited<ReturnType<typeof localSmtp>>;
let t: ServedApp;

beforeAll(async () => {
  smtp = await localSmtp();
  t = await serveTestApp('empty', undefined, { mailer: smtpMailer(smtp.url, 'Renkei <no-reply@localhost>') });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

async function check(page: Page, what: string) {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
}

describe('住民アカウント in Chromium', () => {
  it('a resident signs up by the mailed link, sets a password and TOTP, lands on マイページ, signs out and in again', async () => {
    const page = await phonePage(browser);
    const email = 'jumin@example.jp';
    const password = 'oirase-stream-green';
    await page.goto(`${t.url}/my/sign-up`);
    await check(page, '/my/sign-up');
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByRole('button', { name: '登録用のリンクを送る' }).click();
    await page.waitForURL(/\/my\/sign-up\/sent$/);
    await check(page, '/my/sign-up/sent');

    const link = /http:\/\/127\.0\.0\.1:\d+\/my\/verify\/[A-Za-z0-9_-]{43}/.exec(smtp.received.find((m) => m.to === email)!.text)![0];
    await page.goto(link);
    await check(page, '/my/verify');
    const secret = await page.locator('#totp-secret').innerText();
    await page.getByLabel('パスワード（12文字以上）').fill(password);
    await page.getByLabel('パスワード（確認）').fill(password);
    await page.getByLabel('認証アプリに表示された6桁の確認コード').fill(await nextTotp(secret));
    await page.getByRole('button', { name: '登録する' }).click();
    await page.waitForURL(/\/my$/);
    expect(await page.locator('h1').innerText()).toBe('マイページ');
    await check(page, '/my');

    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.waitForURL(/\/my\/sign-in$/);
    await check(page, '/my/sign-in');
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForURL(/\/my\/sign-in\/code$/);
    await check(page, '/my/sign-in/code');
    await page.getByLabel('認証アプリに表示された6桁の確認コード').fill(await nextTotp(secret));
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(/\/my$/);
    expect(await page.locator('h1').innerText()).toBe('マイページ');
  });
});
