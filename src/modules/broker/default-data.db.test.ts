import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty');
  expect(await t.broker.loadDefaultData()).toBe(true);
});
afterAll(() => t.close());

const get = async (path: string) => (await t.app.request(`/ngsi-ld/v1${path}`)).json() as Promise<any>;

describe('the Aomori data on the broker', () => {
  it('has the 40 municipalities, 2,360 指定緊急避難場所 and 2,054 指定避難所 of the shared data', async () => {
    const counts = await rows<{ t: string; n: number }>(
      t.database,
      sql`select unnest(types) as t, count(*)::int as n from broker_entities group by 1 order by 1`,
    );
    const V = 'https://uri.etsi.org/ngsi-ld/default-context/';
    expect(counts).toEqual([
      { t: `${V}EmergencyEvacuationSite`, n: 2360 },
      { t: `${V}EvacuationShelter`, n: 2054 },
      { t: `${V}Municipality`, n: 40 },
    ]);
    expect(await t.broker.loadDefaultData()).toBe(false);
  });

  it('keeps the hazards, the address and the municipality of a site', async () => {
    const e = await get(`/entities/${encodeURIComponent('urn:ngsi-ld:EmergencyEvacuationSite:E0220100001201')}?options=keyValues`);
    expect(e).toMatchObject({
      name: '国家公務員合同宿舎磯野住宅',
      address: '青森県青森市はまなす１－２－１外',
      hazards: ['flood', 'landslide', 'stormSurge', 'earthquake', 'tsunami', 'inlandFlooding', 'volcano'],
      municipality: 'urn:ngsi-ld:Municipality:02201',
      location: { type: 'Point', coordinates: [140.79363, 40.826659] },
    });
  });

  it('finds the shelters near a point in Aomori City, and the municipality that contains it', async () => {
    const near = await get(
      `/entities?type=EvacuationShelter&georel=${encodeURIComponent('near;maxDistance==500')}&geometry=Point&coordinates=[140.7400,40.8228]&options=keyValues&limit=100`,
    );
    expect(near.length).toBeGreaterThan(0);
    expect(near.every((s: any) => s.municipality === 'urn:ngsi-ld:Municipality:02201')).toBe(true);
    const city = await get(
      `/entities?type=Municipality&georel=contains&geometry=Point&coordinates=[140.7400,40.8228]&options=keyValues&attrs=name`,
    );
    expect(city).toEqual([{ id: 'urn:ngsi-ld:Municipality:02201', type: 'Municipality', name: '青森市' }]);
  });
});
