// The common ID gives each citizen service its own subject identifier for the same person
// (pairwise, per OIDC sector: the service's host), so services cannot link people by it.
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { nextTotp } from '../totp.ts';
import { reservePort, serveTestApp } from '../db.ts';
import { twoServices } from '../services.ts';
import { launchChromium } from './chromium.ts';

let browser: Browser;
let idp: Awaited<ReturnType<typeof serveTestApp>>;
let services: Awaited<ReturnType<typeof twoServices>>;
let totp: string;

beforeAll(async () => {
  services = await twoServices();
  const port = await reservePort('localhost');
  idp = await serveTestApp('empty', port, { clients: services.clients });
  totp = (
    await createAccount(idp.database.db, {
      email: 'resident@example.jp',
      name: '住民',
      password: 'a resident’s password',
      roles: ['viewer'],
    })
  ).totpSecret;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await idp?.close();
  services?.close();
});

async function subjectFor(page: import('playwright-core').Page, clientId: string, signIn: boolean) {
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
    await page.getByLabel('メールアドレス').fill('resident@example.jp');
    await page.getByLabel('パスワード').fill('a resident’s password');
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByLabel('確認コード').fill(await nextTotp(totp));
    await page.getByRole('button', { name: 'サインイン' }).click();
  }
  await page.waitForURL(`${redirect}**`);
  const tokens = await oidc.authorizationCodeGrant(config, services.codes.at(-1)!, { pkceCodeVerifier: verifier, expectedState: state });
  return tokens.claims()!.sub;
}

describe('pairwise subject identifiers', () => {
  it('the same person has a different, stable subject at each service', async () => {
    const page = await (await browser.newContext()).newPage();
    const bousai = await subjectFor(page, 'bousai-app', true);
    const kosodate = await subjectFor(page, 'kosodate-app', false); // already signed in: single sign-on
    const again = await subjectFor(page, 'bousai-app', false);
    expect(bousai).not.toBe(kosodate);
    expect(again).toBe(bousai);
    expect(bousai).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
