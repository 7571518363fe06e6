// The identity module's only SQL.
import { and, count, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import {
  accountLinks,
  oidcPayloads,
  platformSecrets,
  recoveryCodes,
  signInEvents,
  signInSteps,
  staffAccounts,
  type LinkPurpose,
  type SignInMethod,
} from './schema.ts';

export type StaffAccount = typeof staffAccounts.$inferSelect;

export async function findAccountById(db: Db, id: string, lock = false): Promise<StaffAccount | undefined> {
  const q = db.select().from(staffAccounts).where(eq(staffAccounts.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function findAccountByEmail(db: Db, email: string): Promise<StaffAccount | undefined> {
  const [row] = await db.select().from(staffAccounts).where(eq(staffAccounts.email, email.toLowerCase()));
  return row;
}

export async function insertAccount(db: Db, row: typeof staffAccounts.$inferInsert) {
  await db.insert(staffAccounts).values({ ...row, email: row.email.toLowerCase() });
}

export async function recordFailedLogin(db: Db, id: string, lockAfter: number, lockMinutes: number) {
  await db
    .update(staffAccounts)
    .set({
      failedAttempts: sql`${staffAccounts.failedAttempts} + 1`,
      lockedUntil: sql`case when ${staffAccounts.failedAttempts} + 1 >= ${lockAfter} then now() + make_interval(mins => ${lockMinutes}) else ${staffAccounts.lockedUntil} end`,
    })
    .where(eq(staffAccounts.id, id));
}

export async function recordSuccessfulLogin(db: Db, id: string) {
  await db
    .update(staffAccounts)
    .set({ failedAttempts: 0, lockedUntil: null, lastSignInAt: sql`now()` })
    .where(eq(staffAccounts.id, id));
}

export async function updateAccount(db: Db, id: string, set: Partial<typeof staffAccounts.$inferInsert>) {
  await db.update(staffAccounts).set(set).where(eq(staffAccounts.id, id));
}

/**
 * Takes the TOTP step if it is later than the last one taken: false for a replayed code. One
 * conditional update, so of two requests with the same code exactly one wins (the other waits on the row, then finds the step taken).
 */
export async function claimTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const taken = await db
    .update(staffAccounts)
    .set({ totpLastStep: step })
    .where(and(eq(staffAccounts.id, id), or(isNull(staffAccounts.totpLastStep), lt(staffAccounts.totpLastStep, step))))
    .returning({ id: staffAccounts.id });
  return taken.length === 1;
}

export async function countAccounts(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(staffAccounts);
  return row!.n;
}

/** Kept per account: the own page shows the last few, and guesses at a password must not grow the table without end. */
const KEPT_SIGN_IN_EVENTS = 100;

export async function recordSignInEvent(db: Db, accountId: string, method: SignInMethod, success: boolean) {
  const [row] = await db.insert(signInEvents).values({ accountId, method, success }).returning({ id: signInEvents.id });
  if (row!.id % 20 === 0)
    await db
      .delete(signInEvents)
      .where(
        and(
          eq(signInEvents.accountId, accountId),
          lt(
            signInEvents.id,
            sql`(select id from ${signInEvents} where ${signInEvents.accountId} = ${accountId} order by id desc offset ${KEPT_SIGN_IN_EVENTS - 1} limit 1)`,
          ),
        ),
      );
}

export const recentSignIns = (db: Db, accountId: string, limit: number) =>
  db.select().from(signInEvents).where(eq(signInEvents.accountId, accountId)).orderBy(desc(signInEvents.id)).limit(limit);

// One-time links (tokens by their hash only).
export async function insertLink(db: Db, row: Omit<typeof accountLinks.$inferInsert, 'expiresAt'> & { hours: number }) {
  const { hours, ...link } = row;
  // A new link replaces the account's unused ones (a second reset makes the first link useless).
  if (link.accountId) await db.delete(accountLinks).where(and(eq(accountLinks.accountId, link.accountId), isNull(accountLinks.usedAt)));
  await db.insert(accountLinks).values({ ...link, expiresAt: sql`now() + make_interval(hours => ${hours})` });
}

export type AccountLink = typeof accountLinks.$inferSelect & { expired: boolean };

/** The link whatever its state (used, expired), so its page can say which; `for update` inside a command. */
export async function findLink(db: Db, tokenHash: string, lock = false): Promise<AccountLink | undefined> {
  const q = db
    .select({ link: accountLinks, expired: sql<boolean>`${accountLinks.expiresAt} <= now()` })
    .from(accountLinks)
    .where(eq(accountLinks.tokenHash, tokenHash));
  const [row] = lock ? await q.for('update') : await q;
  return row && { ...row.link, expired: row.expired };
}

export async function markLinkUsed(db: Db, tokenHash: string) {
  await db
    .update(accountLinks)
    .set({ usedAt: sql`now()` })
    .where(eq(accountLinks.tokenHash, tokenHash));
}

/** Setup links are for an empty installation: a new one replaces the others. */
export async function deleteSetupLinks(db: Db) {
  await db.delete(accountLinks).where(eq(accountLinks.purpose, 'setup' satisfies LinkPurpose));
}

// Recovery codes (by their hash only).
export async function replaceRecoveryCodes(db: Db, accountId: string, hashes: string[]) {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId));
  if (hashes.length) await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ accountId, codeHash })));
}

/** Marks the code used if it is one of the account's unused ones; answers whether it was. */
export async function useRecoveryCode(db: Db, accountId: string, codeHash: string): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.accountId, accountId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ codeHash: recoveryCodes.codeHash });
  return used.length === 1;
}

export async function remainingRecoveryCodes(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)));
  return row!.n;
}

/** Ends the account's sessions at the common ID, so a disabled or reset account is asked for credentials again. */
export async function endProviderSessions(db: Db, accountId: string) {
  await db.delete(oidcPayloads).where(and(eq(oidcPayloads.kind, 'Session'), sql`${oidcPayloads.payload}->>'accountId' = ${accountId}`));
}

// The step between password and TOTP code, kept where every server process finds it.
export async function savePasswordStep(db: Db, uid: string, accountId: string, minutes: number) {
  const expiresAt = sql`now() + make_interval(mins => ${minutes})`;
  await db.delete(signInSteps).where(lt(signInSteps.expiresAt, sql`now()`));
  await db
    .insert(signInSteps)
    .values({ uid, accountId, expiresAt })
    .onConflictDoUpdate({ target: signInSteps.uid, set: { accountId, expiresAt } });
}

/** The account whose password was accepted in this interaction, while the step has not expired. */
export async function findPasswordStep(db: Db, uid: string): Promise<string | undefined> {
  const [row] = await db
    .select({ accountId: signInSteps.accountId })
    .from(signInSteps)
    .where(and(eq(signInSteps.uid, uid), gt(signInSteps.expiresAt, sql`now()`)));
  return row?.accountId;
}

export async function endPasswordStep(db: Db, uid: string) {
  await db.delete(signInSteps).where(eq(signInSteps.uid, uid));
}

/** A secret made once and kept: the first caller's value wins, so several processes agree. */
export async function secret<T>(db: Db, name: string, make: () => T): Promise<T> {
  await db.insert(platformSecrets).values({ name, value: make() }).onConflictDoNothing();
  const [row] = await db.select().from(platformSecrets).where(eq(platformSecrets.name, name));
  return row!.value as T;
}

/** A secret's value, its row locked for the transaction: a rotation reads and replaces it as one change. */
export async function lockedSecret<T>(db: Db, name: string): Promise<T | undefined> {
  const [row] = await db.select().from(platformSecrets).where(eq(platformSecrets.name, name)).for('update');
  return row?.value as T | undefined;
}

export async function setSecret(db: Db, name: string, value: unknown) {
  await db.insert(platformSecrets).values({ name, value }).onConflictDoUpdate({ target: platformSecrets.name, set: { value } });
}

// oidc-provider storage.
export async function upsertPayload(db: Db, row: typeof oidcPayloads.$inferInsert) {
  await db
    .insert(oidcPayloads)
    .values(row)
    .onConflictDoUpdate({
      target: [oidcPayloads.kind, oidcPayloads.id],
      set: { payload: row.payload, expiresAt: row.expiresAt, grantId: row.grantId, uid: row.uid, userCode: row.userCode },
    });
}

export async function findPayload(db: Db, kind: string, where: { id?: string; uid?: string; userCode?: string }) {
  const cond = where.id
    ? eq(oidcPayloads.id, where.id)
    : where.uid
      ? eq(oidcPayloads.uid, where.uid)
      : eq(oidcPayloads.userCode, where.userCode!);
  const [row] = await db
    .select()
    .from(oidcPayloads)
    .where(and(eq(oidcPayloads.kind, kind), cond, sql`(${oidcPayloads.expiresAt} is null or ${oidcPayloads.expiresAt} > now())`));
  return row;
}

/** Every payload of a kind that does not expire (registered clients). */
export const findPayloads = (db: Db, kind: string) =>
  db
    .select()
    .from(oidcPayloads)
    .where(and(eq(oidcPayloads.kind, kind), sql`${oidcPayloads.expiresAt} is null`));

export async function consumePayload(db: Db, kind: string, id: string) {
  await db
    .update(oidcPayloads)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(oidcPayloads.kind, kind), eq(oidcPayloads.id, id)));
}

export async function destroyPayload(db: Db, kind: string, id: string) {
  await db.delete(oidcPayloads).where(and(eq(oidcPayloads.kind, kind), eq(oidcPayloads.id, id)));
}

export async function revokeGrant(db: Db, grantId: string) {
  await db.delete(oidcPayloads).where(eq(oidcPayloads.grantId, grantId));
}

export const listAccounts = (db: Db) => db.select().from(staffAccounts).orderBy(staffAccounts.createdAt, staffAccounts.email);

/** The broker clients registered (their secrets are never shown again). */
export async function listBrokerClients(db: Db) {
  return (await findPayloads(db, 'Client'))
    .filter((r) => typeof r.payload.broker_scope === 'string')
    .map((r) => ({ clientId: r.id, name: String(r.payload.client_name ?? ''), scope: String(r.payload.broker_scope) }));
}
