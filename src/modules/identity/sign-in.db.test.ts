// Staff sign-in with two servers on one database behind a round-robin: the step between password
// and TOTP code, and the lockout, live in the database (ADR 0006). The same in two real processes:
// test/several-processes.db.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, reservePort, rows, testResidentKeys } from '../../../test/db.ts';
import { cookieClient, roundRobin, signIn } from '../../../test/round-robin.ts';
import { createApp } from '../../app.ts';
import type { Database } from '../../platform/db.ts';
import { createAccount, currentTotp } from './index.ts';
import { nextTotp } from '../../../test/totp.ts';

let database: Database;
let balancer: Awaited<ReturnType<typeof roundRobin>>;
const ports: Awaited<ReturnType<typeof reservePort>>[] = [];
const password = 'a long enough password';

beforeAll(async () => {
  database = await createTestDb('empty');
  ports.push(await reservePort(), await reservePort());
  balancer = await roundRobin(ports.map((p) => p.url));
  for (const p of ports)
    p.attach((await createApp({ residentKeys: testResidentKeys, db: database.db, baseUrl: balancer.url, log: () => {} })).nodeHandler);
});
afterAll(async () => {
  await balancer.close();
  for (const p of ports) await p.close();
  await database.close();
});

const person = async (key: string) => {
  const a = await createAccount(database.db, { email: `${key}@example.jp`, name: key, password, roles: ['plan_admin'] });
  return { id: a.id, email: `${key}@example.jp`, password, secret: a.totpSecret, totp: () => nextTotp(a.totpSecret) };
};
const steps = () => rows<{ uid: string }>(database, sql`select uid from sign_in_steps`);

describe('staff sign-in across two servers', () => {
  it('the password on one server, the TOTP code on the other: signed in, and the step is gone', async () => {
    const who = await person('across');
    const client = cookieClient(balancer.url);
    const { served, res } = await signIn(client, who, (step) => (step === 'code' ? 1 : 0));
    expect([served.password, served.code]).toEqual(['0', '1']);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('across');
    expect(await steps()).toEqual([]);
    for (const backend of ['0', '1']) expect((await client.request('/staff', { headers: { 'x-backend': backend } })).status).toBe(200);
  });

  it('wrong codes count towards the lockout: once locked, even the right code is refused (423)', async () => {
    const who = await person('guesser');
    const client = cookieClient(balancer.url);
    const wrong = { ...who, totp: async () => String((Number(currentTotp(who.secret)) + 1) % 1_000_000).padStart(6, '0') };
    const { res } = await signIn(client, wrong, () => 0);
    expect(res.status).toBe(400);
    const form = new URL(res.url).pathname;
    for (let i = 0; i < 4; i++)
      expect((await client.post(form, { code: await wrong.totp() }, { 'x-backend': String(i % 2) })).status).toBe(400);
    const locked = await client.post(form, { code: await who.totp() }, { 'x-backend': '1' });
    expect(locked.status).toBe(423);
    expect(await locked.text()).toContain('アカウントを一時的にロックしています');
    expect(await steps()).toEqual([]);
  });

  it('an expired password step sends the person back to the password form', async () => {
    const who = await person('slow');
    const client = cookieClient(balancer.url);
    const { res } = await signIn(client, { ...who, totp: async () => 'x' }, () => 0);
    const form = new URL(res.url).pathname;
    await database.db.execute(sql`update sign_in_steps set expires_at = now() - interval '1 second'`);
    const late = await client.post(form, { code: await who.totp() }, { 'x-backend': '1' });
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toBe(form.replace(/\/totp$/, ''));
  });
});

describe('the sign-in rate limit behind reverse proxies (TRUST_PROXY)', () => {
  it('counts the address the proxy appended to X-Forwarded-For, not what the client wrote; without TRUST_PROXY the connecting one', async () => {
    const db = await createTestDb('empty');
    const served = [await reservePort(), await reservePort()];
    try {
      for (const [i, trustProxy] of [1, 0].entries())
        served[i]!.attach(
          (await createApp({ residentKeys: testResidentKeys, db: db.db, baseUrl: served[i]!.url, trustProxy, log: () => {} })).nodeHandler,
        );
      const attempt = async (url: string, forwardedFor: string) =>
        (
          await fetch(`${url}/id/interaction/x/password`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
            body: '',
          })
        ).status;
      const [behind, direct] = served.map((s) => s.url) as [string, string];
      const spoofed = Array.from({ length: 20 }, (_, i) => attempt(behind, `203.0.113.${i}, 198.51.100.1`));
      expect((await Promise.all(spoofed)).filter((s) => s === 429)).toEqual([]);
      expect(await attempt(behind, '203.0.113.99, 198.51.100.1')).toBe(429);
      expect(await attempt(behind, '198.51.100.2')).not.toBe(429);
      const ignored = Array.from({ length: 20 }, (_, i) => attempt(direct, `198.51.100.${100 + i}`));
      expect((await Promise.all(ignored)).filter((s) => s === 429)).toEqual([]);
      expect(await attempt(direct, '198.51.100.200')).toBe(429);
    } finally {
      for (const s of served) await s.close();
      await db.close();
    }
  });
});
