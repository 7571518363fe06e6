// パスキー in Chromium with its virtual authenticator (CDP WebAuthn domain): a signed-in resident
// registers a passkey at /my/security, signs out, and signs in with it without typing anything.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservePort, serveTestApp } from '../db.ts';
import { signedInResident } from '../residents.ts';
import { expectAccessible, expectPhoneLayout, launchChromium, residentContext } from './chromium.ts';
import { closeSuite, type ServedApp } from './suite.ts';

let browser: Browser;
let t: ServedApp;

beforeAll(async () => {
  // WebAuthn refuses IP addresses as RP IDs: the app is reached as localhost.
  t = await serveTestApp('empty', await reservePort('localhost'));
  browser = await launchChromium();
});
afterAll(() => closeSuite(browser, t));

describe('passkeys in Chromium (WebAuthn Level 3, virtual authenticator)', () => {
  it('§7.1/§7.2 a resident registers a passkey at /my/security, signs out, and signs in with it back to /my', async () => {
    const resident = await signedInResident(t.database.db);
    const context = await residentContext(browser, t.url, resident.cookie);
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && blocked.push(m.text()));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    await page.goto(`${t.url}/my`);
    await page.getByRole('link', { name: 'パスキー' }).click();
    await page.waitForURL(`${t.url}/my/security`);
    expect(await page.locator('main').innerText()).toContain('登録されたパスキーはありません。');
    await expectAccessible(page);
    await expectPhoneLayout(page, '/my/security');
    await page.getByRole('button', { name: 'パスキーを追加' }).click();
    await page.getByText('最終利用：未使用').waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    await expectAccessible(page);
    await expectPhoneLayout(page, '/my/security with a passkey');

    await context.clearCookies();
    // The sign-in page (/my/sign-in) shows PasskeySignIn among its methods; here it is on its own page.
    await page.goto(`${t.url}/my/sign-in/passkey?next=/my`);
    await expectAccessible(page);
    await expectPhoneLayout(page, '/my/sign-in/passkey');
    await page.getByRole('button', { name: 'パスキーでサインイン' }).click();
    await page.waitForURL(`${t.url}/my`);
    expect(await page.locator('h1').innerText()).toBe('マイページ');
    await page.goto(`${t.url}/my/security`);
    expect(await page.locator('main').innerText()).not.toContain('最終利用：未使用');
    // Removing needs no script: a plain form, back to the list.
    await page.getByRole('button', { name: /を削除$/ }).click();
    await page.getByText('登録されたパスキーはありません。').waitFor();
    expect(blocked).toEqual([]);
    await context.close();
  });
});
