// Personal data held for people with no account (held.ts): sealed at rest, each opening logged.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import { newKey, type KeyRing } from './crypto.ts';
import { heldFields, heldSealedColumns } from './held.ts';
import { checkKeysCover } from './rotate-keys.ts';
import { sealedValuesByKey } from './repository.ts';

let database: Database;
const key = newKey();
const ring: KeyRing = { current: key.id, keys: new Map([[key.id, key]]) };
const held = heldFields(ring);
const place = { table: 'disaster_checkins', column: 'name', rowId: 'w-1' };
const staff = { kind: 'staff' as const, id: 'u-reception', organisationId: '02201' };

beforeAll(async () => {
  database = await createTestDb('empty');
});
afterAll(() => database.close());

describe('held personal data', () => {
  it('seals without the plaintext and opens only in its own place', async () => {
    const sealed = held.seal('避難 一郎', place);
    expect(sealed).not.toContain('避難');
    expect(sealed.startsWith(`v1.${key.id}.`)).toBe(true);
    const moved = { value: sealed, place: { ...place, rowId: 'w-2' }, category: 'name' };
    await expect(held.open(database.db, staff, 'w-2', 'shelter-reception', [moved], 'page')).rejects.toMatchObject({ status: 500 });
  });

  it('refuses to seal in a place heldSealedColumns does not list (rotate-key would miss it)', () => {
    expect(() => held.seal('避難 一郎', { table: 'shelter_walk_ins', column: 'name', rowId: 'w-1' })).toThrow('not in heldSealedColumns');
    expect(() => held.seal('避難 一郎', { table: 'disaster_checkins', column: 'name_sealed', rowId: 'w-1' })).toThrow(
      'not in heldSealedColumns',
    );
  });

  it('opens for the holder and writes one access-log row per call, basis held', async () => {
    const sealed = held.seal('避難 一郎', place);
    const opened = await held.open(database.db, staff, 'w-1', 'shelter-reception', [{ value: sealed, place, category: 'name' }], 'page');
    expect(opened).toEqual(['避難 一郎']);
    const log = await rows<{ basis: string; categories: string[]; actor_id: string; organisation_id: string }>(
      database,
      sql`select basis, categories, actor_id, organisation_id from personal_data_access_log where resident_id = 'w-1'`,
    );
    expect(log).toEqual([{ basis: 'held', categories: ['name'], actor_id: 'u-reception', organisation_id: '02201' }]);
  });

  it('openEach opens many people at once: one log row each in one statement; one that does not open gets undefined and no row', async () => {
    const a = { value: held.seal('避難 二郎', { ...place, rowId: 'w-3' }), place: { ...place, rowId: 'w-3' }, category: 'name' };
    const b = { value: held.seal('避難 三郎', { ...place, rowId: 'w-4' }), place: { ...place, rowId: 'w-9' }, category: 'name' }; // moved
    const opened = await held.openEach(
      database.db,
      staff,
      'shelter-reception',
      [
        { subject: 'w-3', values: [a] },
        { subject: 'w-4', values: [b] },
      ],
      'page',
    );
    expect(opened).toEqual([['避難 二郎'], undefined]);
    const log = await rows<{ resident_id: string; basis: string }>(
      database,
      sql`select resident_id, basis from personal_data_access_log where resident_id in ('w-3', 'w-4')`,
    );
    expect(log).toEqual([{ resident_id: 'w-3', basis: 'held' }]);
    expect(await held.openEach(database.db, staff, 'shelter-reception', [], 'page')).toEqual([]);
  });

  it("counts in the key checks: a ring without the held value's key is refused at start, its key stays in use", async () => {
    const other = newKey();
    const otherRing: KeyRing = { current: other.id, keys: new Map([[other.id, other]]) };
    const value = heldFields(otherRing).seal('青森 一郎', { table: 'disaster_safety_statuses', column: 'display_name', rowId: 'r-held' });
    await database.db.execute(
      sql`insert into disaster_safety_statuses (resident_id, record_id, display_name, updated_at) values ('r-held', 'rec-held', ${value}, now())`,
    );
    expect((await sealedValuesByKey(database.db)).get(other.id)).toBe(1);
    await expect(checkKeysCover(database.db, ring)).rejects.toThrow(other.id);
    await expect(
      checkKeysCover(database.db, {
        current: key.id,
        keys: new Map([
          [key.id, key],
          [other.id, other],
        ]),
      }),
    ).resolves.toBeUndefined();
  });

  it.each(heldSealedColumns.flatMap((t) => t.columns.map((c) => [t.table, c])))(
    'lists %s.%s, a text column that exists',
    async (table, column) => {
      const found = await rows<{ data_type: string }>(
        database,
        sql`select data_type from information_schema.columns where table_name = ${table} and column_name = ${column}`,
      );
      expect(found).toEqual([{ data_type: 'text' }]);
    },
  );
});
