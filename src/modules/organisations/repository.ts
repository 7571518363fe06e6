// The organisations module's only SQL.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { organisationUnits } from './schema.ts';

export type UnitRow = typeof organisationUnits.$inferSelect;

export const listUnitRows = (db: Db) => db.select().from(organisationUnits).orderBy(asc(organisationUnits.position));

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
