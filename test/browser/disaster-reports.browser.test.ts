// 写真投稿 in Chromium (issue 14 point 4, Done when: "a photo report moderated onto the public map with
// no GPS metadata left in the file"): a resident posts a JPEG with GPS EXIF while offline — it waits on
// the device and is sent once the network is back, counted once; 青森市's staff approve it; the public
// map of 青森市 draws the reports layer and the list shows the photo, whose file has no GPS. axe 0, 390 px.
import exifr from 'exifr';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoWithGps } from '../photos.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, signInStaff, phoneViewport } from './chromium.ts';
import { openSuite, closeSuite, phonePage, municipalityEditor, type ServedApp, type StaffAccount } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let residentContext: BrowserContext;
let staff: StaffAccount;

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  staff = await municipalityEditor(t, 'aomori@example.jp');
  const resident = await signedInResident(t.database.db);
  residentContext = await browser.newContext({ viewport: phoneViewport });
  const [name, value] = resident.cookie.split('=') as [string, string];
  await residentContext.addCookies([{ name, value, url: `${t.url}/my` }]);
});
afterAll(() => closeSuite(browser, t));

const phone = () => phonePage(browser);

describe('写真投稿 in Chromium', () => {
  it('posted offline: kept on the device, sent when the network returns, one report', async () => {
    const page = await residentContext.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/my`);
    await page.getByRole('link', { name: '写真投稿（被害の報告）' }).click();
    await page.getByRole('link', { name: '写真を投稿する' }).click();
    await page.waitForURL(/\/my\/disaster\/reports\/new$/);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the report form');
    await page.getByLabel(/^写真/).setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps() });
    await page.getByLabel('倒木').check();
    await page.getByLabel(/^説明/).fill('倒木で道がふさがっています');
    await residentContext.setOffline(true);
    await page.getByRole('button', { name: '投稿する' }).click();
    const queue = page.locator('#report-queue');
    await expect.poll(() => queue.innerText()).toContain('この端末に保存しました');
    await expect.poll(() => queue.innerText()).toContain('未送信の投稿が1件');
    await residentContext.setOffline(false);
    await expect.poll(() => queue.innerText(), { timeout: 30_000 }).toContain('保存していた投稿を1件送信しました');
    // The 'online' event may come more than once: still one report.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.goto(`${t.url}/my/disaster/reports`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').innerText()).toContain('確認待ち');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'my reports');
    expect(errors).toEqual([]);
  }, 120_000);

  it('approved by 青森市 staff, on the public map and list, and the published file has no GPS', async () => {
    const page = await phone();
    await signInStaff(page, t.url, staff);
    await page.goto(`${t.url}/staff/disaster/reports`);
    expect(await page.locator('h2').first().innerText()).toBe('確認待ち（1件）');
    expect(await page.locator('article').innerText()).toContain('倒木で道がふさがっています');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the moderation page');
    await page.getByRole('button', { name: '承認して公開する' }).click();
    expect(await page.getByRole('status').innerText()).toBe('承認し、公開しました。');

    const pub = await phone();
    await pub.goto(`${t.url}/disaster/municipalities/02201`);
    await pub.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state, null, { timeout: 60_000 });
    expect(await pub.locator('#disaster-map').getAttribute('data-state')).toBe('ready');
    expect((await pub.locator('#disaster-map').getAttribute('data-layers-drawn'))?.split(' ')).toContain('reports');
    await pub.getByRole('link', { name: '青森市の写真投稿（被害の写真）' }).click();
    await pub.waitForURL(/\/disaster\/municipalities\/02201\/reports$/);
    const img = pub.locator('.report-list img');
    expect(await img.getAttribute('alt')).toBe('倒木の写真: 倒木で道がふさがっています');
    expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
    await expectAccessible(pub);
    await expectPhoneLayout(pub, 'the public report list');
    const file = await pub.request.get(`${t.url}${await img.getAttribute('src')}`);
    expect(file.status()).toBe(200);
    const bytes = await file.body();
    expect(bytes[0]).toBe(0xff);
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    expect(await exifr.parse(bytes, { xmp: true, icc: true, iptc: true })).toBeUndefined();
  }, 180_000);
});
