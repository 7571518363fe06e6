// Owners from the registry, in Chromium: an administrator assigns three indicators to a section at
// once on /staff/owners, and an editor of its department (部) then has them to enter. axe and the
// 390 px layout on /staff/organisations and /staff/owners.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { staffCommands } from '../staff-commands.ts';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, staffPassword, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
const password = staffPassword;
const accounts: Record<string, { email: string; totpSecret: string }> = {};
const three = ['industry-1-1', 'industry-1-2', 'industry-1-3'];

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  const make = async (key: string, roles: string[], department?: string) => {
    const email = `${key}@example.jp`;
    const a = await createAccount(t.database.db, { email, name: `${key} 職員`, password, roles, department });
    accounts[key] = { email, totpSecret: a.totpSecret };
    return a.id;
  };
  const adminId = await make('admin', ['prefecture_admin', 'plan_admin']);
  await make('editor', ['department_editor'], 'sogo-seisaku');
  const admin = { id: adminId, name: 'admin', roles: ['plan_admin' as const], department: null, municipalityCode: null };
  await staffCommands(t).openRound(admin, 'aomori-dx', { label: '2025年7月末時点', asOf: '2025-07-31', dueDate: '2099-12-31' });
});
afterAll(() => closeSuite(browser, t));

async function signIn(key: string, width = 1280): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 900 }, isMobile: width < 500 })).newPage();
  await signInStaff(page, t.url, { ...accounts[key]!, password });
  return page;
}

describe('owners from the registry, in Chromium', () => {
  it('an administrator assigns three indicators to a section at once; an editor of its department sees them to enter', async () => {
    const admin = await signIn('admin');
    await admin.getByRole('link', { name: /担当部局の設定/ }).click();
    await admin.waitForURL(/\/staff\/owners$/);
    await admin.getByLabel('表示').selectOption('unassigned');
    await admin.getByRole('button', { name: '絞り込む' }).click();
    await admin.waitForURL(/filter=unassigned/);
    for (const code of three) await admin.locator(`#o-${code}`).check();
    await admin.getByLabel('選んだ指標の担当部局').selectOption({ label: '総合政策部DX推進課' });
    await admin.getByRole('button', { name: '選んだ指標に割り当てる' }).click();
    await admin.waitForURL(/\/staff\/owners\?(plan=aomori-dx&)?filter=unassigned$/);
    // Assigned, so no longer among the unassigned.
    for (const code of three) expect(await admin.locator(`#o-${code}`).count()).toBe(0);
    await expectAccessible(admin);

    const editor = await signIn('editor');
    await editor.getByRole('link', { name: '2025年7月末時点' }).click();
    for (const code of three) {
      const row = editor.locator(`#i-${code}`);
      await expect.poll(() => row.getByRole('button', { name: '提出する' }).count()).toBe(1);
      expect(await row.locator('td').first().textContent()).toBe('総合政策部DX推進課');
    }
    expect(await editor.locator('#i-industry-1-4').count()).toBe(0);
  });

  it.each(['/staff/organisations', '/staff/owners'])('%s: axe 0 violations and no overflow at 390 px', async (path) => {
    const page = await signIn('admin', 390);
    await page.locator(`a[href="${path}"]`).click();
    await page.waitForURL(`${t.url}${path}`);
    expect(await page.locator('h1').textContent()).toMatch(/組織一覧|担当部局の設定/);
    await expectAccessible(page);
    await expectPhoneLayout(page, path);
  });
});
