// Data entry as people type, in Chromium on a 390 px phone: an editor's entry refused beside its
// field with everything typed kept, and a budget CSV saved by Excel in Japan (CP932) imported with
// the preview's warning about a total (計) left unchanged. axe on every page, no horizontal overflow.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { encodeCp932 } from '../cp932.ts';
import { staffCommands } from '../staff-commands.ts';
import { expectAccessible, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, staffPassword, type ServedApp, phonePage } from './suite.ts';

let browser: Browser;
let t: ServedApp;
const password = staffPassword;
const accounts: Record<string, { email: string; totpSecret: string }> = {};

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  const make = async (key: string, roles: string[], extra: { department?: string; municipalityCode?: string } = {}) => {
    const email = `${key}@example.jp`;
    const a = await createAccount(t.database.db, { email, name: `${key} 職員`, password, roles, ...extra });
    accounts[key] = { email, totpSecret: a.totpSecret };
    return a.id;
  };
  const adminId = await make('admin', ['prefecture_admin', 'plan_admin']);
  await make('editor', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
  await make('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  const admin = {
    id: adminId,
    name: 'admin',
    roles: ['prefecture_admin' as const, 'plan_admin' as const],
    department: null,
    municipalityCode: null,
  };
  await staffCommands(t).assignOwner(admin, 'aomori-dx', 'industry-1-1', { department: 'sogo-seisaku.dx-suishin' });
  await staffCommands(t).openRound(admin, 'aomori-dx', { label: '2025年7月末時点', asOf: '2025-07-31', dueDate: '2099-12-31' });
});
afterAll(() => closeSuite(browser, t));

async function expectNoHorizontalOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

/** Signs in through the common ID on a 390 px phone. */
async function signIn(key: string): Promise<Page> {
  const page = await phonePage(browser, { isMobile: true });
  await signInStaff(page, t.url, { ...accounts[key]!, password });
  return page;
}

describe('data entry as people type, at 390 px', () => {
  it('an editor’s entry with a field error keeps everything typed, the message beside the field', async () => {
    const page = await signIn('editor');
    await page.getByRole('link', { name: '2025年7月末時点' }).click();
    const row = page.locator('#i-industry-1-1');
    await row.getByLabel('値').fill('１２．５');
    await row.getByLabel('期間').fill('R6年度');
    await row.getByLabel('データの出所').fill('総合政策部DX推進課調べ');
    await row.getByLabel('備考').fill('上期分');
    await row.getByRole('button', { name: '提出する' }).click();

    const value = page.locator('#i-industry-1-1').getByLabel('値', { exact: true });
    expect(await value.inputValue()).toBe('１２．５');
    expect(await value.getAttribute('aria-invalid')).toBe('true');
    const described = await value.getAttribute('aria-describedby');
    const message = await page.locator(`#${described}`).innerText();
    expect(message).toContain(
      '「県内企業のデジタル化・DX支援件数（DX総合窓口への相談件数）」: この指標は数（件）なので、小数は入力できません。',
    );
    // The message is in the indicator's row, beside its form.
    expect(await page.locator(`#i-industry-1-1 #${described}`).count()).toBe(1);
    expect(await page.locator('#i-industry-1-1').getByLabel('期間').inputValue()).toBe('R6年度');
    expect(await page.locator('#i-industry-1-1').getByLabel('データの出所').inputValue()).toBe('総合政策部DX推進課調べ');
    expect(await page.locator('#i-industry-1-1').getByLabel('備考').inputValue()).toBe('上期分');
    expect(await page.getByRole('alert').innerText()).toContain('入力を受け付けませんでした');
    await expectAccessible(page);
    await expectNoHorizontalOverflow(page);

    // Corrected with full-width digits, as the IME types them: accepted, and the page is a GET again.
    await value.fill('１５０');
    await page.locator('#i-industry-1-1').getByRole('button', { name: '提出する' }).click();
    await page.waitForURL(/\/staff\/rounds\/\d+#i-industry-1-1$/);
    expect(await page.locator('#i-industry-1-1').innerText()).toContain('150件');
    expect(await page.locator('#i-industry-1-1').innerText()).toContain('承認待ち');
    await page.context().close();
  });

  it('a CP932 CSV import: the preview warns about 計, the import applies, the public page shows the difference', async () => {
    const page = await signIn('aomori');
    await page.goto(`${t.url}/staff/spreadsheets`);
    await expectAccessible(page);
    await expectNoHorizontalOverflow(page);
    // What Excel in Japan saves: the CSV text encoded per the CP932 code page.
    const csv =
      '事業コード,事業番号,事業名,2020年度,2021年度,2022年度,2023年度,2024年度,計\r\n' +
      'p9,9,圏域の水産物の食ブランド化推進事業,－,629,517,600,517,"2,180"\r\n';
    const section = page.getByRole('region', { name: /^事業費見込額/ });
    await section
      .getByLabel('ファイル（XLSX または CSV）')
      .setInputFiles({ name: '事業費見込額.csv', mimeType: 'text/csv', buffer: Buffer.from(encodeCp932(csv)) });
    await section.getByRole('button', { name: '取り込んで確認する' }).click();

    expect(await page.locator('h2').first().innerText()).toContain('変更点の確認');
    const preview = await page.locator('main').innerText();
    expect(preview).toContain('No.9 圏域の水産物の食ブランド化推進事業: 計（2,180千円）が年度の合計（2,263千円）と83千円異なります。');
    expect(preview).not.toContain('\uFFFD');
    await expectAccessible(page);
    await expectNoHorizontalOverflow(page);

    await page.getByRole('button', { name: 'この内容で取り込む' }).click();
    await page.waitForURL(/\/staff\/spreadsheets\?imported=1$/);
    expect(await page.getByRole('status').innerText()).toBe('取り込みました。');

    await page.goto(`${t.url}/plans/aomori-regional-vision/projects/9`);
    expect(await page.locator('main').innerText()).toContain('資料の「計」と年度の合計が -83千円 異なります。');
    await page.context().close();
  });
});
