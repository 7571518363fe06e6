// マイナンバーカードで受付 in Chromium (issue 14 point 2, "or by signing in with the stand-in My Number
// provider"): a resident who linked the card on マイページ is checked in at 青森市's open shelter from the
// reception screen through the stand-in for デジタル認証アプリ (a real OIDC provider on localhost, a
// different host from Renkei's 127.0.0.1, as two sites would be); a card with no account is refused in
// Japanese beside the form, even right after the previous person on the same device (prompt=login). axe, 390 px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shelter } from '../../src/modules/disaster/index.ts';
import { reservePort, serveTestApp } from '../db.ts';
import { mynumberStandIn } from '../mynumber-provider.ts';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { closeSuite, municipalityEditor, openSuite, phonePage, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let standIn: Awaited<ReturnType<typeof mynumberStandIn>>;
let staff: Page;
let s: Shelter;

beforeAll(async () => {
  ({ t, browser } = await openSuite({
    defaultData: true,
    serve: async () => {
      const port = await reservePort('127.0.0.1');
      standIn = await mynumberStandIn(`${port.url}/my/sign-in/mynumber/callback`, `${port.url}/staff/disaster/reception/mynumber/callback`);
      return serveTestApp('aomori', port, { mynumber: standIn.config });
    },
  }));
  s = (await t.disaster.queries.map()).byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  staff = await phonePage(browser);
  await signInStaff(staff, t.url, await municipalityEditor(t));
  await staff.goto(`${t.url}/staff/disaster/shelters/${s.slug}`);
  await staff.getByLabel('開設中').check();
  await staff.getByLabel('収容人数（人）').fill('100');
  await staff.getByRole('button', { name: '開設状況を記録する' }).click();
}, 120_000);
afterAll(async () => {
  await closeSuite(browser, t);
  await standIn?.close();
});

describe('マイナンバーカードで受付 in Chromium', () => {
  it('a resident who linked the card is checked in through デジタル認証アプリ and lands back on the reception', async () => {
    standIn.state.subject = 'browser-reception-holder';
    const resident = await phonePage(browser);
    await resident.goto(`${t.url}/my/sign-in/mynumber`);
    await resident.waitForURL(`${t.url}/my`, { timeout: 10_000 });

    await staff.goto(`${t.url}/staff/disaster/shelters/${s.slug}/reception`);
    await expectAccessible(staff);
    await expectPhoneLayout(staff, 'the reception with マイナンバーカード');
    await staff.locator('#reception-mynumber-people').fill('３'); // full-width, as a Japanese IME types it
    await staff.locator('#reception-mynumber-home').selectOption({ label: '青森市' });
    await staff.getByRole('button', { name: 'マイナンバーカードで受付する' }).click();
    await staff.waitForURL(/\/reception\?done=in$/, { timeout: 10_000 });
    expect(await staff.getByRole('status').first().innerText()).toBe('受付しました。');
    expect(await staff.locator('#reception-occupancy').innerText()).toBe('3人/100人');
    expect(await staff.locator('table').innerText()).toContain('マイナンバーカード');
    await expectAccessible(staff);
  }, 120_000);

  it('a card with no account is refused beside the form, in Japanese; nothing is checked in', async () => {
    standIn.state.subject = 'browser-card-without-account';
    await staff.goto(`${t.url}/staff/disaster/shelters/${s.slug}/reception`);
    await staff.getByRole('button', { name: 'マイナンバーカードで受付する' }).click();
    await staff.waitForURL(/\/reception\?mynumber=unlinked$/, { timeout: 10_000 });
    expect(await staff.locator('#reception-mynumber').locator('xpath=..').getByRole('alert').innerText()).toContain(
      'このマイナンバーカードはマイページに連携されていません。',
    );
    expect(await staff.locator('#reception-occupancy').innerText()).toBe('3人/100人');
    await expectAccessible(staff);
    await expectPhoneLayout(staff, 'the reception with the refusal');
  }, 120_000);
});
