// The broker's SQL for context source registrations (beside repository.ts, which holds the rest).
import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { RegistrationBody, StoredRegistration } from './registration.ts';
import { brokerRegistrations } from './schema.ts';

type Row = typeof brokerRegistrations.$inferSelect;
const iso = (s: string | null) => (s === null ? null : new Date(s).toISOString());
const toRegistration = (r: Row): StoredRegistration => ({
  body: r.body,
  expiresAt: iso(r.expiresAt),
  createdAt: iso(r.createdAt)!,
  modifiedAt: iso(r.modifiedAt)!,
});

export interface RegistrationWrite {
  body: RegistrationBody;
  expiresAt: string | null;
}

/** Inserts a registration; false when its id is taken in the tenant. */
export async function insertRegistration(db: Db, tenant: string, r: RegistrationWrite, at: string): Promise<boolean> {
  const rows = await db
    .insert(brokerRegistrations)
    .values({ tenant, id: r.body.id, body: r.body, expiresAt: r.expiresAt, createdAt: at, modifiedAt: at })
    .onConflictDoNothing()
    .returning({ id: brokerRegistrations.id });
  return rows.length > 0;
}

export async function findRegistration(db: Db, tenant: string, id: string, forUpdate = false): Promise<StoredRegistration | undefined> {
  const q = db
    .select()
    .from(brokerRegistrations)
    .where(and(eq(brokerRegistrations.tenant, tenant), eq(brokerRegistrations.id, id)));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r && toRegistration(r);
}

/** The tenant's registrations that have not expired at `at`, in id order. */
export async function liveRegistrations(db: Db, tenant: string, at: string): Promise<StoredRegistration[]> {
  const rows = await db
    .select()
    .from(brokerRegistrations)
    .where(and(eq(brokerRegistrations.tenant, tenant), or(isNull(brokerRegistrations.expiresAt), gt(brokerRegistrations.expiresAt, at))))
    .orderBy(asc(brokerRegistrations.id));
  return rows.map(toRegistration);
}

export async function updateRegistration(db: Db, tenant: string, r: RegistrationWrite, at: string) {
  await db
    .update(brokerRegistrations)
    .set({ body: r.body, expiresAt: r.expiresAt, modifiedAt: at })
    .where(and(eq(brokerRegistrations.tenant, tenant), eq(brokerRegistrations.id, r.body.id)));
}

/** Deletes a registration; returns it as it was, or undefined when there was none. */
export async function deleteRegistration(db: Db, tenant: string, id: string): Promise<StoredRegistration | undefined> {
  const [r] = await db
    .delete(brokerRegistrations)
    .where(and(eq(brokerRegistrations.tenant, tenant), eq(brokerRegistrations.id, id)))
    .returning();
  return r && toRegistration(r);
}
