// 罹災証明書's SQL (disaster_certificates, disaster_certificate_verifications: schema-certificates.ts).
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db.ts';
import { disasterCertificates as t, disasterCertificateVerifications as v } from '../schema-certificates.ts';

export type CertificateRow = typeof t.$inferSelect;

export const insertCertificate = (db: Db, row: typeof t.$inferInsert) => db.insert(t).values(row);

export async function findCertificate(db: Db, id: string): Promise<CertificateRow | undefined> {
  const [row] = await db.select().from(t).where(eq(t.id, id));
  return row;
}

/** The row, locked for a step's transaction. */
export async function lockCertificate(tx: Db, id: string): Promise<CertificateRow | undefined> {
  const [row] = await tx.select().from(t).where(eq(t.id, id)).for('update');
  return row;
}

export const updateCertificate = (tx: Db, id: string, set: Partial<typeof t.$inferInsert>) => tx.update(t).set(set).where(eq(t.id, id));

export const ownCertificates = (db: Db, residentId: string) =>
  db.select().from(t).where(eq(t.residentId, residentId)).orderBy(desc(t.createdAt));

/** The applications staff see: their municipalities' (all: undefined), the open ones first, oldest first among them. */
export function staffCertificates(db: Db, municipalities: string[] | undefined, limit = 300): Promise<CertificateRow[]> {
  if (municipalities?.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(t)
    .where(municipalities ? inArray(t.municipality, municipalities) : undefined)
    .orderBy(sql`${t.status} = 'issued'`, t.createdAt)
    .limit(limit);
}

export const insertVerification = (tx: Db, row: typeof v.$inferInsert) => tx.insert(v).values(row);

export async function findVerification(db: Db, code: string) {
  const [row] = await db.select().from(v).where(eq(v.code, code));
  return row;
}

/** Applications per municipality and status (of the accounts that still exist). */
export const applicationCounts = (db: Db) =>
  db.select({ municipality: t.municipality, status: t.status, n: count() }).from(t).groupBy(t.municipality, t.status);

/** Certificates issued per municipality: from the verification records, which outlive the accounts. */
export const issuedCounts = (db: Db) => db.select({ municipality: v.municipality, n: count() }).from(v).groupBy(v.municipality);

/** Account deletion (residents' deletedWithAccount): the applications go; verification records stay (no personal data). */
export const deleteCertificatesOf = (tx: Db, residentId: string) => tx.delete(t).where(eq(t.residentId, residentId));

export const certificateOf = (db: Db, id: string, residentId: string) =>
  db
    .select()
    .from(t)
    .where(and(eq(t.id, id), eq(t.residentId, residentId)))
    .then((r) => r[0]);
