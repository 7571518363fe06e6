// The personal tenant over real HTTP with client-credentials tokens from the common ID: residents'
// released data, read through the consent gate, never stored in the broker.
import { sql } from 'drizzle-orm';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, serveTestApp } from '../../../test/db.ts';
import { createBrokerClient, platformSecret } from '../identity/index.ts';
import { consentRecords } from '../residents/schema.ts';

let t: Awaited<ReturnType<typeof serveTestApp>>;
const bosai = 'kiki-kanri.bosai-kiki-kanri';
const aomori = 'municipality-02201';
const later = () => new Date(Date.now() + 86_400_000);
type Client = { clientId: string; clientSecret: string };
let supporterClient: Client; // 防災危機管理課, disaster-supporter
let shelterClient: Client; // 青森市, shelter-reception

async function tokenFor(client: Client, scope = 'ngsi-ld:read:personal') {
  const res = await fetch(`${t.url}/id/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const call = (method: string, path: string, token?: string, body?: unknown, tenant = 'personal') =>
  fetch(`${t.url}/ngsi-ld/v1${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(tenant ? { 'NGSILD-Tenant': tenant } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const logged = async (clientId: string) =>
  (
    await rows<{ n: number }>(
      t.database,
      sql`select count(*)::int as n from personal_data_access_log where actor_id = ${clientId} and basis <> 'none'`,
    )
  )[0]!.n;

beforeAll(async () => {
  t = await serveTestApp('empty');
  const profile = { municipalityCode: '02201', birthDate: '1970-01-01' };
  await t.residents.commands.saveProfile({ ...profile, residentId: 'r-a', name: '青森 一郎', phone: '017-000-0001' });
  await t.residents.commands.saveProfile({ ...profile, residentId: 'r-b', name: '青森 二郎', phone: '017-000-0002' });
  const base = { purposeVersion: 1, expiresAt: later() };
  await t.database.db.insert(consentRecords).values([
    { ...base, id: 'c-a', residentId: 'r-a', purposeId: 'disaster-supporter', recipientId: bosai, categories: ['name', 'phone'] },
    { ...base, id: 'c-b', residentId: 'r-b', purposeId: 'disaster-supporter', recipientId: bosai, categories: ['name'] },
    { ...base, id: 'c-b2', residentId: 'r-b', purposeId: 'shelter-reception', recipientId: aomori, categories: ['birthDate'] },
  ]);
  const db = t.database.db;
  supporterClient = await createBrokerClient(db, { name: '防災 支援者', tenants: [], organisation: bosai, purpose: 'disaster-supporter' });
  shelterClient = await createBrokerClient(db, { name: '青森市 受付', tenants: [], organisation: aomori, purpose: 'shelter-reception' });
});
afterAll(() => t.close());

type Entity = { id: string; type: string } & Record<string, unknown>;
const byName = (es: Entity[]) => es.map((e) => (e.name as { value: string } | undefined)?.value ?? null).sort();

describe('the personal tenant (residents released through the consent gate)', () => {
  it('5.7.2 query entities: a client sees exactly the consented attributes of consented residents, as Person entities (ETSI GS CIM 009 v1.8)', async () => {
    expect(supporterClient.clientId).toMatch(/^broker-/);
    const token = await tokenFor(supporterClient);
    const before = await logged(supporterClient.clientId);
    const res = await call('GET', '/entities?type=Person', token);
    expect(res.status).toBe(200);
    const entities = (await res.json()) as Entity[];
    expect(byName(entities)).toEqual(['青森 一郎', '青森 二郎']);
    const a = entities.find((e) => (e.name as { value: string }).value === '青森 一郎')!;
    expect(a).toEqual({
      id: expect.stringMatching(/^urn:ngsi-ld:Person:[\w-]+$/),
      type: 'Person',
      name: { type: 'Property', value: '青森 一郎' },
      phone: { type: 'Property', value: '017-000-0001' },
    });
    expect(Object.keys(entities.find((e) => e !== a)!).sort()).toEqual(['id', 'name', 'type']);
    expect(a.id).not.toContain('r-a');
    expect(await logged(supporterClient.clientId)).toBe(before + 2);

    // The other organisation, for its purpose: only r-b, only birthDate, under another pairwise id.
    const other = (await (await call('GET', '/entities?type=Person', await tokenFor(shelterClient))).json()) as Entity[];
    expect(other).toEqual([
      { id: expect.stringMatching(/^urn:ngsi-ld:Person:/), type: 'Person', birthDate: { type: 'Property', value: '1970-01-01' } },
    ]);
    expect(entities.map((e) => e.id)).not.toContain(other[0]!.id);
    expect(await (await call('GET', '/entities?type=Building', token)).json()).toEqual([]);
  });

  it('5.7.1 retrieve entity: a released Person by id; unknown, another organisation’s or malformed ids are 404 ResourceNotFound (ETSI GS CIM 009 v1.8, 5.5.2)', async () => {
    const token = await tokenFor(supporterClient);
    const [first] = (await (await call('GET', '/entities?type=Person', token)).json()) as Entity[];
    const one = await call('GET', `/entities/${encodeURIComponent(first!.id)}/`, token);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(first);
    const byId = await call('GET', `/entities?id=${encodeURIComponent(first!.id)}`, token);
    expect(await byId.json()).toEqual([first]);
    const [theirs] = (await (await call('GET', '/entities?type=Person', await tokenFor(shelterClient))).json()) as Entity[];
    for (const id of [theirs!.id, 'urn:ngsi-ld:Person:nobody', 'urn:ngsi-ld:Building:1']) {
      const res = await call('GET', `/entities/${encodeURIComponent(id)}`, token);
      expect(res.status, id).toBe(404);
      expect(((await res.json()) as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
    }
  });

  it('5.7.2 query entities: after a withdrawal the next query omits the resident (ETSI GS CIM 009 v1.8)', async () => {
    const token = await tokenFor(supporterClient);
    await t.database.db.execute(sql`update consent_records set withdrawn_at = now() where id = 'c-b'`);
    expect(byName((await (await call('GET', '/entities?type=Person', token)).json()) as Entity[])).toEqual(['青森 一郎']);
    await t.database.db.execute(sql`update consent_records set withdrawn_at = null where id = 'c-b'`);
  });

  it('5.5.2 tokens without organisation and purpose, of another tenant, forged or expired are refused: 401 Unauthorized / 403 Forbidden (ETSI GS CIM 009 v1.8)', async () => {
    const db = t.database.db;
    const tenantClient = await createBrokerClient(db, { name: '青森市 センサー', tenants: ['aomori'] });
    const tenantToken = await tokenFor(tenantClient, 'ngsi-ld:write:aomori');
    const noToken = await call('GET', '/entities?type=Person');
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/Unauthorized');
    const other = await call('GET', '/entities?type=Person', tenantToken);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/Forbidden');

    const good = await tokenFor(supporterClient);
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ organisation: bosai, purpose: 'disaster-supporter' });
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, organisation: aomori, purpose: 'shelter-reception' })).toString('base64url')}.${s}`;
    expect((await call('GET', '/entities?type=Person', forged)).status).toBe(401);

    // Signed with the provider's own key, valid but for its expiry, and without organisation/purpose.
    // The provider made its key at start, so the stand-in is never stored.
    const jwk = await platformSecret(db, 'oidc-signing-key', () => ({}));
    const key = await importJWK(jwk as never, 'ES256');
    const sign = (claims: Record<string, unknown>, exp: number) =>
      new SignJWT({ ...payload, ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: (jwk as { kid: string }).kid })
        .setExpirationTime(exp)
        .sign(key);
    const now = Math.floor(Date.now() / 1000);
    expect((await call('GET', '/entities?type=Person', await sign({ jti: 'expired' }, now - 60))).status).toBe(401);
    const bare = await call(
      'GET',
      '/entities?type=Person',
      await sign({ jti: 'bare', organisation: undefined, purpose: undefined }, now + 600),
    );
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { detail: string }).detail).toContain('organisation');
    // The open-data and other tenants never serve residents.
    expect(await (await call('GET', '/entities?type=Person', good, undefined, '')).json()).toEqual([]);
  });

  it('5.6 / 5.8 / 5.9 / 5.11 writes, subscriptions, registrations, temporal and batch on the personal tenant are refused, nothing stored (ETSI GS CIM 009 v1.8, 5.5.2 OperationNotSupported)', async () => {
    const token = await tokenFor(supporterClient);
    const person = { id: 'urn:ngsi-ld:Person:x', type: 'Person', name: { type: 'Property', value: '偽' } };
    const refused: [string, string, unknown][] = [
      ['POST', '/entities', person],
      ['PATCH', '/entities/urn:ngsi-ld:Person:x/attrs', { name: { type: 'Property', value: 'x' } }],
      ['DELETE', '/entities/urn:ngsi-ld:Person:x', undefined],
      ['POST', '/entityOperations/upsert', [person]],
      ['POST', '/entityOperations/query', { type: 'Query', entities: [{ type: 'Person' }] }],
      [
        'POST',
        '/subscriptions',
        { type: 'Subscription', entities: [{ type: 'Person' }], notification: { endpoint: { uri: 'http://127.0.0.1:9/' } } },
      ],
      ['GET', '/subscriptions', undefined],
      [
        'POST',
        '/csourceRegistrations',
        { type: 'ContextSourceRegistration', information: [{ entities: [{ type: 'Person' }] }], endpoint: 'http://127.0.0.1:9' },
      ],
      ['GET', '/temporal/entities?type=Person', undefined],
      ['GET', '/types', undefined],
    ];
    for (const [method, path, body] of refused) {
      const res = await call(method, path, token, body);
      expect(res.status, `${method} ${path}`).toBe(422);
      expect(((await res.json()) as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/OperationNotSupported');
    }
    const stored = await rows<{ n: number }>(t.database, sql`select count(*)::int as n from broker_entities where tenant = 'personal'`);
    expect(stored[0]!.n).toBe(0);
  });

  it('a broker client for personal data needs both an organisation and a known purpose; the tenant itself cannot be asked for', async () => {
    const db = t.database.db;
    await expect(createBrokerClient(db, { name: 'x', tenants: [], organisation: bosai })).rejects.toThrow('両方');
    await expect(createBrokerClient(db, { name: 'x', tenants: [], organisation: bosai, purpose: 'marketing' })).rejects.toThrow('利用目的');
    await expect(createBrokerClient(db, { name: 'x', tenants: ['personal'] })).rejects.toThrow('personal');
    const unknownUnit = { name: 'x', tenants: [], organisation: 'no-such-unit', purpose: 'disaster-supporter' };
    await expect(createBrokerClient(db, unknownUnit, null, t.organisations.queries.unit)).rejects.toThrow('組織レジストリ');
    expect(supporterClient).toBeDefined();
  });
});
