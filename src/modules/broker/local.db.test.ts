// The broker's in-process queries and commands (local.ts) that the other modules use: the same store
// and change listeners as the NGSI-LD API, so a local write is what an NGSI-LD client then reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import { indexGeoProperties } from './geo.ts';
import { localBroker } from './local.ts';
import { entityStore, type EntityChange } from './store.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDb('empty');
});
afterAll(() => database.close());

const shelter = (id: string, lon: number, occupancy?: number) => ({
  id,
  type: 'EvacuationShelter',
  name: { type: 'Property', value: '避難所' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, 40.8] } },
  ...(occupancy !== undefined && { occupancy: { type: 'Property', value: occupancy } }),
});

describe('local broker', () => {
  it('puts, updates, queries by type and box, and removes; every change reaches the listeners', async () => {
    const seen: EntityChange[] = [];
    const local = localBroker(database.db, entityStore(database.db, [indexGeoProperties, async (_tx, c) => void seen.push(...c)]));
    await local.put('t1', shelter('urn:ngsi-ld:EvacuationShelter:a', 140.7));
    await local.put('t1', shelter('urn:ngsi-ld:EvacuationShelter:b', 141.5));
    await local.put('t1', shelter('urn:ngsi-ld:EvacuationShelter:a', 140.7, 3)); // replaces
    await local.update('t1', 'urn:ngsi-ld:EvacuationShelter:b', { occupancy: { type: 'Property', value: 7 } });
    const all = await local.query('t1', { types: ['EvacuationShelter'] }, true);
    expect(all.map((e) => [e.id, e.occupancy])).toEqual([
      ['urn:ngsi-ld:EvacuationShelter:a', 3],
      ['urn:ngsi-ld:EvacuationShelter:b', 7],
    ]);
    const near = await local.query('t1', { types: ['EvacuationShelter'], box: [140.5, 40.5, 141, 41] });
    expect(near.map((e) => e.id)).toEqual(['urn:ngsi-ld:EvacuationShelter:a']);
    expect((near[0]!.name as { value: string }).value).toBe('避難所');
    expect(await local.query('', { types: ['EvacuationShelter'] })).toEqual([]); // tenants stay apart
    await local.remove('t1', 'urn:ngsi-ld:EvacuationShelter:a');
    expect(await local.find('t1', 'urn:ngsi-ld:EvacuationShelter:a')).toBeUndefined();
    expect(seen.map((c) => [c.after ? 'after' : '-', c.before ? 'before' : '-'])).toEqual([
      ['after', '-'],
      ['after', '-'],
      ['after', 'before'],
      ['after', 'before'],
      ['-', 'before'],
    ]);
  });

  it('refuses what the NGSI-LD API refuses (the same validation)', async () => {
    const local = localBroker(database.db, entityStore(database.db, []));
    await expect(local.put('t2', { id: 'not a uri', type: 'X' })).rejects.toMatchObject({ status: 400 });
  });

  it('batch: puts and deletes over tenants in one transaction, told as one change list; a failure inside it writes nothing', async () => {
    const seen: EntityChange[][] = [];
    const local = localBroker(database.db, entityStore(database.db, [indexGeoProperties, async (_tx, c) => void seen.push(c)]));
    await local.put('t3', shelter('urn:ngsi-ld:EvacuationShelter:old', 140.7));
    await local.batch([
      { tenant: 't3', put: shelter('urn:ngsi-ld:EvacuationShelter:new', 140.7) },
      { tenant: 't4', put: shelter('urn:ngsi-ld:EvacuationShelter:new', 140.7) },
      { tenant: 't3', put: shelter('urn:ngsi-ld:EvacuationShelter:old', 140.7, 5) },
      { tenant: 't3', remove: 'urn:ngsi-ld:EvacuationShelter:none' },
    ]);
    expect((await local.query('t3', { types: ['EvacuationShelter'] }, true)).map((e) => [e.id, e.occupancy])).toEqual([
      ['urn:ngsi-ld:EvacuationShelter:new', undefined],
      ['urn:ngsi-ld:EvacuationShelter:old', 5],
    ]);
    expect((await local.query('t4', { types: ['EvacuationShelter'] })).length).toBe(1);
    expect(seen.at(-1)!.map((c) => [c.tenant, c.before ? 'before' : '-', c.after ? 'after' : '-'])).toEqual([
      ['t3', '-', 'after'],
      ['t4', '-', 'after'],
      ['t3', 'before', 'after'],
    ]);
    const failing = local.batch(
      [
        { tenant: 't3', remove: 'urn:ngsi-ld:EvacuationShelter:old' },
        { tenant: 't3', put: shelter('urn:ngsi-ld:EvacuationShelter:third', 140.7) },
      ],
      async () => {
        throw new Error('the audit entry failed');
      },
    );
    await expect(failing).rejects.toThrow('the audit entry failed');
    expect((await local.query('t3', { types: ['EvacuationShelter'] })).map((e) => e.id)).toEqual([
      'urn:ngsi-ld:EvacuationShelter:new',
      'urn:ngsi-ld:EvacuationShelter:old',
    ]);
  });
});
