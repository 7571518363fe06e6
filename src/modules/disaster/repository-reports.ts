// 写真投稿's SQL (disaster_reports, schema-reports.ts).
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { STAFF_VERSION, bumpVersion } from './repository.ts';
import { disasterReports } from './schema-reports.ts';

// Every write bumps the staff data version: the dashboard shows a new or decided report at once.
export const insertReport = (db: Db, row: typeof disasterReports.$inferInsert) =>
  db.transaction(async (tx) => {
    await tx.insert(disasterReports).values(row).onConflictDoNothing();
    await bumpVersion(tx, STAFF_VERSION);
  });

export async function findByClient(db: Db, residentId: string, clientId: string) {
  const [row] = await db
    .select({ id: disasterReports.id })
    .from(disasterReports)
    .where(and(eq(disasterReports.residentId, residentId), eq(disasterReports.clientId, clientId)));
  return row?.id;
}

/** The report's status and municipality, locked for the decision's transaction. */
export async function lockReport(tx: Db, id: string) {
  const [row] = await tx
    .select({ status: disasterReports.status, municipality: disasterReports.municipality })
    .from(disasterReports)
    .where(eq(disasterReports.id, id))
    .for('update');
  return row;
}

export async function setDecision(tx: Db, id: string, d: { status: string; reason: string | null; decidedBy: string; decidedAt: string }) {
  await tx.update(disasterReports).set(d).where(eq(disasterReports.id, id));
  await bumpVersion(tx, STAFF_VERSION);
}

export async function findImage(db: Db, id: string) {
  const [row] = await db
    .select({
      image: disasterReports.image,
      hash: disasterReports.imageHash,
      status: disasterReports.status,
      municipality: disasterReports.municipality,
      residentId: disasterReports.residentId,
    })
    .from(disasterReports)
    .where(eq(disasterReports.id, id));
  return row;
}

const listed = {
  id: disasterReports.id,
  municipality: disasterReports.municipality,
  lon: disasterReports.lon,
  lat: disasterReports.lat,
  locationSource: disasterReports.locationSource,
  category: disasterReports.category,
  note: disasterReports.note,
  takenAt: disasterReports.takenAt,
  createdAt: disasterReports.createdAt,
  status: disasterReports.status,
  reason: disasterReports.reason,
  decidedAt: disasterReports.decidedAt,
  width: disasterReports.width,
  height: disasterReports.height,
};
export type ReportRow = { [K in keyof typeof listed]: (typeof disasterReports.$inferSelect)[K] };

/** The reports staff see: the municipalities they moderate (all: undefined), pending first, newest first. */
export function staffReports(db: Db, municipalities: string[] | undefined, limit = 200): Promise<ReportRow[]> {
  if (municipalities?.length === 0) return Promise.resolve([]);
  return db
    .select(listed)
    .from(disasterReports)
    .where(municipalities ? inArray(disasterReports.municipality, municipalities) : undefined)
    .orderBy(sql`${disasterReports.status} = 'pending' desc`, desc(disasterReports.createdAt))
    .limit(limit);
}

/** A resident's own reports and their status (the 罹災証明書 application can take them later). */
export function ownReports(db: Db, residentId: string): Promise<ReportRow[]> {
  return db.select(listed).from(disasterReports).where(eq(disasterReports.residentId, residentId)).orderBy(desc(disasterReports.createdAt));
}

/** Approved reports, newest first; a municipality's or all. */
export function publishedReports(db: Db, municipality?: string, limit = 500): Promise<ReportRow[]> {
  return db
    .select(listed)
    .from(disasterReports)
    .where(and(eq(disasterReports.status, 'approved'), municipality ? eq(disasterReports.municipality, municipality) : undefined))
    .orderBy(desc(disasterReports.decidedAt))
    .limit(limit);
}

/** Account deletion (residents' deletedWithAccount): the resident's reports, published ones too, go with the account. */
export async function deleteReportsOf(tx: Db, residentId: string) {
  await tx.delete(disasterReports).where(eq(disasterReports.residentId, residentId));
  await bumpVersion(tx, STAFF_VERSION);
}
