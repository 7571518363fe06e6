// rotate-key reseals the values other modules hold (every table and column of heldSealedColumns), each
// in its own place, so that after rotate-key and remove-retired-keys every held value still opens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import { open, seal, type KeyRing } from './crypto.ts';
import { heldPlace, heldSealedColumns, type HeldTable } from './held.ts';
import { loadResidentKeys } from './keys.ts';
import { removeRetiredKeys, rotateKeys } from './rotate-keys.ts';
import { sealedValuesByKey } from './repository.ts';

let database: Database;
let dir: string;
beforeAll(async () => {
  database = await createTestDb('empty');
  dir = mkdtempSync(join(tmpdir(), 'renkei-held-rotate-'));
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const rowIds = ['h-1', 'h-2', 'h-3'];
const plain = (t: HeldTable, column: string, rowId: string) => `${t.table}.${column}.${rowId} 青森 花子`;

// Required columns get a filler of their type; text ones the row id, so a follow-up's entry_id names
// the roster entry of the same id (the list puts entries first).
const filler: Record<string, (rowId: string) => unknown> = {
  text: (r) => r,
  integer: () => 1,
  boolean: () => false,
  date: () => '2026-01-01',
  jsonb: () => '{}',
  'timestamp with time zone': () => '2026-01-01T00:00:00Z',
};

/** One row of the holder's table, its required columns filled, every listed column sealed under `ring` in its place. */
async function insertHeldRow(ring: KeyRing, t: HeldTable, rowId: string) {
  const required = await rows<{ column_name: string; data_type: string }>(
    database,
    sql`select column_name, data_type from information_schema.columns
        where table_name = ${t.table} and is_nullable = 'NO' and column_default is null`,
  );
  const values = new Map<string, unknown>(required.map((c) => [c.column_name, filler[c.data_type]!(rowId)]));
  values.set(t.rowId, rowId);
  for (const c of t.columns) values.set(c, seal(ring, plain(t, c, rowId), heldPlace(t, c, rowId)));
  const names = [...values.keys()];
  await database.db.execute(
    sql`insert into ${sql.identifier(t.table)} (${sql.join(
      names.map((n) => sql.identifier(n)),
      sql`, `,
    )}) values (${sql.join(
      names.map((n) => sql`${values.get(n)}`),
      sql`, `,
    )})`,
  );
}

const stored = async (t: HeldTable, column: string, rowId: string) =>
  (
    await rows<{ v: string }>(
      database,
      sql`select ${sql.identifier(column)} as v from ${sql.identifier(t.table)} where ${sql.identifier(t.rowId)} = ${rowId}`,
    )
  )[0]!.v;

describe('rotate-key and held values (heldSealedColumns)', () => {
  it('reseals every listed column of every holder in batches, reports a value that does not open, and every value opens after remove-retired-keys', async () => {
    const source = loadResidentKeys({ DATA_DIR: dir });
    const old = source.ring.current;
    for (const t of heldSealedColumns) for (const r of rowIds) await insertHeldRow(source.ring, t, r);
    const count = heldSealedColumns.reduce((n, t) => n + t.columns.length, 0) * rowIds.length;
    expect((await sealedValuesByKey(database.db)).get(old)).toBe(count);

    // A value moved into another row's column (it names its key, but its tag binds the other place).
    const roster = heldSealedColumns.find((t) => t.table === 'disaster_roster_entries')!;
    const moved = await stored(roster, 'kana', 'h-1');
    await database.db.execute(sql`update disaster_roster_entries set kana = ${moved} where id = 'h-2'`);

    // Batches of 2 rows: each table's 3 rows take two transactions.
    const rotation = await rotateKeys(database.db, source, 2);
    expect(rotation.failed).toEqual([{ table: 'disaster_roster_entries', column: 'kana', rowId: 'h-2', code: 'resident_data_unreadable' }]);
    expect(rotation.resealed).toBe(heldSealedColumns.length * rowIds.length);
    expect(rotation.unused).toEqual([]);
    expect(Object.fromEntries(await sealedValuesByKey(database.db))).toEqual({ [rotation.newKeyId]: count - 1, [old]: 1 });
    expect(await stored(roster, 'kana', 'h-2')).toBe(moved);

    // The old key stays while the reported value names it; once the holder removes it, the key goes.
    expect(await removeRetiredKeys(database.db, source.file!)).toEqual({ removed: [], inUse: [old] });
    await database.db.execute(sql`delete from disaster_roster_entries where id = 'h-2'`);
    expect(await removeRetiredKeys(database.db, source.file!)).toEqual({ removed: [old], inUse: [] });

    const ring = loadResidentKeys({ DATA_DIR: dir }).ring;
    expect([...ring.keys.keys()]).toEqual([rotation.newKeyId]);
    for (const t of heldSealedColumns)
      for (const r of rowIds) {
        if (t.table.startsWith('disaster_roster') && r === 'h-2') continue; // deleted above (the follow-up with its entry)
        for (const c of t.columns) {
          const value = await stored(t, c, r);
          expect(value.startsWith(`v1.${rotation.newKeyId}.`)).toBe(true);
          expect(open(ring, value, heldPlace(t, c, r))).toBe(plain(t, c, r));
        }
      }
  });

  it('leaves nothing to do on a second run and skips empty columns', async () => {
    const source = loadResidentKeys({ DATA_DIR: dir });
    await database.db.execute(sql`update disaster_checkins set name_sealed = null where id = 'h-3'`);
    const again = await rotateKeys(database.db, { ring: source.ring });
    expect(again).toEqual({ newKeyId: source.ring.current, resealed: 0, failed: [], unused: [] });
  });
});
