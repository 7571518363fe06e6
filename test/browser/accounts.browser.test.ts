// Accounts in Chromium at 390 px: an administrator invites a person, who opens the e-mailed link,
// sets a password, enrols TOTP from the secret on the page, keeps the recovery codes and signs in;
// a reset (the old password fails, the new link works); a sign-in with a recovery code; a TOTP
// re-enrolment; the person's own page; and a fresh installation's setup link. axe and the phone layout on each page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { nextTotp } from '../totp.ts';
import { smtpMailer } from '../../src/platform/mailer.ts';
import { serveTestApp } from '../db.ts';
import { localSmtp } from '../smtp.ts';
import { completeAccountLink, expectAccessible, expectPhoneLayout, launchChromium, signInStaff } from './chromium.ts';
import { phonePage, type ServedApp } from './suite.ts';

let browser: Browser;
let smtp: Awaited<ReturnType<typeof localSmtp>>;
let t: ServedApp;
const admin = { email: 'admin@example.jp', password: 'correct horse battery staple', totpSecret: '' };
const person = { email: 'new.person@example.jp', password: 'my own long passphrase', totpSecret: '', codes: [] as string[] };

beforeAll(async () => {
  smtp = await localSmtp();
  t = await serveTestApp('empty', undefined, { mailer: smtpMailer(smtp.url, 'Renkei <no-reply@localhost>') });
  browser = await launchChromium();
  admin.totpSecret = (await createAccount(t.database.db, { ...admin, name: '県 管理者', roles: ['prefecture_admin'] })).totpSecret;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

const phone = async () => phonePage(browser);
async function check(page: Page, what: string) {
  await expectAccessible(page);
  await expectPhoneLayout(page, what);
}
/** The newest mail's link to one of our /id pages. */
const mailedLink = (to: string) => {
  const mail = smtp.received.filter((m) => m.to === to).at(-1)!;
  return /http:\/\/127\.0\.0\.1:\d+\/id\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
};

describe('accounts in Chromium', () => {
  it('(a) an administrator invites a person; the e-mailed link sets a password and TOTP; the person signs in', async () => {
    const page = await phone();
    await signInStaff(page, t.url, admin);
    await page.getByRole('link', { name: /アカウント管理/ }).click();
    expect(await page.locator('h1').innerText()).toBe('アカウント管理');
    await check(page, '/staff/accounts');
    await page.getByLabel('氏名').fill('新人 職員');
    await page.getByLabel('メールアドレス').fill(person.email);
    await page.getByLabel('閲覧者').check();
    await page.getByRole('button', { name: '招待する' }).click();
    await page.waitForURL(/\/staff\/accounts\/[0-9a-f-]{36}\?mailed=invite$/);
    expect(await page.getByRole('status').innerText()).toBe('招待のリンクをメールで送りました。');
    expect(await page.locator('dd').nth(1).innerText()).toBe('招待中');
    await check(page, 'account page');

    const invitee = await phone();
    const done = await completeAccountLink(invitee, mailedLink(person.email), person.password, check);
    person.totpSecret = done.secret;
    person.codes = done.codes;
    await invitee.getByRole('link', { name: 'サインインへ' }).click();
    await signInStaff(invitee, t.url, person);
    expect(await invitee.locator('h1').innerText()).toBe('職員ページ');
    await invitee.context().close();

    await page.goto(`${t.url}/staff/accounts`);
    expect(await page.locator('tbody tr', { hasText: person.email }).locator('td').nth(3).innerText()).toBe('有効');
    await page.context().close();
  });

  it('(c) signs in with a recovery code in place of the TOTP code; the own page shows one fewer and the method', async () => {
    const page = await phone();
    // as signInStaff, but the person types a recovery code where the TOTP code goes
    await page.goto(`${t.url}/staff`);
    await page.waitForURL(/\/id\/interaction\//);
    await page.getByLabel('メールアドレス').fill(person.email);
    await page.getByLabel('パスワード').fill(person.password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForURL(/\/totp$/);
    await page.getByLabel('確認コード').fill(person.codes[0]!);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(`${t.url}/staff`);
    await page.getByRole('link', { name: /アカウント設定/ }).click();
    expect(await page.locator('h1').innerText()).toBe('アカウント設定');
    expect(await page.getByText('使えるリカバリーコード').innerText()).toBe('使えるリカバリーコード: 残り9個');
    expect(await page.locator('tbody tr').first().locator('td').nth(1).innerText()).toBe('パスワード＋リカバリーコード');
    await check(page, '/staff/me');
    await page.context().close();
  });

  it('(b) a reset: the old password fails at once, the new link sets a new one', async () => {
    const page = await phone();
    await signInStaff(page, t.url, admin);
    await page.goto(`${t.url}/staff/accounts`);
    await page.getByRole('link', { name: '新人 職員' }).click();
    await page.getByText('パスワードを再設定する').click();
    await page.getByRole('button', { name: '再設定を確定する' }).click();
    await page.waitForURL(/\?mailed=reset$/);
    expect(await page.getByRole('status').innerText()).toBe('再設定のリンクをメールで送りました。');
    await page.context().close();

    const old = await phone();
    await old.goto(`${t.url}/staff`);
    await old.waitForURL(/\/id\/interaction\//);
    await old.getByLabel('メールアドレス').fill(person.email);
    await old.getByLabel('パスワード').fill(person.password);
    await old.getByRole('button', { name: '次へ' }).click();
    expect(await old.getByRole('alert').innerText()).toBe('メールアドレスまたはパスワードが正しくありません。');
    await old.context().close();

    const again = await phone();
    const newPassword = 'a fresh long passphrase';
    const done = await completeAccountLink(again, mailedLink(person.email), newPassword, check);
    await signInStaff(again, t.url, { email: person.email, password: newPassword, totpSecret: done.secret });
    expect(await again.locator('h1').innerText()).toBe('職員ページ');
    person.password = newPassword;
    await again.context().close();
  });

  it('a TOTP re-enrolment: the old authenticator stops; the link takes the password and a code from the new one', async () => {
    const page = await phone();
    await signInStaff(page, t.url, admin);
    await page.goto(`${t.url}/staff/accounts`);
    await page.getByRole('link', { name: '新人 職員' }).click();
    await page.getByText('認証アプリを再登録する').click();
    await page.getByRole('button', { name: '再登録の依頼を確定する' }).click();
    await page.waitForURL(/\?mailed=reenrol$/);
    await page.context().close();

    const person2 = await phone();
    await person2.goto(mailedLink(person.email));
    expect(await person2.locator('h1').innerText()).toBe('認証アプリの再登録');
    await check(person2, 're-enrolment page');
    await person2.getByLabel('現在のパスワード').fill(person.password);
    const secret = (await person2.locator('#totp-secret').innerText()).trim();
    await person2.getByLabel('認証アプリに表示された6桁の確認コード').fill(await nextTotp(secret));
    await person2.getByRole('button', { name: '登録する' }).click();
    await person2.waitForSelector('h1:text("認証アプリを登録しました")');
    await check(person2, 're-enrolled');
    await signInStaff(person2, t.url, { ...person, totpSecret: secret });
    person.totpSecret = secret;
    // new recovery codes from the own page, shown once
    await person2.goto(`${t.url}/staff/me`);
    await person2.getByRole('button', { name: 'リカバリーコードを作り直す' }).click();
    await person2.waitForURL(/\/staff\/me\/recovery-codes$/);
    expect(await person2.locator('.recovery-codes code').count()).toBe(10);
    await check(person2, 'new recovery codes');
    await person2.context().close();
  });

  it('a used link answers a clear page', async () => {
    const page = await phone();
    await page.goto(mailedLink(person.email));
    expect(await page.locator('h1').innerText()).toBe('このリンクは使えません');
    expect(await page.locator('main, body').first().innerText()).toContain('このリンクはすでに使用されています。');
    await check(page, 'used link');
    await page.context().close();
  });
});

describe('a fresh installation in Chromium', () => {
  it('the setup link creates the first prefecture administrator, who signs in and manages accounts', async () => {
    const fresh = await serveTestApp('empty');
    try {
      const link = (await fresh.identity.commands.issueSetupLink())!;
      const page = await phone();
      await page.goto(link);
      expect(await page.locator('h1').innerText()).toBe('最初の管理者の登録');
      await check(page, 'setup page');
      const password = 'the first administrator pass';
      await page.getByLabel('氏名').fill('最初 の管理者');
      await page.getByLabel('メールアドレス').fill('first@example.jp');
      await page.getByLabel('新しいパスワード', { exact: false }).first().fill(password);
      await page.getByLabel('新しいパスワード（確認）').fill(password);
      const secret = (await page.locator('#totp-secret').innerText()).trim();
      await page.getByLabel('認証アプリに表示された6桁の確認コード').fill(await nextTotp(secret));
      await page.getByRole('button', { name: '登録する' }).click();
      await page.waitForSelector('h1:text("最初の管理者を登録しました")');
      expect(await page.locator('.recovery-codes code').count()).toBe(10);
      await signInStaff(page, fresh.url, { email: 'first@example.jp', password, totpSecret: secret });
      await page.getByRole('link', { name: /アカウント管理/ }).click();
      expect(await page.locator('tbody tr').count()).toBe(1);
      await page.goto(link);
      expect(await page.locator('h1').innerText()).toBe('このリンクは使えません');
      await page.context().close();
    } finally {
      await fresh.close();
    }
  });
});
