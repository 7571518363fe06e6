// The consent gate's SQL: the consents and legal bases it checks, the access log it writes, and
// the legal-basis records staff make. Validity is decided here, against the database's now().
import { and, arrayContains, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { accessLog, consentRecords, legalBasisRecords, residentProfiles } from './schema.ts';

// jsonb @> keeps "categories ⊇ asked" in one index-free comparison, the same on PGlite and PostgreSQL.
const covers = (column: typeof consentRecords.categories | typeof legalBasisRecords.categories, asked: readonly string[]) =>
  arrayContains(column, sql`${JSON.stringify(asked)}::jsonb`);

/** A consent given for this purpose (at this version) and recipient, covering the categories, neither withdrawn nor expired. */
/** A legal basis for this organisation and purpose, in force now, naming the resident or the resident's municipality. */
export async function findValidLegalBasis(
  db: Db,
  q: { residentId: string; organisationId: string; purposeId: string; categories: readonly string[] },
) {
  const municipality = db
    .select({ code: residentProfiles.municipalityCode })
    .from(residentProfiles)
    .where(eq(residentProfiles.residentId, q.residentId));
  const [row] = await db
    .select({ id: legalBasisRecords.id })
    .from(legalBasisRecords)
    .where(
      and(
        eq(legalBasisRecords.organisationId, q.organisationId),
        eq(legalBasisRecords.purposeId, q.purposeId),
        lte(legalBasisRecords.validFrom, sql`now()`),
        gt(legalBasisRecords.validUntil, sql`now()`),
        or(eq(legalBasisRecords.residentId, q.residentId), sql`${legalBasisRecords.municipalityCode} in (${municipality})`),
        covers(legalBasisRecords.categories, q.categories),
      ),
    )
    .orderBy(desc(legalBasisRecords.createdAt))
    .limit(1);
  return row;
}

export async function insertAccessLog(db: Db, row: typeof accessLog.$inferInsert) {
  await db.insert(accessLog).values(row);
}

/** Many rows in one statement (held.ts openEach). */
export async function insertAccessLogRows(db: Db, rows: (typeof accessLog.$inferInsert)[]) {
  await db.insert(accessLog).values(rows);
}

export async function insertLegalBasis(db: Db, row: typeof legalBasisRecords.$inferInsert) {
  await db.insert(legalBasisRecords).values(row);
}

/** Legal-basis records, newest first; for the staff list (dataprot's pages). */
export const listLegalBasisRows = (db: Db) => db.select().from(legalBasisRecords).orderBy(desc(legalBasisRecords.createdAt));

/** The reads of one resident's data by others (their own reads are not shown), newest first, with the legal basis' reason. */
export async function listAccessLogOf(db: Db, residentId: string, limit: number) {
  return db
    .select({
      at: accessLog.at,
      actorKind: accessLog.actorKind,
      organisationId: accessLog.organisationId,
      purposeId: accessLog.purposeId,
      categories: accessLog.categories,
      basis: accessLog.basis,
      allowed: accessLog.allowed,
      channel: accessLog.channel,
      legalBasis: legalBasisRecords.legalBasis,
      reason: legalBasisRecords.reason,
    })
    .from(accessLog)
    .leftJoin(legalBasisRecords, eq(legalBasisRecords.id, accessLog.legalBasisId))
    .where(and(eq(accessLog.residentId, residentId), sql`${accessLog.actorKind} <> 'resident'`))
    .orderBy(desc(accessLog.at), desc(accessLog.id))
    .limit(limit);
}

/** Residents with a consent valid now for the purpose (at this version) and recipient, with the categories it covers. */
export async function listConsentedResidents(db: Db, q: { purposeId: string; version: number; recipientId: string }) {
  return db
    .selectDistinctOn([consentRecords.residentId], { residentId: consentRecords.residentId, categories: consentRecords.categories })
    .from(consentRecords)
    .where(
      and(
        eq(consentRecords.purposeId, q.purposeId),
        eq(consentRecords.purposeVersion, q.version),
        eq(consentRecords.recipientId, q.recipientId),
        isNull(consentRecords.withdrawnAt),
        gt(consentRecords.expiresAt, sql`now()`),
      ),
    )
    .orderBy(consentRecords.residentId, desc(consentRecords.givenAt));
}

/** Residents a legal basis valid now covers for the organisation and purpose (by id or municipality), with its categories. */
export async function listLegallyCoveredResidents(db: Db, q: { organisationId: string; purposeId: string }) {
  return db
    .selectDistinctOn([residentProfiles.residentId], { residentId: residentProfiles.residentId, categories: legalBasisRecords.categories })
    .from(legalBasisRecords)
    .innerJoin(
      residentProfiles,
      or(
        eq(residentProfiles.residentId, legalBasisRecords.residentId),
        eq(residentProfiles.municipalityCode, legalBasisRecords.municipalityCode),
      ),
    )
    .where(
      and(
        eq(legalBasisRecords.organisationId, q.organisationId),
        eq(legalBasisRecords.purposeId, q.purposeId),
        lte(legalBasisRecords.validFrom, sql`now()`),
        gt(legalBasisRecords.validUntil, sql`now()`),
      ),
    )
    .orderBy(residentProfiles.residentId, desc(legalBasisRecords.createdAt));
}
