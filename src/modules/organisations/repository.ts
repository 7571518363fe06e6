// The organisations module's only SQL.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { organisationUnits } from './schema.ts';

export type UnitRow = typeof organisationUnits.$inferSelect;

export const listUnitRows = (db: Db) => db.select().from(organisationUnits).orderBy(asc(organisationUnits.position));

/**
 * Every unit, locked until the transaction ends: registry edits take turns, so two people adding
 * 「DX推進課」 at once cannot both pass the duplicate check.
 */
export const lockUnitRows = (db: Db) => db.select().from(organisationUnits).orderBy(asc(organisationUnits.position)).for('update');

export async function findUnitRow(db: Db, id: string): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(organisationUnits).where(eq(organisationUnits.id, id));
  return row;
}

export async function insertUnits(db: Db, rows: (typeof organisationUnits.$inferInsert)[]) {
  if (rows.length) await db.insert(organisationUnits).values(rows).onConflictDoNothing();
}

export async function updateUnit(db: Db, id: string, set: Partial<Pick<UnitRow, 'name' | 'nameEn' | 'retiredAt'>>) {
  await db.update(organisationUnits).set(set).where(eq(organisationUnits.id, id));
}

export async function hasUnits(db: Db) {
  return (await db.select({ id: organisationUnits.id }).from(organisationUnits).limit(1)).length > 0;
}

/**
 * Free-text owners and accounts' departments that name a unit become its id (migration 0021's
 * owners_to_units). It runs after the registry is loaded, because on an upgrade the migration ran
 * before there were units to match.
 */
export async function mapFreeTextToUnits(db: Db) {
  await db.execute(sql`select owners_to_units()`);
}
