// 避難所の受付's SQL (disaster_cards, disaster_checkins; schema-checkin.ts).
import { and, asc, desc, eq, inArray, isNull, sql, type AnyColumn } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { disasterCards, disasterCheckins } from './schema-checkin.ts';

export type CardRow = typeof disasterCards.$inferSelect;
export type CheckinRow = typeof disasterCheckins.$inferSelect;

export async function findCard(db: Db, residentId: string): Promise<CardRow | undefined> {
  const [row] = await db.select().from(disasterCards).where(eq(disasterCards.residentId, residentId));
  return row;
}

export async function findCardBy(db: Db, by: { cardId: string } | { shortCode: string }): Promise<CardRow | undefined> {
  const where = 'cardId' in by ? eq(disasterCards.cardId, by.cardId) : eq(disasterCards.shortCode, by.shortCode);
  const [row] = await db.select().from(disasterCards).where(where);
  return row;
}

/** Issues or renews (replaces the card id and short code: the old card stops working). */
export async function upsertCard(db: Db, row: CardRow) {
  await db
    .insert(disasterCards)
    .values(row)
    .onConflictDoUpdate({
      target: disasterCards.residentId,
      set: { cardId: row.cardId, shortCode: row.shortCode, issuedAt: row.issuedAt },
    });
}

/** Inserts the check-in unless its client id was seen (a retried sync); true when inserted. */
export async function insertCheckin(tx: Db, row: typeof disasterCheckins.$inferInsert): Promise<boolean> {
  const inserted = await tx.insert(disasterCheckins).values(row).onConflictDoNothing().returning({ id: disasterCheckins.id });
  return inserted.length > 0;
}

export async function findCheckinByClient(db: Db, clientId: string): Promise<CheckinRow | undefined> {
  const [row] = await db.select().from(disasterCheckins).where(eq(disasterCheckins.clientId, clientId));
  return row;
}

export async function findCheckin(db: Db, id: string): Promise<CheckinRow | undefined> {
  const [row] = await db.select().from(disasterCheckins).where(eq(disasterCheckins.id, id));
  return row;
}

/** The household's open check-in (at any shelter), locked for the transaction. */
export async function openCheckinOf(tx: Db, residentId: string): Promise<CheckinRow | undefined> {
  const [row] = await tx
    .select()
    .from(disasterCheckins)
    .where(and(eq(disasterCheckins.residentId, residentId), isNull(disasterCheckins.checkedOutAt)))
    .for('update');
  return row;
}

/** The household's latest check-in, open or not (罹災証明書 pre-fills from it). */
export async function latestCheckinOf(db: Db, residentId: string): Promise<CheckinRow | undefined> {
  const [row] = await db
    .select()
    .from(disasterCheckins)
    .where(eq(disasterCheckins.residentId, residentId))
    .orderBy(desc(disasterCheckins.checkedInAt))
    .limit(1);
  return row;
}

/** The people checked in and not out: the shelter's 避難者数. */
export async function occupancyOf(db: Db, shelterId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${disasterCheckins.people}), 0)::int` })
    .from(disasterCheckins)
    .where(and(eq(disasterCheckins.shelterId, shelterId), isNull(disasterCheckins.checkedOutAt)));
  return Number(row?.n ?? 0);
}

/** The shelter's open check-ins, oldest first (at most `limit`). */
export function openCheckins(db: Db, shelterId: string, limit = 1000): Promise<CheckinRow[]> {
  return db
    .select()
    .from(disasterCheckins)
    .where(and(eq(disasterCheckins.shelterId, shelterId), isNull(disasterCheckins.checkedOutAt)))
    .orderBy(asc(disasterCheckins.checkedInAt))
    .limit(limit);
}

/** Closes an open check-in; true when it was open. */
export async function closeCheckin(tx: Db, id: string, by: string, at: string): Promise<boolean> {
  const done = await tx
    .update(disasterCheckins)
    .set({ checkedOutAt: at, checkedOutBy: by })
    .where(and(eq(disasterCheckins.id, id), isNull(disasterCheckins.checkedOutAt)))
    .returning({ id: disasterCheckins.id });
  return done.length > 0;
}

/**
 * With the account (residentScreens.deletedWithAccount): the card is deleted; the check-ins lose the
 * link to the resident and keep only the number of people and times, so a shelter's count stays right.
 */
export async function deleteCheckinDataOf(tx: Db, residentId: string) {
  await tx.delete(disasterCards).where(eq(disasterCards.residentId, residentId));
  await tx.update(disasterCheckins).set({ residentId: null }).where(eq(disasterCheckins.residentId, residentId));
}

/** The dashboard's evacuees, counted (never listed): households and people checked in now, by how, and 要配慮 (walk-ins who said so). */
export async function evacueeCounts(db: Db, municipalities: string[]) {
  if (!municipalities.length) return [];
  const rows = await db
    .select({
      method: disasterCheckins.method,
      households: sql<number>`count(*)::int`,
      people: sql<number>`coalesce(sum(${disasterCheckins.people}), 0)::int`,
      needsCare: sql<number>`count(*) filter (where ${disasterCheckins.needsCare})::int`,
    })
    .from(disasterCheckins)
    .where(and(isNull(disasterCheckins.checkedOutAt), inArray(disasterCheckins.municipality, municipalities)))
    .groupBy(disasterCheckins.method);
  return rows;
}

/** One shelter's (or the scope's) counted attributes: people per age group, the households counted, 要配慮 by household. */
export interface AttributeCounts {
  age0to14: number;
  age15to64: number;
  age65to74: number;
  age75plus: number;
  ageUnknown: number;
  /** Households whose ages were counted (the others' people are in no group). */
  counted: number;
  careYes: number;
  careNo: number;
  careUnknown: number;
  /** People whose home municipality (as told at reception) is not the shelter's, or 県外. */
  outside: number;
}
const countKeys = [
  'age0to14',
  'age15to64',
  'age65to74',
  'age75plus',
  'ageUnknown',
  'counted',
  'careYes',
  'careNo',
  'careUnknown',
  'outside',
] as const;

/**
 * The checked-in households' counted attributes (checkin-attributes.ts) in the shelters' municipalities:
 * per shelter, their sum for the scope, and people by shelter municipality and home municipality where
 * reception was told one other than the shelter's. Counts only.
 */
export async function evacueeAttributes(db: Db, municipalities: string[]) {
  const byShelter = new Map<string, AttributeCounts>();
  if (!municipalities.length) return { ages: undefined, byShelter, outside: [] };
  const c = disasterCheckins;
  const open = and(isNull(c.checkedOutAt), inArray(c.municipality, municipalities));
  const sum = (col: AnyColumn) => sql<number>`coalesce(sum(${col}), 0)::int`;
  const away = sql`${c.homeMunicipality} is not null and ${c.homeMunicipality} <> ${c.municipality}`;
  const rows = await db
    .select({
      shelterId: c.shelterId,
      age0to14: sum(c.age0to14),
      age15to64: sum(c.age15to64),
      age65to74: sum(c.age65to74),
      age75plus: sum(c.age75plus),
      ageUnknown: sum(c.ageUnknown),
      counted: sql<number>`count(${c.ageUnknown})::int`,
      careYes: sql<number>`count(*) filter (where ${c.needsCare})::int`,
      careNo: sql<number>`count(*) filter (where not ${c.needsCare})::int`,
      careUnknown: sql<number>`count(*) filter (where ${c.needsCare} is null)::int`,
      outside: sql<number>`coalesce(sum(${c.people}) filter (where ${away}), 0)::int`,
    })
    .from(c)
    .where(open)
    .groupBy(c.shelterId);
  const ages = Object.fromEntries(countKeys.map((k) => [k, 0])) as unknown as AttributeCounts;
  for (const { shelterId, ...counts } of rows) {
    byShelter.set(shelterId, counts);
    for (const k of countKeys) ages[k] += counts[k];
  }
  const outside = await db
    .select({ municipality: c.municipality, home: c.homeMunicipality, people: sql<number>`sum(${c.people})::int` })
    .from(c)
    .where(and(open, away))
    .groupBy(c.municipality, c.homeMunicipality)
    .orderBy(asc(c.municipality), asc(c.homeMunicipality));
  return { ages, byShelter, outside: outside as { municipality: string; home: string; people: number }[] };
}
