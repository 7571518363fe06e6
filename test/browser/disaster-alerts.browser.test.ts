// Staff alerts in Chromium: a municipality editor issues a 避難指示 through the form and its preview;
// the public list and the alert's page show it with the やさしい日本語. axe and the 390 px layout on
// the staff form, the preview and the public pages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { serveTestApp } from '../db.ts';
import { expectAccessible, expectPhoneLayout, launchChromium, signInStaff } from './chromium.ts';

let browser: Browser;
let t: Awaited<ReturnType<typeof serveTestApp>>;
const password = 'correct horse battery staple';
let editor: { email: string; totpSecret: string };

beforeAll(async () => {
  t = await serveTestApp();
  await t.broker.loadDefaultData();
  browser = await launchChromium();
  const email = 'aomori@example.jp';
  const a = await createAccount(t.database.db, {
    email,
    name: '青森市 職員',
    password,
    roles: ['municipality_editor'],
    municipalityCode: '02201',
  });
  editor = { email, totpSecret: a.totpSecret };
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const phone = async (): Promise<Page> => (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();

describe('staff alerts, in Chromium', () => {
  it('an editor issues a 避難指示 after the preview; the public list and page show it (axe 0, 390 px)', async () => {
    const page = await phone();
    await signInStaff(page, t.url, { ...editor, password });
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
