// Every public and staff page type on a 390 px phone (issue 11, point 7): no horizontal scrolling of the page,
// names not squeezed to a few characters a line, and axe (WCAG 2.1 AA) on each.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { publicPageTypes } from './page-types.ts';
import { expectAccessible, expectPhoneLayout, signInStaff, phoneViewport } from './chromium.ts';
import { openSuite, closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
beforeAll(async () => {
  ({ t, browser } = await openSuite());
});
afterAll(() => closeSuite(browser, t));

const pages = [...publicPageTypes, ['the front door in English', '/?lang=en']] as const;

describe('public pages at 390 px', () => {
  it.each(pages)('%s (%s)', async (what, path) => {
    const context = await browser.newContext({ viewport: phoneViewport, isMobile: true });
    try {
      const page = await context.newPage();
      await page.goto(`${t.url}${path}`);
      await expectPhoneLayout(page, what);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});

const staffPages = [
  ['the staff home', '/staff'],
  ['the structure of a plan', '/staff/structure/aomori-dx'],
  ["a project's budget", '/staff/projects/1'],
  ["a city plan's indicators", '/staff/measures/aomori-city-plan'],
  ['the spreadsheets', '/staff/spreadsheets'],
  ['the audit trail', '/staff/audit'],
  ['the broker clients', '/staff/broker-clients'],
  ['the accounts', '/staff/accounts'],
  ["one's own account", '/staff/me'],
  ['the organisation registry', '/staff/organisations'],
  ['the owners', '/staff/owners'],
] as const;

describe('staff pages at 390 px', () => {
  const account = { email: 'phone.admin@example.jp', password: 'a long enough password', totpSecret: '' };
  let context: Awaited<ReturnType<Browser['newContext']>>;
  beforeAll(async () => {
    const roles = ['prefecture_admin', 'plan_admin', 'approver'];
    account.totpSecret = (await createAccount(t.database.db, { ...account, name: '電話 管理者', roles })).totpSecret;
    context = await browser.newContext({ viewport: phoneViewport, isMobile: true });
    await signInStaff(await context.newPage(), t.url, account);
  });
  afterAll(() => context.close());

  it.each(staffPages)('%s (%s)', async (what, path) => {
    const page = await context.newPage();
    try {
      const res = await page.goto(`${t.url}${path}`);
      if (res?.status() !== 200) throw new Error(`${path} answered ${res?.status()}`);
      await expectPhoneLayout(page, what);
      await expectAccessible(page);
    } finally {
      await page.close();
    }
  });
});
