// The common ID for citizen services: a client with `audience: 'residents'` sends its sign-in to
// マイページ, and each service receives its own pairwise subject for the resident, never the internal id.
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createAccount } from '../../src/modules/identity/index.ts';
import { nextTotp } from '../totp.ts';
import { smtpMailer } from '../../src/platform/mailer.ts';
import { reservePort, rows, serveTestApp } from '../db.ts';
import { localSmtp } from '../smtp.ts';
import { twoServices } from '../services.ts';
import { launchChromium, signInStaff } from './chromium.ts';

let browser: Browser;
let idp: Awaited<ReturnType<typeof serveTestApp>>;
let smtp: Awaited<ReturnType<typeof localSmtp>>;
let services: Awaited<ReturnType<typeof twoServices>>;
const resident = { email: 'pairwise@example.jp', password: 'hakkoda-snow-monsters', secret: '' };

const post = (url: string, data: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(data).toString(),
  });

beforeAll(async () => {
  services = await twoServices('residents');
  const port = await reservePort('localhost');
  smtp = await localSmtp();
  idp = await serveTestApp('empty', port, {
    clients: services.clients,
    mailer: smtpMailer(smtp.url, 'Renkei <no-reply@localhost>'),
  });
  // The resident signs up as on マイページ (the browser test of sign-up walks these pages).
  await post(`${idp.url}/my/sign-up`, { email: resident.email });
  const link = /http:\/\/localhost:\d+\/my\/verify\/[A-Za-z0-9_-]{43}/.exec(smtp.received.at(-1)!.text)![0];
  resident.secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(await (await fetch(link)).text())![1]!;
  const done = await post(link, { password: resident.password, password2: resident.password, code: await nextTotp(resident.secret) });
  expect(done.status).toBe(303);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await smtp?.close();
  services?.close();
});

async function subjectFor(page: Page, clientId: string, signIn: boolean) {
  const config = await oidc.discovery(new URL(`${idp.url}/id`), clientId, `${clientId}-secret-for-the-test`, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const redirect = services.redirectUri(clientId);
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  await page.goto(url.href);
  if (signIn) {
    await page.waitForURL(/\/my\/sign-in\?interaction=/);
    await page.getByLabel('メールアドレス').fill(resident.email);
    await page.getByLabel('パスワード').fill(resident.password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByLabel('確認コード').fill(await nextTotp(resident.secret));
    await page.getByRole('button', { name: 'サインイン' }).click();
  }
  await page.waitForURL(`${redirect}**`);
  const tokens = await oidc.authorizationCodeGrant(config, services.codes.at(-1)!, { pkceCodeVerifier: verifier, expectedState: state });
  return tokens.claims()!.sub;
}

describe('住民アカウント on the common ID', () => {
  it('OIDC Core 8.1 pairwise: two resident services get different subjects, neither the internal id', async () => {
    const page = await (await browser.newContext()).newPage();
    const bousai = await subjectFor(page, 'bousai-app', true);
    const kosodate = await subjectFor(page, 'kosodate-app', false); // already signed in: single sign-on
    const id = (await rows<{ id: string }>(idp.database, sql`select id from resident_accounts`))[0]!.id;
    expect(bousai).not.toBe(kosodate);
    expect(bousai).not.toBe(id);
    expect(kosodate).not.toBe(id);
    expect(await subjectFor(page, 'bousai-app', false)).toBe(bousai);
  });

  it('a staff session at the common ID is not a resident sign-in, nor a resident session a staff one', async () => {
    const staff = { email: 'staff-and-resident@example.jp', password: 'a staff member’s password' };
    const { totpSecret } = await createAccount(idp.database.db, { ...staff, name: '職員', roles: ['viewer'] });
    const page = await (await browser.newContext()).newPage();
    await signInStaff(page, idp.url, { ...staff, totpSecret });
    // Signed in as staff: the resident service still asks for a resident's sign-in on マイページ.
    const bousai = await subjectFor(page, 'bousai-app', true);
    expect(bousai).not.toBe((await rows<{ id: string }>(idp.database, sql`select id from staff_accounts`))[0]!.id);
    // Now the common ID's session is the resident's: the staff screens ask for a staff sign-in again.
    await page.goto(`${idp.url}/staff/login`);
    await page.waitForURL(/\/id\/interaction\//);
    expect(await page.getByLabel('メールアドレス').count()).toBe(1);
  });
});
