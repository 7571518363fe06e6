// 同意記録's SQL: consent records are written once, and changed only to record a withdrawal.
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { consentRecords } from './schema.ts';

export type ConsentRow = typeof consentRecords.$inferSelect;

/** Several records (one per recipient); the caller's transaction makes it all or none. */
export async function insertConsentRows(db: Db, rows: (typeof consentRecords.$inferInsert)[]) {
  await db.insert(consentRecords).values(rows);
}

/** The resident's own record; another resident's id finds nothing, like a missing one. */
export async function findConsentRow(db: Db, residentId: string, id: string): Promise<ConsentRow | undefined> {
  const [row] = await db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.id, id), eq(consentRecords.residentId, residentId)));
  return row;
}

/** For the public verification of a receipt: the record's current status, whoever asks. */
export async function findConsentRowById(db: Db, id: string): Promise<ConsentRow | undefined> {
  const [row] = await db.select().from(consentRecords).where(eq(consentRecords.id, id));
  return row;
}

/** Newest first. */
export const listConsentRows = (db: Db, residentId: string, purposeId?: string) =>
  db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.residentId, residentId), purposeId ? eq(consentRecords.purposeId, purposeId) : undefined))
    .orderBy(desc(consentRecords.givenAt), desc(consentRecords.id));

/** Records the withdrawal once; answers whether a record of this resident was still given. */
export async function markWithdrawn(db: Db, residentId: string, id: string, at: Date): Promise<boolean> {
  const done = await db
    .update(consentRecords)
    .set({ withdrawnAt: at })
    .where(and(eq(consentRecords.id, id), eq(consentRecords.residentId, residentId), isNull(consentRecords.withdrawnAt)))
    .returning({ id: consentRecords.id });
  return done.length > 0;
}

/** Every record for one purpose and recipient, withdrawn ones too (the gate may ask about a past time). */
export const findRecipientRows = (db: Db, residentId: string, purposeId: string, recipientId: string) =>
  db
    .select()
    .from(consentRecords)
    .where(
      and(eq(consentRecords.residentId, residentId), eq(consentRecords.purposeId, purposeId), eq(consentRecords.recipientId, recipientId)),
    )
    .orderBy(desc(consentRecords.givenAt));
