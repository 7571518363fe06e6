// 罹災証明書 in Chromium (issue 14 point 8, Done when: "a 罹災証明書 application through to the issued PDF
// (rendered with pdftoppm in the test and its Japanese text checked)"): a resident applies from マイページ
// (pre-filled from the profile and their 写真投稿), 青森市's staff schedule the survey, decide 半壊 and
// issue, the resident downloads the PDF — rasterised by pdftoppm (ink on the page) and read by
// pdftotext — and the code on it verifies on the public page. axe 0 and 390 px on every page.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { darkPixels, pdfPage, pdfText } from '../pdf.ts';
import { insertPhotoReport } from '../photos.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, residentContext, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, phonePage, municipalityEditor, type ServedApp, type StaffAccount } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let resident: Awaited<ReturnType<typeof signedInResident>>;
let staff: StaffAccount;

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  staff = await municipalityEditor(t, 'aomori@example.jp');
  resident = await signedInResident(t.database.db);
  await t.residents.commands.saveProfile({
    residentId: resident.residentId,
    municipalityCode: '02201',
    name: '青森 花子',
    address: '青森県青森市新町二丁目2-2',
  });
  await insertPhotoReport(t.database.db, resident.residentId);
});
afterAll(() => closeSuite(browser, t));

async function check(page: Page, what: string) {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
}

describe('罹災証明書 in Chromium', () => {
  let applicationUrl: string;

  it('a resident applies from マイページ, the form pre-filled', async () => {
    const page = await (await residentContext(browser, t.url, resident.cookie)).newPage();
    await page.goto(`${t.url}/my`);
    await page.getByRole('link', { name: '罹災証明書の申請' }).click();
    await check(page, 'my certificates');
    await page.getByRole('link', { name: '罹災証明書を申請する' }).click();
    await page.waitForURL(/\/my\/disaster\/certificates\/new$/);
    await check(page, 'the application form');
    expect(await page.getByLabel('世帯主の氏名').inputValue()).toBe('青森 花子');
    expect(await page.getByLabel('被災した住家の所在地').inputValue()).toBe('青森県青森市新町二丁目2-2');
    expect(await page.getByLabel('被災した日').inputValue()).toBe('2026-11-30');
    expect(await page.getByLabel('浸水', { exact: true }).isChecked()).toBe(true);
    expect(await page.locator('input[name="reportIds"]').isChecked()).toBe(true);
    await page.getByLabel(/^被害の状況/).fill('床上まで浸水し、畳と壁が傷んだ');
    await page.getByRole('button', { name: '申請する' }).click();
    expect(await page.getByRole('status').innerText()).toContain('申請を受け付けました');
    expect(await page.locator('[aria-current="step"]').innerText()).toBe('受付（現在）');
    applicationUrl = page.url().replace(/\?.*$/, '');
    await check(page, 'the application');
  });

  it('青森市’s staff schedule the survey, decide 半壊 and issue', async () => {
    const page = await phonePage(browser);
    await signInStaff(page, t.url, staff);
    await page.goto(`${t.url}/staff/disaster/certificates`);
    await check(page, 'the staff list');
    await page.locator('tbody a').first().click();
    expect(await page.locator('dl').innerText()).toContain('青森県青森市新町二丁目2-2');
    expect(await page.locator('figure img').count()).toBe(1);
    await check(page, 'the staff detail');
    await page.getByLabel('調査日').fill('2026-12-05');
    await page.getByRole('button', { name: '調査日を決める' }).click();
    expect(await page.getByRole('status').innerText()).toBe('調査日を決めました。');
    await page.getByLabel('半壊（20%以上30%未満）').check();
    await check(page, 'the grade form');
    await page.getByRole('button', { name: '判定する' }).click();
    expect(await page.getByRole('status').innerText()).toBe('被害の程度を判定しました。');
    await page.getByRole('button', { name: '罹災証明書を交付する' }).click();
    expect(await page.getByRole('status').innerText()).toContain('罹災証明書を交付しました。');
    await page.goto(`${t.url}/staff/disaster/certificates/summary`);
    expect(await page.locator('tbody tr', { hasText: '青森市' }).innerText()).toMatch(/1\s+0\s+0\s+0\s+1\s+1/);
    await check(page, 'the summary');
  });

  it('the resident downloads the PDF: pdftoppm renders it, pdftotext reads its Japanese; the code verifies', async () => {
    const page = await (await residentContext(browser, t.url, resident.cookie)).newPage();
    await page.goto(applicationUrl);
    expect(await page.locator('[aria-current="step"]').innerText()).toBe('交付（現在）');
    await check(page, 'the issued application');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '罹災証明書（PDF）をダウンロード' }).click(),
    ]);
    const pdf = new Uint8Array(readFileSync((await download.path())!));
    const ink = await darkPixels(pdfPage(pdf));
    expect(ink).toBeGreaterThan(2000); // text and the QR code drawn, not a blank page
    const text = pdfText(pdf).replace(/[ \t]+/g, ' ');
    for (const s of [
      '罹災証明書',
      '世帯主氏名 青森 花子',
      '青森県青森市新町二丁目2-2',
      '住家の被害の程度 半壊',
      '被害の原因 浸水',
      '青森市長',
    ])
      expect(text).toContain(s);
    const code = /証明番号 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)![1]!;

    const pub = await phonePage(browser);
    await pub.goto(`${t.url}/disaster/certificates/verify`);
    await pub.getByLabel(/^証明番号/).fill(code.toLowerCase());
    await pub.getByRole('button', { name: '確認する' }).click();
    expect(await pub.locator('h2').innerText()).toBe('有効: この証明書は交付されています');
    const dl = await pub.locator('.verify-result dl').innerText();
    expect(dl).toContain('青森市');
    expect(dl).toContain('半壊');
    expect(await pub.locator('main').innerText()).not.toContain('花子');
    await check(pub, 'the verification page');
  });
});
