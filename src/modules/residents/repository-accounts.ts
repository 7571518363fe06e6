// SQL of resident accounts' sign-up and sign-in: sealed values in, sealed values out.
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { residentAccounts, residentSignInSteps, residentSignUpLinks } from './schema.ts';

export async function findAccountByLookup(db: Db, emailLookup: string) {
  const [row] = await db.select().from(residentAccounts).where(eq(residentAccounts.emailLookup, emailLookup));
  return row;
}

export async function insertSignUpLink(db: Db, row: typeof residentSignUpLinks.$inferInsert) {
  await db.insert(residentSignUpLinks).values(row);
}

export async function findSignUpLink(db: Db, tokenHash: string) {
  const [row] = await db.select().from(residentSignUpLinks).where(eq(residentSignUpLinks.tokenHash, tokenHash));
  return row;
}

/** Keeps the first secret: two tabs opening the link at once show the same QR code. */
export async function setLinkTotpSecret(db: Db, tokenHash: string, sealed: string) {
  await db
    .update(residentSignUpLinks)
    .set({ totpSecret: sealed })
    .where(and(eq(residentSignUpLinks.tokenHash, tokenHash), isNull(residentSignUpLinks.totpSecret)));
}

/** Marks the link used if it still was not: false when another request used it first. */
export async function useSignUpLink(db: Db, tokenHash: string) {
  const used = await db
    .update(residentSignUpLinks)
    .set({ usedAt: sql`now()` })
    .where(
      and(eq(residentSignUpLinks.tokenHash, tokenHash), isNull(residentSignUpLinks.usedAt), gt(residentSignUpLinks.expiresAt, sql`now()`)),
    )
    .returning({ tokenHash: residentSignUpLinks.tokenHash });
  return used.length === 1;
}

export async function insertActiveAccount(db: Db, row: typeof residentAccounts.$inferInsert) {
  await db.insert(residentAccounts).values({ ...row, emailVerifiedAt: sql`now()` });
}

export async function insertSignInStep(db: Db, row: typeof residentSignInSteps.$inferInsert) {
  await db.insert(residentSignInSteps).values(row);
}

/** The waiting step, removed as it is read: a code is tried once per accepted password step only while it lives. */
export async function findSignInStep(db: Db, tokenHash: string) {
  const [row] = await db
    .select()
    .from(residentSignInSteps)
    .where(and(eq(residentSignInSteps.tokenHash, tokenHash), gt(residentSignInSteps.expiresAt, sql`now()`)));
  return row;
}

export async function deleteSignInStep(db: Db, tokenHash: string) {
  await db.delete(residentSignInSteps).where(eq(residentSignInSteps.tokenHash, tokenHash));
}

/** Takes the TOTP step if it is later than the last one taken: false for a replayed code (one conditional update, so concurrent requests cannot both win). */
export async function claimTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const taken = await db
    .update(residentAccounts)
    .set({ totpLastStep: step })
    .where(and(eq(residentAccounts.id, id), or(isNull(residentAccounts.totpLastStep), lt(residentAccounts.totpLastStep, step))))
    .returning({ id: residentAccounts.id });
  return taken.length === 1;
}

export async function findActiveAccount(db: Db, id: string) {
  const [row] = await db
    .select()
    .from(residentAccounts)
    .where(and(eq(residentAccounts.id, id), eq(residentAccounts.status, 'active')));
  return row;
}
