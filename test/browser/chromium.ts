// Debian's Chromium, driven by playwright-core (no browser download: none is reachable here).
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';

import { nextTotp } from '../totp.ts';

/** The screen of the phones tested (390 × 844 CSS px). */
export const phoneViewport = { width: 390, height: 844 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** axe with the WCAG 2.1 A and AA rules (JIS X 8341-3:2016 corresponds to WCAG 2.0 AA). */
export async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/**
 * What a phone shows: the page no wider than the screen (a wide table scrolls inside its labelled
 * region), no table cell of six characters or more squeezed under four characters' width, and no
 * chart label drawn smaller than 12 px.
 */
export async function expectPhoneLayout(page: Page, what: string) {
  const layout = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    squeezed: [...document.querySelectorAll('td, th')]
      .filter((e) => (e.textContent ?? '').trim().length >= 6 && e.getClientRects().length && e.getBoundingClientRect().width < 4 * 14)
      .map((e) => (e.textContent ?? '').trim().slice(0, 20)),
    // A chart's label as drawn: its font size times the drawing's scale on the screen.
    tinyLabels: [...document.querySelectorAll('svg text')]
      .filter((t) => t.getClientRects().length)
      .map((t) => {
        const svg = (t as SVGTextElement).ownerSVGElement!;
        const drawn = svg.viewBox.baseVal?.width || svg.width.baseVal.value;
        return { text: t.textContent, px: (parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width) / drawn };
      })
      .filter((l) => l.px < 12),
  }));
  expect(layout.overflow, what).toBeLessThanOrEqual(0);
  expect(layout.squeezed, what).toEqual([]);
  expect(layout.tinyLabels, what).toEqual([]);
}

/**
 * Signs a member of staff in through the common ID (password, then TOTP) from `/staff`, and waits for
 * the staff home. `onForm` runs on the sign-in form before it is filled (to check the page).
 */
export async function signInStaff(
  page: Page,
  base: string,
  account: { email: string; password: string; totpSecret: string },
  onForm?: () => Promise<void>,
) {
  await page.goto(`${base}/staff`);
  await page.waitForURL(/\/id\/interaction\//);
  await onForm?.();
  await page.getByLabel('メールアドレス').fill(account.email);
  await page.getByLabel('パスワード').fill(account.password);
  await page.getByRole('button', { name: '次へ' }).click();
  await page.waitForURL(/\/totp$/);
  await page.getByLabel('確認コード').fill(await nextTotp(account.totpSecret));
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.waitForURL(`${base}/staff`);
}

/** A phone-sized browser context signed in to マイページ with a resident's session cookie (test/residents.ts). */
export async function residentContext(browser: Browser, base: string, cookie: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: phoneViewport, ...options });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: `${base}/my` }]);
  return context;
}

/**
 * An invitation or reset link's page: the password twice, the authenticator from the secret shown
 * on the page, then the ten recovery codes; `check` runs on each page (axe, the phone layout).
 */
export async function completeAccountLink(page: Page, link: string, password: string, check: (page: Page, what: string) => Promise<void>) {
  await page.goto(link);
  expect(await page.locator('h1').innerText()).toBe('パスワードと認証アプリの設定');
  await check(page, 'invitation page');
  await page.getByLabel('新しいパスワード', { exact: false }).first().fill(password);
  await page.getByLabel('新しいパスワード（確認）').fill(password);
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.getByLabel('認証アプリに表示された6桁の確認コード').fill(await nextTotp(secret));
  await page.getByRole('button', { name: '設定する' }).click();
  await page.waitForSelector('h1:text("設定が完了しました")');
  await check(page, 'recovery codes');
  const codes = await page.locator('.recovery-codes code').allInnerTexts();
  expect(codes).toHaveLength(10);
  return { secret, codes };
}
