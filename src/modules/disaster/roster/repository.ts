// The roster's SQL (disaster_roster_entries, disaster_roster_followups; schema-roster.ts). Values come
// and go sealed: this file never sees a name.
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db.ts';
import {
  disasterRosterEntries as entries,
  disasterRosterFollowups as followups,
  disasterRosterRounds as rounds,
} from '../schema-roster.ts';

export type EntryRow = typeof entries.$inferSelect;
export type FollowupRow = typeof followups.$inferSelect;

/** Serialises imports of one municipality's roster (two first imports at once would both find it empty). */
export const lockRoster = (tx: Db, municipality: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`disaster_roster:${municipality}`}))`);

/** The municipality's entries in file order; `lock` holds them for an import's transaction. */
export function entriesOf(db: Db, municipality: string, lock = false): Promise<EntryRow[]> {
  const q = db.select().from(entries).where(eq(entries.municipality, municipality)).orderBy(asc(entries.row));
  return lock ? q.for('update') : q;
}

export async function entryById(db: Db, id: string, lock = false): Promise<EntryRow | undefined> {
  const q = db.select().from(entries).where(eq(entries.id, id));
  const [row] = await (lock ? q.for('update') : q);
  return row;
}

export const insertEntries = async (tx: Db, rows: EntryRow[]) => {
  // Batches keep each statement's parameters well under PostgreSQL's 65,535 (17 columns a row).
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(entries).values(rows.slice(i, i + 1000));
};

export const updateEntry = (tx: Db, id: string, row: Omit<EntryRow, 'id' | 'municipality' | 'residentId'>) =>
  tx.update(entries).set(row).where(eq(entries.id, id));

export async function deleteEntries(tx: Db, ids: string[]) {
  for (let i = 0; i < ids.length; i += 1000) await tx.delete(entries).where(inArray(entries.id, ids.slice(i, i + 1000)));
}

export const linkEntry = (tx: Db, id: string, residentId: string | null) =>
  tx.update(entries).set({ residentId }).where(eq(entries.id, id));

/** Account deletion (residents' deletedWithAccount): the roster is the municipality's record, so the entry stays and only the link goes. */
export const unlinkResident = (tx: Db, residentId: string) =>
  tx.update(entries).set({ residentId: null }).where(eq(entries.residentId, residentId));

export const insertFollowup = (tx: Db, row: FollowupRow) => tx.insert(followups).values(row);

/** Follow-ups of a municipality's entries (at or after `since`, when given), newest first (the latest per entry comes first). */
export function followupsOf(db: Db, municipality: string, entryIds?: string[], since?: string): Promise<FollowupRow[]> {
  return db
    .select()
    .from(followups)
    .where(
      and(
        eq(followups.municipality, municipality),
        entryIds ? inArray(followups.entryId, entryIds) : undefined,
        since ? gte(followups.at, since) : undefined,
      ),
    )
    .orderBy(desc(followups.at), desc(followups.recordedAt));
}

/** When the municipality's current confirmation round started, or undefined when none was started. */
export async function roundStart(db: Db, municipality: string): Promise<string | undefined> {
  const [row] = await db
    .select({ startedAt: rounds.startedAt })
    .from(rounds)
    .where(eq(rounds.municipality, municipality))
    .orderBy(desc(rounds.startedAt))
    .limit(1);
  return row?.startedAt;
}

export const insertRound = (tx: Db, row: typeof rounds.$inferInsert) => tx.insert(rounds).values(row);
