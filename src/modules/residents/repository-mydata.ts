// マイページ's own data and account deletion: the SQL of the data items, rotation of their sealed
// values, and the rows an account's deletion removes or closes.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { consentRecords, residentAccounts, residentDataItems, residentProfiles, residentSessions } from './schema.ts';

export type ItemRow = typeof residentDataItems.$inferSelect;

export async function upsertItemRow(db: Db, residentId: string, category: string, value: string) {
  await db
    .insert(residentDataItems)
    .values({ residentId, category, value })
    .onConflictDoUpdate({ target: [residentDataItems.residentId, residentDataItems.category], set: { value, updatedAt: sql`now()` } });
}

export async function deleteItemRow(db: Db, residentId: string, category: string) {
  await db.delete(residentDataItems).where(and(eq(residentDataItems.residentId, residentId), eq(residentDataItems.category, category)));
}

/** The municipality stays in clear (it selects the tenant), so it is read apart from the sealed categories. */
export async function findMunicipalityCode(db: Db, residentId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ code: residentProfiles.municipalityCode })
    .from(residentProfiles)
    .where(eq(residentProfiles.residentId, residentId));
  return row?.code;
}

/** Up to `limit` data items sealed under another key than `keyId`, locked until the transaction ends. */
export const lockItemsNotUnder = (db: Db, keyId: string, limit: number) =>
  db
    .select()
    .from(residentDataItems)
    .where(sql`split_part(${residentDataItems.value}, '.', 2) <> ${keyId}`)
    .orderBy(residentDataItems.residentId, residentDataItems.category)
    .limit(limit)
    .for('update');

export async function updateItemValue(db: Db, row: Pick<ItemRow, 'residentId' | 'category' | 'value'>) {
  await db
    .update(residentDataItems)
    .set({ value: row.value })
    .where(and(eq(residentDataItems.residentId, row.residentId), eq(residentDataItems.category, row.category)));
}

/** Marks an active account deleted; answers whether there was one. */
export async function markAccountDeleted(db: Db, residentId: string): Promise<boolean> {
  const done = await db
    .update(residentAccounts)
    .set({ status: 'deleted', deletedAt: sql`now()` })
    .where(and(eq(residentAccounts.id, residentId), ne(residentAccounts.status, 'deleted')))
    .returning({ id: residentAccounts.id });
  return done.length > 0;
}

export async function deleteOwnRows(db: Db, residentId: string) {
  await db.delete(residentProfiles).where(eq(residentProfiles.residentId, residentId));
  await db.delete(residentDataItems).where(eq(residentDataItems.residentId, residentId));
  await db.delete(residentSessions).where(eq(residentSessions.residentId, residentId));
}

export async function withdrawOpenConsents(db: Db, residentId: string) {
  await db
    .update(consentRecords)
    .set({ withdrawnAt: sql`now()` })
    .where(and(eq(consentRecords.residentId, residentId), isNull(consentRecords.withdrawnAt)));
}
