// The city plan (青森市総合計画) reported in a round, in Chromium on a 390 px phone: an administrator
// adds an indicator under a 施策 (the document gives none) and opens a round for that plan; the
// editor of the owner (青森市, a municipality) enters the value; once approved and published, the public page
// shows it with its period. axe and the phone layout on the new pages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, staffPassword, type ServedApp, phonePage } from './suite.ts';

let browser: Browser;
let t: ServedApp;
const password = staffPassword;
/** The city plan is 青森市's own: the municipality owns its indicators and its editors enter them. */
const municipalityCode = '02201';
const accounts: Record<string, { email: string; totpSecret: string }> = {};

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  for (const [key, roles, extra] of [
    ['admin', ['prefecture_admin', 'plan_admin'], {}],
    ['editor', ['municipality_editor'], { municipalityCode }],
    ['approver', ['approver'], {}],
  ] as const) {
    const a = await createAccount(t.database.db, {
      email: `${key}@example.jp`,
      name: `${key} 職員`,
      password,
      roles: [...roles],
      ...extra,
    });
    accounts[key] = { email: `${key}@example.jp`, totpSecret: a.totpSecret };
  }
});
afterAll(() => closeSuite(browser, t));

async function signIn(key: string): Promise<Page> {
  const page = await phonePage(browser, { isMobile: true });
  await signInStaff(page, t.url, { ...accounts[key]!, password });
  return page;
}

describe('the city plan in a reporting round, at 390 px', () => {
  it('an administrator adds an indicator under a 施策 and opens a round for the city plan', async () => {
    const page = await signIn('admin');
    await page.getByRole('link', { name: '指標の登録（青森市総合計画）' }).click();
    await expectAccessible(page);
    await expectPhoneLayout(page, 'measures');
    const section = page.getByRole('region', { name: '2-1-1 切れ目のない子育て支援の充実' });
    await section.getByText('2-1-1 に指標を追加する').click();
    await section.getByLabel('名称').fill('子育て支援センターの利用者数');
    await section.getByLabel('単位').fill('人');
    await section.getByLabel('理由').fill('市の指標として報告する');
    await section.getByRole('button', { name: '追加する' }).click();
    await page.waitForURL(/\/staff\/measures\/aomori-city-plan#m-2-1-1$/);
    expect(await section.innerText()).toContain('子育て支援センターの利用者数（2-1-1-1、単位 人、目標値 資料に記載なし）');

    await page.goto(`${t.url}/staff`);
    await page.getByLabel('計画').selectOption({ label: '青森市総合計画' });
    await page.getByLabel('名称（時点）').fill('2025年7月末時点');
    await page.getByLabel('時点', { exact: true }).fill('2025-07-31');
    await page.getByLabel('提出期限').fill('2099-12-31');
    await page.getByRole('button', { name: '報告ラウンドを開く' }).click();
    await page.waitForURL(`${t.url}/staff`);
    expect(await page.locator('main').innerText()).toContain('2025年7月末時点（青森市総合計画、提出期限 2099-12-31、受付中）');
    await expectAccessible(page);
    await page.getByRole('link', { name: '2025年7月末時点' }).click();
    const roundUrl = page.url();
    await page.getByRole('link', { name: '担当部局を設定してください' }).click();
    await page.locator('#o-2-1-1-1').check();
    await page.getByLabel('選んだ指標の担当部局').selectOption({ label: '青森市' });
    await page.getByRole('button', { name: '選んだ指標に割り当てる' }).click();
    await page.waitForURL(/\/staff\/owners\?plan=aomori-city-plan/);
    await expectAccessible(page);
    await page.goto(roundUrl);
    expect(await page.locator('#i-2-1-1-1 td').first().textContent()).toBe('青森市');
    await page.context().close();
  });

  it('the editor enters the value; once published, the public page shows it with its period', async () => {
    const page = await signIn('editor');
    await page.getByRole('link', { name: '2025年7月末時点' }).click();
    const row = page.locator('#i-2-1-1-1');
    await row.getByLabel('値').fill('１２，３４０');
    await row.getByLabel('期間').fill('R6年度');
    await row.getByLabel('データの出所').fill('こども支援課調べ');
    await row.getByRole('button', { name: '提出する' }).click();
    await page.waitForURL(/\/staff\/rounds\/\d+#i-2-1-1-1$/);
    expect(await page.locator('#i-2-1-1-1').innerText()).toContain('12,340人（R6年度）');
    expect(await page.locator('#i-2-1-1-1').innerText()).toContain('承認待ち');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'round');

    await page.context().close();

    const review = await signIn('approver');
    await review.getByRole('link', { name: '2025年7月末時点' }).click();
    await review.locator('#i-2-1-1-1').getByRole('button', { name: '承認する' }).click();
    await review.waitForURL(/\/staff\/rounds\/\d+$/);
    await review.getByRole('button', { name: 'ラウンドを承認して公表する' }).click();
    await review.waitForURL(/\/staff\/rounds\/\d+$/);
    await review.getByRole('link', { name: '公開ページ' }).click();
    await review.context().close();

    const pub = await phonePage(browser, { isMobile: true });
    await pub.goto(`${t.url}/plans/aomori-city-plan/policies/2-1`);
    const indicator = pub.getByRole('row', { name: /子育て支援センターの利用者数/ });
    expect(await indicator.innerText()).toMatch(
      /資料に基準値の記載なし\s+資料に目標値の記載なし\s+12,340人（R6年度）\s*報告ラウンド「2025年7月末時点」で承認された値\s*データの出所: こども支援課調べ/,
    );
    await expectAccessible(pub);
    await expectPhoneLayout(pub, 'public policy page');
    await pub.context().close();
  });
});
