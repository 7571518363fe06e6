// Sign-out through the staff screens ends the staff session and the common ID's session together,
// per OpenID Connect RP-Initiated Logout 1.0, against the real provider and both databases.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservePort, rows, serveTestApp } from '../../../test/db.ts';
import { cookieClient, signIn, type CookieClient } from '../../../test/round-robin.ts';
import { createAccount } from './index.ts';
import { nextTotp } from '../../../test/totp.ts';

let t: Awaited<ReturnType<typeof serveTestApp>>;

beforeAll(async () => {
  t = await serveTestApp('empty', await reservePort());
});
afterAll(async () => {
  await t?.close();
});

const sessions = async () =>
  (await rows<{ n: number }>(t.database, sql`select count(*)::int as n from oidc_payloads where kind = 'Session'`))[0]!.n;

let people = 0;
/** An account of its own per test: each sign-in takes a TOTP step, and one account has only a few steps per 30 s. */
async function person() {
  const email = `out${++people}@example.jp`;
  const password = 'a long enough password';
  const a = await createAccount(t.database.db, { email, name: '退出 太郎', password, roles: ['viewer'] });
  return { email, password, totp: () => nextTotp(a.totpSecret) };
}

async function signedIn(given?: Awaited<ReturnType<typeof person>>) {
  const who = given ?? (await person());
  const client = cookieClient(t.url);
  const { res } = await signIn(client, who, () => undefined);
  expect(res.status).toBe(200);
  const home = await res.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(home)![1]!;
  return { client, csrf, who };
}

/** POST /staff/logout: the staff session is gone, and the answer is the end-session request. */
async function logout(client: CookieClient, csrf: string) {
  const res = await client.post('/staff/logout', { csrf });
  expect(res.status).toBe(303);
  const end = new URL(res.headers.get('location')!);
  expect(end.pathname).toBe('/id/session/end');
  expect((await client.request('/staff')).status).toBe(302);
  return end;
}

/** The sign-in page's path after /staff: the interaction (credentials asked) or straight home. */
async function afterStaff(client: CookieClient) {
  let res = await client.request('/staff');
  for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) res = await client.request(res.headers.get('location')!);
  return { path: new URL(res.url).pathname, html: await res.text() };
}

describe('sign-out (OpenID Connect RP-Initiated Logout 1.0)', () => {
  it('§2: the request carries the sign-in’s ID token as id_token_hint and the registered post_logout_redirect_uri', async () => {
    const { client, csrf } = await signedIn();
    const end = await logout(client, csrf);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${t.url}/staff/signed-out`);
    const hint = end.searchParams.get('id_token_hint')!;
    const payload = JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString()) as { aud: string; iss: string };
    expect(payload).toMatchObject({ aud: 'renkei-staff', iss: `${t.url}/id` });
  });

  it('§2 valid id_token_hint: our Japanese question, one button; "yes" ends the OP session (§2 MUST log out) and §3 redirects to the post_logout_redirect_uri', async () => {
    const { client, csrf, who } = await signedIn();
    const before = await sessions();
    const end = await logout(client, csrf);
    const question = await client.request(end.pathname + end.search);
    expect(question.status).toBe(200);
    expect(question.headers.get('content-security-policy')).toContain("script-src 'none'");
    const html = await question.text();
    expect(html).toContain('<h1>共通IDからサインアウトします</h1>');
    expect(html).toContain(`退出 太郎（${who.email}）`);
    expect(html).not.toMatch(/Do you want|sign-out|<script/i);
    expect(html.match(/<button/g)).toHaveLength(1);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)![1]!;
    const done = await client.post(new URL(action, t.url).pathname, { xsrf, logout: 'yes' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${t.url}/staff/signed-out`);
    expect(await sessions()).toBe(before - 1);
    const landed = await client.request('/staff/signed-out');
    expect(await landed.text()).toContain('職員ページと共通IDの両方からサインアウトしました。');
    // and /staff asks for the password again
    const next = await afterStaff(client);
    expect(next.path).toMatch(/^\/id\/interaction\/[^/]+$/);
    expect(next.html).toContain('パスワード');
  });

  it('§4 an id_token_hint that does not validate (signature changed): refused with 400, no redirect, the OP session lives on', async () => {
    const { client, csrf } = await signedIn();
    const before = await sessions();
    const end = await logout(client, csrf);
    const hint = end.searchParams.get('id_token_hint')!;
    const [h, p, s] = hint.split('.');
    end.searchParams.set('id_token_hint', `${h}.${p}.${s![0] === 'A' ? 'B' : 'A'}${s!.slice(1)}`);
    const res = await client.request(end.pathname + end.search, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('サインアウトの要求を確認できなかったため、サインアウトしていません。');
    expect(await sessions()).toBe(before);
  });

  it('§3 a post_logout_redirect_uri not registered for the client: refused, never redirected to', async () => {
    const { client, csrf } = await signedIn();
    const end = await logout(client, csrf);
    end.searchParams.set('post_logout_redirect_uri', 'https://evil.example/');
    const res = await client.request(end.pathname + end.search);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('the question left unanswered (tab closed): /staff still asks for the password and code (prompt=login)', async () => {
    const who = await person();
    const { client, csrf } = await signedIn(who);
    await logout(client, csrf);
    const login = await client.request('/staff/login');
    expect(new URL(login.headers.get('location')!).searchParams.get('prompt')).toBe('login');
    const next = await afterStaff(client);
    expect(next.path).toMatch(/^\/id\/interaction\/[^/]+$/);
    // a full sign-in clears the flag: the next /staff/login is an ordinary one
    const again = await signIn(client, who, () => undefined);
    expect(again.res.status).toBe(200);
    const login2 = await client.request('/staff/login');
    expect(new URL(login2.headers.get('location')!).searchParams.get('prompt')).toBeNull();
  });
});
