// Context source registrations, written from ETSI GS CIM 009 v1.8 (clauses 5.2.9, 5.9 and 5.10),
// over HTTP on the real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { brokerRequest, linkHeader, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

const LINK = linkHeader(SHELTER_CONTEXT);
const SHELTER = 'https://smartdatamodels.org/dataModel.Emergency/Shelter';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts: shelterContexts } });
});
afterAll(() => t.close());

const req = brokerRequest(() => t.app, LINK);
const json = async (res: Response) => (await res.json()) as any;

const registration = (over: Record<string, unknown> = {}) => ({
  type: 'ContextSourceRegistration',
  information: [{ entities: [{ type: 'Shelter' }], propertyNames: ['capacity', 'name'] }],
  endpoint: 'http://source.example.jp:1026',
  ...over,
});
async function register(r: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await req('POST', '/csourceRegistrations', r, headers);
  expect(
    res.status,
    JSON.stringify(
      await res
        .clone()
        .json()
        .catch(() => null),
    ),
  ).toBe(201);
  return decodeURIComponent(res.headers.get('Location')!.split('/').at(-1)!);
}
const get = async (id: string, headers: Record<string, string> = {}) =>
  req('GET', `/csourceRegistrations/${encodeURIComponent(id)}`, undefined, headers);
const count = async () => (await rows<{ n: number }>(t.database, sql`select count(*)::int as n from broker_registrations`))[0]!.n;

describe('context source registrations: register, retrieve, update, delete', () => {
  it('5.9.2 registers with a generated id, stores names expanded, gives it back compacted with the defaults (ETSI GS CIM 009 v1.8)', async () => {
    const id = await register(registration({ registrationName: '弘前市の避難所センサー' }));
    expect(id).toMatch(/^urn:ngsi-ld:ContextSourceRegistration:[0-9a-f-]{36}$/);
    const [row] = await rows<{ body: any }>(t.database, sql`select body from broker_registrations where id = ${id}`);
    expect(row!.body.information[0].entities[0].type).toBe(SHELTER);
    expect(row!.body.information[0].propertyNames).toEqual(['https://smartdatamodels.org/capacity', 'https://schema.org/name']);
    const back = await json(await get(id));
    expect(back).toEqual({
      id,
      type: 'ContextSourceRegistration',
      registrationName: '弘前市の避難所センサー',
      information: [{ entities: [{ type: 'Shelter' }], propertyNames: ['capacity', 'name'] }],
      endpoint: 'http://source.example.jp:1026',
      mode: 'inclusive',
      operations: ['federationOps'],
    });
    // Without the Link header the names are those of the core context: expanded here.
    expect((await json(await get(id, { Link: '' }))).information[0].entities[0].type).toBe(SHELTER);
    const sys = await json(await req('GET', `/csourceRegistrations/${encodeURIComponent(id)}?options=sysAttrs`));
    expect(Date.parse(sys.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('5.9.2 keeps the given id, mode, operations, tenant, contextSourceInfo, management, intervals and location (ETSI GS CIM 009 v1.8)', async () => {
    const given = registration({
      id: 'urn:ngsi-ld:ContextSourceRegistration:full',
      information: [
        { entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:1' }], relationshipNames: ['municipality'] },
        { entities: [{ type: 'Shelter', idPattern: '.*47$' }] },
      ],
      mode: 'exclusive',
      operations: ['queryEntity', 'retrieveEntity', 'updateOps'],
      tenant: 'hirosaki',
      contextSourceInfo: [{ key: 'X-Api-Key', value: 'abc' }],
      management: { localOnly: true, timeout: 500 },
      observationInterval: { startAt: '2025-01-01T00:00:00Z', endAt: '2025-12-31T00:00:00Z' },
      location: { type: 'Point', coordinates: [140.46, 40.6] },
      expiresAt: '2099-01-01T00:00:00Z',
    });
    const id = await register(given);
    expect(await json(await get(id))).toEqual({ ...given, expiresAt: '2099-01-01T00:00:00.000Z' });
  });

  it('5.9.2 refuses bad registrations with BadRequestData naming the member, storing nothing (ETSI GS CIM 009 v1.8)', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [registration({ type: 'Registration' }), 'type'],
      [{ information: registration().information, endpoint: 'http://x.jp' }, 'type'],
      [registration({ information: [] }), 'information'],
      [registration({ information: [{}] }), 'information'],
      [registration({ information: [{ entities: [{ id: 'urn:x:1' }] }] }), 'type'],
      [registration({ information: [{ entities: [{ type: 'Shelter', idPattern: '(' }] }] }), 'idPattern'],
      [registration({ information: [{ propertyNames: ['a b'] }] }), 'propertyNames'],
      [registration({ endpoint: undefined }), 'endpoint'],
      [registration({ endpoint: 'ftp://source.example.jp' }), 'endpoint'],
      [registration({ endpoint: 'http:///x' }), 'endpoint'],
      [registration({ endpoint: 'http://user:pw@source.example.jp' }), 'endpoint'],
      [registration({ mode: 'exclusiveish' }), 'mode'],
      [registration({ operations: ['fly'] }), 'operations'],
      [registration({ expiresAt: '2020-01-01T00:00:00Z' }), 'expiresAt'],
      [registration({ expiresAt: 'tomorrow' }), 'expiresAt'],
      [registration({ tenant: 'a b' }), 'tenant'],
      [registration({ contextSourceInfo: [{ key: 'Bad Header', value: 'x' }] }), 'contextSourceInfo'],
      [registration({ contextSourceInfo: [{ key: 'X-A', value: 'x\r\nInjected: 1' }] }), 'contextSourceInfo'],
      [registration({ contextSourceInfo: [{ key: 'Via', value: '1.1 elsewhere' }] }), 'contextSourceInfo'],
      [registration({ management: { timeout: -1 } }), 'management.timeout'],
      [registration({ location: { type: 'Point', coordinates: [999, 999] } }), 'location'],
      [registration({ observationInterval: { startAt: '2025-02-30T00:00:00Z' } }), 'observationInterval'],
      [registration({ color: 'red' }), 'color'],
      [registration({ id: 'not a uri' }), 'id'],
    ];
    for (const [body, member] of cases) {
      const res = await req('POST', '/csourceRegistrations', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await json(res);
      expect(problem.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
      expect(problem.detail, JSON.stringify(body)).toContain(member);
    }
    expect(await count()).toBe(before);
  });

  it('5.9.2 an id already registered is AlreadyExists (ETSI GS CIM 009 v1.8)', async () => {
    const r = registration({ id: 'urn:ngsi-ld:ContextSourceRegistration:twice' });
    await register(r);
    const res = await req('POST', '/csourceRegistrations', r);
    expect(res.status).toBe(409);
    expect((await json(res)).type).toBe('https://uri.etsi.org/ngsi-ld/errors/AlreadyExists');
  });

  it('5.9.3 updates the members given, null removes one; a bad update changes nothing (ETSI GS CIM 009 v1.8)', async () => {
    const id = await register(registration({ description: 'old', expiresAt: '2099-01-01T00:00:00Z' }));
    const path = `/csourceRegistrations/${encodeURIComponent(id)}`;
    expect((await req('PATCH', path, { id, endpoint: 'http://new.example.jp:1026', description: null, expiresAt: null })).status).toBe(204);
    const after = await json(await get(id));
    expect(after.endpoint).toBe('http://new.example.jp:1026');
    expect(after.description).toBeUndefined();
    expect(after.expiresAt).toBeUndefined();
    expect(after.information).toEqual(registration().information);
    for (const bad of [{ endpoint: 'mailto:x@y.jp' }, { information: null }, { id: 'urn:other:1', description: 'x' }, {}]) {
      const res = await req('PATCH', path, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await json(await get(id))).toEqual(after);
    expect((await req('PATCH', '/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:none', { description: 'x' })).status).toBe(404);
  });

  it('5.9.4 deletes; then it and another unknown id are ResourceNotFound (ETSI GS CIM 009 v1.8)', async () => {
    const id = await register(registration());
    const path = `/csourceRegistrations/${encodeURIComponent(id)}`;
    expect((await req('DELETE', path)).status).toBe(204);
    const gone = await get(id);
    expect(gone.status).toBe(404);
    expect((await json(gone)).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
    expect((await req('DELETE', path)).status).toBe(404);
    expect((await req('GET', '/csourceRegistrations/not-a-uri')).status).toBe(400);
    const collection = await req('PATCH', '/csourceRegistrations', { description: 'x' });
    expect(collection.status).toBe(405);
    expect(collection.headers.get('Allow')).toBe('GET, POST');
    expect(await collection.text()).toBe('');
  });

  it('5.9.2 registrations are per tenant (ETSI GS CIM 009 v1.8)', async () => {
    const id = await register(registration(), { 'NGSILD-Tenant': 'aomori' });
    expect((await get(id, { 'NGSILD-Tenant': 'aomori' })).status).toBe(200);
    expect((await get(id)).status).toBe(404);
    expect((await get(id, { 'NGSILD-Tenant': 'hirosaki' })).status).toBe(404);
  });
});

describe('context source discovery: query registrations', () => {
  const tenant = { 'NGSILD-Tenant': 'discovery' };
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    ids.vehicles = await register(
      registration({
        information: [
          { entities: [{ type: 'Vehicle', id: 'urn:ngsi-ld:Vehicle:A456' }], propertyNames: ['speed'], relationshipNames: ['isParked'] },
          { entities: [{ type: 'OffStreetParking', idPattern: '.*downtown$' }] },
        ],
        location: { type: 'Point', coordinates: [140.74, 40.82] },
        observationInterval: { startAt: '2025-01-01T00:00:00Z', endAt: '2025-06-30T00:00:00Z' },
      }),
      tenant,
    );
    ids.shelters = await register(registration(), tenant);
    ids.anyEntity = await register(registration({ information: [{ propertyNames: ['capacity'] }] }), tenant);
    ids.expired = await register(registration({ expiresAt: new Date(Date.now() + 300).toISOString() }), tenant);
    await new Promise((r) => setTimeout(r, 400));
  });
  const query = async (qs: string) => {
    const res = await req('GET', `/csourceRegistrations?${qs}`, undefined, tenant);
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    return { ids: (body as { id: string }[]).map((r) => r.id), res };
  };

  it('5.10.2 by type, id, idPattern and attrs, as the information of each registration allows (ETSI GS CIM 009 v1.8)', async () => {
    expect((await query('type=Shelter')).ids.sort()).toEqual([ids.shelters, ids.anyEntity].sort());
    expect((await query('type=Vehicle')).ids).toEqual([ids.anyEntity, ids.vehicles].sort());
    expect((await query('type=Vehicle&id=urn:ngsi-ld:Vehicle:B1')).ids).toEqual([ids.anyEntity]);
    expect((await query('type=OffStreetParking&id=urn:ngsi-ld:OffStreetParking:downtown')).ids.sort()).toEqual(
      [ids.anyEntity, ids.vehicles].sort(),
    );
    expect((await query('type=Vehicle&idPattern=A4')).ids.sort()).toEqual([ids.anyEntity, ids.vehicles].sort());
    expect((await query('type=Vehicle&idPattern=^urn:x')).ids).toEqual([ids.anyEntity]);
    // A RegistrationInfo without attribute names offers every attribute of its entities.
    expect((await query('attrs=name')).ids.sort()).toEqual([ids.shelters, ids.vehicles].sort());
    expect((await query('attrs=totalSpotNumber')).ids).toEqual([ids.vehicles]);
    expect((await query('type=Vehicle&attrs=speed')).ids).toEqual([ids.vehicles]);
  });

  it('5.10.2 by location and by observation interval; expired registrations are not found (ETSI GS CIM 009 v1.8)', async () => {
    const near = 'georel=near;maxDistance==2000&geometry=Point&coordinates=[140.75,40.82]';
    expect((await query(`type=Vehicle&${near}`)).ids).toEqual([ids.vehicles]);
    expect((await query('type=Vehicle&georel=near;maxDistance==2000&geometry=Point&coordinates=[141,41]')).ids).toEqual([]);
    expect((await query('type=Vehicle&timerel=before&timeAt=2025-03-01T00:00:00Z')).ids).toEqual([ids.vehicles]);
    expect((await query('type=Vehicle&timerel=after&timeAt=2025-07-01T00:00:00Z')).ids).toEqual([]);
    expect((await query('type=Shelter')).ids).not.toContain(ids.expired);
    expect((await get(ids.expired!, tenant)).status).toBe(200);
  });

  it('5.10.2 pages with limit and offset and counts with count=true (ETSI GS CIM 009 v1.8)', async () => {
    const all = (await query('type=Shelter,Vehicle,OffStreetParking')).ids;
    expect(all).toEqual([...all].sort());
    expect(all).toHaveLength(3);
    const page = await query('type=Shelter,Vehicle,OffStreetParking&limit=1&offset=1&count=true');
    expect(page.ids).toEqual([all[1]]);
    expect(page.res.headers.get('NGSILD-Results-Count')).toBe('3');
  });

  it('5.10.2 without type or attrs, or with a bad id, q, geo-query or temporal query: BadRequestData (ETSI GS CIM 009 v1.8)', async () => {
    for (const qs of [
      '',
      'id=urn:x:1',
      'type=Vehicle&id=invalidUri',
      'q=(invalid',
      'type=Vehicle&georel=within',
      'type=Vehicle&timerel=before',
      'type=Vehicle&idPattern=(',
      'type=Vehicle&timerel=between&timeAt=2025-01-02T00:00:00Z&endTimeAt=2025-01-01T00:00:00Z',
    ]) {
      const res = await req('GET', `/csourceRegistrations?${qs}`, undefined, tenant);
      expect(res.status, qs).toBe(400);
      expect((await json(res)).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
  });
});
