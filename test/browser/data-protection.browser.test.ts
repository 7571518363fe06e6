// The staff data-protection page in Chromium at 390 px: a prefecture administrator opens it from
// /staff, filters the access log, sees the bulk-read alert, meets a refused 受付番号 beside the field
// and downloads a resident's disclosure; axe and the phone layout on each state.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { insertAccessLog as insertAccessLogRow } from '../../src/modules/residents/repository-gate.ts';
import { BULK_READ_THRESHOLD } from '../../src/modules/residents/protection.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let resident: string;
const admin = { email: 'admin@example.jp', password: 'correct horse battery staple', totpSecret: '' };

const log = (over: Partial<Parameters<typeof insertAccessLogRow>[1]>) =>
  insertAccessLogRow(t.database.db, {
    id: randomUUID(),
    residentId: resident,
    actorKind: 'client',
    actorId: 'client-allowed',
    organisationId: '02201',
    purposeId: 'shelter-reception',
    categories: ['name', 'allergies'],
    basis: 'consent',
    allowed: true,
    channel: 'broker',
    at: new Date(Date.now() - 3 * 3600_000),
    ...over,
  });

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  admin.totpSecret = (await createAccount(t.database.db, { ...admin, name: '県 管理者', roles: ['prefecture_admin'] })).totpSecret;
  resident = (await signedInResident(t.database.db)).residentId;
  await t.residents.commands.saveProfile({ residentId: resident, municipalityCode: '02201', name: '青森 花子' });
  await log({});
  await log({ actorId: 'client-refused', organisationId: '02202', allowed: false, basis: 'none' });
  for (let i = 0; i <= BULK_READ_THRESHOLD; i++)
    await log({ residentId: `r_bulk${i}`, actorId: 'client-bulk', at: new Date(Date.now() - 2 * 3600_000 + i * 1000) });
});
afterAll(() => closeSuite(browser, t));

async function check(page: Page, what: string) {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
}

describe('data protection in Chromium', () => {
  it('filters the access log, shows the bulk-read alert, refuses a bad 受付番号 beside the field, downloads a disclosure', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true })).newPage();
    await signInStaff(page, t.url, admin);
    await page.getByRole('link', { name: /個人データの保護/ }).click();
    expect(await page.locator('h1').innerText()).toBe('個人データの保護');
    expect(await page.getByRole('alert').first().innerText()).toContain(`${BULK_READ_THRESHOLD + 1}人`);
    await check(page, '/staff/data-protection');

    await page.getByLabel('結果').selectOption('no');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/allowed=no/);
    const cells = await page.locator('table.audit tbody tr td:nth-child(2)').allInnerTexts();
    expect(cells).toEqual(['client-refused']);
    await check(page, '/staff/data-protection?allowed=no');

    const exportForm = page.locator('form[action="/staff/data-protection/export"]');
    await exportForm.getByLabel('受付番号').fill('r_nobody');
    await exportForm.getByLabel('理由').fill('窓口での開示請求');
    await exportForm.getByRole('button', { name: '書き出す' }).click();
    await expect.poll(() => page.locator('#err-export').innerText()).toContain('この受付番号の住民は見つかりません');
    expect(await exportForm.getByLabel('理由').inputValue()).toBe('窓口での開示請求');
    await check(page, 'a refused disclosure');

    await exportForm.getByLabel('受付番号').fill(resident);
    const [download] = await Promise.all([page.waitForEvent('download'), exportForm.getByRole('button', { name: '書き出す' }).click()]);
    const body = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(body).toMatchObject({ residentId: resident, data: { name: '青森 花子' } });
  });
});
