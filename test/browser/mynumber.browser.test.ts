// マイナンバーカードでのサインイン in Chromium, through a stand-in for デジタル認証アプリ (a real OIDC
// provider on localhost, a different host name from Renkei's, as two sites would be).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservePort, serveTestApp } from '../db.ts';
import { mynumberStandIn } from '../mynumber-provider.ts';
import { expectAccessible, expectPhoneLayout, launchChromium, phoneViewport } from './chromium.ts';

let browser: Browser;
let renkei: Awaited<ReturnType<typeof serveTestApp>>;
let standIn: Awaited<ReturnType<typeof mynumberStandIn>>;

beforeAll(async () => {
  const port = await reservePort('127.0.0.1');
  standIn = await mynumberStandIn(`${port.url}/my/sign-in/mynumber/callback`);
  renkei = await serveTestApp('empty', port, { mynumber: standIn.config });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await renkei?.close();
  await standIn?.close();
});

const phone = () => browser.newContext({ viewport: phoneViewport });

describe('マイナンバーカードでのサインイン (デジタル認証アプリ)', () => {
  it('signs a resident in through the stand-in and lands on マイページ with the assurance shown (axe, 390 px)', async () => {
    standIn.state.subject = 'browser-card-holder';
    const page = await (await phone()).newPage();
    await page.goto(`${renkei.url}/my/sign-in/mynumber`);
    await page.waitForURL(`${renkei.url}/my`, { timeout: 10_000 });
    expect(await page.getByRole('heading', { name: '本人確認' }).count()).toBe(1);
    expect(await page.locator('main').innerText()).toMatch(/マイナンバーカードで本人確認済み（\d{4}年/);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'マイページ');
  });

  it('a cancelled sign-in shows the Japanese page with a way back (axe, 390 px)', async () => {
    standIn.state.deny = true;
    try {
      const page = await (await phone()).newPage();
      const res = await page.goto(`${renkei.url}/my/sign-in/mynumber`);
      expect(res?.status()).toBe(400);
      expect(await page.locator('h1').innerText()).toBe('サインインできませんでした');
      expect(await page.getByRole('link', { name: 'もう一度マイナンバーカードでサインインする' }).count()).toBe(1);
      await expectAccessible(page);
      await expectPhoneLayout(page, 'サインインできませんでした');
    } finally {
      standIn.state.deny = false;
    }
  });
});
