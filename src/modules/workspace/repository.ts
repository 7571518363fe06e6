// The workspace module's only SQL.
import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { reportingRounds, roundEntries, roundReminders, staffSessions } from './schema.ts';

export type Round = typeof reportingRounds.$inferSelect;
export type Entry = typeof roundEntries.$inferSelect;

export async function insertSession(db: Db, row: typeof staffSessions.$inferInsert) {
  await db.insert(staffSessions).values(row);
}

export async function findLiveSession(db: Db, id: string) {
  const [row] = await db
    .select()
    .from(staffSessions)
    .where(and(eq(staffSessions.id, id), gt(staffSessions.expiresAt, new Date())));
  return row;
}

/** Keeps `value` in the session row for the next page only (see takeShownOnce). */
export async function keepShownOnce(db: Db, sessionId: string, value: unknown) {
  await db.update(staffSessions).set({ shownOnce: value }).where(eq(staffSessions.id, sessionId));
}

/** What keepShownOnce kept, and clears it in the same transaction: a reload, or a second tab, gets nothing. */
export async function takeShownOnce(db: Db, sessionId: string): Promise<unknown> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ value: staffSessions.shownOnce })
      .from(staffSessions)
      .where(eq(staffSessions.id, sessionId))
      .for('update');
    if (row?.value == null) return undefined;
    await tx.update(staffSessions).set({ shownOnce: null }).where(eq(staffSessions.id, sessionId));
    return row.value;
  });
}

export async function deleteSession(db: Db, id: string) {
  await db.delete(staffSessions).where(eq(staffSessions.id, id));
}

export async function insertRound(db: Db, row: typeof reportingRounds.$inferInsert): Promise<Round> {
  const [r] = await db.insert(reportingRounds).values(row).returning();
  return r!;
}

export const listRounds = (db: Db, planId: string) =>
  db.select().from(reportingRounds).where(eq(reportingRounds.planId, planId)).orderBy(desc(reportingRounds.asOf));

export async function findRound(db: Db, id: number): Promise<Round | undefined> {
  const [r] = await db.select().from(reportingRounds).where(eq(reportingRounds.id, id));
  return r;
}

export async function markRoundPublished(db: Db, id: number, publicationId: number) {
  await db.update(reportingRounds).set({ status: 'published', publicationId }).where(eq(reportingRounds.id, id));
}

export const listEntries = (db: Db, roundId: number) =>
  db.select().from(roundEntries).where(eq(roundEntries.roundId, roundId)).orderBy(asc(roundEntries.id));

export async function findEntry(db: Db, roundId: number, id: number): Promise<Entry | undefined> {
  const [e] = await db
    .select()
    .from(roundEntries)
    .where(and(eq(roundEntries.roundId, roundId), eq(roundEntries.id, id)));
  return e;
}

export async function findEntryFor(db: Db, roundId: number, indicatorId: number): Promise<Entry | undefined> {
  const [e] = await db
    .select()
    .from(roundEntries)
    .where(and(eq(roundEntries.roundId, roundId), eq(roundEntries.indicatorId, indicatorId)));
  return e;
}

export async function upsertEntry(db: Db, row: typeof roundEntries.$inferInsert): Promise<Entry> {
  const [e] = await db
    .insert(roundEntries)
    .values(row)
    .onConflictDoUpdate({
      target: [roundEntries.roundId, roundEntries.indicatorId],
      set: {
        value: row.value,
        periodLabel: row.periodLabel,
        source: row.source,
        note: row.note,
        status: row.status,
        enteredBy: row.enteredBy,
        enteredAt: new Date(),
        reviewedBy: null,
        reviewComment: null,
      },
    })
    .returning();
  return e!;
}

export async function reviewEntryRow(db: Db, id: number, status: 'approved' | 'returned', reviewedBy: string, comment: string | null) {
  const [e] = await db.update(roundEntries).set({ status, reviewedBy, reviewComment: comment }).where(eq(roundEntries.id, id)).returning();
  return e!;
}

/**
 * Takes the reminder for this process, or answers false when it is already taken (sent, or being sent
 * by another server process running the same hourly job): the unique key decides.
 */
export async function claimReminder(db: Db, roundId: number, accountId: string, kind: string) {
  const taken = await db
    .insert(roundReminders)
    .values({ roundId, accountId, kind })
    .onConflictDoNothing()
    .returning({ id: roundReminders.id });
  return taken.length > 0;
}

/** Gives a claimed reminder back when it could not be sent, so the next run tries again. */
export async function releaseReminder(db: Db, roundId: number, accountId: string, kind: string) {
  await db
    .delete(roundReminders)
    .where(and(eq(roundReminders.roundId, roundId), eq(roundReminders.accountId, accountId), eq(roundReminders.kind, kind)));
}
