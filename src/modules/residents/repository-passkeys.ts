// The SQL of residents' passkeys and their WebAuthn challenges.
import { and, asc, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { passkeyChallenges, residentAccounts, residentPasskeys } from './schema.ts';

export type PasskeyRow = typeof residentPasskeys.$inferSelect;
export type ChallengeKind = 'register' | 'sign-in';

/**
 * Keeps a challenge for `seconds`; answered or expired ones are gone, and a registration replaces
 * the resident's earlier one, so the table stays small.
 */
export async function insertChallenge(
  db: Db,
  row: { challenge: string; kind: ChallengeKind; binding: string; userHandle?: string },
  seconds: number,
) {
  const replaced =
    row.kind === 'register' ? and(eq(passkeyChallenges.kind, 'register'), eq(passkeyChallenges.binding, row.binding)) : undefined;
  await db.delete(passkeyChallenges).where(or(lt(passkeyChallenges.expiresAt, sql`now()`), replaced));
  await db.insert(passkeyChallenges).values({ ...row, expiresAt: sql`now() + make_interval(secs => ${seconds})` });
}

/** Takes a live challenge out (single use): a second answer to it finds nothing. */
export async function consumeChallenge(db: Db, challenge: string, kind: ChallengeKind, binding: string) {
  const [row] = await db
    .delete(passkeyChallenges)
    .where(
      and(
        eq(passkeyChallenges.challenge, challenge),
        eq(passkeyChallenges.kind, kind),
        eq(passkeyChallenges.binding, binding),
        gt(passkeyChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning({ challenge: passkeyChallenges.challenge, userHandle: passkeyChallenges.userHandle });
  return row;
}

export const listPasskeys = (db: Db, residentId: string) =>
  db.select().from(residentPasskeys).where(eq(residentPasskeys.residentId, residentId)).orderBy(asc(residentPasskeys.createdAt));

/** Inserts a new passkey; false when its credential id is registered already (to anyone). */
export async function insertPasskey(db: Db, row: typeof residentPasskeys.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(residentPasskeys).values(row).onConflictDoNothing().returning({ id: residentPasskeys.id });
  return inserted.length === 1;
}

/** A passkey of an active account, by credential id. */
export async function findPasskeyForSignIn(db: Db, credentialId: string): Promise<PasskeyRow | undefined> {
  const [row] = await db
    .select({ passkey: residentPasskeys })
    .from(residentPasskeys)
    .innerJoin(residentAccounts, eq(residentAccounts.id, residentPasskeys.residentId))
    .where(and(eq(residentPasskeys.credentialId, credentialId), eq(residentAccounts.status, 'active')));
  return row?.passkey;
}

export async function recordPasskeyUse(db: Db, id: string, counter: number) {
  await db
    .update(residentPasskeys)
    .set({ counter, lastUsedAt: sql`now()` })
    .where(eq(residentPasskeys.id, id));
}

/** Deletes one of the resident's passkeys; false when there is none of that id for this resident. */
export async function deletePasskey(db: Db, residentId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(residentPasskeys)
    .where(and(eq(residentPasskeys.id, id), eq(residentPasskeys.residentId, residentId)))
    .returning({ id: residentPasskeys.id });
  return deleted.length === 1;
}

export async function deleteResidentPasskeys(db: Db, residentId: string) {
  await db.delete(residentPasskeys).where(eq(residentPasskeys.residentId, residentId));
}
