// The common ID gives each citizen service its own subject identifier for the same person
// (pairwise, per OIDC sector: the service's host), so services cannot link people by it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { nextTotp } from '../totp.ts';
import { reservePort, serveTestApp } from '../db.ts';
import { launchChromium } from './chromium.ts';

let browser: Browser;
let idp: Awaited<ReturnType<typeof serveTestApp>>;
let receiver: Server;
let receiverUrl: string;
let totp: string;
const codes: URL[] = [];
/** The two services live on different hosts (two names for the same test receiver). */
const redirectBase = (clientId: string) => (clientId === 'bousai-app' ? receiverUrl : receiverUrl.replace('127.0.0.1', 'localhost'));

beforeAll(async () => {
  // A stand-in for two citizen services: it only records the redirect it receives.
  receiver = createServer((req, res) => {
    const url = new URL(req.url!, `http://${req.headers.host}`);
    if (url.pathname.endsWith('/callback')) codes.push(url);
    res.end('ok');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const port = await reservePort('localhost');
  const client = (id: string) => ({
    client_id: id,
    client_secret: `${id}-secret-for-the-test`,
    redirect_uris: [`${redirectBase(id)}/${id}/callback`],
    grant_types: ['authorization_code'],
    response_types: ['code' as const],
    subject_type: 'pairwise' as const,
  });
  idp = await serveTestApp('empty', port, { clients: [client('bousai-app'), client('kosodate-app')] });
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
  receiver?.close();
});

async function subjectFor(page: import('playwright-core').Page, clientId: string, signIn: boolean) {
  const config = await oidc.discovery(new URL(`${idp.url}/id`), clientId, `${clientId}-secret-for-the-test`, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const redirect = `${redirectBase(clientId)}/${clientId}/callback`;
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
  const tokens = await oidc.authorizationCodeGrant(config, codes.at(-1)!, { pkceCodeVerifier: verifier, expectedState: state });
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
