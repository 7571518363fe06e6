// The offline pack endpoint (/disaster/municipalities/{code}/pack): its shape on the real data, its
// ETag (304, and a new one when a layer or a shelter changes), 404 for what is not a municipality,
// and the nearest-shelter grid end to end on a small synthetic municipality written to the broker.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { hazardTypes } from './hazards.ts';
import type { NearestGrid } from './pack-grid.ts';
import type { Municipality, Shelter } from './shelters.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
});
afterAll(() => t.database.close());

interface Pack {
  version: string;
  generated: string;
  size: number;
  municipality: Municipality;
  shelters: Shelter[];
  layers: Record<string, { type: 'FeatureCollection'; features: { id: string; geometry: unknown; properties: Record<string, unknown> }[] }>;
  nearestShelter: NearestGrid;
}

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await t.app.request(path, { headers });
  return { res, text: res.status === 200 ? await res.text() : '' };
};
const prop = (value: unknown) => ({ type: 'Property', value });
const point = (lon: number, lat: number) => ({ type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, lat] } });

describe('offline pack', () => {
  it('holds the municipality, its boundary and shelters, its layers and the nearest-shelter grid; size is its own byte length', async () => {
    const { res, text } = await get('/disaster/municipalities/02201/pack');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const pack = JSON.parse(text) as Pack;
    expect(res.headers.get('etag')).toBe(`"${pack.version}"`);
    expect(pack.size).toBe(Buffer.byteLength(text));
    expect(Date.parse(pack.generated)).toBeGreaterThan(Date.now() - 60_000);
    expect(pack.municipality).toMatchObject({ code: '02201', name: '青森市', boundary: { type: 'MultiPolygon' } });
    const data = await t.disaster.queries.map();
    expect(pack.shelters.map((s) => s.slug)).toEqual(data.byMunicipality.get('02201')!.map((s) => s.slug));
    expect(Object.keys(pack.layers).sort()).toEqual(['aed', 'hazard-areas', 'high-ground', 'medical', 'roads']);
    for (const layer of Object.values(pack.layers)) expect(layer).toEqual({ type: 'FeatureCollection', features: [] });
    const grid = pack.nearestShelter;
    expect(grid.cellMetres).toBe(500);
    // 青森市 spans some 40 km: thousands of cells, each answer a 指定緊急避難場所 designated for the hazard.
    expect(grid.cols * grid.rows).toBeGreaterThan(1000);
    for (const h of hazardTypes) {
      expect(grid.nearest[h]).toHaveLength(grid.cols * grid.rows);
      for (const i of grid.nearest[h])
        if (i !== null) expect(pack.shelters[i]).toMatchObject({ kind: 'emergency', hazards: expect.arrayContaining([h]) });
    }
    expect(grid.nearest.tsunami.filter((i) => i !== null).length).toBeGreaterThan(1000);
  });

  it('answers 304 to its ETag; the same data rebuilt keeps its version; a layer written on the tenant gives a new one', async () => {
    const first = await get('/disaster/municipalities/02202/pack');
    const etag = first.res.headers.get('etag')!;
    const again = await t.app.request('/disaster/municipalities/02202/pack', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // An AED on another municipality's tenant changes packs' cache, not this pack's content.
    await t.broker.commands.put('02201', {
      id: 'urn:ngsi-ld:Aed:pack-test-1',
      type: 'Aed',
      name: prop('青森市役所'),
      location: point(140.74, 40.82),
    });
    expect((await t.app.request('/disaster/municipalities/02202/pack', { headers: { 'if-none-match': etag } })).status).toBe(304);
    await t.broker.commands.put('02202', {
      id: 'urn:ngsi-ld:Aed:pack-test-2',
      type: 'Aed',
      name: prop('弘前市役所'),
      location: point(140.46, 40.6),
    });
    const changed = await get('/disaster/municipalities/02202/pack', { 'if-none-match': etag });
    expect(changed.res.status).toBe(200);
    expect(changed.res.headers.get('etag')).not.toBe(etag);
    const pack = JSON.parse(changed.text) as Pack;
    expect(pack.layers.aed!.features).toEqual([
      {
        type: 'Feature',
        id: 'urn:ngsi-ld:Aed:pack-test-2',
        geometry: { type: 'Point', coordinates: [140.46, 40.6] },
        properties: { name: '弘前市役所' },
      },
    ]);
  });

  it('is sent gzipped to whoever accepts it, with its own ETag; either ETag answers 304', async () => {
    const plain = await get('/disaster/municipalities/02203/pack');
    const res = await t.app.request('/disaster/municipalities/02203/pack', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect([res.headers.get('content-encoding'), res.headers.get('vary')]).toEqual(['gzip', 'accept-encoding']);
    const zipped = Buffer.from(await res.arrayBuffer());
    expect(zipped.length).toBeLessThan(plain.text.length / 5);
    expect(gunzipSync(zipped).toString('utf8')).toBe(plain.text);
    expect(res.headers.get('etag')).toBe(plain.res.headers.get('etag')!.replace(/"$/, '-gz"'));
    for (const etag of [res.headers.get('etag')!, plain.res.headers.get('etag')!])
      expect(
        (await t.app.request('/disaster/municipalities/02203/pack', { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } }))
          .status,
      ).toBe(304);
  });

  it('is 404 for a code that is not a municipality (and for what is no code at all)', async () => {
    for (const code of ['99999', '0220', 'abc', '%2E%2E'])
      expect((await t.app.request(`/disaster/municipalities/${code}/pack`)).status).toBe(404);
  });

  it('precomputes the nearest suitable shelter on a synthetic municipality written to the broker', async () => {
    const square = [
      [140, 39],
      [140.02, 39],
      [140.02, 39.01],
      [140, 39.01],
      [140, 39],
    ];
    await t.broker.commands.put('', {
      id: 'urn:ngsi-ld:Municipality:02999',
      type: 'Municipality',
      name: prop('試験町'),
      code: prop('02999'),
      location: { type: 'GeoProperty', value: { type: 'MultiPolygon', coordinates: [[square]] } },
    });
    const site = (id: string, lon: number, lat: number, hazards: string[]) =>
      t.broker.commands.put('', {
        id: `urn:ngsi-ld:EmergencyEvacuationSite:${id}`,
        type: 'EmergencyEvacuationSite',
        name: prop(id),
        location: point(lon, lat),
        municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02999' },
        hazards: prop(hazards),
      });
    await site('E02999west', 140.001, 39.002, ['flood']);
    await site('E02999east', 140.019, 39.002, ['flood', 'earthquake']);
    const { text } = await get('/disaster/municipalities/02999/pack');
    const pack = JSON.parse(text) as Pack;
    const names = (h: 'flood' | 'earthquake' | 'tsunami') =>
      pack.nearestShelter.nearest[h].map((i) => (i === null ? null : pack.shelters[i]!.name));
    expect([pack.nearestShelter.cols, pack.nearestShelter.rows]).toEqual([4, 3]);
    // Row 0 (the south): west, west, east, and the last column's centre lies outside the boundary.
    expect(names('flood').slice(0, 4)).toEqual(['E02999west', 'E02999west', 'E02999east', null]);
    expect(names('earthquake').slice(0, 4)).toEqual(['E02999east', 'E02999east', 'E02999east', null]);
    expect(names('tsunami').every((n) => n === null)).toBe(true);
    expect(names('flood').slice(8)).toEqual([null, null, null, null]); // row 2: outside
  });
});
