// マイナンバーカードでのサインイン against a stand-in for デジタル認証アプリ (a real OIDC provider on
// 127.0.0.1): an account on first sign-in, the same one after, assurance recorded, the upstream
// subject never stored in clear, and forged or refused callbacks store nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservePort, rows, serveTestApp } from '../../../test/db.ts';
import { CARD_ACR, CookieClient, mynumberStandIn, OTHER_ACR } from '../../../test/mynumber-provider.ts';

let renkei: Awaited<ReturnType<typeof serveTestApp>>;
let standIn: Awaited<ReturnType<typeof mynumberStandIn>>;

beforeAll(async () => {
  const port = await reservePort();
  standIn = await mynumberStandIn(`${port.url}/my/sign-in/mynumber/callback`);
  renkei = await serveTestApp('empty', port, { mynumber: standIn.config });
});
afterAll(async () => {
  await renkei?.close();
  await standIn?.close();
});

const links = () => rows(renkei.database, sql`select * from resident_identity_links`);
const accounts = async () => (await rows(renkei.database, sql`select count(*)::int as n from resident_accounts`))[0]!.n as number;

async function signIn(browser = new CookieClient(), base = renkei.url) {
  const { url, res } = await browser.follow(`${base}/my/sign-in/mynumber`, new RegExp(`^${base}/my$`));
  return { browser, url, res };
}

describe('マイナンバーカードでのサインイン (デジタル認証アプリ, OpenID Connect authorization code + PKCE)', () => {
  it('first sign-in creates an account and a link with acr, amr and auth_time; a second reuses it', async () => {
    standIn.state.subject = 'card-holder-first';
    const before = await accounts();
    const first = await signIn();
    expect(first.url).toBe(`${renkei.url}/my`);
    expect(first.res.status).toBe(303);
    expect(await accounts()).toBe(before + 1);
    const [link] = (await links()).filter((l) => l.acr === CARD_ACR);
    expect(link).toMatchObject({ provider: 'digital-auth-app', issuer: standIn.config.issuer, amr: ['hwk', 'pin'] });
    expect(link!.auth_time).not.toBeNull();

    const page = await first.browser.fetch(`${renkei.url}/my`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/マイナンバーカードで本人確認済み（\d{4}年/);

    const second = await signIn();
    expect(second.url).toBe(`${renkei.url}/my`);
    expect(await accounts()).toBe(before + 1);
    expect((await links()).filter((l) => l.resident_id === link!.resident_id)).toHaveLength(1);
  });

  it('the upstream subject is not stored in clear, only its HMAC', async () => {
    standIn.state.subject = 'card-holder-plaintext-probe';
    await signIn();
    const dump = JSON.stringify(await rows(renkei.database, sql`select * from resident_identity_links`));
    expect(dump).not.toContain('card-holder-plaintext-probe');
    expect(dump).not.toContain('card-holder-first');
  });

  it('a forged state is refused with a Japanese page and a way back; nothing is stored', async () => {
    standIn.state.subject = 'card-holder-forged';
    const before = await links();
    const browser = new CookieClient();
    const { url } = await browser.follow(`${renkei.url}/my/sign-in/mynumber`, /\/my\/sign-in\/mynumber\/callback/);
    const forged = new URL(url);
    forged.searchParams.set('state', 'forged');
    const res = await browser.fetch(forged.href);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('サインインできませんでした');
    expect(html).toContain('href="/my/sign-in/mynumber"');
    expect(await links()).toHaveLength(before.length);
    expect(browser.cookies.has('renkei_my')).toBe(false);
  });

  it('a callback without the flow cookie (or a forged one: nonce and verifier unknown) is refused', async () => {
    const before = await links();
    const browser = new CookieClient();
    const { url } = await browser.follow(`${renkei.url}/my/sign-in/mynumber`, /\/my\/sign-in\/mynumber\/callback/);
    browser.cookies.delete('renkei_my_mynumber');
    expect((await browser.fetch(url)).status).toBe(400);
    browser.cookies.set('renkei_my_mynumber', encodeURIComponent('{"verifier":"x","state":"y","nonce":"z"}.forgedsignature='));
    expect((await browser.fetch(url)).status).toBe(400);
    expect(await links()).toHaveLength(before.length);
  });

  it('error=access_denied (the resident cancelled in the app) gets the Japanese page; nothing is stored', async () => {
    standIn.state.deny = true;
    try {
      const before = await accounts();
      const { url, res } = await signIn();
      expect(url).toContain('/my/sign-in/mynumber/callback');
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('マイナンバーカードでのサインインが中断されたか');
      expect(await accounts()).toBe(before);
    } finally {
      standIn.state.deny = false;
    }
  });
});

describe('the expected acr (RESIDENT_MYNUMBER_PROVIDER "acr"; OpenID Connect Core 1.0 §2 acr claim)', () => {
  it('OIDC Core §2 acr: without an expected acr, a sign-in carrying another acr is accepted and recorded as sent', async () => {
    standIn.state.subject = 'card-holder-any-acr';
    standIn.state.acr = OTHER_ACR;
    try {
      expect((await signIn()).url).toBe(`${renkei.url}/my`);
      expect((await links()).filter((l) => l.acr === OTHER_ACR)).toHaveLength(1);
    } finally {
      standIn.state.acr = CARD_ACR;
    }
  });

  it('OIDC Core §2 acr: with an expected acr, the same acr signs in and another is refused in Japanese, storing nothing', async () => {
    const port = await reservePort();
    const strictStandIn = await mynumberStandIn(`${port.url}/my/sign-in/mynumber/callback`);
    const strict = await serveTestApp('empty', port, { mynumber: { ...strictStandIn.config, acr: CARD_ACR } });
    try {
      const count = async () => (await rows(strict.database, sql`select count(*)::int as n from resident_accounts`))[0]!.n as number;
      expect((await signIn(new CookieClient(), strict.url)).url).toBe(`${strict.url}/my`);
      expect(await count()).toBe(1);
      strictStandIn.state.subject = 'card-holder-weaker';
      strictStandIn.state.acr = OTHER_ACR;
      const refused = await signIn(new CookieClient(), strict.url);
      expect(refused.url).toContain('/my/sign-in/mynumber/callback');
      expect(refused.res.status).toBe(400);
      expect(await refused.res.text()).toContain('本人確認の方法が、この基盤が求めるもの（マイナンバーカード）と一致しませんでした');
      expect(await count()).toBe(1);
    } finally {
      await strict.close();
      await strictStandIn.close();
    }
  });
});
