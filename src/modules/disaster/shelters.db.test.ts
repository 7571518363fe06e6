// The map data in memory (shelters.ts): read from the broker's open data tenant, and dropped when a
// shelter changes there, in this process at once and in others through cache_versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
});
afterAll(() => t.database.close());

describe('disaster map data', () => {
  it('holds the 40 municipalities and the 4,414 shelters of the default data, by municipality', async () => {
    const data = await t.disaster.queries.map();
    expect(data.municipalities.size).toBe(40);
    expect(data.shelters.size).toBe(4414);
    expect(data.municipalities.get('02201')?.name).toBe('青森市');
    const aomori = data.byMunicipality.get('02201')!;
    expect(aomori.length).toBeGreaterThan(100);
    expect(aomori.every((s) => s.municipality === '02201')).toBe(true);
    expect(aomori.some((s) => s.kind === 'emergency' && s.hazards.includes('tsunami'))).toBe(true);
    expect(aomori.every((s) => s.status === null && s.capacity === null)).toBe(true); // GSI data has none
    expect(data.byMunicipality.get('02361')).toEqual([]); // 藤崎町 publishes no shelter data
  });

  it('sees a change written to the broker at once (occupancy), and keeps serving from memory otherwise', async () => {
    const before = await t.disaster.queries.map();
    expect(await t.disaster.queries.map()).toBe(before);
    const { id, slug } = before.byMunicipality.get('02201')![0]!;
    expect(slug).toMatch(/^(emergency|evacuation)-E02201\d+$/);
    await t.broker.commands.update('', id, {
      occupancy: { type: 'Property', value: 12 },
      shelterStatus: { type: 'Property', value: 'open' },
    });
    const after = await t.disaster.queries.map();
    expect(after).not.toBe(before);
    expect(after.shelters.get(slug)).toMatchObject({ occupancy: 12, status: 'open' });
  });
});

describe('disaster pages', () => {
  it('lists a municipality and shows a shelter, "－" for what is unknown; unknown ids are 404', async () => {
    const list = await t.app.request('/disaster/municipalities/02201');
    expect(list.status).toBe(200);
    const slugs = [...(await list.text()).matchAll(/href="\/disaster\/shelters\/([^"]+)"/g)].map((m) => m[1]!);
    // The first was given occupancy 12 and no capacity above; the second has neither.
    const first = await (await t.app.request(`/disaster/shelters/${slugs[0]}`)).text();
    expect(first).toContain('<dt>避難者数/収容人数</dt><dd>12人/－人</dd>');
    expect(first).toContain('<dt>開設状況</dt><dd>開設中</dd>');
    const second = await (await t.app.request(`/disaster/shelters/${slugs[1]}`)).text();
    expect(second).toContain('<dt>避難者数/収容人数</dt><dd>－</dd>');
    expect((await t.app.request('/disaster/shelters/evacuation-nope')).status).toBe(404);
    expect((await t.app.request('/disaster/municipalities/99999')).status).toBe(404);
  });
});
