// The residents module's only SQL. It stores and returns sealed values; sealing is profiles.ts'.
import { and, eq, gt, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { heldSealedColumns } from './held.ts';
import { residentAccounts, residentDataItems, residentProfiles, residentSessions } from './schema.ts';

export type ProfileRow = typeof residentProfiles.$inferSelect;
export type SealedProfile = Pick<ProfileRow, 'residentId' | 'municipalityCode' | 'name' | 'address' | 'birthDate' | 'phone'>;

const sealedColumns = [residentProfiles.name, residentProfiles.address, residentProfiles.birthDate, residentProfiles.phone];

export async function upsertProfileRow(db: Db, row: SealedProfile) {
  const { residentId, ...set } = row;
  await db
    .insert(residentProfiles)
    .values(row)
    .onConflictDoUpdate({ target: residentProfiles.residentId, set: { ...set, updatedAt: sql`now()` } });
}

export async function findProfileRow(db: Db, residentId: string): Promise<ProfileRow | undefined> {
  const [row] = await db.select().from(residentProfiles).where(eq(residentProfiles.residentId, residentId));
  return row;
}

const notUnder = (keyId: string): SQL => or(...sealedColumns.map((c) => sql`(${isNotNull(c)} and split_part(${c}, '.', 2) <> ${keyId})`))!;

/** Up to `limit` profiles with a value under another key than `keyId`, locked until the transaction ends. */
export const lockProfilesNotUnder = (db: Db, keyId: string, limit: number) =>
  db.select().from(residentProfiles).where(notUnder(keyId)).orderBy(residentProfiles.residentId).limit(limit).for('update');

export async function updateSealedFields(db: Db, row: SealedProfile) {
  const { residentId, name, address, birthDate, phone } = row;
  await db.update(residentProfiles).set({ name, address, birthDate, phone }).where(eq(residentProfiles.residentId, residentId));
}

/** How many stored values each key id seals, in profiles and data items. */
export async function sealedValuesByKey(db: Db): Promise<Map<string, number>> {
  const parts = sealedColumns.map((c) => sql`select split_part(${c}, '.', 2) as key_id from ${residentProfiles} where ${isNotNull(c)}`);
  parts.push(sql`select split_part(${residentDataItems.value}, '.', 2) as key_id from ${residentDataItems}`);
  // Held values of people with no account (held.ts), in their holders' tables.
  for (const { table, columns } of heldSealedColumns)
    for (const c of columns)
      parts.push(
        sql`select split_part(${sql.identifier(c)}, '.', 2) as key_id from ${sql.identifier(table)} where ${sql.identifier(c)} like 'v1.%'`,
      );
  const result = await db.execute<{ key_id: string; n: number | string }>(
    sql`select key_id, count(*) as n from (${sql.join(parts, sql` union all `)}) v group by key_id`,
  );
  return new Map(result.rows.map((r) => [r.key_id, Number(r.n)]));
}

export async function insertAccount(db: Db, id: string) {
  await db.insert(residentAccounts).values({ id });
}

export async function insertSession(db: Db, row: typeof residentSessions.$inferInsert) {
  await db.insert(residentSessions).values(row);
}

/** A session that has not expired, of an account that is not deleted. */
export async function findLiveSession(db: Db, id: string) {
  const [row] = await db
    .select({
      id: residentSessions.id,
      residentId: residentSessions.residentId,
      csrf: residentSessions.csrf,
      idToken: residentSessions.idToken,
    })
    .from(residentSessions)
    .innerJoin(residentAccounts, eq(residentAccounts.id, residentSessions.residentId))
    .where(and(eq(residentSessions.id, id), gt(residentSessions.expiresAt, sql`now()`), eq(residentAccounts.status, 'active')));
  return row;
}

export async function deleteSession(db: Db, id: string) {
  await db.delete(residentSessions).where(eq(residentSessions.id, id));
}

export async function findItemRows(db: Db, residentId: string, categories: readonly string[]) {
  if (categories.length === 0) return [];
  return db
    .select()
    .from(residentDataItems)
    .where(and(eq(residentDataItems.residentId, residentId), inArray(residentDataItems.category, [...categories])));
}
