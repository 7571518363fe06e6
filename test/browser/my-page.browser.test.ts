// マイページ in Chromium at 390 px, without JavaScript-only parts: a signed-in resident fills the
// profile, adds a household member and registers support needs; axe and the phone layout on each page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, residentContext } from './chromium.ts';
import { openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let page: Page;

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  const resident = await signedInResident(t.database.db);
  const context = await residentContext(browser, t.url, resident.cookie);
  page = await context.newPage();
});
afterAll(() => closeSuite(browser, t));

async function check(what: string) {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
}

describe('マイページ in Chromium at 390 px', () => {
  it('a resident fills the profile, a household member and support needs', async () => {
    await page.goto(`${t.url}/my`);
    await check('/my');
    await page.getByRole('link', { name: /プロフィール/ }).click();
    await check('/my/profile');
    await page.getByLabel('氏名').fill('青森 花子');
    await page.getByLabel('お住まいの市町村').selectOption({ label: '弘前市' });
    await page.getByLabel('住所').fill('弘前市上白銀町1-1');
    await page.getByLabel('生年月日').fill('1980-04-01');
    await page.getByLabel('電話番号').fill('0172-35-1111');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.waitForURL(/\/my\/profile$/);
    expect(await page.getByLabel('住所').inputValue()).toBe('弘前市上白銀町1-1');
    expect(await page.getByLabel('お住まいの市町村').inputValue()).toBe('02202');

    await page.getByLabel('電話番号').fill('0172-35-1111x');
    await page.getByRole('button', { name: '保存する' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('電話番号は数字とハイフン');
    await check('/my/profile refused');

    await page.goto(`${t.url}/my/household`);
    await check('/my/household');
    await page.getByLabel('氏名').fill('青森 太郎');
    await page.getByLabel('続柄').fill('長男');
    await page.getByLabel('生年月日').fill('2010-05-05');
    await page.getByRole('button', { name: '加える' }).click();
    await page.waitForURL(/\/my\/household$/);
    expect(await page.locator('main li').innerText()).toContain('青森 太郎（長男、2010-05-05生まれ）');
    await page.getByRole('link', { name: '変更・削除' }).click();
    await check('/my/household/0');

    await page.goto(`${t.url}/my/support`);
    await check('/my/support');
    await page.getByLabel(/^移動の支援/).fill('車いすを使っています');
    await page.getByLabel(/^アレルギー/).fill('卵');
    await page.getByLabel('教職員').check();
    await page.getByRole('button', { name: '保存する' }).click();
    await page.waitForURL(/\/my\/support$/);
    expect(await page.getByLabel(/^移動の支援/).inputValue()).toBe('車いすを使っています');
    expect(await page.getByLabel('教職員').isChecked()).toBe(true);

    await page.goto(`${t.url}/my/account/delete`);
    await check('/my/account/delete');
  });
});
