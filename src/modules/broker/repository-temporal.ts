// SQL of the temporal API's corrections of the history (5.6.13–5.6.15): deleting an attribute's
// instances, changing or deleting one instance. Recording goes through repository.ts (insertHistory).
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { Instance } from './entity.ts';

/** Which of an attribute's instances: those without a datasetId (default), of one datasetId, or all. */
export type DatasetChoice = { all: true } | { all: false; datasetId?: string };

/**
 * Deletes an attribute's history: the chosen instances, and with the default instances the
 * attribute's deletion rows (they carry no datasetId). Returns how many rows went.
 */
export async function deleteAttributeHistory(db: Db, tenant: string, id: string, attr: string, which: DatasetChoice): Promise<number> {
  const dataset = which.all
    ? sql`true`
    : which.datasetId === undefined
      ? sql`(instance is null or instance->>'datasetId' is null)`
      : sql`instance->>'datasetId' = ${which.datasetId}`;
  const result = (await db.execute(
    sql`delete from broker_history where tenant = ${tenant} and entity_id = ${id} and attr = ${attr} and ${dataset} returning seq`,
  )) as unknown as { rows: unknown[] };
  return result.rows.length;
}

export interface HistoryRecord {
  seq: number;
  /** null for a deletion row. */
  instance: Instance | null;
}

/** One recorded instance of an entity's attribute, locked for a change; undefined when there is none. */
export async function findHistoryInstance(
  db: Db,
  tenant: string,
  id: string,
  attr: string,
  seq: number,
): Promise<HistoryRecord | undefined> {
  const result = (await db.execute(
    sql`select seq::float8 as seq, instance from broker_history
      where tenant = ${tenant} and entity_id = ${id} and attr = ${attr} and seq = ${seq} for update`,
  )) as unknown as { rows: HistoryRecord[] };
  return result.rows[0];
}

/** Replaces a recorded instance; it then counts at its observedAt, else where it was. Its seq (the instanceId) stays. */
export async function updateHistoryInstance(db: Db, seq: number, instance: Instance) {
  await db.execute(
    sql`update broker_history set instance = ${JSON.stringify(instance)}::jsonb,
      at = coalesce(${instance.observedAt ?? null}::timestamptz, at) where seq = ${seq}`,
  );
}

/** Deletes one recorded instance; false when the entity's attribute has none with that seq. */
export async function deleteHistoryInstance(db: Db, tenant: string, id: string, attr: string, seq: number): Promise<boolean> {
  const result = (await db.execute(
    sql`delete from broker_history where tenant = ${tenant} and entity_id = ${id} and attr = ${attr} and seq = ${seq} returning seq`,
  )) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}
