// Query entities with the query in a POST body (ETSI GS CIM 009 v1.8, 5.7.2, 6.23) and purge entities
// (5.6.21, DELETE /entities).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { brokerRequest, linkHeader, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts: shelterContexts } });
});
afterAll(() => t.close());

const req = brokerRequest(() => t.app, linkHeader(SHELTER_CONTEXT));
const ids = async (res: Response) => ((await res.json()) as { id: string }[]).map((e) => e.id);
const entity = (id: string, type: string, capacity: number, lon = 140.74) => ({
  id,
  type,
  capacity: { type: 'Property', value: capacity },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, 40.82] } },
});
const seed = (prefix: string) =>
  req('POST', 'entityOperations/create', [
    entity(`urn:ngsi-ld:Shelter:${prefix}-1`, 'Shelter', 100),
    entity(`urn:ngsi-ld:Shelter:${prefix}-2`, 'Shelter', 500, 141.5),
    entity(`urn:ngsi-ld:School:${prefix}-3`, 'School', 300),
  ]);

describe('5.7.2 query entities by POST /entityOperations/query (ETSI GS CIM 009 v1.8)', () => {
  beforeAll(async () => expect((await seed('q')).status).toBe(201));

  it('5.7.2 the Query in the body selects as the same query in the URL does', async () => {
    const body = { type: 'Query', entities: [{ type: 'Shelter' }], q: 'capacity>200', attrs: ['capacity'] };
    const res = await req('POST', 'entityOperations/query', body);
    expect(res.status).toBe(200);
    const list = (await res.json()) as any[];
    expect(list).toEqual([{ id: 'urn:ngsi-ld:Shelter:q-2', type: 'Shelter', capacity: { type: 'Property', value: 500 } }]);
    const url = await req('GET', `entities?type=Shelter&q=${encodeURIComponent('capacity>200')}&attrs=capacity`);
    expect(list).toEqual(await url.json());
  });

  it('5.7.2 geoQ, several types, ids of one type, limit/offset/count and options in the URL', async () => {
    const near = {
      type: 'Query',
      entities: [{ type: 'Shelter' }, { type: 'School' }],
      geoQ: { geometry: 'Point', coordinates: [140.74, 40.82], georel: 'near;maxDistance==1000' },
    };
    expect(await ids(await req('POST', 'entityOperations/query', near))).toEqual(['urn:ngsi-ld:School:q-3', 'urn:ngsi-ld:Shelter:q-1']);
    const byId = {
      type: 'Query',
      entities: [
        { type: 'Shelter', id: 'urn:ngsi-ld:Shelter:q-1' },
        { type: 'Shelter', id: 'urn:ngsi-ld:Shelter:q-2' },
      ],
    };
    const page = await req('POST', 'entityOperations/query?limit=1&offset=1&count=true&options=keyValues', byId);
    expect(page.headers.get('NGSILD-Results-Count')).toBe('2');
    expect(await page.json()).toEqual([{ id: 'urn:ngsi-ld:Shelter:q-2', type: 'Shelter', capacity: 500, location: expect.any(Object) }]);
  });

  it('5.7.2 a JSON-LD body brings its own @context, and the answer is compacted with it', async () => {
    const body = { type: 'Query', entities: [{ type: 'School' }], '@context': SHELTER_CONTEXT };
    const res = await req('POST', 'entityOperations/query', body, {
      'Content-Type': 'application/ld+json',
      Link: '',
      Accept: 'application/ld+json',
    });
    expect(await res.json()).toEqual([
      expect.objectContaining({ id: 'urn:ngsi-ld:School:q-3', capacity: { type: 'Property', value: 300 }, '@context': SHELTER_CONTEXT }),
    ]);
  });

  it('5.7.2 a body that is not a Query, a member not supported, a bad selector mix: BadRequestData or OperationNotSupported', async () => {
    for (const [body, status] of [
      [{ entities: [{ type: 'Shelter' }] }, 400],
      [{ type: 'Query', entities: [{ type: 'Shelter' }], temporalQ: { timerel: 'before' } }, 400],
      [{ type: 'Query', entities: [] }, 400],
      [{ type: 'Query', entities: [{ type: 'Shelter', idPattern: '.*' }, { type: 'School' }] }, 422],
      [{ type: 'Query' }, 400],
    ] as const) {
      expect((await req('POST', 'entityOperations/query', body)).status, JSON.stringify(body)).toBe(status);
    }
    expect((await req('POST', 'entityOperations/query?type=Shelter', { type: 'Query' })).status).toBe(400);
  });
});

describe('5.6.21 purge entities: DELETE /entities (ETSI GS CIM 009 v1.8)', () => {
  beforeAll(async () => expect((await seed('p')).status).toBe(201));

  it('5.6.21 deletes every entity the filter selects and no other', async () => {
    const res = await req(
      'DELETE',
      `entities?type=Shelter&idPattern=${encodeURIComponent('^urn:ngsi-ld:Shelter:p-')}&q=${encodeURIComponent('capacity<200')}`,
    );
    expect(res.status).toBe(204);
    expect(await ids(await req('GET', 'entities?idPattern=:p-'))).toEqual(['urn:ngsi-ld:School:p-3', 'urn:ngsi-ld:Shelter:p-2']);
    expect((await req('DELETE', 'entities?type=School')).status).toBe(204);
    expect(await ids(await req('GET', 'entities?idPattern=:p-'))).toEqual(['urn:ngsi-ld:Shelter:p-2']);
    expect(await ids(await req('GET', 'entities?idPattern=:q-'))).toHaveLength(2);
  });

  it('5.6.21 without a filter, or with a parameter purge does not take, it is BadRequestData and deletes nothing', async () => {
    for (const path of ['entities', 'entities?attrs=capacity', 'entities?type=Shelter&georel=near']) {
      const res = await req('DELETE', path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
    expect(await ids(await req('GET', 'entities?type=Shelter'))).toHaveLength(3);
  });
});
