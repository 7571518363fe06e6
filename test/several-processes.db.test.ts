// Two real server processes (`node --import tsx src/main.ts`) on one fresh PostgreSQL database,
// started together, behind a round-robin balancer in the test: what one process did, the other knows
// (ADR 0006). PostgreSQL only: PGlite is one process by design.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createBrokerClient } from '../src/modules/identity/index.ts';
import { nextTotp } from './totp.ts';
import { openPostgres, type Database } from '../src/platform/db.ts';
import { createPostgresDatabase } from './db.ts';
import { cookieClient, roundRobin, signIn, type CookieClient } from './round-robin.ts';

const root = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const outputs: string[] = [];
const backends: string[] = [];
let fresh: Awaited<ReturnType<typeof createPostgresDatabase>>;
let balancer: Awaited<ReturnType<typeof roundRobin>>;
let database: Database;
// Both processes share it: the first to start makes the residents key file, the other uses the same.
const dataDir = mkdtempSync(join(tmpdir(), 'renkei-several-'));
let receiver: Server;
const received: { subscriptionId: string; data: { id: string }[] }[] = [];

/** A server process; resolves with its URL once it listens on the free port it took. */
function serve(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...process.env, ...env } });
  children.push(child);
  const n = outputs.push('') - 1;
  return new Promise((resolve, reject) => {
    const read = (d: Buffer) => {
      const output = (outputs[n] = `${outputs[n] ?? ''}${String(d)}`);
      const m = /Renkei: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`a server exited (${code}):\n${outputs[n]}`)));
  });
}

const on = (backend: number) => ({ 'x-backend': String(backend) });
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

// PostgreSQL only (vitest.config.ts leaves it out of the PGlite project): PGlite is one process by design.
describe('several server processes on one PostgreSQL', () => {
  beforeAll(async () => {
    fresh = await createPostgresDatabase();
    balancer = await roundRobin(backends);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const env = {
      DATABASE_URL: fresh.url,
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: balancer.url,
      LOAD_DEFAULT_DATA: 'true',
      OUTBOUND_ALLOW: '127.0.0.1',
      NGSI_LD_AUTH: 'on',
      DATA_DIR: dataDir,
    };
    // Started together on an empty database: one migrates and loads the default data, the other waits.
    backends.push(...(await Promise.all([serve(env), serve(env)])));
    database = await openPostgres(fresh.url, 2);
  }, 50_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => (clearTimeout(force), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
    await database?.close();
    await balancer?.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 20_000);

  let staff: CookieClient;

  it('both started together on an empty database; the default data was loaded once', async () => {
    expect(backends).toHaveLength(2);
    expect(outputs.filter((o) => o.includes('(default data loaded)'))).toHaveLength(1);
    const { plans } = (await (await fetch(`${balancer.url}/api/v1/plans`, { headers: on(1) })).json()) as { plans: unknown[] };
    expect(plans).toHaveLength(4);
    // One residents key file for both, made by whichever started first (docs/personal-data.md).
    expect(readdirSync(dataDir)).toEqual(['residents-keys.json']);
  });

  it('a person signs in with the password on process A and the TOTP code on process B', async () => {
    const a = await createAccount(database.db, {
      email: 'kanri@example.jp',
      name: '県 管理者',
      password: 'a long enough password',
      roles: ['prefecture_admin', 'plan_admin'],
    });
    staff = cookieClient(balancer.url);
    const { served, res } = await signIn(
      staff,
      { email: 'kanri@example.jp', password: 'a long enough password', totp: () => nextTotp(a.totpSecret) },
      (step) => (step === 'password' ? 0 : step === 'code' ? 1 : undefined),
    );
    expect([served.password, served.code]).toEqual(['0', '1']);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('県 管理者');
    for (const backend of [0, 1]) expect((await staff.request('/staff', { headers: on(backend) })).status).toBe(200);
  });

  it('a change to a public page made through process A is served by process B within a second', async () => {
    const page = async () => (await staff.request('/plans/aomori-regional-vision/projects/9', { headers: on(1) })).text();
    expect(await page()).not.toContain('>43,210<'); // and B has the page in its cache
    const form = await (await staff.request('/staff/projects/9', { headers: on(0) })).text();
    const saved = await staff.post(
      '/staff/projects/9',
      { csrf: csrfOf(form), y2020: '', y2021: '629', y2022: '517', y2023: '43210', y2024: '', total: '', reason: '複数プロセスの確認' },
      on(0),
    );
    expect(saved.status).toBe(303);
    const start = performance.now();
    while (!(await page()).includes('>43,210<') && performance.now() - start < 2000) await new Promise((r) => setTimeout(r, 20));
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('a subscription created on process A and an entity written on process B notify the receiver', async () => {
    const client = await createBrokerClient(database.db, { name: '複数プロセス試験', tenants: ['default'] });
    const tokenRes = await fetch(`${balancer.url}/id/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ngsi-ld:write' }),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const call = (backend: number, path: string, body: unknown) =>
      fetch(`${balancer.url}/ngsi-ld/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...on(backend) },
        body: JSON.stringify(body),
      });
    const sub = await call(0, '/subscriptions', {
      type: 'Subscription',
      entities: [{ type: 'Sensor' }],
      notification: { endpoint: { uri: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify` } },
    });
    expect(sub.status).toBe(201);
    const id = decodeURIComponent(sub.headers.get('location')!.split('/').at(-1)!);
    const created = await call(1, '/entities', {
      id: 'urn:ngsi-ld:Sensor:two-processes',
      type: 'Sensor',
      level: { type: 'Property', value: 2 },
    });
    expect(created.status).toBe(201);
    const start = performance.now();
    while (!received.length && performance.now() - start < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual([
      expect.objectContaining({ subscriptionId: id, data: [expect.objectContaining({ id: 'urn:ngsi-ld:Sensor:two-processes' })] }),
    ]);
  });
});
