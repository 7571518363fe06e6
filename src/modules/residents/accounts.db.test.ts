// 住民アカウント: sign-up by a mailed one-time link, password + TOTP, sign-in in two steps, sign-out;
// the refusals change nothing, and the stored rows hold no e-mail in clear.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../test/db.ts';
import { localSmtp } from '../../../test/smtp.ts';
import { smtpMailer } from '../../platform/mailer.ts';
import { nextTotp } from '../../../test/totp.ts';

type App = Awaited<ReturnType<typeof createTestApp>>;
let t: App;
let smtp: Awaited<ReturnType<typeof localSmtp>>;
const base = 'http://127.0.0.1:9';

beforeAll(async () => {
  smtp = await localSmtp();
  t = await createTestApp('empty', base, { mailer: smtpMailer(smtp.url, 'Renkei <no-reply@localhost>') });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const form = (data: Record<string, string>, cookie = '') => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  body: new URLSearchParams(data).toString(),
});
const cookieOf = (res: Response, name: string) =>
  /^([^;]+)/.exec(res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? '')?.[1] ?? '';
const count = async (table: string) => Number((await rows<{ n: string }>(t.database, sql.raw(`select count(*) as n from ${table}`)))[0]!.n);

async function mailedLink(email: string) {
  const before = smtp.received.length;
  const res = await t.app.request('/my/sign-up', form({ email }));
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/my/sign-up/sent');
  const mail = smtp.received[before]!;
  expect(mail.to).toBe(email.toLowerCase());
  return /\/my\/verify\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
}
const secretOn = (html: string) => /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(html)![1]!;

async function signUp(email: string, password = 'kinkakuji-autumn-2026') {
  const token = (await mailedLink(email))!;
  const page = await (await t.app.request(`/my/verify/${token}`)).text();
  const secret = secretOn(page);
  const res = await t.app.request(`/my/verify/${token}`, form({ password, password2: password, code: await nextTotp(secret) }));
  return { token, secret, res };
}

async function signIn(email: string, password: string, secret: string) {
  const first = await t.app.request('/my/sign-in', form({ email, password }));
  expect(first.status).toBe(303);
  const step = cookieOf(first, 'renkei_my_step');
  return t.app.request('/my/sign-in/code', form({ code: await nextTotp(secret) }, step));
}

describe('住民アカウント: sign-up, sign-in, sign-out', () => {
  it('sign-up: the mailed link sets a password and an authenticator, then マイページ opens signed in', async () => {
    const { res } = await signUp('Hanako@Example.jp');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/my');
    const my = await t.app.request('/my', { headers: { cookie: cookieOf(res, 'renkei_my') } });
    expect(my.status).toBe(200);
    expect(await my.text()).toContain('マイページ');
  });

  it('stored rows hold neither the e-mail nor the TOTP secret in clear', async () => {
    const { secret } = await signUp('plain-check@example.jp');
    const dump = JSON.stringify([
      ...(await rows(t.database, sql`select * from resident_accounts`)),
      ...(await rows(t.database, sql`select * from resident_sign_up_links`)),
    ]);
    expect(dump).toContain('v1.');
    expect(dump).not.toContain('plain-check');
    expect(dump).not.toContain(secret);
  });

  it('sign-in: password then code ends in a session; sign-out ends it', async () => {
    const { secret } = await signUp('taro@example.jp', 'nebuta-festival-summer');
    const res = await signIn('TARO@example.jp', 'nebuta-festival-summer', secret);
    expect(res.status).toBe(303);
    const cookie = cookieOf(res, 'renkei_my');
    const my = await t.app.request('/my', { headers: { cookie } });
    expect(my.status).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await my.text())![1]!;
    // The CSRF token is checked on sign-out: without it the session stays.
    expect((await t.app.request('/my/sign-out', form({}, cookie))).status).toBe(400);
    expect((await t.app.request('/my', { headers: { cookie } })).status).toBe(200);
    const out = await t.app.request('/my/sign-out', form({ csrf }, cookie));
    expect(out.status).toBe(303);
    expect((await t.app.request('/my', { headers: { cookie } })).status).toBe(302);
  });

  it('RFC 6238 §5.2 a code accepted once is refused the second time, and of two sign-ins sent at once with one code exactly one succeeds', async () => {
    const { secret } = await signUp('replay@example.jp', 'hakkoda-snow-2026');
    const stepCookie = async () => {
      const first = await t.app.request('/my/sign-in', form({ email: 'replay@example.jp', password: 'hakkoda-snow-2026' }));
      return cookieOf(first, 'renkei_my_step');
    };
    const code = await nextTotp(secret);
    expect((await t.app.request('/my/sign-in/code', form({ code }, await stepCookie()))).status).toBe(303);
    const again = await t.app.request('/my/sign-in/code', form({ code }, await stepCookie()));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('確認コードが正しくありません');

    const twin = await nextTotp(secret);
    const steps = [await stepCookie(), await stepCookie()];
    const sessions = await count('resident_sessions');
    const answers = await Promise.all(steps.map((step) => t.app.request('/my/sign-in/code', form({ code: twin }, step))));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(await count('resident_sessions')).toBe(sessions + 1);
  });

  it('an e-mail already registered gets a sign-in notice, and the page is the same', async () => {
    await signUp('twice@example.jp');
    const links = await count('resident_sign_up_links');
    const link = await mailedLink('twice@example.jp');
    expect(link).toBeUndefined();
    expect(smtp.received.at(-1)!.text).toContain('すでに登録済み');
    expect(await count('resident_sign_up_links')).toBe(links);
  });

  it('refused: a used link, a forged token, an expired link', async () => {
    const { token } = await signUp('once@example.jp');
    const again = await t.app.request(`/my/verify/${token}`);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('すでに使用されています');
    expect((await t.app.request(`/my/verify/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await t.app.request('/my/verify/short')).status).toBe(404);
    const expired = (await mailedLink('late@example.jp'))!;
    await t.database.db.execute(sql`update resident_sign_up_links set expires_at = now() - interval '1 minute' where used_at is null`);
    const accounts = await count('resident_accounts');
    const res = await t.app.request(`/my/verify/${expired}`, form({ password: 'x'.repeat(12), password2: 'x'.repeat(12), code: '000000' }));
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('有効期限が切れています');
    expect(await count('resident_accounts')).toBe(accounts);
  });

  it('refused: a wrong code, passwords that differ, a short password keep the link open and make no account', async () => {
    const token = (await mailedLink('careful@example.jp'))!;
    const secret = secretOn(await (await t.app.request(`/my/verify/${token}`)).text());
    const accounts = await count('resident_accounts');
    const good = await nextTotp(secret);
    const wrong = good === '000000' ? '111111' : '000000';
    for (const [body, message] of [
      [{ password: 'hirosaki-sakura', password2: 'hirosaki-sakura', code: wrong }, '確認コードが正しくありません'],
      [{ password: 'hirosaki-sakura', password2: 'hirosaki-sakurA', code: good }, '確認用のパスワードが一致しません'],
      [{ password: 'short', password2: 'short', code: good }, '12文字以上'],
    ] as const) {
      const res = await t.app.request(`/my/verify/${token}`, form(body));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(await count('resident_accounts')).toBe(accounts);
    // The same secret is shown again: the authenticator already holds it.
    expect(secretOn(await (await t.app.request(`/my/verify/${token}`)).text())).toBe(secret);
  });

  it('refused: a wrong password or unknown e-mail answer alike; a wrong code makes no session', async () => {
    const { secret } = await signUp('guarded@example.jp', 'towada-lake-blue');
    for (const email of ['guarded@example.jp', 'nobody@example.jp']) {
      const res = await t.app.request('/my/sign-in', form({ email, password: 'towada-lake-red!' }));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('メールアドレスまたはパスワードが正しくありません');
    }
    const first = await t.app.request('/my/sign-in', form({ email: 'guarded@example.jp', password: 'towada-lake-blue' }));
    const step = cookieOf(first, 'renkei_my_step');
    const sessions = await count('resident_sessions');
    const good = await nextTotp(secret);
    const res = await t.app.request('/my/sign-in/code', form({ code: good === '000000' ? '111111' : '000000' }, step));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('確認コードが正しくありません');
    expect((await t.app.request('/my/sign-in/code', form({ code: good }))).status).toBe(400);
    expect(await count('resident_sessions')).toBe(sessions);
  });

  it('refused: a sign-in or sign-up posted from another site (Fetch Metadata Sec-Fetch-Site: cross-site, login CSRF)', async () => {
    const { secret } = await signUp('crosssite@example.jp', 'oirase-stream-2026');
    const [steps, links] = [await count('resident_sign_in_steps'), await count('resident_sign_up_links')];
    const crossSite = (path: string, data: Record<string, string>) => {
      const init = form(data);
      return t.app.request(path, { ...init, headers: { ...init.headers, 'sec-fetch-site': 'cross-site' } });
    };
    for (const [path, data] of [
      ['/my/sign-in', { email: 'crosssite@example.jp', password: 'oirase-stream-2026' }],
      ['/my/sign-in/code', { code: await nextTotp(secret) }],
      ['/my/sign-up', { email: 'another@example.jp' }],
    ] as const) {
      const res = await crossSite(path, data);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toContain('別のサイトから送信されたため');
      expect(res.headers.getSetCookie().join()).not.toMatch(/renkei_my(_step)?=[^;]/);
    }
    expect([await count('resident_sign_in_steps'), await count('resident_sign_up_links')]).toEqual([steps, links]);
    // The same form from this site still signs in.
    expect((await signIn('crosssite@example.jp', 'oirase-stream-2026', secret)).status).toBe(303);
  });

  it('refused: oversized or malformed fields answer a Japanese message and change nothing', async () => {
    const links = await count('resident_sign_up_links');
    const long = await t.app.request('/my/sign-up', form({ email: `${'a'.repeat(250)}@example.jp` }));
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('254文字以内');
    const bad = await t.app.request('/my/sign-up', form({ email: 'not-an-address' }));
    expect(await bad.text()).toContain('形式が正しくありません');
    const huge = await t.app.request('/my/sign-up', form({ email: 'x'.repeat(20_000) }));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('大きすぎます');
    expect(await count('resident_sign_up_links')).toBe(links);
    expect(t.errors).toEqual([]);
  });
});

describe('住民アカウント without a mailer', () => {
  it('sign-up says e-mail registration is not available and shows no link', async () => {
    const bare = await createTestApp('empty');
    try {
      const page = await (await bare.app.request('/my/sign-up')).text();
      expect(page).toContain('メールによる登録を受け付けていません');
      const res = await bare.app.request('/my/sign-up', form({ email: 'x@example.jp' }));
      expect(await res.text()).not.toContain('/my/verify/');
      expect(Number((await rows<{ n: string }>(bare.database, sql`select count(*) as n from resident_sign_up_links`))[0]!.n)).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
