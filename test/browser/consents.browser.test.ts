// Consent in Chromium: a signed-in resident reads a notice, gives consent, downloads the signed
// receipt, checks it on the public verification page, and withdraws; axe and a 390 px phone throughout.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp } from '../db.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, launchChromium, residentContext } from './chromium.ts';
import { closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
beforeAll(async () => {
  t = await serveTestApp('aomori');
  browser = await launchChromium();
});
afterAll(() => closeSuite(browser, t));

async function check(page: Page, what: string) {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
}

describe('consents in Chromium', () => {
  it('notice → give → receipt download → public verification → withdraw, accessible at 390 px', async () => {
    const r = await signedInResident(t.database.db);
    const context = await residentContext(browser, t.url, r.cookie, { acceptDownloads: true });
    const page = await context.newPage();

    await page.goto(`${t.url}/my`);
    await page.getByRole('link', { name: '利用目的と同意' }).click();
    expect(await page.locator('h1').innerText()).toBe('利用目的と同意');
    expect(await page.locator('main').innerText()).toContain('避難所の受付で要配慮情報を共有する：同意していません');
    await check(page, 'the list of purposes');

    await page.getByRole('link', { name: '避難所の受付で要配慮情報を共有する' }).click();
    expect(await page.locator('main').innerText()).toContain('同意した日から1年間');
    await check(page, 'the notice');
    await page.getByRole('button', { name: 'この内容で同意する' }).click();
    // No municipality ticked: refused beside the field, nothing stored.
    expect(await page.getByRole('alert').innerText()).toContain('受け取る市町村を1つ以上選んでください');
    await check(page, 'the refused form');
    await page.getByLabel('青森市', { exact: true }).check();
    await page.getByLabel('同行するペット').uncheck();
    await page.getByRole('button', { name: 'この内容で同意する' }).click();
    await page.waitForURL(`${t.url}/my/consents/shelter-reception`);
    expect(await page.locator('.records').innerText()).toContain('青森市：同意中');
    await check(page, 'the notice after giving');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '署名付きの控え（JWS）' }).click(),
    ]);
    const receipt = (await readFile((await download.path())!, 'utf8')).trim();
    expect(receipt.split('.')).toHaveLength(3);

    await page.goto(`${t.url}/consent/verify`);
    await check(page, 'the verification page');
    await page.getByLabel('控え（JWS）').fill(receipt);
    await page.getByRole('button', { name: '検証する' }).click();
    const result = await page.locator('main').innerText();
    expect(result).toContain('この基盤が発行した正しい控えです');
    expect(result).toContain('同意中（有効）');
    expect(result).not.toContain('同行するペット');
    await check(page, 'the verification result');

    await page.goto(`${t.url}/my/consents/shelter-reception`);
    await page.getByRole('button', { name: '同意を撤回する（青森市）' }).click();
    await page.waitForURL(`${t.url}/my/consents/shelter-reception`);
    expect(await page.locator('.records').innerText()).toContain('青森市：撤回済み');
    expect(await t.residents.queries.validConsent(r.residentId, 'shelter-reception', '02201', ['name'])).toBeUndefined();
    await check(page, 'the notice after withdrawal');
    await context.close();
  });
});
