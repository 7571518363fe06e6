// The README's walk-through for a new prefecture administrator, in Chromium against the server as
// `npm start` runs it (a fresh embedded database with the Aomori data, mail to a local SMTP server):
// install → the first administrator from the setup link printed at start → invite a department's
// editor → assign owners and open a round → the editor enters → approve and publish → the public
// dashboard shows the new publication.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nextTotp } from '../totp.ts';
import { freshDir, startServer, stopServers, type Server } from '../npm-start.ts';
import { localSmtp } from '../smtp.ts';
import { completeAccountLink, expectAccessible, expectPhoneLayout, launchChromium, signInStaff } from './chromium.ts';
import { phonePage } from './suite.ts';

let browser: Browser;
let smtp: Awaited<ReturnType<typeof localSmtp>>;
let server: Server;

beforeAll(async () => {
  smtp = await localSmtp();
  server = await startServer(freshDir(), { LOAD_DEFAULT_DATA: 'true', SMTP_URL: smtp.url });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  stopServers();
  await smtp?.close();
});

const phone = async () => phonePage(browser);
const check = async (page: Page, what: string) => {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
};

describe('the README walk-through in Chromium', () => {
  it('install → first administrator → invite a department → open a round → publish', async () => {
    // 1. The fresh installation printed its setup link once.
    const setup = /最初の管理者を次のURLで登録してください（\d+時間有効）: (\S+\/id\/setup\/\S+)/.exec(server.output())![1]!;
    expect(setup.startsWith(`${server.url}/id/setup/`)).toBe(true);
    const admin = await phone();
    await admin.goto(setup);
    const adminAccount = { email: 'kanri@pref.example.jp', password: 'the first administrator pass', totpSecret: '' };
    await admin.getByLabel('氏名').fill('青森 管理者');
    await admin.getByLabel('メールアドレス').fill(adminAccount.email);
    await admin.getByLabel('新しいパスワード', { exact: false }).first().fill(adminAccount.password);
    await admin.getByLabel('新しいパスワード（確認）').fill(adminAccount.password);
    adminAccount.totpSecret = (await admin.locator('#totp-secret').innerText()).trim();
    await admin.getByLabel('認証アプリに表示された6桁の確認コード').fill(await nextTotp(adminAccount.totpSecret));
    await admin.getByRole('button', { name: '登録する' }).click();
    await admin.waitForSelector('h1:text("最初の管理者を登録しました")');
    await signInStaff(admin, server.url, adminAccount);

    // 2. Invite the DX推進課's editor; the mail's link sets their password and authenticator.
    await admin.getByRole('link', { name: /アカウント管理/ }).click();
    await admin.getByLabel('氏名').fill('総合 政策');
    await admin.getByLabel('メールアドレス').fill('dx@pref.example.jp');
    await admin.getByRole('checkbox', { name: '部局編集者', exact: true }).check();
    await admin.getByLabel('担当部局・課（部局編集者）').selectOption({ label: '総合政策部DX推進課' });
    await admin.getByRole('button', { name: '招待する' }).click();
    await admin.waitForURL(/\/staff\/accounts\/[0-9a-f-]{36}\?mailed=invite$/);
    const mail = smtp.received.find((m) => m.to === 'dx@pref.example.jp')!;
    const link = /http:\/\/127\.0\.0\.1:\d+\/id\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    const editor = await phone();
    const editorPassword = 'the editor chose this one';
    const { secret } = await completeAccountLink(editor, link, editorPassword, check);

    // 3. The administrator makes the DX推進課 the owner of an indicator and opens a round.
    await admin.goto(`${server.url}/staff`);
    await admin.getByRole('link', { name: /担当部局の設定/ }).click();
    await admin.locator('#o-industry-1-1').check();
    await admin.getByLabel('選んだ指標の担当部局').selectOption({ label: '総合政策部DX推進課' });
    await admin.getByRole('button', { name: '選んだ指標に割り当てる' }).click();
    await admin.waitForURL(/\/staff\/owners/);
    await admin.goto(`${server.url}/staff`);
    await admin.getByLabel('計画').selectOption({ label: '青森県DX推進プラン' });
    await admin.getByLabel('名称（時点）').fill('2025年7月末時点');
    await admin.getByLabel('時点', { exact: true }).fill('2025-07-31');
    await admin.getByLabel('提出期限').fill('2099-12-31');
    await admin.getByRole('button', { name: '報告ラウンドを開く' }).click();
    await admin.waitForURL(`${server.url}/staff`);
    await check(admin, 'staff home with a round');

    // 4. The editor signs in for the first time and enters the value.
    await signInStaff(editor, server.url, { email: 'dx@pref.example.jp', password: editorPassword, totpSecret: secret });
    await editor.getByRole('link', { name: '2025年7月末時点' }).click();
    const row = editor.locator('#i-industry-1-1');
    await row.getByLabel('値').fill('１５０');
    await row.getByLabel('期間').fill('R7年度');
    await row.getByLabel('データの出所').fill('総合政策部DX推進課調べ');
    await row.getByRole('button', { name: '提出する' }).click();
    await editor.waitForURL(/\/staff\/rounds\/\d+#i-industry-1-1$/);
    expect(await row.innerText()).toContain('承認待ち');
    await check(editor, 'round page for the editor');

    // 5. The administrator approves and publishes, confirming what is still missing by name.
    await admin.getByRole('link', { name: '2025年7月末時点' }).click();
    await admin.locator('#i-industry-1-1').getByRole('button', { name: '承認する' }).click();
    await expect.poll(() => admin.locator('#i-industry-1-1').innerText()).toContain('承認済み');
    const missing = admin.getByRole('checkbox', { name: /があることを確認しました$/ });
    if (await missing.count()) await missing.check();
    await admin.getByRole('button', { name: 'ラウンドを承認して公表する' }).click();
    expect(await admin.getByText('公表しました').isVisible()).toBe(true);

    // 6. The public dashboard shows the new publication, with the editor's figure and its source.
    const citizen = await phone();
    await citizen.goto(`${server.url}/plans/aomori-dx`);
    expect(await citizen.locator('main').innerText()).toContain('2025年7月末時点');
    await check(citizen, 'dashboard after publishing');
    const api = (await (await fetch(`${server.url}/api/v1/plans/aomori-dx/publications`)).json()) as { publications: { asOf: string }[] };
    expect(api.publications.map((p) => p.asOf)).toContain('2025-07-31');
  }, 240_000);
});
