// SQL of マイナンバーカード sign-in: the links from an upstream identity to a resident account.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { residentAccounts, residentIdentityLinks } from './schema.ts';

export type IdentityLink = typeof residentIdentityLinks.$inferSelect;
export type Assurance = Pick<IdentityLink, 'issuer' | 'acr' | 'amr' | 'authTime'>;

export async function findLink(db: Db, provider: string, subjectHmac: string) {
  const [row] = await db
    .select()
    .from(residentIdentityLinks)
    .where(and(eq(residentIdentityLinks.provider, provider), eq(residentIdentityLinks.subjectHmac, subjectHmac)));
  return row;
}

/** The account and its link in one transaction: a half-made account never exists. */
export async function insertAccountWithLink(db: Db, residentId: string, provider: string, subjectHmac: string, a: Assurance) {
  await db.transaction(async (tx) => {
    await tx.insert(residentAccounts).values({ id: residentId });
    await tx.insert(residentIdentityLinks).values({ provider, subjectHmac, residentId, ...a });
  });
}

export async function recordAssurance(db: Db, provider: string, subjectHmac: string, a: Assurance) {
  await db
    .update(residentIdentityLinks)
    .set({ ...a, verifiedAt: new Date() })
    .where(and(eq(residentIdentityLinks.provider, provider), eq(residentIdentityLinks.subjectHmac, subjectHmac)));
}

export async function latestVerification(db: Db, residentId: string) {
  const [row] = await db
    .select({ verifiedAt: residentIdentityLinks.verifiedAt, acr: residentIdentityLinks.acr })
    .from(residentIdentityLinks)
    .where(eq(residentIdentityLinks.residentId, residentId))
    .orderBy(desc(residentIdentityLinks.verifiedAt))
    .limit(1);
  return row;
}

export async function deleteIdentityLinks(db: Db, residentId: string) {
  await db.delete(residentIdentityLinks).where(eq(residentIdentityLinks.residentId, residentId));
}
