// 安否確認 in Chromium (issue 14 point 3, Done when: "a family member sees 「避難中」"): two residents
// link (one makes a つながりコード, the other enters and confirms it), one marks 避難中 with a place, the
// other sees 「避難中」 on their page; then a one-time 安否照会コード is looked up without an account, and
// a second lookup finds nothing; 青森市's staff import the mother's PFIF 1.4 export (preview, then
// import). axe 0 and no horizontal overflow at 390 px on every page (the pages need no JavaScript).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, residentContext, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, phonePage, staffPassword, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let mother: BrowserContext, son: BrowserContext;

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  mother = await residentContext(browser, t.url, (await signedInResident(t.database.db)).cookie);
  son = await residentContext(browser, t.url, (await signedInResident(t.database.db)).cookie);
  for (const c of [mother, son]) c.setDefaultTimeout(15_000);
});
afterAll(() => closeSuite(browser, t));

const check = async (page: Page, what: string) => {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
};

async function setName(page: Page, name: string) {
  await page.goto(`${t.url}/my`);
  await page.getByRole('link', { name: '安否確認（家族・友人）' }).click();
  await page.waitForURL(/\/my\/disaster\/safety$/);
  await page.getByLabel(/^表示名/).fill(name);
  await page.getByRole('button', { name: '表示名を保存する' }).click();
  await page.waitForSelector('text=表示名を保存しました。');
}

describe('安否確認 in Chromium', () => {
  it('two residents link, the mother marks 避難中, her son sees 「避難中」', async () => {
    const m = await mother.newPage();
    const s = await son.newPage();
    await setName(m, '青森 母');
    await check(m, 'the safety page');
    await setName(s, '青森 息子');

    await m.getByRole('button', { name: 'つながりコードを作る' }).click();
    const code = (await m.locator('.code code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await check(m, 'the code shown');

    await s.getByLabel('相手からもらったつながりコード').fill(code);
    await s.getByRole('button', { name: 'コードを確かめる' }).click();
    await s.waitForSelector('h1:text("つながりの確認")');
    expect(await s.locator('main').innerText()).toContain('「青森 母」さんとつながりますか');
    await check(s, 'the confirmation');
    await s.getByRole('button', { name: 'つながる' }).click();
    await s.waitForSelector('text=つながりました。');
    expect(await s.locator('.safety-person h3').innerText()).toBe('青森 母');
    expect(await s.locator('.safety-person strong').innerText()).toBe('未登録');

    await m.goto(`${t.url}/my/disaster/safety`);
    await m.getByLabel('避難中').check();
    await m.getByLabel(/^居場所/).fill('青森市立筒井小学校に避難');
    await m.getByLabel(/^伝言/).fill('けがはありません');
    await m.getByRole('button', { name: '安否を登録する' }).click();
    await m.waitForSelector('text=安否を登録しました。');

    await s.reload();
    const person = s.locator('.safety-person');
    expect(await person.locator('strong').innerText()).toBe('避難中');
    expect(await person.innerText()).toContain('居場所: 青森市立筒井小学校に避難');
    expect(await person.innerText()).toContain('伝言: けがはありません');
    await check(s, 'the linked person’s status');
  });

  it('a one-time 安否照会コード shows the name and status without an account, once', async () => {
    const m = await mother.newPage();
    await m.goto(`${t.url}/my/disaster/safety`);
    await m.getByRole('button', { name: '安否照会コードを作る' }).click();
    const code = (await m.locator('.code code').innerText()).trim();

    const anyone = await phonePage(browser);
    await anyone.goto(`${t.url}/disaster/safety/lookup`);
    await check(anyone, 'the lookup page');
    await anyone.getByLabel('安否照会コード').fill(code);
    await anyone.getByRole('button', { name: '照会する' }).click();
    await anyone.waitForSelector('#lookup-result');
    expect(await anyone.locator('#lookup-result').innerText()).toBe('青森 母');
    const text = await anyone.locator('main').innerText();
    expect(text).toContain('避難中');
    expect(text).not.toContain('筒井小学校');
    await check(anyone, 'the lookup result');

    await anyone.getByLabel('安否照会コード').fill(code);
    await anyone.getByRole('button', { name: '照会する' }).click();
    await anyone.waitForSelector('[role=alert]');
    expect(await anyone.locator('[role=alert]').innerText()).toContain('コードが見つかりません');
    expect(await anyone.locator('#lookup-result').count()).toBe(0);
    await check(anyone, 'the lookup not found');
  });

  it('青森市’s staff preview a PFIF 1.4 file (the mother’s own export), import it and see it counted', async () => {
    const m = await mother.newPage();
    const res = await m.request.get(`${t.url}/my/disaster/safety/pfif.xml`);
    expect(res.status()).toBe(200);
    const xml = (await res.text()).replaceAll(/127\.0\.0\.1\/safety\./g, 'other.example.org/safety.');
    const password = staffPassword;
    const a = await createAccount(t.database.db, {
      email: 'safety@example.jp',
      name: '青森 職員',
      password,
      roles: ['municipality_editor'],
      municipalityCode: '02201',
    });
    const page = await phonePage(browser);
    await signInStaff(page, t.url, { email: 'safety@example.jp', password, totpSecret: a.totpSecret });
    await page.goto(`${t.url}/staff/disaster/safety`);
    await check(page, 'the staff safety page');
    await page
      .getByLabel(/^PFIF 1\.4 のXMLファイル/)
      .setInputFiles({ name: 'pfif.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await page.getByRole('button', { name: '確認する' }).click();
    await page.waitForSelector('#pfif-preview');
    expect(await page.locator('#pfif-preview').innerText()).toBe('取り込みの確認（1人、誤り0件）');
    await check(page, 'the import preview');
    await page.getByRole('button', { name: '1人の記録を取り込む' }).click();
    await page.waitForSelector('text=1人の記録を取り込みました。');
    expect(await page.locator('tr', { hasText: '避難中' }).innerText()).toMatch(/避難中\s+0人\s+1人/);
  });
});
