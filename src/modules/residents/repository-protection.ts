// SQL of the staff data-protection page: consent counts, the access log and its bulk-read alert,
// and one resident's rows for a disclosure (開示). Values stay sealed here; protection.ts opens them.
import { and, count, desc, eq, gte, gt, isNotNull, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { accessLog, consentRecords, residentAccounts } from './schema.ts';

export type AccessLogRow = typeof accessLog.$inferSelect;
export type ConsentRow = typeof consentRecords.$inferSelect;

/** Per purpose and recipient: consents in force, withdrawn, and lapsed without withdrawal. */
export function consentCountRows(db: Db) {
  const c = consentRecords;
  return db
    .select({
      purposeId: c.purposeId,
      recipientId: c.recipientId,
      given: sql<number>`count(*) filter (where ${isNull(c.withdrawnAt)} and ${gt(c.expiresAt, sql`now()`)})`.mapWith(Number),
      withdrawn: sql<number>`count(*) filter (where ${isNotNull(c.withdrawnAt)})`.mapWith(Number),
      expired: sql<number>`count(*) filter (where ${isNull(c.withdrawnAt)} and ${lte(c.expiresAt, sql`now()`)})`.mapWith(Number),
    })
    .from(c)
    .groupBy(c.purposeId, c.recipientId)
    .orderBy(c.purposeId, c.recipientId);
}

export interface AccessLogFilter {
  organisationId?: string;
  purposeId?: string;
  allowed?: boolean;
  /** ISO instants, from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

const where = (f: AccessLogFilter): SQL | undefined =>
  and(
    f.organisationId === undefined ? undefined : eq(accessLog.organisationId, f.organisationId),
    f.purposeId === undefined ? undefined : eq(accessLog.purposeId, f.purposeId),
    f.allowed === undefined ? undefined : eq(accessLog.allowed, f.allowed),
    f.from === undefined ? undefined : gte(accessLog.at, new Date(f.from)),
    f.to === undefined ? undefined : lt(accessLog.at, new Date(f.to)),
  );

export const searchAccessLogRows = (db: Db, f: AccessLogFilter, page: { limit: number; offset: number }) =>
  db.select().from(accessLog).where(where(f)).orderBy(desc(accessLog.at), desc(accessLog.id)).limit(page.limit).offset(page.offset);

/**
 * Actors who read more than `threshold` distinct residents in some hour since `since`: each read
 * opens a window of the hour that follows it (a self-join, so the window slides rather than
 * following the clock's hours).
 */
export async function bulkReadRows(db: Db, threshold: number, since: Date) {
  const result = await db.execute<{
    actor_kind: string;
    actor_id: string;
    organisation_id: string | null;
    started: string;
    residents: number | string;
  }>(sql`
    select distinct on (a.actor_id) a.actor_kind, a.actor_id, a.organisation_id, a.at as started, count(distinct b.resident_id) as residents
    from ${accessLog} a
    join ${accessLog} b on b.actor_id = a.actor_id and b.at >= a.at and b.at < a.at + interval '1 hour' and b.allowed
    where a.at >= ${since} and a.allowed and a.actor_kind <> 'resident'
    group by a.id, a.actor_kind, a.actor_id, a.organisation_id, a.at
    having count(distinct b.resident_id) > ${threshold}
    order by a.actor_id, count(distinct b.resident_id) desc, a.at`);
  return result.rows.map((r) => ({
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    organisationId: r.organisation_id,
    started: new Date(r.started).toISOString(),
    residents: Number(r.residents),
  }));
}

export async function accountExists(db: Db, residentId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(residentAccounts)
    .where(and(eq(residentAccounts.id, residentId), eq(residentAccounts.status, 'active')));
  return (row?.n ?? 0) > 0;
}

export const consentRowsOf = (db: Db, residentId: string) =>
  db.select().from(consentRecords).where(eq(consentRecords.residentId, residentId)).orderBy(consentRecords.givenAt);

export const accessLogRowsOf = (db: Db, residentId: string) =>
  db.select().from(accessLog).where(eq(accessLog.residentId, residentId)).orderBy(accessLog.at);

/**
 * 削除 on request: the personal data and sessions go, the account row stays emptied ('deleted');
 * consent records and the access log are kept (docs/personal-data.md says why and how long).
 */
