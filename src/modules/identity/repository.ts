// The identity module's only SQL.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { oidcPayloads, platformSecrets, signInSteps, staffAccounts } from './schema.ts';

export type StaffAccount = typeof staffAccounts.$inferSelect;

export async function findAccountById(db: Db, id: string): Promise<StaffAccount | undefined> {
  const [row] = await db.select().from(staffAccounts).where(eq(staffAccounts.id, id));
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
  await db.update(staffAccounts).set({ failedAttempts: 0, lockedUntil: null }).where(eq(staffAccounts.id, id));
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

export const listAccounts = (db: Db) => db.select().from(staffAccounts);

/** The broker clients registered (their secrets are never shown again). */
export async function listBrokerClients(db: Db) {
  return (await findPayloads(db, 'Client'))
    .filter((r) => typeof r.payload.broker_scope === 'string')
    .map((r) => ({ clientId: r.id, name: String(r.payload.client_name ?? ''), scope: String(r.payload.broker_scope) }));
}
