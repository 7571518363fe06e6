// The personal tenant over real HTTP with client-credentials tokens from the common ID: residents'
// released data, read through the consent gate, never stored in the broker.
import { sql } from 'drizzle-orm';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, serveTestApp } from '../../../test/db.ts';
import { createBrokerClient, platformSecret } from '../identity/index.ts';
import { consentRecords } from '../residents/schema.ts';
import { linkHeader } from '../../../test/ngsi-ld.ts';
import { CORE_CONTEXT_URL } from './context.ts';

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

const call = (method: string, path: string, token?: string, body?: unknown, tenant = 'personal', headers: Record<string, string> = {}) =>
  fetch(`${t.url}/ngsi-ld/v1${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(tenant ? { 'NGSILD-Tenant': tenant } : {}),
      ...headers,
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

describe('the personal tenant speaks NGSI-LD: its @context, query parameters and paging', () => {
  const PERSONAL_CONTEXT = () => `${t.url}/ngsi-ld/v1/jsonldContexts/urn:ngsi-ld:context:personal`;
  const get = async (path: string, token: string, headers: Record<string, string> = {}) => {
    const res = await call('GET', path, token, undefined, 'personal', headers);
    return { res, body: (await res.json()) as any };
  };
  let token: string;
  beforeAll(async () => {
    const profile = { municipalityCode: '02201', birthDate: '1980-05-05' };
    await t.residents.commands.saveProfile({ ...profile, residentId: 'r-c', name: '弘前 三郎', phone: '0172-00-0003' });
    await t.residents.commands.saveProfile({ ...profile, residentId: 'r-d', name: '八戸 四郎', phone: '0178-00-0004' });
    const base = { purposeVersion: 1, expiresAt: later(), purposeId: 'disaster-supporter', recipientId: bosai };
    await t.database.db.insert(consentRecords).values([
      { ...base, id: 'c-c', residentId: 'r-c', categories: ['name', 'phone'] },
      { ...base, id: 'c-d', residentId: 'r-d', categories: ['name', 'phone'] },
    ]);
    token = await tokenFor(supporterClient);
  });

  it('6.3.5 / 6.3.6 JSON answers name the personal @context in a Link header; the broker hosts it, mapping the categories to their DPV terms (ETSI GS CIM 009 v1.8)', async () => {
    const { res, body } = await get('/entities?type=Person', token);
    expect(res.headers.get('Content-Type')).toContain('application/json');
    expect(res.headers.get('Link')).toBe(`<${PERSONAL_CONTEXT()}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`);
    // Ordered by pairwise id, which is not the order of the residents: one of them has a phone released.
    expect(body.map((e: object) => Object.keys(e).sort())).toContainEqual(['id', 'name', 'phone', 'type']);
    const served = await fetch(PERSONAL_CONTEXT());
    expect(served.headers.get('Content-Type')).toContain('application/ld+json');
    const context = ((await served.json()) as { '@context': Record<string, string> })['@context'];
    expect(context).toMatchObject({
      Person: 'https://schema.org/Person',
      name: 'pd:Name',
      phone: 'pd:TelephoneNumber',
      pd: 'https://w3id.org/dpv/pd#',
    });
    const listed = (await (await fetch(`${t.url}/ngsi-ld/v1/jsonldContexts?kind=Hosted`)).json()) as string[];
    expect(listed).toContain(PERSONAL_CONTEXT());
  });

  it('6.3.5 / 6.3.6 application/ld+json answers carry @context in the body, no context Link; another @context compacts to full IRIs (ETSI GS CIM 009 v1.8)', async () => {
    const { res, body } = await get('/entities?type=Person&limit=1', token, { Accept: 'application/ld+json' });
    expect(res.headers.get('Content-Type')).toContain('application/ld+json');
    expect(res.headers.get('Link') ?? '').not.toContain('json-ld#context');
    expect(body[0]).toMatchObject({ '@context': PERSONAL_CONTEXT(), type: 'Person', name: { type: 'Property' } });
    // Naming the personal @context is the same as naming none.
    const named = await get('/entities?type=Person&limit=1', token, { Link: linkHeader(PERSONAL_CONTEXT()) });
    const { '@context': _, ...plain } = body[0];
    expect(named.body).toEqual([plain]);
    // With the core context only, Person is another type, and the attributes are the DPV IRIs.
    const core = linkHeader(CORE_CONTEXT_URL);
    expect((await get('/entities?type=Person', token, { Link: core })).body).toEqual([]);
    const one = await get(`/entities/${encodeURIComponent(body[0].id)}`, token, { Link: core });
    expect(one.res.headers.get('Link')).toContain(CORE_CONTEXT_URL);
    expect(one.body).toMatchObject({ type: 'https://schema.org/Person', 'https://w3id.org/dpv/pd#Name': { type: 'Property' } });
  });

  it('4.5.4 / 6.3.7 keyValues, format=simplified and options=sysAttrs as on any tenant; the entities are not stored, so they have no system times (ETSI GS CIM 009 v1.8)', async () => {
    const q = encodeURIComponent('name=="弘前 三郎"');
    for (const representation of ['options=keyValues', 'format=simplified'])
      expect((await get(`/entities?type=Person&q=${q}&${representation}`, token)).body).toEqual([
        { id: expect.stringMatching(/^urn:ngsi-ld:Person:/), type: 'Person', name: '弘前 三郎', phone: '0172-00-0003' },
      ]);
    const sys = await get(`/entities?type=Person&q=${q}&options=sysAttrs`, token);
    expect(sys.res.status).toBe(200);
    expect(sys.body[0]).not.toHaveProperty('createdAt');
    expect((await get('/entities?type=Person&options=bogus', token)).res.status).toBe(400);
  });

  it('5.7.2 / 5.7.1 attrs projects the answer, and a query keeps only entities with one of them (ETSI GS CIM 009 v1.8)', async () => {
    const shelterToken = await tokenFor(shelterClient);
    const { body } = await get('/entities?type=Person&attrs=phone', token);
    expect(body.map((e: any) => Object.keys(e).sort())).toEqual(Array(3).fill(['id', 'phone', 'type']));
    expect((await get('/entities?attrs=birthDate', token)).body).toEqual([]);
    expect((await get('/entities?attrs=phone', shelterToken)).body).toEqual([]);
    const one = await get(`/entities/${encodeURIComponent(body[0].id)}?attrs=name`, token);
    expect(Object.keys(one.body).sort()).toEqual(['id', 'name', 'type']);
    expect((await get(`/entities/${encodeURIComponent(body[0].id)}?georel=near`, token)).res.status).toBe(400);
  });

  it('5.7.2 q filters the released entities (4.9); a bad q is 400 BadRequestData; q never reaches data not released (ETSI GS CIM 009 v1.8)', async () => {
    const names = async (q: string, tk = token) =>
      ((await get(`/entities?type=Person&q=${encodeURIComponent(q)}`, tk)).body as any[])
        .map((e) => e.name?.value ?? e.birthDate?.value)
        .sort();
    expect(await names('name=="青森 一郎"')).toEqual(['青森 一郎']);
    expect(await names('phone~="^017-"|name=="八戸 四郎"')).toEqual(['八戸 四郎', '青森 一郎']);
    expect(await names('phone')).toEqual(['八戸 四郎', '弘前 三郎', '青森 一郎']);
    expect(await names('name!="青森 一郎";phone')).toEqual(['八戸 四郎', '弘前 三郎']);
    // The shelter client has birthDate only: a q on another category finds nobody.
    const shelterToken = await tokenFor(shelterClient);
    expect(await names('name=="青森 二郎"', shelterToken)).toEqual([]);
    expect(await names('birthDate=="1970-01-01"', shelterToken)).toEqual(['1970-01-01']);
    for (const bad of ['name==', 'name=="x', '((((name', 'name~="(a)\\\\1"', 'x'.repeat(5000)]) {
      const { res, body } = await get(`/entities?type=Person&q=${encodeURIComponent(bad)}`, token);
      expect(res.status, bad.slice(0, 20)).toBe(400);
      expect(body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
  });

  it('5.7.2 idPattern selects by id in linear time, reading (and logging) only the residents it selects; hostile patterns are 400 (ETSI GS CIM 009 v1.8)', async () => {
    const all = (await get('/entities?type=Person', token)).body as any[];
    const target = all[1].id as string;
    const before = await logged(supporterClient.clientId);
    const escaped = target.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    const { body } = await get(`/entities?idPattern=${encodeURIComponent(`^${escaped}$`)}`, token);
    expect(body.map((e: any) => e.id)).toEqual([target]);
    expect(await logged(supporterClient.clientId)).toBe(before + 1);
    expect((await get(`/entities?type=Person&idPattern=${encodeURIComponent('^urn:ngsi-ld:Person:')}`, token)).body).toHaveLength(4);
    expect((await get(`/entities?idPattern=${encodeURIComponent('(a+)+$')}`, token)).body).toEqual([]);
    for (const bad of ['a'.repeat(300), '(.|a){999}', '(a)\\1', '(?<=a)b', '[']) {
      const { res, body: problemBody } = await get(`/entities?idPattern=${encodeURIComponent(bad)}`, token);
      expect(res.status, bad.slice(0, 20)).toBe(400);
      expect(problemBody.detail).toContain('idPattern');
    }
    expect(await logged(supporterClient.clientId)).toBe(before + 1 + 4);
  });

  it('5.5.9 limit/offset page through the entities by id with Link rel="next"/"prev"; count=true gives NGSILD-Results-Count; bad paging is 400 (ETSI GS CIM 009 v1.8)', async () => {
    const first = await get('/entities?type=Person&limit=3&count=true', token);
    expect(first.res.headers.get('NGSILD-Results-Count')).toBe('4');
    expect(first.body).toHaveLength(3);
    const next = /<([^>]+)>; rel="next"/.exec(first.res.headers.get('Link')!)?.[1];
    expect(next).toBe('/ngsi-ld/v1/entities?type=Person&limit=3&count=true&offset=3');
    expect(first.res.headers.get('Link')).not.toContain('rel="prev"');
    const second = await get(next!.slice('/ngsi-ld/v1'.length), token);
    expect(second.body).toHaveLength(1);
    expect(second.res.headers.get('Link')).toContain('</ngsi-ld/v1/entities?type=Person&limit=3&count=true&offset=0>; rel="prev"');
    expect(second.res.headers.get('Link')).not.toContain('rel="next"');
    const ids = [...first.body, ...second.body].map((e: any) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(4);
    expect((await get('/entities?type=Person', token)).res.headers.get('NGSILD-Results-Count')).toBeNull();
    expect((await get('/entities?type=Building&count=true', token)).res.headers.get('NGSILD-Results-Count')).toBe('0');
    const counted = await get('/entities?type=Person&limit=0&count=true', token);
    expect([counted.body, counted.res.headers.get('NGSILD-Results-Count')]).toEqual([[], '4']);
    for (const bad of ['limit=1001', 'limit=-1', 'limit=1e3', 'offset=abc', 'offset=9999999999999999']) {
      const { res, body } = await get(`/entities?type=Person&${bad}`, token);
      expect(res.status, bad).toBe(400);
      expect(body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
  });

  it('5.5.2 hostile requests on the personal tenant are ProblemDetails, never 5xx, and no other resident appears (ETSI GS CIM 009 v1.8)', async () => {
    const shelterToken = await tokenFor(shelterClient);
    const theirs = ((await get('/entities?type=Person', token)).body as any[]).map((e) => e.id);
    const mine = (await get('/entities?idPattern=.*', shelterToken)).body as any[];
    expect(mine).toHaveLength(1);
    expect(Object.keys(mine[0]).sort()).toEqual(['birthDate', 'id', 'type']);
    const byTheirIds = await get(`/entities?id=${theirs.map(encodeURIComponent).join(',')}`, shelterToken);
    expect(byTheirIds.body).toEqual([]);
    const tooMany = Array.from({ length: 101 }, (_, i) => `urn:ngsi-ld:Person:${i}`).join(',');
    const cases: [string, Record<string, string>, number][] = [
      [`/entities?id=${tooMany}`, {}, 403],
      ['/entities?type=Person&georel=near;maxDistance==10&geometry=Point&coordinates=[0,0]', {}, 400],
      ['/entities?type=Person&scopeQ=/a', {}, 400],
      ['/entities?id=not a uri', {}, 400],
      ['/entities', {}, 400],
      ['/entities?type=Person', { Link: '<x>; rel="nope"' }, 400],
      ['/entities?type=Person', { Link: linkHeader('https://example.jp/unknown.jsonld') }, 503],
      ['/entities?type=Person', { Accept: 'text/html' }, 406],
    ];
    const before = await logged(supporterClient.clientId);
    for (const [path, headers, status] of cases) {
      const { res, body } = await get(path, token, headers);
      expect(res.status, path).toBe(status);
      expect(body.type, path).toMatch(/^https:\/\/uri\.etsi\.org\/ngsi-ld\/errors\//);
    }
    expect(await logged(supporterClient.clientId)).toBe(before);
  });
});
