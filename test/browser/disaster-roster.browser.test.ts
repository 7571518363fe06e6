// 避難行動要支援者名簿 in Chromium at 390 px: 青森市's editor imports the fictitious roster (CP932, as Excel
// saves it) through the preview, sees the not-yet-confirmed list by 地区 with supporters, records
// "無事を確認" for one person and sees them leave the list at once; that person's page shows the record,
// and a wrong account link is removed there with a reason.
// axe 0 and no overflow on each page.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkEntry } from '../../src/modules/disaster/roster/repository.ts';
import { encodeCp932 } from '../cp932.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, phonePage, municipalityEditor, type ServedApp, type StaffAccount } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let account: StaffAccount;
const roster = readFileSync(new URL('../fixtures/disaster/roster.csv', import.meta.url), 'utf8');

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  account = await municipalityEditor(t, 'aomori@example.jp');
});
afterAll(() => closeSuite(browser, t));

const phone = () => phonePage(browser);

describe('避難行動要支援者名簿 in Chromium', () => {
  it('imports the roster with a preview, lists who is not yet confirmed, and a follow-up takes a person off', async () => {
    const page = await phone();
    await signInStaff(page, t.url, account);
    await page.goto(`${t.url}/staff/disaster/roster`);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the empty roster page');
    await page
      .getByLabel(/^ファイル/)
      .setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(encodeCp932(roster)) });
    await page.getByRole('button', { name: '読み込んで確認する' }).click();
    expect(await page.locator('#roster-preview').innerText()).toBe('確認: 3人の名簿（Shift_JIS）');
    expect(await page.getByRole('region', { name: '最初の行' }).innerText()).toContain('架空 一郎');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the preview');
    await page.getByRole('button', { name: 'この内容で取り込む' }).click();
    expect(await page.getByRole('status').innerText()).toBe('名簿を取り込みました（3人）。');

    const list = page.locator('section[aria-labelledby="roster-unconfirmed"]');
    expect(await list.locator('h2').innerText()).toBe('取り残された住民の有無: 未確認 3人');
    expect(await list.locator('h3').allInnerTexts()).toEqual(['架空町（2人）', '見本町（1人）']);
    const hana = list.locator('article', { has: page.getByRole('heading', { name: /見本 ハナ/ }) });
    expect(await hana.innerText()).toContain('例示 三郎');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the not-yet-confirmed list');

    await hana.getByLabel('記録').selectOption('safe');
    await hana.getByLabel('メモ（任意）').fill('自宅で無事');
    await hana.getByRole('button', { name: '記録する' }).click();
    expect(await page.getByRole('status').innerText()).toBe('記録しました。');
    expect(await list.locator('h2').innerText()).toBe('取り残された住民の有無: 未確認 2人');
    expect(await list.innerText()).not.toContain('見本 ハナ');
    expect(await list.locator('h3').allInnerTexts()).toEqual(['架空町（2人）']);

    await list.getByRole('link', { name: '架空 一郎' }).click();
    expect(await page.locator('h1').innerText()).toBe('架空 一郎');
    expect(await page.locator('main').innerText()).toContain('避難先: 架空小学校');
    await expectAccessible(page);
    await expectPhoneLayout(page, "a person's page");

    // A wrong link to an account is removed with a reason; the person stays on the roster.
    const entryId = new URL(page.url()).pathname.split('/').pop()!;
    await linkEntry(t.database.db, entryId, (await signedInResident(t.database.db)).residentId);
    await page.reload();
    expect(await page.locator('main').innerText()).toContain('結びつけ済み');
    await expectAccessible(page);
    await expectPhoneLayout(page, "a linked person's page");
    await page.getByLabel('外す理由').fill('同姓同名の別の人と結びつけていたため');
    await page.getByRole('button', { name: '結びつきを外す' }).click();
    expect(await page.getByRole('status').innerText()).toBe('住民アカウントとの結びつきを外しました。');
    expect(await page.locator('h1').innerText()).toBe('架空 一郎');
    expect(await page.locator('main').innerText()).toContain('まだ結びつけていません');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'the page after removing the link');
  });
});
