// Writing to the NGSI-LD temporal API, written from ETSI GS CIM 009 v1.8 (clauses 5.6.11–5.6.15), over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { brokerRequest, linkHeader } from '../../../test/ngsi-ld.ts';

const CTX = 'https://example.jp/vehicle-context.jsonld';
const LINK = linkHeader(CTX);
const contexts = { [CTX]: { '@context': { Vehicle: 'https://example.jp/Vehicle', speed: 'https://example.jp/speed' } } };

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts } });
});
afterAll(() => t.close());

const req = brokerRequest(() => t.app, LINK);
const json = async (res: Response) => (await res.json()) as any;
const enc = encodeURIComponent;
const at = (value: number, observedAt: string, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, observedAt, ...extra });
const FUEL = 'urn:ngsi-ld:Vehicle:fuel-sensor';

/** A vehicle's temporal evolution as the ETSI test suite writes one: speed twice, fuelLevel twice plus a second dataset. */
const vehicle = (id: string) => ({
  id,
  type: 'Vehicle',
  speed: [at(120, '2020-09-01T12:03:00Z'), at(80, '2020-09-01T12:05:00Z')],
  fuelLevel: [at(67, '2020-09-01T12:03:00Z'), at(53, '2020-09-01T13:05:00Z'), at(40, '2020-09-01T14:07:00Z', { datasetId: FUEL })],
});
const temporal = async (id: string, query = '') => json(await req('GET', `/temporal/entities/${enc(id)}${query}`));
const values = (list: any[]) => list.map((i) => [i.value, i.observedAt, i.datasetId ?? null]);
const historyCount = async (id: string) =>
  (await rows<{ n: number }>(t.database, sql`select count(*)::int as n from broker_history where entity_id = ${id}`))[0]!.n;

describe('5.6.11 create or update the temporal evolution of an entity', () => {
  it('5.6.11 a new entity: 201, every instance recorded at its observedAt, the current state the latest (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:create';
    const res = await req('POST', '/temporal/entities', vehicle(id));
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe(`/ngsi-ld/v1/temporal/entities/${id}`);
    const body = await temporal(id);
    expect(body.type).toBe('Vehicle');
    expect(values(body.speed)).toEqual([
      [120, '2020-09-01T12:03:00Z', null],
      [80, '2020-09-01T12:05:00Z', null],
    ]);
    expect(values(body.fuelLevel)).toEqual([
      [67, '2020-09-01T12:03:00Z', null],
      [53, '2020-09-01T13:05:00Z', null],
      [40, '2020-09-01T14:07:00Z', FUEL],
    ]);
    expect(body.speed[0].instanceId).toMatch(/^urn:ngsi-ld:attribute:instance:\d+$/);
    // The current state: per attribute and datasetId, the latest observation.
    const now = await json(await req('GET', `/entities/${enc(id)}?options=keyValues`));
    expect(now).toEqual({ id, type: 'Vehicle', speed: 80, fuelLevel: [53, 40] });
    const found = await json(await req('GET', '/temporal/entities?type=Vehicle&attrs=speed'));
    expect(found.map((e: any) => e.id)).toContain(id);
  });

  it('5.6.11 an entity it knows: 204, the instances added; a late observation does not roll the current state back (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:update';
    expect((await req('POST', '/temporal/entities', vehicle(id))).status).toBe(201);
    const update = { id, type: 'Vehicle', speed: [at(95, '2020-09-01T12:04:00Z'), at(60, '2020-09-01T12:10:00Z')] };
    expect((await req('POST', '/temporal/entities', update)).status).toBe(204);
    expect(values((await temporal(id)).speed).map((v) => v[0])).toEqual([120, 95, 80, 60]);
    expect((await json(await req('GET', `/entities/${enc(id)}?options=keyValues`))).speed).toBe(60);
    const before = await json(await req('GET', `/entities/${enc(id)}?options=sysAttrs`));
    const late = { id, type: 'Vehicle', speed: at(10, '2020-08-01T00:00:00Z') };
    expect((await req('POST', '/temporal/entities', late)).status).toBe(204);
    expect(await json(await req('GET', `/entities/${enc(id)}?options=sysAttrs`))).toEqual(before);
    expect(values((await temporal(id)).speed).map((v) => v[0])).toEqual([10, 120, 95, 80, 60]);
  });

  it('5.6.11 an entity deleted but with a history is known: 204, and it has a current state again (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:revived';
    expect((await req('POST', '/entities', { id, type: 'Vehicle', speed: at(1, '2020-01-01T00:00:00Z') })).status).toBe(201);
    expect((await req('DELETE', `/entities/${enc(id)}`)).status).toBe(204);
    expect((await req('POST', '/temporal/entities', { id, type: 'Vehicle', speed: [at(2, '2020-01-02T00:00:00Z')] })).status).toBe(204);
    expect((await json(await req('GET', `/entities/${enc(id)}?options=keyValues`))).speed).toBe(2);
  });

  it('4.5.9 the simplified temporal representation is accepted as input (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:simplified';
    const body = {
      id,
      type: 'Vehicle',
      speed: {
        type: 'Property',
        values: [
          [30, '2020-09-01T12:00:00Z'],
          [35, '2020-09-01T12:01:00Z'],
        ],
      },
    };
    expect((await req('POST', '/temporal/entities', body)).status).toBe(201);
    expect(values((await temporal(id)).speed)).toEqual([
      [30, '2020-09-01T12:00:00Z', null],
      [35, '2020-09-01T12:01:00Z', null],
    ]);
  });

  it.each([
    ['no id', { type: 'Vehicle', speed: [at(1, '2020-01-01T00:00:00Z')] }],
    ['an id that is not a URI', { id: 'vehicle 1', type: 'Vehicle' }],
    ['no type', { id: 'urn:ngsi-ld:Vehicle:bad' }],
    ['an instance that is not an attribute', { id: 'urn:ngsi-ld:Vehicle:bad', type: 'Vehicle', speed: [at(1, '2020-01-01T00:00:00Z'), 5] }],
    [
      'a bad observedAt among good ones',
      { id: 'urn:ngsi-ld:Vehicle:bad', type: 'Vehicle', speed: [at(1, '2020-01-01T00:00:00Z'), at(2, 'noon')] },
    ],
    ['no instances', { id: 'urn:ngsi-ld:Vehicle:bad', type: 'Vehicle', speed: [] }],
    [
      'a simplified pair that is not a pair',
      { id: 'urn:ngsi-ld:Vehicle:bad', type: 'Vehicle', speed: { type: 'Property', values: [[1]] } },
    ],
  ])('5.6.11 %s is BadRequestData and changes nothing (ETSI GS CIM 009 v1.8)', async (_label, body) => {
    const res = await req('POST', '/temporal/entities', body);
    expect(res.status).toBe(400);
    expect((await json(res)).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    expect(await historyCount('urn:ngsi-ld:Vehicle:bad')).toBe(0);
    expect((await req('GET', '/entities/urn%3Angsi-ld%3AVehicle%3Abad')).status).toBe(404);
  });
});

describe('5.6.12–5.6.15 attributes and instances of the temporal evolution', () => {
  it('5.6.12 add attributes: 204 and the instances join the history; an unknown entity is ResourceNotFound (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:add';
    expect((await req('POST', '/temporal/entities', vehicle(id))).status).toBe(201);
    const add = {
      speed: [at(70, '2020-09-01T12:07:00Z')],
      brand: { type: 'Property', value: 'Mercedes', observedAt: '2020-09-01T12:00:00Z' },
    };
    expect((await req('POST', `/temporal/entities/${enc(id)}/attrs`, add)).status).toBe(204);
    const body = await temporal(id);
    expect(values(body.speed).map((v) => v[0])).toEqual([120, 80, 70]);
    expect(values(body.brand)).toEqual([['Mercedes', '2020-09-01T12:00:00Z', null]]);
    const missing = await req('POST', '/temporal/entities/urn%3Angsi-ld%3AVehicle%3Anone/attrs', add);
    expect(missing.status).toBe(404);
    expect(await historyCount('urn:ngsi-ld:Vehicle:none')).toBe(0);
    expect((await req('POST', `/temporal/entities/${enc(id)}/attrs`, {})).status).toBe(400);
  });

  it('5.6.13 delete an attribute: the default instances, one datasetId, or all; the current state stays (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:delete-attr';
    expect((await req('POST', '/temporal/entities', vehicle(id))).status).toBe(201);
    expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/fuelLevel`)).status).toBe(204);
    expect(values((await temporal(id)).fuelLevel)).toEqual([[40, '2020-09-01T14:07:00Z', FUEL]]);
    expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/fuelLevel`)).status).toBe(404);
    expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/fuelLevel?datasetId=${enc(FUEL)}`)).status).toBe(204);
    expect((await temporal(id)).fuelLevel).toBeUndefined();
    expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/speed?deleteAll=true`)).status).toBe(204);
    expect((await temporal(id)).speed).toBeUndefined();
    expect(await json(await req('GET', `/entities/${enc(id)}?options=keyValues`))).toEqual({
      id,
      type: 'Vehicle',
      speed: 80,
      fuelLevel: [53, 40],
    });
    for (const q of ['?deleteAll=maybe', '?datasetId=not%20a%20uri', `?deleteAll=true&datasetId=${enc(FUEL)}`])
      expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/speed${q}`)).status, q).toBe(400);
  });

  it('5.6.14 modify an instance: the members given change, its instanceId stays (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:modify';
    expect((await req('POST', '/temporal/entities', vehicle(id))).status).toBe(201);
    const [first] = (await temporal(id)).speed;
    const path = `/temporal/entities/${enc(id)}/attrs/speed/${enc(first.instanceId)}`;
    expect((await req('PATCH', path, { type: 'Property', value: 129, observedAt: '2020-09-01T12:03:00Z' })).status).toBe(204);
    expect((await req('PATCH', path, { speed: { value: 130, unitCode: 'KMH' } })).status).toBe(204);
    const after = (await temporal(id)).speed;
    expect(after[0]).toEqual({
      type: 'Property',
      value: 130,
      unitCode: 'KMH',
      observedAt: '2020-09-01T12:03:00Z',
      instanceId: first.instanceId,
    });
    expect(after[1].value).toBe(80);
    // Moving it in time moves it in the history's order.
    expect((await req('PATCH', path, { value: 130, observedAt: '2020-09-01T12:09:00Z' })).status).toBe(204);
    expect(values((await temporal(id)).speed).map((v) => v[0])).toEqual([80, 130]);

    const before = await temporal(id);
    for (const [p, body, status] of [
      [`/temporal/entities/${enc(id)}/attrs/speed/urn%3Angsi-ld%3Aattribute%3Ainstance%3A999999999`, { value: 1 }, 404],
      [`/temporal/entities/${enc(id)}/attrs/speed/not-an-instance`, { value: 1 }, 404],
      [`/temporal/entities/${enc(id)}/attrs/fuelLevel/${enc(first.instanceId)}`, { value: 1 }, 404],
      [path, { value: 1, observedAt: 'yesterday' }, 400],
      [path, { value: 1, datasetId: FUEL }, 400],
      [path, { type: 'Relationship', object: 'not a uri' }, 400],
    ] as const)
      expect((await req('PATCH', p, body)).status, `${p} ${JSON.stringify(body)}`).toBe(status);
    expect(await temporal(id)).toEqual(before);
  });

  it('5.6.14 an instance without observedAt keeps its place in time when modified (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:modify-unobserved';
    expect((await req('POST', '/entities', { id, type: 'Vehicle', speed: { type: 'Property', value: 1 } })).status).toBe(201);
    const [first] = (await temporal(id, '?options=sysAttrs')).speed;
    expect((await req('PATCH', `/temporal/entities/${enc(id)}/attrs/speed/${enc(first.instanceId)}`, { value: 2 })).status).toBe(204);
    const [after] = (await temporal(id, '?options=sysAttrs')).speed;
    expect(after).toMatchObject({ value: 2, instanceId: first.instanceId, createdAt: first.createdAt });
    const [row] = await rows<{ same: boolean }>(
      t.database,
      sql`select at = ${first.createdAt}::timestamptz as same from broker_history where entity_id = ${id}`,
    );
    expect(row!.same).toBe(true);
  });

  it('5.6.15 delete an instance; an unknown one is ResourceNotFound (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:delete-instance';
    expect((await req('POST', '/temporal/entities', vehicle(id))).status).toBe(201);
    const [first] = (await temporal(id)).speed;
    const path = `/temporal/entities/${enc(id)}/attrs/speed/${enc(first.instanceId)}`;
    expect((await req('DELETE', path)).status).toBe(204);
    expect(values((await temporal(id)).speed).map((v) => v[0])).toEqual([80]);
    expect((await req('DELETE', path)).status).toBe(404);
    expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/speed/urn%3Angsi-ld%3Aattribute%3Ainstance%3Ax`)).status).toBe(404);
  });

  it('5.6.12 temporal writes stay within their tenant (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Vehicle:tenant';
    const city = { 'NGSILD-Tenant': 'aomori' };
    expect((await req('POST', '/temporal/entities', vehicle(id), city)).status).toBe(201);
    expect((await req('GET', `/temporal/entities/${enc(id)}`)).status).toBe(404);
    expect((await req('POST', `/temporal/entities/${enc(id)}/attrs`, { speed: [at(1, '2021-01-01T00:00:00Z')] })).status).toBe(404);
    const [first] = (await json(await req('GET', `/temporal/entities/${enc(id)}`, undefined, city))).speed;
    expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/speed/${enc(first.instanceId)}`)).status).toBe(404);
    expect((await req('DELETE', `/temporal/entities/${enc(id)}/attrs/speed/${enc(first.instanceId)}`, undefined, city)).status).toBe(204);
  });
});
