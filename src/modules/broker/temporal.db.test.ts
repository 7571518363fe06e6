// The NGSI-LD temporal API, written from ETSI GS CIM 009 v1.8 (4.5 temporal representations, 4.11
// temporal query, 5.7.3–5.7.4), over HTTP. Every expected number below is worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { brokerRequest, linkHeader } from '../../../test/ngsi-ld.ts';

const CTX = 'https://example.jp/snow-context.jsonld';
const LINK = linkHeader(CTX);
const SNOW_DEPTH = 'https://example.jp/snow/snowDepth';
const contexts = { [CTX]: { '@context': { SnowObserved: 'https://example.jp/snow/SnowObserved', snowDepth: SNOW_DEPTH } } };

let t: Awaited<ReturnType<typeof createTestApp>>;
let started: string;
beforeAll(async () => {
  started = new Date().toISOString();
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts } });
});
afterAll(() => t.close());

const req = brokerRequest(() => t.app, LINK);
const json = async (res: Response) => (await res.json()) as any;
const depth = (value: number, observedAt: string) => ({ snowDepth: { type: 'Property', value, unitCode: 'CMT', observedAt } });
const patch = async (id: string, body: unknown, headers: Record<string, string> = {}) =>
  expect((await req('PATCH', `/entities/${encodeURIComponent(id)}/attrs`, body, headers)).status).toBe(204);
const temporal = (id: string, query = '', headers: Record<string, string> = {}) =>
  req('GET', `/temporal/entities/${encodeURIComponent(id)}${query ? `?${query}` : ''}`, undefined, headers);

// A snow-depth station in Aomori City: seven observations, written in this order. Per UTC day:
// 10 Jan: 10, 20, 60 | 11 Jan: 5, 15 | 12 Jan: 40, 60.
const STATION = 'urn:ngsi-ld:SnowObserved:aomori-001';
const observations: [number, string][] = [
  [10, '2025-01-10T03:00:00Z'],
  [20, '2025-01-10T09:00:00Z'],
  [60, '2025-01-10T15:00:00Z'],
  [5, '2025-01-11T03:00:00Z'],
  [15, '2025-01-11T21:00:00Z'],
  [40, '2025-01-12T12:00:00Z'],
  [60, '2025-01-12T18:00:00Z'],
];
const z = (iso: string) => iso.replace('Z', '.000Z');

describe('recording the history', () => {
  const id = 'urn:ngsi-ld:SnowObserved:history';
  const historyRows = () =>
    rows<{ attr: string; instance: { value?: unknown } | null }>(
      t.database,
      sql`select attr, instance from broker_history where entity_id = ${id} order by seq`,
    );

  it('records create, update and append; not a re-write of the same content; a deleted attribute as a deletion', async () => {
    const name = { name: { type: 'Property', value: '青森市役所前' } };
    expect((await req('POST', '/entities', { id, type: 'SnowObserved', ...name, ...depth(10, '2025-01-01T06:00:00Z') })).status).toBe(201);
    await patch(id, depth(14, '2025-01-01T18:00:00Z'));
    await patch(id, depth(14, '2025-01-01T18:00:00Z')); // unchanged: not recorded
    // A late observation: written last, earlier in time.
    await patch(id, depth(12, '2025-01-01T12:00:00Z'));
    const temperature = { temperature: { type: 'Property', value: -2.5, observedAt: '2025-01-02T06:00:00Z' } };
    expect((await req('POST', `/entities/${encodeURIComponent(id)}/attrs`, { ...temperature, ...name })).status).toBe(204);
    expect((await req('DELETE', `/entities/${encodeURIComponent(id)}/attrs/temperature`)).status).toBe(204);

    const recorded = await historyRows();
    expect(recorded.map((r) => [r.attr.replace(/.*\//, ''), r.instance?.value ?? null])).toEqual([
      ['name', '青森市役所前'],
      ['snowDepth', 10],
      ['snowDepth', 14],
      ['snowDepth', 12],
      ['temperature', -2.5],
      ['temperature', null],
    ]);

    const res = await temporal(id);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.id).toBe(id);
    expect(body.type).toBe('SnowObserved');
    // In time order (observedAt), not in the order written.
    expect(body.snowDepth.map((i: any) => [i.value, i.observedAt])).toEqual([
      [10, '2025-01-01T06:00:00Z'],
      [12, '2025-01-01T12:00:00Z'],
      [14, '2025-01-01T18:00:00Z'],
    ]);
    expect(body.snowDepth[0]).toMatchObject({ type: 'Property', unitCode: 'CMT' });
    expect(new Set(body.snowDepth.map((i: any) => i.instanceId)).size).toBe(3);
    expect(body.name).toHaveLength(1);
    expect(body.temperature[0]).toMatchObject({ type: 'Property', value: -2.5 });
    expect(body.temperature[1]).toMatchObject({ type: 'Property', value: 'urn:ngsi-ld:null' });
    expect(Date.parse(body.temperature[1].deletedAt)).toBeGreaterThanOrEqual(Date.parse(started));
  });

  it('without the @context, names come back as IRIs', async () => {
    const body = await json(await temporal(id, '', { Link: '' }));
    expect(body[SNOW_DEPTH]).toHaveLength(3);
    expect(body.type).toBe('https://example.jp/snow/SnowObserved');
  });

  it('sysAttrs adds createdAt and modifiedAt to each instance; attrs restricts the attributes', async () => {
    const body = await json(await temporal(id, 'options=sysAttrs&attrs=snowDepth'));
    expect(Object.keys(body).sort()).toEqual(['id', 'snowDepth', 'type']);
    for (const i of body.snowDepth) expect(Date.parse(i.modifiedAt)).toBeGreaterThanOrEqual(Date.parse(started));
    expect(body.snowDepth[0].createdAt).toBeDefined();
  });

  it('keeps the history when the entity is deleted, until DELETE /temporal/entities/{id}', async () => {
    expect((await req('DELETE', `/entities/${encodeURIComponent(id)}`)).status).toBe(204);
    const body = await json(await temporal(id));
    expect(body.type).toBe('SnowObserved');
    expect(body.snowDepth.map((i: any) => i.value)).toEqual([10, 12, 14, 'urn:ngsi-ld:null']);
    expect(body.name.map((i: any) => i.value)).toEqual(['青森市役所前', 'urn:ngsi-ld:null']);
    expect((await req('DELETE', `/temporal/entities/${encodeURIComponent(id)}`)).status).toBe(204);
    expect(await historyRows()).toEqual([]);
    const gone = await temporal(id);
    expect(gone.status).toBe(404);
    expect((await json(gone)).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
  });
});

describe('temporal queries', () => {
  beforeAll(async () => {
    const [[v0, at0], ...rest] = observations as [[number, string], ...[number, string][]];
    expect((await req('POST', '/entities', { id: STATION, type: 'SnowObserved', ...depth(v0, at0) })).status).toBe(201);
    for (const [v, at] of rest) await patch(STATION, depth(v, at));
    const other = { id: 'urn:ngsi-ld:SnowObserved:aomori-002', type: 'SnowObserved', ...depth(33, '2025-01-10T06:00:00Z') };
    expect((await req('POST', '/entities', other)).status).toBe(201);
  });
  const values = async (query: string) => {
    const res = await temporal(STATION, `format=temporalValues&${query}`);
    expect(res.status, query).toBe(200);
    return (await json(res)).snowDepth;
  };

  it('temporalValues: [value, time] pairs in time order', async () => {
    expect(await values('')).toEqual({ type: 'Property', values: observations.map(([v, at]) => [v, z(at)]) });
    for (const q of ['options=temporalValues', 'format=simplified'])
      expect((await json(await temporal(STATION, q))).snowDepth.values, q).toHaveLength(7);
  });

  it('timerel before (excluded), after (included) and between [timeAt, endTimeAt)', async () => {
    const only = async (q: string) => (await values(q))?.values.map((p: unknown[]) => p[0]);
    expect(await only('timerel=before&timeAt=2025-01-11T00:00:00Z')).toEqual([10, 20, 60]);
    expect(await only('timerel=before&timeAt=2025-01-10T09:00:00Z')).toEqual([10]);
    expect(await only('timerel=after&timeAt=2025-01-11T03:00:00Z')).toEqual([5, 15, 40, 60]);
    expect(await only('timerel=between&timeAt=2025-01-11T00:00:00Z&endTimeAt=2025-01-12T12:00:00Z')).toEqual([5, 15]);
    // 2025-01-12T21:00:00+09:00 is 12:00 UTC.
    expect(await only(`timerel=after&timeAt=${encodeURIComponent('2025-01-12T21:00:00+09:00')}`)).toEqual([40, 60]);
    expect(await only('timerel=before&timeAt=2025-01-01T00:00:00Z')).toBeUndefined();
  });

  it('lastN: the last N instances, in ascending time order, after the timerel', async () => {
    const body = await json(await temporal(STATION, 'lastN=2'));
    expect(body.snowDepth.map((i: any) => [i.value, i.observedAt])).toEqual([
      [40, '2025-01-12T12:00:00Z'],
      [60, '2025-01-12T18:00:00Z'],
    ]);
    expect((await values('lastN=2&timerel=before&timeAt=2025-01-11T00:00:00Z')).values.map((p: unknown[]) => p[0])).toEqual([20, 60]);
  });

  it('timeproperty=modifiedAt and createdAt use when values were written, not when they were observed', async () => {
    expect((await values(`timerel=before&timeAt=${started}`)).values).toHaveLength(7);
    expect(await values(`timeproperty=modifiedAt&timerel=before&timeAt=${started}`)).toBeUndefined();
    expect((await values(`timeproperty=modifiedAt&timerel=after&timeAt=${started}`)).values).toHaveLength(7);
    // createdAt is the attribute's creation time, kept by every later update.
    expect((await values(`timeproperty=createdAt&timerel=after&timeAt=${started}`)).values).toHaveLength(7);
    expect(await values(`timeproperty=createdAt&timerel=before&timeAt=${started}`)).toBeUndefined();
  });

  it('aggregatedValues per day (P1D): totalCount, distinctCount, sum, avg, min and max', async () => {
    const res = await temporal(
      STATION,
      'options=aggregatedValues&aggrMethods=totalCount,distinctCount,sum,avg,min,max&aggrPeriodDuration=P1D' +
        '&timerel=between&timeAt=2025-01-10T00:00:00Z&endTimeAt=2025-01-13T00:00:00Z',
    );
    expect(res.status).toBe(200);
    const d10 = ['2025-01-10T00:00:00.000Z', '2025-01-11T00:00:00.000Z'];
    const d11 = ['2025-01-11T00:00:00.000Z', '2025-01-12T00:00:00.000Z'];
    const d12 = ['2025-01-12T00:00:00.000Z', '2025-01-13T00:00:00.000Z'];
    // 10 Jan: 10, 20, 60 | 11 Jan: 5, 15 | 12 Jan: 40, 60
    expect((await json(res)).snowDepth).toEqual({
      type: 'Property',
      totalCount: [
        [3, ...d10],
        [2, ...d11],
        [2, ...d12],
      ],
      distinctCount: [
        [3, ...d10],
        [2, ...d11],
        [2, ...d12],
      ],
      sum: [
        [90, ...d10],
        [20, ...d11],
        [100, ...d12],
      ],
      avg: [
        [30, ...d10],
        [10, ...d11],
        [50, ...d12],
      ],
      min: [
        [10, ...d10],
        [5, ...d11],
        [40, ...d12],
      ],
      max: [
        [60, ...d10],
        [15, ...d11],
        [60, ...d12],
      ],
    });
  });

  it('without aggrPeriodDuration (or with PT0S) one period spans the whole interval', async () => {
    const whole = ['2025-01-10T00:00:00.000Z', '2025-01-13T00:00:00.000Z'];
    const between = 'timerel=between&timeAt=2025-01-10T00:00:00Z&endTimeAt=2025-01-13T00:00:00Z';
    for (const duration of ['', '&aggrPeriodDuration=PT0S']) {
      const body = await json(
        await temporal(STATION, `format=aggregatedValues&aggrMethods=totalCount,distinctCount,sum,avg&${between}${duration}`),
      );
      // 10+20+60+5+15+40+60 = 210 over 7 values, 6 of them distinct (60 twice).
      expect(body.snowDepth).toEqual({
        type: 'Property',
        totalCount: [[7, ...whole]],
        distinctCount: [[6, ...whole]],
        sum: [[210, ...whole]],
        avg: [[30, ...whole]],
      });
    }
    // before: from the first observation up to timeAt.
    const before = await json(
      await temporal(STATION, 'options=aggregatedValues&aggrMethods=sum&timerel=before&timeAt=2025-01-11T00:00:00Z'),
    );
    expect(before.snowDepth.sum).toEqual([[90, '2025-01-10T03:00:00.000Z', '2025-01-11T00:00:00.000Z']]);
  });

  it('PT12H periods after timeAt; periods without instances are left out', async () => {
    const body = await json(
      await temporal(
        STATION,
        'options=aggregatedValues&aggrMethods=totalCount,max&aggrPeriodDuration=PT12H&timerel=after&timeAt=2025-01-11T00:00:00Z',
      ),
    );
    expect(body.snowDepth.totalCount).toEqual([
      [1, '2025-01-11T00:00:00.000Z', '2025-01-11T12:00:00.000Z'],
      [1, '2025-01-11T12:00:00.000Z', '2025-01-12T00:00:00.000Z'],
      [2, '2025-01-12T12:00:00.000Z', '2025-01-13T00:00:00.000Z'],
    ]);
    expect(body.snowDepth.max.map((p: unknown[]) => p[0])).toEqual([5, 15, 60]);
  });

  it('P1M periods are calendar months', async () => {
    const body = await json(
      await temporal(
        STATION,
        'options=aggregatedValues&aggrMethods=totalCount&aggrPeriodDuration=P1M&timerel=between&timeAt=2024-12-01T00:00:00Z&endTimeAt=2025-03-01T00:00:00Z',
      ),
    );
    expect(body.snowDepth.totalCount).toEqual([[7, '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']]);
  });

  it('query: type, attrs, count and paging; entities in id order', async () => {
    const res = await req('GET', '/temporal/entities?type=SnowObserved&attrs=snowDepth&count=true&limit=1&options=temporalValues');
    expect(res.status).toBe(200);
    expect(res.headers.get('NGSILD-Results-Count')).toBe('2');
    const body = await json(res);
    expect(body).toHaveLength(1);
    expect(body[0].id).toBe(STATION);
    expect(body[0].snowDepth.values).toHaveLength(7);
    const second = await json(await req('GET', '/temporal/entities?type=SnowObserved&limit=1&offset=1&lastN=1'));
    expect(second[0].id).toBe('urn:ngsi-ld:SnowObserved:aomori-002');
    expect(second[0].snowDepth.map((i: any) => i.value)).toEqual([33]);
    const q = await json(await req('GET', '/temporal/entities?type=SnowObserved&q=snowDepth>50&lastN=1'));
    expect(q.map((e: any) => e.id)).toEqual([STATION]);
    const aggregated = await json(await req('GET', '/temporal/entities?type=SnowObserved&options=aggregatedValues&aggrMethods=max'));
    expect(aggregated.map((e: any) => e.snowDepth.max[0][0])).toEqual([60, 33]);
  });

  it('keeps tenants apart', async () => {
    const city = { 'NGSILD-Tenant': 'aomori' };
    expect((await req('POST', '/entities', { id: STATION, type: 'SnowObserved', ...depth(99, '2025-01-10T00:00:00Z') }, city)).status).toBe(
      201,
    );
    expect((await json(await temporal(STATION, 'format=temporalValues', city))).snowDepth.values).toEqual([
      [99, '2025-01-10T00:00:00.000Z'],
    ]);
    expect((await values('')).values).toHaveLength(7);
    expect((await temporal(STATION, '', { 'NGSILD-Tenant': 'hirosaki' })).status).toBe(404);
    const listed = await json(await req('GET', '/temporal/entities?type=SnowObserved', undefined, { 'NGSILD-Tenant': 'aomori' }));
    expect(listed.map((e: any) => e.snowDepth.length)).toEqual([1]);
  });
});

// Checked before the entity is looked up, so these need no data.
describe('bad temporal requests are BadRequestData with a clear message', () => {
  it.each([
    ['timerel=before', /needs timeAt/],
    ['timeAt=2025-01-10T00:00:00Z', /need timerel/],
    ['timerel=during&timeAt=2025-01-10T00:00:00Z', /before, after or between/],
    ['timerel=between&timeAt=2025-01-10T00:00:00Z', /needs endTimeAt/],
    ['timerel=between&timeAt=2025-01-10T00:00:00Z&endTimeAt=2025-01-09T00:00:00Z', /later than timeAt/],
    ['timerel=between&timeAt=2025-01-10T00:00:00Z&endTimeAt=2025-01-10T00:00:00Z', /later than timeAt/],
    ['timerel=after&timeAt=2025-02-30T00:00:00Z', /timeAt must be an ISO 8601 date-time/],
    ['timerel=after&timeAt=2025-01-10', /timeAt must be/],
    ['timerel=after&timeAt=2025-01-10T24:00:00Z', /timeAt must be/],
    ['timerel=after&timeAt=2025-01-10T00:00:00', /timeAt must be/],
    ['timerel=between&timeAt=2025-01-10T00:00:00Z&endTimeAt=tomorrow', /endTimeAt must be/],
    ['timerel=after&timeAt=2025-01-10T00:00:00Z&endTimeAt=2025-01-11T00:00:00Z', /only with timerel=between/],
    ['timeproperty=deletedAt', /timeproperty must be/],
    ['lastN=0', /lastN must be a whole number/],
    ['lastN=two', /lastN must be/],
    ['lastN=1.5', /lastN must be/],
    ['options=aggregatedValues', /needs aggrMethods/],
    ['options=aggregatedValues&aggrMethods=median', /Unknown aggrMethod median/],
    ['options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=1D', /not an ISO 8601 duration/],
    ['options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=P', /not an ISO 8601 duration/],
    ['options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT', /not an ISO 8601 duration/],
    ['options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=P1H', /not an ISO 8601 duration/],
    ['options=aggregatedValues&aggrMethods=sum&lastN=3', /lastN does not go with aggregatedValues/],
    ['aggrMethods=sum', /go with options=aggregatedValues/],
    ['options=temporalValues,aggregatedValues&aggrMethods=sum', /not both/],
  ])('%s', async (query, detail) => {
    const res = await temporal(STATION, query);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    expect(body.detail).toMatch(detail);
  });

  it('a query needs a restriction; an unknown entity is ResourceNotFound; too many periods is refused', async () => {
    expect((await req('GET', '/temporal/entities?timerel=after&timeAt=2025-01-01T00:00:00Z')).status).toBe(400);
    const missing = await temporal('urn:ngsi-ld:SnowObserved:nowhere');
    expect(missing.status).toBe(404);
    expect((await json(missing)).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
    const many = await temporal(STATION, 'options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT1S');
    expect(many.status).toBe(403);
    expect((await json(many)).type).toBe('https://uri.etsi.org/ngsi-ld/errors/TooManyResults');
  });
});
