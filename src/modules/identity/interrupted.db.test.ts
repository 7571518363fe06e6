// A sign-in whose interaction is gone — cookie missing, tampered with or expired, interaction
// expired — answers a 400 Japanese page that starts again, on every step, through the real provider.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservePort, rows, serveTestApp } from '../../../test/db.ts';
import { createAccount } from './index.ts';

let renkei: Awaited<ReturnType<typeof serveTestApp>>;
let upstream: Awaited<ReturnType<typeof serveTestApp>>;
const email = 'kikaku@example.jp';
const password = 'a long enough password';
const serviceLogin = 'https://service.example.jp/login';
const log: unknown[] = [];

beforeAll(async () => {
  const renkeiPort = await reservePort();
  const upstreamPort = await reservePort('localhost');
  upstream = await serveTestApp('empty', upstreamPort, {
    clients: [
      {
        client_id: 'renkei-federation',
        client_secret: 'shared by configuration',
        redirect_uris: [`${renkeiPort.url}/id/federated/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
  });
  renkei = await serveTestApp('empty', renkeiPort, {
    log: (e) => log.push(e),
    federation: [
      {
        id: 'town',
        name: '平内町の共通ID',
        issuer: `${upstreamPort.url}/id`,
        clientId: 'renkei-federation',
        clientSecret: 'shared by configuration',
      },
    ],
    clients: [
      {
        client_id: 'citizen-service',
        client_secret: 'a citizen service secret',
        redirect_uris: ['https://service.example.jp/callback'],
        initiate_login_uri: serviceLogin,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
  });
  await createAccount(renkei.database.db, { email, name: '企画 花子', password, roles: ['viewer'] });
});
afterAll(async () => {
  await renkei?.close();
  await upstream?.close();
});

/** A browser's cookie jar, without paths: enough to carry one sign-in. */
class Browser {
  cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  /** Follows redirects on `origin` until `stop` matches the next location. */
  async follow(url: string, stop: RegExp) {
    let res = await this.fetch(url);
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url).href;
      if (stop.test(next)) return next;
      res = await this.fetch((url = next));
    }
    throw new Error(`stopped at ${url} with ${res.status}`);
  }
}

/** A new staff sign-in up to its password page: the browser and the interaction's uid. */
async function staffSignIn() {
  const browser = new Browser();
  const page = await browser.follow(`${renkei.url}/staff`, /\/id\/interaction\//);
  const res = await browser.fetch(page);
  expect(res.status).toBe(200);
  return { browser, uid: page.split('/').pop()!, page };
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function expectInterrupted(res: Response, restart = '/staff') {
  const html = await res.text();
  expect(res.status).toBe(400);
  expect(html).toContain('<h1>サインインを最初からやり直してください</h1>');
  expect(html).toContain('サインインに時間がかかりすぎたか、途中で中断されたため');
  expect(html).toContain(`<a href="${restart}">最初からやり直す</a>`);
  expect(html).not.toMatch(/at [\w.]+ \(|SessionNotFound/);
}

const expire = (uid: string) =>
  rows(renkei.database, sql`update oidc_payloads set expires_at = now() - interval '1 second' where kind = 'Interaction' and id = ${uid}`);

describe('a sign-in that cannot go on (oidc-provider SessionNotFound)', () => {
  it('the password page and its form, without the interaction cookie: 400, start again at /staff', async () => {
    const { browser, page } = await staffSignIn();
    browser.cookies.clear();
    await expectInterrupted(await browser.fetch(page));
    await expectInterrupted(await browser.fetch(`${page}/password`, form({ email, password })));
    await expectInterrupted(await browser.fetch(`${page}/totp`));
    await expectInterrupted(await browser.fetch(`${page}/totp`, form({ code: '123456' })));
    await expectInterrupted(await browser.fetch(`${page}/federated/town`));
  });

  it('a tampered interaction cookie: 400 on every step', async () => {
    const { browser, page } = await staffSignIn();
    const signature = browser.cookies.get('_interaction.sig')!;
    browser.cookies.set('_interaction.sig', `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
    await expectInterrupted(await browser.fetch(page));
    await expectInterrupted(await browser.fetch(`${page}/password`, form({ email, password })));
  });

  it('an expired interaction: 400, and the password is not even checked', async () => {
    const { browser, page, uid } = await staffSignIn();
    await expire(uid);
    await expectInterrupted(await browser.fetch(page));
    await expectInterrupted(await browser.fetch(`${page}/password`, form({ email, password })));
    await expectInterrupted(await browser.fetch(`${page}/totp`, form({ code: '000000' })));
    const [account] = await rows<{ failed_attempts: number }>(renkei.database, sql`select failed_attempts from staff_accounts`);
    expect(account!.failed_attempts).toBe(0);
  });

  it('an unknown interaction id in the URL, even with a valid cookie of another: 400', async () => {
    const { browser } = await staffSignIn();
    await expectInterrupted(await browser.fetch(`${renkei.url}/id/interaction/no-such-interaction`));
    await expectInterrupted(await browser.fetch(`${renkei.url}/id/interaction/no-such-interaction/password`, form({ email, password })));
  });

  it('after the password, the code step of an expired interaction: 400', async () => {
    const { browser, page, uid } = await staffSignIn();
    const res = await browser.fetch(`${page}/password`, form({ email, password }));
    expect(res.status).toBe(303);
    await expire(uid);
    await expectInterrupted(await browser.fetch(`${page}/totp`));
    await expectInterrupted(await browser.fetch(`${page}/totp`, form({ code: '000000' })));
  });

  it('the resume step (/id/auth/:uid) without its cookie: 400 page of the provider', async () => {
    const { uid } = await staffSignIn();
    await expectInterrupted(await fetch(`${renkei.url}/id/auth/${uid}`, { redirect: 'manual' }));
  });

  it('the staff screens’ callback with another attempt’s state (two tabs, the back button): sign in again, not 500', async () => {
    const { browser } = await staffSignIn();
    expect(browser.cookies.has('renkei_oidc')).toBe(true);
    const res = await browser.fetch(`${renkei.url}/staff/callback?code=used&state=another&iss=${encodeURIComponent(`${renkei.url}/id`)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/staff/login');
  });

  it('another client’s sign-in starts again at its registered initiate_login_uri, never at a URL from the request', async () => {
    const browser = new Browser();
    const auth = new URL(`${renkei.url}/id/auth`);
    auth.search = new URLSearchParams({
      client_id: 'citizen-service',
      redirect_uri: 'https://service.example.jp/callback',
      response_type: 'code',
      scope: 'openid',
      state: 'x',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const page = await browser.follow(auth.href, /\/id\/interaction\//);
    const cookieless = new Browser();
    await expectInterrupted(await cookieless.fetch(`${page}?return_to=https://evil.example/`), serviceLogin);
    await expectInterrupted(
      await cookieless.fetch(`${page}/password`, form({ email, password, return_to: 'https://evil.example/' })),
      serviceLogin,
    );
  });
});

describe('federated sign-in that cannot go on', () => {
  /** Up to the town's provider, which is not visited: the browser and the state Renkei sent it. */
  async function federatedStart() {
    const { browser, page, uid } = await staffSignIn();
    const res = await browser.fetch(`${page}/federated/town`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(new URL(upstream.url).origin);
    return { browser, uid, state: to.searchParams.get('state')!, iss: `${upstream.url}/id` };
  }

  it('the callback without its flow cookie, or with a tampered one: 400', async () => {
    await expectInterrupted(await fetch(`${renkei.url}/id/federated/callback?code=x&state=y`, { redirect: 'manual' }));
    const { browser, state } = await federatedStart();
    const flow = browser.cookies.get('renkei_federation')!;
    browser.cookies.set(
      'renkei_federation',
      flow.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')),
    );
    await expectInterrupted(await browser.fetch(`${renkei.url}/id/federated/callback?code=x&state=${state}`));
  });

  it('the callback of an expired interaction: 400, before the code is exchanged', async () => {
    const { browser, uid, state, iss } = await federatedStart();
    await expire(uid);
    await expectInterrupted(await browser.fetch(`${renkei.url}/id/federated/callback?code=x&state=${state}&iss=${iss}`));
  });

  it('cancelled at the town’s provider (an error response), or another attempt’s state: 400', async () => {
    const { browser, state, iss } = await federatedStart();
    const back = (query: string) => browser.fetch(`${renkei.url}/id/federated/callback?${query}`);
    await expectInterrupted(await back(`error=access_denied&state=${state}&iss=${encodeURIComponent(iss)}`));
    await expectInterrupted(await back(`code=x&state=another&iss=${encodeURIComponent(iss)}`));
    await expectInterrupted(await back(`code=not-issued&state=${state}&iss=${encodeURIComponent(iss)}`));
    expect(log).toEqual([]);
  });
});
