// The NGSI-LD entity API, written from ETSI GS CIM 009 v1.8 (clauses 5.6 and 5.7), over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { linkHeader, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

const CTX = SHELTER_CONTEXT;
const LINK = linkHeader(CTX);
const contexts = shelterContexts;

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('aomori', 'http://127.0.0.1:9', { broker: { auth: false, contexts } });
});
afterAll(() => t.close());

const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.request(`/ngsi-ld/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Link: LINK, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

const shelter = {
  id: 'urn:ngsi-ld:Shelter:022012-0001',
  type: 'Shelter',
  name: { type: 'Property', value: '青森市立浦町小学校' },
  capacity: { type: 'Property', value: 500, unitCode: 'C62', observedAt: '2025-01-31T00:00:00Z' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [140.7474, 40.8244] } },
  municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
  label: { type: 'LanguageProperty', languageMap: { ja: '浦町小学校', en: 'Uramachi Elementary School' } },
};

describe('entities', () => {
  it('creates an entity: 201 with its Location; the same id again is AlreadyExists', async () => {
    const res = await req('POST', '/entities', shelter);
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe('/ngsi-ld/v1/entities/urn:ngsi-ld:Shelter:022012-0001');
    const again = await req('POST', '/entities', shelter);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: 'https://uri.etsi.org/ngsi-ld/errors/AlreadyExists', status: 409 });
  });

  it('stores attribute names expanded with the @context, and gives them back compacted', async () => {
    const [row] = await rows<{ types: string[]; attrs: Record<string, unknown> }>(
      t.database,
      sql`select types, attrs from broker_entities where id = ${shelter.id}`,
    );
    expect(row!.types).toEqual(['https://smartdatamodels.org/dataModel.Emergency/Shelter']);
    expect(Object.keys(row!.attrs).sort()).toEqual([
      'https://schema.org/name',
      'https://smartdatamodels.org/capacity',
      'https://uri.etsi.org/ngsi-ld/default-context/label',
      'https://uri.etsi.org/ngsi-ld/default-context/municipality',
      'https://uri.etsi.org/ngsi-ld/location',
    ]);
    const res = await req('GET', `/entities/${encodeURIComponent(shelter.id)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Link')).toContain(CTX);
    expect(await res.json()).toEqual(shelter);
  });

  it('without the user @context, names come back as full IRIs (core terms stay short)', async () => {
    const res = await req('GET', `/entities/${encodeURIComponent(shelter.id)}`, undefined, { Link: '' });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.type).toBe('https://smartdatamodels.org/dataModel.Emergency/Shelter');
    expect(body['https://schema.org/name']).toEqual({ type: 'Property', value: '青森市立浦町小学校' });
    expect(body.location).toBeDefined();
  });

  it('options=keyValues, sysAttrs and attrs; JSON-LD with the @context in the body', async () => {
    const kv = (await (
      await req('GET', `/entities/${encodeURIComponent(shelter.id)}?options=keyValues&attrs=name,municipality`)
    ).json()) as any;
    expect(kv).toEqual({ id: shelter.id, type: 'Shelter', name: '青森市立浦町小学校', municipality: 'urn:ngsi-ld:Municipality:02201' });
    const sys = (await (await req('GET', `/entities/${encodeURIComponent(shelter.id)}?options=sysAttrs`)).json()) as any;
    expect(sys.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(sys.capacity.modifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const ld = await req('GET', `/entities/${encodeURIComponent(shelter.id)}`, undefined, { Accept: 'application/ld+json' });
    expect(ld.headers.get('Content-Type')).toContain('application/ld+json');
    expect(((await ld.json()) as any)['@context']).toBe(CTX);
  });

  it('queries by type, id pattern and attrs, with limit, offset and NGSILD-Results-Count', async () => {
    for (const n of ['0002', '0003']) {
      await req('POST', '/entities', { ...shelter, id: `urn:ngsi-ld:Shelter:022012-${n}`, label: undefined });
    }
    const res = await req('GET', '/entities?type=Shelter&limit=2&count=true');
    expect(res.headers.get('NGSILD-Results-Count')).toBe('3');
    expect(((await res.json()) as any[]).map((e) => e.id)).toEqual(['urn:ngsi-ld:Shelter:022012-0001', 'urn:ngsi-ld:Shelter:022012-0002']);
    const page2 = (await (await req('GET', '/entities?type=Shelter&limit=2&offset=2')).json()) as any[];
    expect(page2.map((e) => e.id)).toEqual(['urn:ngsi-ld:Shelter:022012-0003']);
    const pattern = (await (await req('GET', '/entities?idPattern=.*000[12]$')).json()) as any[];
    expect(pattern).toHaveLength(2);
    const byQ = await req('GET', `/entities?type=Shelter&q=${encodeURIComponent('capacity>=500;name=="青森市立浦町小学校"')}&count=true`);
    expect(byQ.headers.get('NGSILD-Results-Count')).toBe('3');
    const none = (await (await req('GET', `/entities?q=${encodeURIComponent('capacity>500')}`)).json()) as any[];
    expect(none).toEqual([]);
    expect((await req('GET', `/entities?q=${encodeURIComponent('capacity>>1')}`)).status).toBe(400);
    const withLabel = (await (await req('GET', '/entities?attrs=label')).json()) as any[];
    expect(withLabel.map((e) => e.id)).toEqual([shelter.id]);
  });

  it('appends, updates and deletes attributes; multi-attributes by datasetId', async () => {
    const id = encodeURIComponent(shelter.id);
    expect((await req('POST', `/entities/${id}/attrs`, { status: { type: 'Property', value: 'open' } })).status).toBe(204);
    const partial = await req('PATCH', `/entities/${id}/attrs`, {
      status: { type: 'Property', value: 'full' },
      unknownAttr: { type: 'Property', value: 1 },
    });
    expect(partial.status).toBe(207);
    expect(await partial.json()).toMatchObject({
      notUpdated: [{ attributeName: 'unknownAttr' }],
    });
    const multi = [
      { type: 'Property', value: 480, datasetId: 'urn:ngsi-ld:Dataset:summer' },
      { type: 'Property', value: 350, datasetId: 'urn:ngsi-ld:Dataset:winter' },
    ];
    expect((await req('POST', `/entities/${id}/attrs`, { capacity: multi })).status).toBe(204);
    const e = (await (await req('GET', `/entities/${id}`)).json()) as any;
    expect(e.status.value).toBe('full');
    expect(e.capacity).toEqual(multi);
    expect((await req('DELETE', `/entities/${id}/attrs/status`)).status).toBe(204);
    expect((await req('DELETE', `/entities/${id}/attrs/status`)).status).toBe(404);
  });

  it('deletes an entity', async () => {
    const id = encodeURIComponent('urn:ngsi-ld:Shelter:022012-0003');
    expect((await req('DELETE', `/entities/${id}`)).status).toBe(204);
    expect((await req('GET', `/entities/${id}`)).status).toBe(404);
  });
});

describe('tenants', () => {
  it('keeps each tenant’s entities apart', async () => {
    const city = { ...shelter, id: 'urn:ngsi-ld:Shelter:city-only' };
    expect((await req('POST', '/entities', city, { 'NGSILD-Tenant': 'aomori' })).status).toBe(201);
    expect((await req('GET', `/entities/${encodeURIComponent(city.id)}`)).status).toBe(404);
    expect((await req('GET', `/entities/${encodeURIComponent(city.id)}`, undefined, { 'NGSILD-Tenant': 'aomori' })).status).toBe(200);
    expect((await req('GET', `/entities/${encodeURIComponent(city.id)}`, undefined, { 'NGSILD-Tenant': 'hirosaki' })).status).toBe(404);
  });
});

describe('bad requests are refused precisely and change nothing', () => {
  it.each([
    ['malformed JSON', '{"id": ', 400, 'InvalidRequest'],
    ['an id that is not a URI', { ...shelter, id: 'shelter 1' }, 400, 'BadRequestData'],
    ['a Property without a value', { ...shelter, id: 'urn:x:2', name: { type: 'Property' } }, 400, 'BadRequestData'],
    [
      'an unclosed polygon',
      {
        ...shelter,
        id: 'urn:x:3',
        location: {
          type: 'GeoProperty',
          value: {
            type: 'Polygon',
            coordinates: [
              [
                [140, 40],
                [141, 40],
                [141, 41],
                [140, 41],
              ],
            ],
          },
        },
      },
      400,
      'BadRequestData',
    ],
    [
      'a latitude out of range',
      { ...shelter, id: 'urn:x:4', location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [140, 95] } } },
      400,
      'BadRequestData',
    ],
    [
      'a Relationship to something that is not a URI',
      { ...shelter, id: 'urn:x:5', municipality: { type: 'Relationship', object: '青森市' } },
      400,
      'BadRequestData',
    ],
    [
      'two instances with the same datasetId',
      {
        ...shelter,
        id: 'urn:x:6',
        capacity: [
          { type: 'Property', value: 1 },
          { type: 'Property', value: 2 },
        ],
      },
      400,
      'BadRequestData',
    ],
  ])('%s', async (_label, body, status, type) => {
    const before = await rows(t.database, sql`select count(*)::int as n from broker_entities`);
    const res = await req('POST', '/entities', body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as any).type).toBe(`https://uri.etsi.org/ngsi-ld/errors/${type}`);
    expect(await rows(t.database, sql`select count(*)::int as n from broker_entities`)).toEqual(before);
  });

  it('an @context that is not available locally is LdContextNotAvailable (the broker never fetches)', async () => {
    const res = await req(
      'POST',
      '/entities',
      { ...shelter, id: 'urn:x:7' },
      { Link: '<https://example.com/unknown.jsonld>; rel="http://www.w3.org/ns/json-ld#context"' },
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable');
  });

  it('an endpoint that does not exist answers with ProblemDetails', async () => {
    const res = await req('GET', '/subscriptions-nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
  });

  it('a query needs a restriction, and a bad limit or idPattern is refused', async () => {
    for (const q of ['', '?type=Shelter&limit=5000', '?idPattern=(', '?id=not a uri']) {
      const res = await req('GET', `/entities${q}`);
      expect(res.status, q).toBe(400);
    }
  });
});

describe('batch operations and discovery', () => {
  const batch = (op: string, body: unknown, headers: Record<string, string> = {}) => req('POST', `/entityOperations/${op}`, body, headers);
  const point = (id: string, lon: number) => ({
    id,
    type: 'Shelter',
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, 40.8] } },
  });

  it('create: 201 with the ids; a failing item gives 207 with its ProblemDetails and the rest are created', async () => {
    const ok = await batch('create', [point('urn:b:1', 140.1), point('urn:b:2', 140.2)]);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual(['urn:b:1', 'urn:b:2']);
    const mixed = await batch('create', [point('urn:b:3', 140.3), point('urn:b:1', 140.1), { id: 'not-a-uri', type: 'Shelter' }]);
    expect(mixed.status).toBe(207);
    const body = (await mixed.json()) as any;
    expect(body.success).toEqual(['urn:b:3']);
    expect(body.errors.map((e: any) => [e.entityId, e.error.title])).toEqual([
      ['urn:b:1', 'AlreadyExists'],
      ['not-a-uri', 'BadRequestData'],
    ]);
  });

  it('upsert replaces by default and merges with options=update; update and delete', async () => {
    expect((await batch('upsert', [{ ...point('urn:b:1', 141), name: { type: 'Property', value: 'A' } }])).status).toBe(204);
    expect((await batch('upsert', [{ id: 'urn:b:1', type: 'Shelter', capacity: { type: 'Property', value: 10 } }], {})).status).toBe(204);
    let e = (await (await req('GET', '/entities/urn%3Ab%3A1?options=keyValues')).json()) as any;
    expect(Object.keys(e).sort()).toEqual(['capacity', 'id', 'type']);
    await req('POST', '/entityOperations/upsert?options=update', [
      { id: 'urn:b:1', type: 'Shelter', name: { type: 'Property', value: 'B' } },
    ]);
    e = (await (await req('GET', '/entities/urn%3Ab%3A1?options=keyValues')).json()) as any;
    expect(e).toMatchObject({ capacity: 10, name: 'B' });
    const upd = await batch('update', [{ id: 'urn:b:404', type: 'Shelter', name: { type: 'Property', value: 'x' } }]);
    expect(upd.status).toBe(207);
    expect(((await upd.json()) as any).errors[0].error.title).toBe('ResourceNotFound');
    expect((await batch('delete', ['urn:b:2', 'urn:b:3'])).status).toBe(204);
    expect((await req('GET', '/entities/urn%3Ab%3A2')).status).toBe(404);
  });

  it('lists the types and attributes of a tenant, compacted with the request’s @context', async () => {
    const types = (await (await req('GET', '/types')).json()) as any;
    expect(types).toMatchObject({ type: 'EntityTypeList', typeList: ['Shelter'] });
    const attrs = (await (await req('GET', '/attributes')).json()) as any;
    expect(attrs.attributeList).toEqual(expect.arrayContaining(['capacity', 'name', 'location', 'municipality']));
  });
});

describe('geo-queries over HTTP', () => {
  it('finds the shelters near a point in Aomori City', async () => {
    await req('POST', '/entityOperations/upsert', [
      {
        id: 'urn:geo:cityhall',
        type: 'Shelter',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [140.74, 40.8228] } },
      },
      {
        id: 'urn:geo:station',
        type: 'Shelter',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [140.7285, 40.8287] } },
      },
      {
        id: 'urn:geo:hirosaki',
        type: 'Shelter',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [140.4642, 40.6031] } },
      },
    ]);
    const url = `/entities?type=Shelter&georel=${encodeURIComponent('near;maxDistance==2000')}&geometry=Point&coordinates=${encodeURIComponent('[140.74,40.8228]')}&idPattern=^urn:geo:&count=true`;
    const res = await req('GET', url);
    expect(res.headers.get('NGSILD-Results-Count')).toBe('2');
    expect(((await res.json()) as any[]).map((e) => e.id).sort()).toEqual(['urn:geo:cityhall', 'urn:geo:station']);
    expect((await req('GET', '/entities?type=Shelter&georel=near&geometry=Point&coordinates=[140,40]')).status).toBe(400);
  });
});

describe('replacing entities and single attributes', () => {
  const id = 'urn:ngsi-ld:Shelter:replace-1';
  const path = `/entities/${encodeURIComponent(id)}`;
  const get = async () => (await (await req('GET', `${path}?options=sysAttrs`)).json()) as any;

  it('PUT replaces every attribute and keeps the id and the creation time', async () => {
    expect((await req('POST', '/entities', { ...shelter, id })).status).toBe(201);
    const before = await get();
    const res = await req('PUT', path, { type: 'Shelter', name: { type: 'Property', value: '新しい名前' } });
    expect(res.status).toBe(204);
    const after = await get();
    expect(Object.keys(after).filter((k) => !['id', 'type', 'createdAt', 'modifiedAt'].includes(k))).toEqual(['name']);
    expect(after.name.value).toBe('新しい名前');
    expect(after.createdAt).toBe(before.createdAt);
    expect((await req('PUT', path, { id: 'urn:other:1', type: 'Shelter' })).status).toBe(400);
    expect((await req('PUT', '/entities/urn%3Anope%3A1', { type: 'Shelter' })).status).toBe(404);
  });

  it('PATCH …/attrs/{attr} changes only the members given; PUT …/attrs/{attr} replaces the attribute', async () => {
    await req('POST', `${path}/attrs`, { capacity: { type: 'Property', value: 300, unitCode: 'C62', observedAt: '2025-01-31T00:00:00Z' } });
    expect((await req('PATCH', `${path}/attrs/capacity`, { value: 320 })).status).toBe(204);
    expect((await get()).capacity).toMatchObject({ type: 'Property', value: 320, unitCode: 'C62', observedAt: '2025-01-31T00:00:00Z' });
    expect((await req('PUT', `${path}/attrs/capacity`, { type: 'Property', value: 10 })).status).toBe(204);
    const replaced = (await get()).capacity;
    expect(replaced.value).toBe(10);
    expect(replaced.unitCode).toBeUndefined();
    expect((await req('PATCH', `${path}/attrs/nothere`, { value: 1 })).status).toBe(404);
    expect((await req('PATCH', `${path}/attrs/capacity`, { type: 'Relationship' })).status).toBe(400);
    expect((await get()).capacity.value).toBe(10);
  });
});

describe('q checked in code, page by page', () => {
  it('pages through candidates the database cannot narrow exactly (patterns), with the right count', async () => {
    const items = Array.from({ length: 90 }, (_, i) => ({
      id: `urn:page:${String(i).padStart(3, '0')}`,
      type: 'Counter',
      label: { type: 'Property', value: i % 3 === 0 ? `third-${i}` : `other-${i}` },
    }));
    expect((await req('POST', '/entityOperations/create', items)).status).toBe(201);
    const expected = items.filter((_, i) => i % 3 === 0).map((e) => e.id);
    const res = await req('GET', `/entities?type=Counter&q=${encodeURIComponent('label~="^third"')}&limit=5&offset=21&count=true`);
    expect(res.headers.get('NGSILD-Results-Count')).toBe('30');
    expect(((await res.json()) as any[]).map((e) => e.id)).toEqual(expected.slice(21, 26));
    const last = await req('GET', `/entities?type=Counter&q=${encodeURIComponent('label~="^third"')}&limit=20&offset=25`);
    expect(((await last.json()) as any[]).map((e) => e.id)).toEqual(expected.slice(25));
  });
});
