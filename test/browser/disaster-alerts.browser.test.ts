// Staff alerts in Chromium: a municipality editor issues a 避難指示 through the form and its preview;
// the public list and the alert's page show it with the やさしい日本語. axe and the 390 px layout on
// the staff form, the preview and the public pages.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, phonePage, municipalityEditor, type ServedApp, type StaffAccount } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let editor: StaffAccount;

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  editor = await municipalityEditor(t, 'aomori@example.jp', { name: '青森市 職員' });
}, 60_000);
afterAll(() => closeSuite(browser, t));

const phone = () => phonePage(browser, { isMobile: true });

describe('staff alerts, in Chromium', () => {
  it('an editor issues a 避難指示 after the preview; the public list and page show it (axe 0, 390 px)', async () => {
    const page = await phone();
    await signInStaff(page, t.url, editor);
    await page.goto(`${t.url}/staff/disaster/alerts`);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'staff alert form');
    await page.locator('select[name=kind]').selectOption({ label: '避難指示' });
    await page.locator('select[name=hazard]').selectOption({ label: '洪水' });
    await page.getByRole('button', { name: '確認する' }).click();
    await page.waitForURL(/\/staff\/disaster\/alerts\/preview$/);
    await expect.poll(() => page.locator('.alert-preview').textContent()).toContain('にげてください');
    expect(await page.locator('.recipients').textContent()).toBe('0台'); // no device registered for the municipality yet
    await expectAccessible(page);
    await expectPhoneLayout(page, 'preview');
    await page.getByRole('button', { name: '発令する' }).click();
    await page.waitForURL(/\/staff\/disaster\/alerts\/staff-[^/?]+\?done=issued$/);
    expect(await page.getByRole('status').textContent()).toBe('発令しました。');

    const pub = await phone();
    await pub.goto(`${t.url}/disaster/alerts`);
    const item = pub.locator('.alert-list li').first();
    expect(await item.locator('.alert-badge').textContent()).toBe('避難指示');
    expect(await item.locator('.alert-easy').textContent()).toContain('青森市の 人は にげてください。');
    await expectAccessible(pub);
    await expectPhoneLayout(pub, 'public alert list');
    await item.getByRole('link', { name: '青森市に避難指示（洪水）' }).click();
    await pub.waitForURL(/\/disaster\/alerts\/staff-[^/]+$/);
    expect(await pub.locator('h1').textContent()).toBe('青森市に避難指示（洪水）');
    expect(await pub.locator('.alert-facts').textContent()).toContain('青森市');
    await expectAccessible(pub);
    await expectPhoneLayout(pub, 'public alert page');
  });
});
