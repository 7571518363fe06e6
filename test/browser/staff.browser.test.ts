// The whole reporting round in Chromium: sign-in (password + TOTP) through the common ID, entry,
// approval, publication, the public dashboard's new figure and 前期差, and the audit trail.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { createAccount } from '../../src/modules/identity/index.ts';
import { staffCommands } from '../staff-commands.ts';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, staffPassword, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;
const password = staffPassword;
const accounts: Record<string, { email: string; totpSecret: string }> = {};

beforeAll(async () => {
  ({ t, browser } = await openSuite());
  const make = async (key: string, roles: string[], department: string | null = null) => {
    const email = `${key}@example.jp`;
    const a = await createAccount(t.database.db, { email, name: `${key} 職員`, password, roles, department });
    accounts[key] = { email, totpSecret: a.totpSecret };
    return a.id;
  };
  const adminId = await make('admin', ['prefecture_admin', 'plan_admin']);
  await make('editor', ['department_editor'], 'sogo-seisaku.dx-suishin');
  await make('approver', ['approver']);
  const admin = {
    id: adminId,
    name: 'admin',
    roles: ['prefecture_admin', 'plan_admin'] as const,
    department: null,
    municipalityCode: null,
  };
  await staffCommands(t).assignOwner({ ...admin, roles: [...admin.roles] }, 'aomori-dx', 'industry-1-1', {
    department: 'sogo-seisaku.dx-suishin',
  });
  const due = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
  await staffCommands(t).openRound({ ...admin, roles: [...admin.roles] }, 'aomori-dx', {
    label: '2025年7月末時点',
    asOf: '2025-07-31',
    dueDate: due,
  });
});
afterAll(() => closeSuite(browser, t));

async function signIn(key: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInStaff(page, t.url, { ...accounts[key]!, password }, async () => {
    expect(await page.locator('h1').innerText()).toBe('職員サインイン（共通ID）');
    await expectAccessible(page);
  });
  return page;
}

describe('a reporting round in Chromium', () => {
  it('rejects a wrong password and a wrong code with a Japanese message', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.url}/staff`);
    await page.waitForURL(/\/id\/interaction\//);
    await page.getByLabel('メールアドレス').fill(accounts.editor!.email);
    await page.getByLabel('パスワード').fill('wrong password here');
    await page.getByRole('button', { name: '次へ' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('メールアドレスまたはパスワードが正しくありません。');
    await page.context().close();
  });

  it('editor enters and submits; approver approves and publishes; the dashboard and audit trail show it', async () => {
    const editor = await signIn('editor');
    expect(await editor.locator('h1').innerText()).toBe('職員ページ');
    await expectAccessible(editor);
    await editor.getByRole('link', { name: '2025年7月末時点' }).click();
    const row = editor.locator('#i-industry-1-1');
    // the editor sees only the indicators of their department
    expect(await editor.locator('tbody tr').count()).toBe(1);
    await expectAccessible(editor);

    // bad input: a clear message, nothing saved
    await row.getByLabel('値').fill('１２ab');
    await row.getByLabel('期間').fill('R6年度');
    await row.getByLabel('データの出所').fill('総合政策部DX推進課調べ');
    await row.getByRole('button', { name: '提出する' }).click();
    expect(await editor.getByRole('alert').innerText()).toContain('値は数字で入力してください');
    expect(await editor.locator('#i-industry-1-1').innerText()).toContain('未入力');

    const again = editor.locator('#i-industry-1-1');
    await again.getByLabel('値').fill('150');
    await again.getByLabel('期間').fill('R6年度');
    await again.getByLabel('データの出所').fill('総合政策部DX推進課調べ');
    await again.getByRole('button', { name: '提出する' }).click();
    await editor.waitForURL(/rounds\/\d+/);
    expect(await editor.locator('#i-industry-1-1').innerText()).toContain('承認待ち');

    const approver = await signIn('approver');
    await approver.getByRole('link', { name: '2025年7月末時点' }).click();
    await approver.locator('#i-industry-1-1').getByRole('button', { name: '承認する' }).click();
    expect(await approver.locator('#i-industry-1-1').innerText()).toContain('承認済み');
    // The other indicators have no owner yet: publishing names them and asks to confirm.
    await approver.getByRole('checkbox', { name: /^未提出の部局（担当部局が未設定の指標\d+件: .*）があることを確認しました$/ }).check();
    await approver.getByRole('button', { name: 'ラウンドを承認して公表する' }).click();
    expect(await approver.getByText('公表しました').isVisible()).toBe(true);

    // the public dashboard: (150 ÷ 375 = 40.0, 44.0, 20.0, 46.4, 40.0) ÷ 5 = 38.1, 前期差 +2.2
    const pub = await (await browser.newContext()).newPage();
    await pub.goto(`${t.url}/plans/aomori-dx/kpis/industry-1`);
    expect(await pub.locator('.as-of').innerText()).toBe('2025年7月末時点');
    expect(await pub.locator('.figure-big').innerText()).toContain('38.1%');
    expect(await pub.locator('dl.facts').innerText()).toContain('+2.2ポイント');
    expect(await pub.locator('table.indicators tbody tr').first().innerText()).toContain('150件');

    await approver.goto(`${t.url}/staff/audit`);
    const audit = await approver.locator('main').innerText();
    for (const action of ['報告ラウンドの開始', '担当部局の割り当て', '実績値の提出', '実績値の承認', '報告ラウンドの公表']) {
      expect(audit).toContain(action);
    }
    expect(audit).not.toContain('publish_round');
    expect(await approver.getByRole('status').innerText()).toContain('正常');
    await expectAccessible(approver);
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: true });
  });

  it('the administrator’s pages pass axe and fit a 360 px phone without horizontal scrolling', async () => {
    const admin = await signIn('admin');
    for (const path of [
      '/staff',
      '/staff/structure/aomori-dx',
      '/staff/structure/aomori-regional-vision',
      '/staff/spreadsheets',
      '/staff/projects/1',
      '/staff/broker-clients',
      '/staff/audit',
    ]) {
      await admin.setViewportSize({ width: 1280, height: 800 });
      await admin.goto(`${t.url}${path}`);
      expect(await admin.locator('h1').count(), path).toBe(1);
      await expectAccessible(admin);
      await admin.setViewportSize({ width: 360, height: 800 });
      const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});

describe('the audit log', () => {
  it('an editor sees only their own entries; an approver filters by who and gets the CSV; both pass axe and fit 360 px', async () => {
    const editor = await signIn('editor');
    await editor.goto(`${t.url}/staff/audit`);
    const rows = editor.locator('table.audit tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allInnerTexts()) expect(text).toContain('editor 職員');
    expect(await editor.getByText('ハッシュチェーンの検証').count()).toBe(0);
    await expectAccessible(editor);
    await editor.setViewportSize({ width: 360, height: 800 });
    await expectPhoneLayout(editor, 'the editor’s audit log');

    const approver = await signIn('approver');
    await approver.goto(`${t.url}/staff/audit`);
    await approver.getByLabel('操作者').selectOption({ label: 'admin 職員' });
    await approver.getByRole('button', { name: '絞り込む' }).click();
    await approver.waitForURL(/who=/);
    const shown = await approver.locator('table.audit tbody tr').allInnerTexts();
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect(text).toContain('admin 職員');
    expect(await approver.locator('time').first().innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    await expectAccessible(approver);
    const download = approver.waitForEvent('download');
    await approver.getByRole('link', { name: 'CSVで書き出す' }).click();
    expect((await download).suggestedFilename()).toBe('audit-log.csv');
    await approver.setViewportSize({ width: 360, height: 800 });
    await approver.reload();
    await expectPhoneLayout(approver, 'the approver’s audit log');
    await expectAccessible(approver);
  });
});

describe('data linkage platform clients', () => {
  it('an administrator registers a client, sees its secret once after the redirect, the client gets a token, and revoking asks first; the page passes axe', async () => {
    const admin = await signIn('admin');
    await admin.goto(`${t.url}/staff`);
    await admin.getByRole('link', { name: /データ連携基盤のクライアント/ }).click();
    await expectAccessible(admin);
    await admin.getByLabel('名称').fill('青森市 防災システム');
    await admin.getByLabel(/テナント/).fill('aomori, default');
    await admin.getByRole('button', { name: '登録する' }).click();
    // redirected after the POST: the secret's page is a GET, shown once
    await admin.waitForURL(`${t.url}/staff/broker-clients/created`);
    const status = admin.getByRole('status');
    await expect.poll(() => status.textContent()).toContain('client_secret');
    const clientId = (await status.locator('dd code').nth(0).textContent())!;
    const secret = (await status.locator('dd code').nth(1).textContent())!;
    await expectAccessible(admin);
    const token = await fetch(`${t.url}/id/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ngsi-ld:write:aomori' }),
    });
    expect(((await token.json()) as { scope?: string }).scope).toBe('ngsi-ld:write:aomori');
    // The secret is not shown again: a reload shows a notice and registers nothing more.
    await admin.reload();
    expect(await admin.content()).not.toContain(secret);
    expect(await admin.getByRole('status').innerText()).toContain('一度だけ表示しました');
    await admin.goto(`${t.url}/staff/broker-clients`);
    expect(await admin.content()).not.toContain(secret);
    const row = admin.getByRole('row', { name: /青森市 防災システム/ });
    expect(await row.count()).toBe(1);
    // 取り消す asks first: the confirming button only appears once the person opens it
    const confirm = row.getByRole('button', { name: /の取り消しを確定する$/ });
    expect(await confirm.isVisible()).toBe(false);
    await row.getByText('取り消す', { exact: true }).click();
    expect(await row.innerText()).toContain('元に戻せません');
    await expectAccessible(admin);
    await confirm.click();
    await admin.waitForURL(`${t.url}/staff/broker-clients?revoked=1`);
    expect(await admin.getByRole('status').innerText()).toBe('クライアントを取り消しました。');
    expect(await admin.getByRole('row', { name: /青森市 防災システム/ }).count()).toBe(0);
    const refused = await fetch(`${t.url}/id/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ngsi-ld:write:aomori' }),
    });
    expect(refused.status).toBe(401);
  });
});
