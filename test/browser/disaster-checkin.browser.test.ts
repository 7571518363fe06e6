// 避難所の受付 in Chromium (issue 14 point 2; Done when: "open a shelter with a capacity; check a
// household in by scanning its QR (a QR image from マイページ fed to the camera or the file input), see
// 「1人/…」 on the public map; check in offline and see it synced after reconnecting, counted once"):
// 青森市's staff open a shelter with a capacity; a resident issues the evacuation card in マイページ; its
// PNG is fed to the reception's file input, jsQR reads it and the household is checked in; the public
// shelter page shows 1人/894人; a walk-in registered while offline is sent on reconnecting, once. axe, 390 px.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import type { Shelter } from '../../src/modules/disaster/index.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, residentContext, signInStaff, phoneViewport } from './chromium.ts';
import { openSuite, closeSuite, phonePage, staffPassword, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let resident: BrowserContext;
let staffContext: BrowserContext;
let staffPage: Page;
let s: Shelter;
const password = staffPassword;

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  const a = await createAccount(t.database.db, {
    email: 'aomori@example.jp',
    name: '青森 職員',
    password,
    roles: ['municipality_editor'],
    municipalityCode: '02201',
  });
  s = (await t.disaster.queries.map()).byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  resident = await residentContext(browser, t.url, (await signedInResident(t.database.db)).cookie);
  staffContext = await browser.newContext({ viewport: phoneViewport });
  staffPage = await staffContext.newPage();
  await signInStaff(staffPage, t.url, { email: 'aomori@example.jp', password, totpSecret: a.totpSecret });
});
afterAll(() => closeSuite(browser, t));

const publicFigure = async () => {
  const page = await phonePage(browser);
  await page.goto(`${t.url}/disaster/shelters/${s.slug}`);
  const text = await page.locator('dl').innerText();
  await page.context().close();
  return text;
};

describe('避難所の受付 in Chromium', () => {
  let png: Buffer;

  it('opens a shelter with a capacity; the resident issues an evacuation card in マイページ', async () => {
    await staffPage.goto(`${t.url}/staff/disaster/shelters/${s.slug}`);
    await staffPage.getByLabel('開設中').check();
    await staffPage.getByLabel('収容人数（人）').fill('894');
    await staffPage.getByRole('button', { name: '開設状況を記録する' }).click();
    expect(await staffPage.getByRole('status').innerText()).toBe('開設状況を記録しました。');

    const page = await resident.newPage();
    await page.goto(`${t.url}/my`);
    await page.getByRole('link', { name: /^避難カード/ }).click();
    await page.getByRole('button', { name: '避難カードを発行する' }).click();
    expect(await page.getByRole('status').innerText()).toBe('避難カードを発行しました。');
    expect(await page.locator('#card-short-code').innerText()).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const img = page.getByRole('img', { name: '避難カードのQRコード' });
    expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the evacuation card');
    const res = await page.request.get(`${t.url}/my/disaster/card.png`);
    expect(res.headers()['content-type']).toBe('image/png');
    png = await res.body();
  }, 120_000);

  it('checks the household in by feeding the QR image to the reception file input; the public page shows 1人/894人', async () => {
    const errors: string[] = [];
    staffPage.on('pageerror', (e) => errors.push(e.message));
    await staffPage.goto(`${t.url}/staff/disaster/shelters/${s.slug}/reception`);
    await expectAccessible(staffPage);
    await expectPhoneLayout(staffPage, 'the reception');
    await staffPage.getByLabel('QRコードの写真から読み取る').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: png });
    await staffPage.waitForURL(/\/reception\?done=in$/);
    expect(await staffPage.getByRole('status').first().innerText()).toBe('受付しました。');
    expect(await staffPage.locator('#reception-occupancy').innerText()).toBe('1人/894人');
    expect(await staffPage.locator('#reception-list-h').innerText()).toBe('受付中（1世帯）');
    expect(await publicFigure()).toContain('1人/894人');
    await expectAccessible(staffPage);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a walk-in registered offline waits on the device, is sent on reconnecting, counted once', async () => {
    await staffPage.goto(`${t.url}/staff/disaster/shelters/${s.slug}/reception`);
    await staffContext.setOffline(true);
    await staffPage.getByLabel('代表者の氏名').fill('青森 花子');
    await staffPage.getByLabel('人数', { exact: true }).last().fill('2');
    await staffPage.getByLabel('あり').check();
    await staffPage.getByText('年齢と住所の市町村（任意）').click();
    await staffPage.getByLabel('0〜14歳の人数').fill('1');
    await staffPage.locator('#walk-in-home').selectOption({ label: '弘前市' });
    await staffPage.getByRole('button', { name: '手書きで受付する' }).click();
    const queue = staffPage.locator('#reception-queue');
    await expect.poll(() => queue.innerText()).toContain('この端末に保存しました');
    await expect.poll(() => queue.innerText()).toContain('未送信の受付が1件');
    expect(await staffPage.getByLabel('代表者の氏名').inputValue()).toBe(''); // ready for the next person
    await staffContext.setOffline(false);
    await expect.poll(() => queue.innerText(), { timeout: 30_000 }).toContain('保存していた受付を1件送信しました');
    // The 'online' event may come again: still one check-in.
    await staffPage.evaluate(() => window.dispatchEvent(new Event('online')));
    await staffPage.reload();
    expect(await staffPage.locator('#reception-occupancy').innerText()).toBe('3人/894人');
    expect(await staffPage.locator('#reception-list-h').innerText()).toBe('受付中（2世帯）');
    expect(await publicFigure()).toContain('3人/894人');
    await expectAccessible(staffPage);
    await expectPhoneLayout(staffPage, 'the reception with two households');
    // The dashboard counts the walk-in's typed attributes, never its name.
    await staffPage.goto(`${t.url}/staff/disaster`);
    const outside = staffPage.locator('#outside-evacuees');
    expect(await outside.innerText()).toMatch(/青森市\s+弘前市\s+2人/);
    expect(await staffPage.locator('body').innerText()).not.toContain('青森 花子');
    await expectAccessible(staffPage);
    await expectPhoneLayout(staffPage, 'the dashboard with evacuee attributes');
  }, 120_000);
});
