// Federated sign-in: staff of an organisation sign in to Renkei with their organisation's own
// OpenID Connect provider — here a second, separately started provider instance on another host name.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/identity/index.ts';
import { nextTotp } from '../totp.ts';
import { reservePort, serveTestApp } from '../db.ts';
import { launchChromium } from './chromium.ts';

let browser: Browser;
let renkei: Awaited<ReturnType<typeof serveTestApp>>;
let upstream: Awaited<ReturnType<typeof serveTestApp>>;
let upstreamTotp: string;
const email = 'kikaku@town.example.jp';
const password = 'the town’s own password';

beforeAll(async () => {
  // Different host names keep the two providers' cookies apart, as two real sites would.
  const renkeiPort = await reservePort('127.0.0.1');
  const upstreamPort = await reservePort('localhost');
  const secret = 'a secret shared by configuration only';
  upstream = await serveTestApp('empty', upstreamPort, {
    clients: [
      {
        client_id: 'renkei-federation',
        client_secret: secret,
        redirect_uris: [`${renkeiPort.url}/id/federated/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
  });
  renkei = await serveTestApp('aomori', renkeiPort, {
    federation: [
      { id: 'town', name: '平内町の共通ID', issuer: `${upstreamPort.url}/id`, clientId: 'renkei-federation', clientSecret: secret },
    ],
  });
  // The town's own account (its own password and second factor) ...
  upstreamTotp = (await createAccount(upstream.database.db, { email, name: '企画 花子', password, roles: ['viewer'] })).totpSecret;
  // ... and the Renkei staff account it maps to, by e-mail.
  await createAccount(renkei.database.db, { email, name: '企画 花子', password: 'not used with federation', roles: ['viewer'] });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await renkei?.close();
  await upstream?.close();
});

describe('federated sign-in', () => {
  it('signs a town’s staff member in through the town’s provider', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${renkei.url}/staff`);
    await page.getByRole('link', { name: '平内町の共通IDでサインイン' }).click();
    await page.waitForURL(/^http:\/\/localhost:\d+\/id\/interaction\//, { timeout: 10_000 }).catch(async () => {
      throw new Error(`stopped at ${page.url()}: ${(await page.locator('main').innerText()).slice(0, 500)}`);
    });
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByLabel('確認コード').fill(await nextTotp(upstreamTotp));
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(`${renkei.url}/staff`, { timeout: 10_000 }).catch(async () => {
      throw new Error(`stopped at ${page.url()}: ${(await page.locator('main').innerText()).slice(0, 500)}`);
    });
    expect(await page.locator('main').innerText()).toContain('企画 花子（閲覧者）');
  });
});
