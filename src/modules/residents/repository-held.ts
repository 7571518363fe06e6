// The SQL of rotating held values (held.ts): the holders' tables are named by heldSealedColumns, so
// their columns are identifiers from that list, never from input. Values come and go sealed.
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { HeldTable } from './held.ts';

export interface HeldRow {
  rowId: string;
  /** Stored column → its sealed value (null or not sealed when the column holds none). */
  values: Record<string, string | null>;
}

const id = sql.identifier;

/**
 * Up to `limit` rows after `after` (in row id order) with a sealed value under another key than
 * `keyId`, locked until the transaction ends.
 */
export async function lockHeldNotUnder(db: Db, t: HeldTable, keyId: string, after: string, limit: number): Promise<HeldRow[]> {
  const notUnder = sql.join(
    t.columns.map((c) => sql`(${id(c)} like 'v1.%' and split_part(${id(c)}, '.', 2) <> ${keyId})`),
    sql` or `,
  );
  const result = await db.execute<Record<string, string | null>>(
    sql`select ${id(t.rowId)} as row_id, ${sql.join(
      t.columns.map((c) => id(c)),
      sql`, `,
    )} from ${id(t.table)} where ${id(t.rowId)} > ${after} and (${notUnder}) order by ${id(t.rowId)} limit ${limit} for update`,
  );
  return result.rows.map(({ row_id, ...values }) => ({ rowId: row_id!, values }));
}

/** Writes the resealed values of one row (only the columns given). */
export async function updateHeldRow(db: Db, t: HeldTable, rowId: string, values: Record<string, string>) {
  const set = Object.entries(values).map(([c, v]) => sql`${id(c)} = ${v}`);
  if (set.length) await db.execute(sql`update ${id(t.table)} set ${sql.join(set, sql`, `)} where ${id(t.rowId)} = ${rowId}`);
}
