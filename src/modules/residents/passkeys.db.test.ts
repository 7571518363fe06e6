// パスキー: registration at /my/security and usernameless sign-in, answered by a software
// authenticator that speaks WebAuthn's data formats; every refusal is Japanese JSON, changes nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assert, register, type SoftCredential } from '../../../test/authenticator.ts';
import { createTestApp, rows } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';

const origin = 'http://localhost:4810';
let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', origin);
});
afterAll(async () => {
  expect(t.errors).toEqual([]);
  await t.close();
});

type Resident = Awaited<ReturnType<typeof signedInResident>>;
const post = (path: string, fields: Record<string, string>, cookie = '') =>
  t.app.request(`${origin}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });
const passkeysOf = (residentId: string) =>
  rows<{ id: string; counter: string | number; last_used_at: Date | null }>(
    t.database,
    sql`select id, counter, last_used_at from resident_passkeys where resident_id = ${residentId}`,
  );
const refusal = (code: string) => ({ status: 400, body: { error: { code, message: expect.stringMatching(/[ぁ-ん]/) } } });

async function registrationOptions(r: Resident) {
  const res = await post('/my/security/passkeys/options', { csrf: r.csrf }, r.cookie);
  expect(res.status).toBe(200);
  return (await res.json()) as { challenge: string; rp: { id: string }; user: { id: string } };
}
const verifyRegistration = (r: Resident, response: unknown) =>
  post('/my/security/passkeys/verify', { csrf: r.csrf, response: JSON.stringify(response) }, r.cookie);

async function registered(r: Resident): Promise<SoftCredential> {
  const { credential, response } = register(await registrationOptions(r), origin);
  expect(await json(await verifyRegistration(r, response))).toEqual({ status: 200, body: { location: '/my/security' } });
  return credential;
}

/** Sign-in options for a fresh browser: the challenge and the cookie that binds it to that browser. */
async function signInOptions() {
  const res = await post('/my/sign-in/passkey/options', {});
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { options: (await res.json()) as { challenge: string; rpId: string }, cookie };
}

describe('passkey registration at /my/security (WebAuthn Level 3 §7.1)', () => {
  it('§7.1 registration: a signed-in resident adds a passkey; the page lists it and loads only our scripts', async () => {
    const r = await signedInResident(t.database.db);
    const options = await registrationOptions(r);
    expect(options.rp.id).toBe('localhost');
    expect(options).toMatchObject({ authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
    const { response } = register(options, origin);
    expect(await json(await verifyRegistration(r, response))).toEqual({ status: 200, body: { location: '/my/security' } });
    expect(await passkeysOf(r.residentId)).toHaveLength(1);
    const page = await t.app.request(`${origin}/my/security`, { headers: { cookie: r.cookie } });
    const html = await page.text();
    expect(html).toContain('この端末だけのパスキー');
    expect(html).toContain('最終利用：未使用');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script>|<script [^>]*src="http/);
  });

  it('§7.1 step 8: a replayed registration answer is refused, its challenge being used up; nothing is added', async () => {
    const r = await signedInResident(t.database.db);
    const { response } = register(await registrationOptions(r), origin);
    expect((await verifyRegistration(r, response)).status).toBe(200);
    expect(await json(await verifyRegistration(r, response))).toEqual(refusal('passkey_challenge_invalid'));
    expect(await passkeysOf(r.residentId)).toHaveLength(1);
  });

  it('§7.1 step 8: new registration options replace the earlier challenge, which can no longer be answered', async () => {
    const r = await signedInResident(t.database.db);
    const first = await registrationOptions(r);
    const second = await registrationOptions(r);
    expect(await json(await verifyRegistration(r, register(first, origin).response))).toEqual(refusal('passkey_challenge_invalid'));
    expect((await verifyRegistration(r, register(second, origin).response)).status).toBe(200);
  });

  it("§7.1 step 8: an answer to another resident's challenge is refused", async () => {
    const [a, b] = [await signedInResident(t.database.db), await signedInResident(t.database.db)];
    const { response } = register(await registrationOptions(b), origin);
    expect(await json(await verifyRegistration(a, response))).toEqual(refusal('passkey_challenge_invalid'));
    expect(await passkeysOf(a.residentId)).toHaveLength(0);
    expect(await passkeysOf(b.residentId)).toHaveLength(0);
  });

  it('§7.1 step 9: an answer made for another origin is refused and uses up the challenge', async () => {
    const r = await signedInResident(t.database.db);
    const options = await registrationOptions(r);
    expect(await json(await verifyRegistration(r, register(options, 'https://evil.example').response))).toEqual(
      refusal('passkey_not_verified'),
    );
    expect(await json(await verifyRegistration(r, register(options, origin).response))).toEqual(refusal('passkey_challenge_invalid'));
    expect(await passkeysOf(r.residentId)).toHaveLength(0);
  });

  it('a forged or mangled answer is refused in Japanese: not JSON, wrong shape, id ≠ rawId, a broken attestation', async () => {
    const r = await signedInResident(t.database.db);
    const { response } = register(await registrationOptions(r), origin);
    const broken = { ...response, response: { ...response.response, attestationObject: 'AAAA' } };
    for (const bad of ['{not json', JSON.stringify({ id: 'x' }), JSON.stringify({ ...response, rawId: 'other' }), '"a string"']) {
      const res = await post('/my/security/passkeys/verify', { csrf: r.csrf, response: bad }, r.cookie);
      expect(await json(res)).toEqual(refusal('passkey_response_invalid'));
    }
    expect(await json(await verifyRegistration(r, broken))).toEqual(refusal('passkey_not_verified'));
    expect(await passkeysOf(r.residentId)).toHaveLength(0);
  });

  it('an oversized answer gets 413 in Japanese JSON before anything is read', async () => {
    const r = await signedInResident(t.database.db);
    const res = await post('/my/security/passkeys/verify', { csrf: r.csrf, response: 'x'.repeat(20_000) }, r.cookie);
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error).toEqual({ code: 'too_large', message: expect.stringMatching(/大きすぎます/) });
  });

  it('a ceremony POST without the CSRF token, or without a session, is refused', async () => {
    const r = await signedInResident(t.database.db);
    expect((await post('/my/security/passkeys/options', {}, r.cookie)).status).toBe(400);
    const anonymous = await post('/my/security/passkeys/options', {});
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/my\/sign-in/);
  });

  it("removing: another resident's passkey answers 404 and stays; one's own goes", async () => {
    const [a, b] = [await signedInResident(t.database.db), await signedInResident(t.database.db)];
    await registered(a);
    const [passkey] = await passkeysOf(a.residentId);
    expect((await post(`/my/security/passkeys/${passkey!.id}/delete`, { csrf: b.csrf }, b.cookie)).status).toBe(404);
    expect((await post(`/my/security/passkeys/pk_missing/delete`, { csrf: a.csrf }, a.cookie)).status).toBe(404);
    expect(await passkeysOf(a.residentId)).toHaveLength(1);
    const done = await post(`/my/security/passkeys/${passkey!.id}/delete`, { csrf: a.csrf }, a.cookie);
    expect(done.status).toBe(303);
    expect(await passkeysOf(a.residentId)).toHaveLength(0);
  });
});

describe('passkey sign-in at /my/sign-in/passkey (WebAuthn Level 3 §7.2)', () => {
  const verify = (cookie: string, response: unknown, next?: string) =>
    post('/my/sign-in/passkey/verify', { response: JSON.stringify(response), ...(next ? { next } : {}) }, cookie);

  it('§7.2 authentication: a discoverable passkey signs in without a user name; the session opens /my', async () => {
    const r = await signedInResident(t.database.db);
    const credential = await registered(r);
    const { options, cookie } = await signInOptions();
    expect(options.rpId).toBe('localhost');
    expect(options).not.toHaveProperty('allowCredentials.0');
    const res = await verify(cookie, assert(credential, options, origin, 1));
    expect(await json(res.clone())).toEqual({ status: 200, body: { location: '/my' } });
    const session = res.headers.get('set-cookie')!.match(/renkei_my=[^;]+/)![0];
    expect((await t.app.request(`${origin}/my`, { headers: { cookie: session } })).status).toBe(200);
    const [row] = await passkeysOf(r.residentId);
    expect(Number(row!.counter)).toBe(1);
    expect(row!.last_used_at).not.toBeNull();
  });

  it('§7.2: `next` is followed when it is a マイページ path, and ignored otherwise', async () => {
    const credential = await registered(await signedInResident(t.database.db));
    for (const [next, location] of [
      ['/my/security', '/my/security'],
      ['https://evil.example/my', '/my'],
    ]) {
      const { options, cookie } = await signInOptions();
      expect(await json(await verify(cookie, assert(credential, options, origin), next))).toEqual({ status: 200, body: { location } });
    }
  });

  it('§7.2 step 12: a replayed assertion, or one from a browser that did not ask (no binding cookie), is refused', async () => {
    const credential = await registered(await signedInResident(t.database.db));
    const { options, cookie } = await signInOptions();
    const answer = assert(credential, options, origin);
    const stranger = await signInOptions();
    expect(await json(await verify(stranger.cookie, answer))).toEqual(refusal('passkey_challenge_invalid'));
    expect(await json(await verify('', answer))).toEqual(refusal('passkey_challenge_invalid'));
    expect((await verify(cookie, answer)).status).toBe(200);
    expect(await json(await verify(cookie, answer))).toEqual(refusal('passkey_challenge_invalid'));
  });

  it('§7.2 step 5: an unknown credential is refused; no session is set', async () => {
    const { options, cookie } = await signInOptions();
    const stray = register({ challenge: 'x', rp: { id: 'localhost' }, user: { id: 'AAAA' } }, origin).credential;
    const res = await verify(cookie, assert(stray, options, origin));
    expect(await json(res.clone())).toEqual(refusal('passkey_unknown'));
    expect(res.headers.get('set-cookie') ?? '').not.toContain('renkei_my=');
  });

  it("§7.2 step 6: another resident's credential with a forged user handle, or a forged signature, is refused; nothing recorded", async () => {
    const [a, b] = [await signedInResident(t.database.db), await signedInResident(t.database.db)];
    const ca = await registered(a);
    const cb = await registered(b);
    let { options, cookie } = await signInOptions();
    expect(await json(await verify(cookie, assert({ ...ca, userHandle: cb.userHandle }, options, origin)))).toEqual(
      refusal('passkey_not_verified'),
    );
    ({ options, cookie } = await signInOptions());
    expect(await json(await verify(cookie, assert({ ...ca, privateKey: cb.privateKey }, options, origin)))).toEqual(
      refusal('passkey_not_verified'),
    );
    ({ options, cookie } = await signInOptions());
    expect(await json(await verify(cookie, assert(ca, options, 'https://evil.example')))).toEqual(refusal('passkey_not_verified'));
    expect((await passkeysOf(a.residentId))[0]!.last_used_at).toBeNull();
  });

  it("a deleted account's passkey no longer signs in", async () => {
    const r = await signedInResident(t.database.db);
    const credential = await registered(r);
    await t.database.db.execute(sql`update resident_accounts set status = 'deleted' where id = ${r.residentId}`);
    const { options, cookie } = await signInOptions();
    expect(await json(await verify(cookie, assert(credential, options, origin)))).toEqual(refusal('passkey_unknown'));
  });

  it('§6.1.1 signature counter: an assertion whose counter went back (a cloned authenticator) is refused', async () => {
    const credential = await registered(await signedInResident(t.database.db));
    let { options, cookie } = await signInOptions();
    expect((await verify(cookie, assert(credential, options, origin, 5))).status).toBe(200);
    ({ options, cookie } = await signInOptions());
    expect(await json(await verify(cookie, assert(credential, options, origin, 3)))).toEqual(refusal('passkey_not_verified'));
  });

  it('without JavaScript the page says so and offers the other methods', async () => {
    const html = await (await t.app.request(`${origin}/my/sign-in/passkey`)).text();
    expect(html).toContain('<noscript><p>パスキーを使うには JavaScript を有効にしてください。</p></noscript>');
    expect(html).toContain('href="/my/sign-in"');
  });
});

describe('passkeys and the host name (WebAuthn L2 §5.1.4 RP ID: a domain, never an IP address)', () => {
  const NEEDS = 'ホスト名（例：localhost）でアクセスしたときだけ使えます';

  it('§5.1.4 a host name (localhost): the sign-in page links the passkey page, which shows the button', async () => {
    expect(await (await t.app.request(`${origin}/my/sign-in`)).text()).toContain('href="/my/sign-in/passkey"');
    const html = await (await t.app.request(`${origin}/my/sign-in/passkey`)).text();
    expect(html).toContain('data-passkey="sign-in"');
    expect(html).not.toContain(NEEDS);
  });

  it('§5.1.4 an IP-address PUBLIC_URL: no passkey link, the pages say why in Japanese, and no ceremony starts', async () => {
    const byAddress = 'http://127.0.0.1:4812';
    const ip = await createTestApp('empty', byAddress);
    try {
      const r = await signedInResident(ip.database.db);
      expect(await (await ip.app.request(`${byAddress}/my/sign-in`)).text()).not.toContain('/my/sign-in/passkey');
      const signIn = await (await ip.app.request(`${byAddress}/my/sign-in/passkey`)).text();
      const security = await (await ip.app.request(`${byAddress}/my/security`, { headers: { cookie: r.cookie } })).text();
      for (const html of [signIn, security]) {
        expect(html).toContain(NEEDS);
        expect(html).not.toContain('data-passkey');
      }
      const options = await ip.app.request(`${byAddress}/my/sign-in/passkey/options`, { method: 'POST' });
      expect(await json(options)).toEqual(refusal('passkey_unavailable'));
      const register = await ip.app.request(`${byAddress}/my/security/passkeys/options`, {
        method: 'POST',
        headers: { cookie: r.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: r.csrf }),
      });
      expect(await json(register)).toEqual(refusal('passkey_unavailable'));
      expect(await rows(ip.database, sql`select 1 from passkey_challenges`)).toEqual([]);
    } finally {
      await ip.close();
    }
  });
});
