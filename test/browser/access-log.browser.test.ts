// マイページ's access log in Chromium at 390 px: reads of a resident's data by a municipality's broker
// client under the resident's consent, and one refused read, are shown to the resident afterwards.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentRecords } from '../../src/modules/residents/schema.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, residentContext } from './chromium.ts';
import { openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let page: Page;

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  const resident = await signedInResident(t.database.db);
  await t.residents.commands.saveProfile({ residentId: resident.residentId, municipalityCode: '02201', name: '青森 花子' });
  await t.database.db.insert(consentRecords).values({
    id: 'c-browser',
    residentId: resident.residentId,
    purposeId: 'shelter-reception',
    purposeVersion: 1,
    recipientId: '02201',
    categories: ['name', 'allergies'],
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const reader = (organisationId: string) => ({ kind: 'client' as const, id: `broker-${organisationId}`, organisationId });
  await t.residents.queries.read(reader('02201'), resident.residentId, 'shelter-reception', ['name'], 'broker');
  await t.residents.queries
    .read(reader('02202'), resident.residentId, 'shelter-reception', ['name'], 'broker')
    .then(() => expect.fail('a read without consent was allowed'))
    .catch((e: { status?: number }) => expect(e.status).toBe(404));
  const context = await residentContext(browser, t.url, resident.cookie);
  page = await context.newPage();
});
afterAll(() => closeSuite(browser, t));

describe('マイページ: the access log in Chromium at 390 px', () => {
  it('shows who read which data for what, and the refused read, from the front page', async () => {
    await page.goto(`${t.url}/my`);
    await page.getByRole('link', { name: /閲覧記録/ }).click();
    await page.waitForURL(/\/my\/access-log$/);
    const text = await page.locator('main').innerText();
    for (const expected of ['青森市', 'あなたの同意', '弘前市', '同意も法令の根拠もないため', '避難所の受付で要配慮情報を共有する', '氏名'])
      expect(text).toContain(expected);
    await expectAccessible(page);
    await expectPhoneLayout(page, '/my/access-log');
  });
});
