// The map data API (/api/v1/disaster/shelters, /boundaries): GeoJSON (RFC 7946) from memory, ETags
// and 304s, filters, nearest first, and refusals of what it cannot answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
});
afterAll(() => t.database.close());

const get = (path: string, headers?: Record<string, string>) => t.app.request(path, { headers });
type Fc = {
  type: string;
  features: { type: string; id: string; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[];
};

describe('shelters as GeoJSON', () => {
  it('RFC 7946: a municipality is a FeatureCollection of Points with the stable Shelter properties, application/geo+json', async () => {
    const res = await get('/api/v1/disaster/shelters?municipality=02201');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const fc = (await res.json()) as Fc;
    expect(fc.type).toBe('FeatureCollection');
    const expected = (await t.disaster.queries.map()).byMunicipality.get('02201')!;
    expect(fc.features).toHaveLength(expected.length);
    const f = fc.features[0]!;
    expect(f.type).toBe('Feature');
    expect(f.geometry.type).toBe('Point');
    expect(f.geometry.coordinates).toEqual(expected[0]!.coordinates);
    expect(Object.keys(f.properties).sort()).toEqual(
      ['id', 'slug', 'kind', 'name', 'address', 'municipality', 'hazards', 'status', 'occupancy', 'capacity', 'openedAt', 'updated'].sort(),
    );
    expect(fc.features.every((x) => x.properties.municipality === '02201')).toBe(true);
  });

  it('filters by hazard and kind, and without a municipality covers the prefecture', async () => {
    const tsunami = (await (await get('/api/v1/disaster/shelters?municipality=02201&hazard=tsunami')).json()) as Fc;
    expect(tsunami.features.length).toBeGreaterThan(0);
    expect(tsunami.features.every((f) => (f.properties.hazards as string[]).includes('tsunami'))).toBe(true);
    const evacuation = (await (await get('/api/v1/disaster/shelters?municipality=02201&kind=evacuation')).json()) as Fc;
    expect(evacuation.features.length).toBeGreaterThan(0);
    expect(evacuation.features.every((f) => f.properties.kind === 'evacuation')).toBe(true);
    const all = (await (await get('/api/v1/disaster/shelters')).json()) as Fc;
    expect(all.features).toHaveLength(4414);
  });

  it('near=lon,lat: nearest first by straight-line distance (metres), limit capped', async () => {
    // 青森市役所 (about 140.7400, 40.8244)
    const fc = (await (await get('/api/v1/disaster/shelters?near=140.7400,40.8244&limit=5')).json()) as Fc;
    expect(fc.features).toHaveLength(5);
    const d = fc.features.map((f) => f.properties.distance as number);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(d[0]).toBeLessThan(2000);
    expect(fc.features[0]!.properties.municipality).toBe('02201');
    const dflt = (await (await get('/api/v1/disaster/shelters?near=140.74,40.82')).json()) as Fc;
    expect(dflt.features).toHaveLength(10);
  });

  it('strong ETag; If-None-Match answers 304 until the data changes (an occupancy write on the broker)', async () => {
    const url = '/api/v1/disaster/shelters?municipality=02202';
    const first = await get(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await get(url, { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
    const other = await get('/api/v1/disaster/shelters?municipality=02202&kind=emergency');
    expect(other.headers.get('etag')).not.toBe(etag);

    const { id, slug } = (await t.disaster.queries.map()).byMunicipality.get('02202')![0]!;
    await t.broker.commands.update('', id, { occupancy: { type: 'Property', value: 34 } });
    const changed = await get(url, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    const fc = (await changed.json()) as Fc;
    expect(fc.features.find((f) => f.properties.slug === slug)?.properties.occupancy).toBe(34);
  });

  it.each([
    ['municipality=2201', 'municipality'],
    ['municipality=02201%00', 'municipality'],
    ['municipality=%E9%9D%92%E6%A3%AE', 'municipality'],
    ['near=NaN,NaN', 'near'],
    ['near=140.7', 'near'],
    ['near=181,40', 'near'],
    ['near=140.7,91', 'near'],
    [`near=${'1'.repeat(5000)},40`, 'near'],
    ['near=140.7,40.8%0A', 'near'],
    ['near=Infinity,40', 'near'],
    ['near=140.7,40.8&limit=0', 'limit'],
    ['near=140.7,40.8&limit=101', 'limit'],
    ['near=140.7,40.8&limit=1e2', 'limit'],
    ['limit=5', 'limit'],
    ['hazard=meteor', 'hazard'],
    ['kind=hotel', 'kind'],
  ])('hostile query %s → 400 JSON naming %s, in Japanese', async (query, member) => {
    const res = await get(`/api/v1/disaster/shelters?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(member);
    expect(body.error.message).toMatch(/[ぁ-ん]/);
  });

  it('an unknown municipality is 404', async () => {
    const res = await get('/api/v1/disaster/shelters?municipality=99999');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('boundaries as GeoJSON', () => {
  it('RFC 7946: the 40 N03 boundaries, or one, as MultiPolygon Features named by code', async () => {
    const all = (await (await get('/api/v1/disaster/boundaries')).json()) as Fc;
    expect(all.features).toHaveLength(40);
    const one = await get('/api/v1/disaster/boundaries?municipality=02201');
    expect(one.headers.get('content-type')).toBe('application/geo+json');
    const fc = (await one.json()) as Fc;
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]).toMatchObject({
      id: '02201',
      geometry: { type: 'MultiPolygon' },
      properties: { code: '02201', name: '青森市' },
    });
    expect((await get('/api/v1/disaster/boundaries?municipality=x')).status).toBe(400);
    expect((await get('/api/v1/disaster/boundaries?municipality=99999')).status).toBe(404);
  });
});
