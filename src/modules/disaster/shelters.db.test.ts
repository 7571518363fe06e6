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
