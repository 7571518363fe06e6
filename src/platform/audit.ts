// The audit trail: who changed what, when, from what to what, and why. Append-only (a trigger
// refuses UPDATE and DELETE) and hash-chained: each row's hash covers the previous row's hash and
// its own content, so removing or editing a row breaks every hash after it (verifyAuditChain).
import { createHash } from 'node:crypto';
import { asc, desc, eq, and, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from './db.ts';
import { auditLog } from './schema.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

const GENESIS = '0'.repeat(64);

/** JSON with sorted keys, so the same content always hashes the same. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const hashOf = (
  prevHash: string,
  row: {
    at: string;
    actorId: string | null;
    action: string;
    entity: string;
    entityId: string;
    before: unknown;
    after: unknown;
    reason: string | null;
  },
) =>
  createHash('sha256')
    .update(prevHash + canonical(row))
    .digest('hex');

/** What jsonb will give back (dates become strings): the hash must cover that, not the live object. */
const asJson = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));

/** Appends one entry; call inside the transaction that makes the change. */
export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  // One writer at a time, so the chain has no forks (a transaction-scoped lock on PostgreSQL and PGlite).
  await db.execute(sql`select pg_advisory_xact_lock(7263501)`);
  const [last] = await db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS;
  const row = {
    at: new Date().toISOString(),
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: asJson(e.before),
    after: asJson(e.after),
    reason: e.reason ?? null,
  };
  await db.insert(auditLog).values({ ...row, prevHash, hash: hashOf(prevHash, row) });
}

export type AuditRow = typeof auditLog.$inferSelect;

/** Every condition is optional; `from` (inclusive) and `to` (exclusive) are ISO instants. */
export interface AuditFilter {
  actorId?: string;
  /** Any of these actors (none: no entry). */
  actorIds?: string[];
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

function conditions(f: AuditFilter): SQL | undefined {
  return and(
    f.actorId === undefined ? undefined : eq(auditLog.actorId, f.actorId),
    f.actorIds === undefined ? undefined : f.actorIds.length ? inArray(auditLog.actorId, f.actorIds) : sql`false`,
    f.action === undefined ? undefined : eq(auditLog.action, f.action),
    f.entity === undefined ? undefined : eq(auditLog.entity, f.entity),
    f.entityId === undefined ? undefined : eq(auditLog.entityId, f.entityId),
    // `at` is always written by toISOString (UTC, same length), so text order is time order.
    f.from === undefined ? undefined : gte(auditLog.at, f.from),
    f.to === undefined ? undefined : lt(auditLog.at, f.to),
  );
}

/** The entries that match, newest first, one page at a time (in SQL: the log only grows). */
export function searchAudit(db: Db, f: AuditFilter, page: { limit: number; offset: number }): Promise<AuditRow[]> {
  return db.select().from(auditLog).where(conditions(f)).orderBy(desc(auditLog.id)).limit(page.limit).offset(page.offset);
}

/** The action codes present in the log, for a filter's choices. */
export async function auditActions(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The first row whose hash does not match, when the chain is broken. */
  brokenAt: number | null;
}

export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id));
  let prev = GENESIS;
  for (const r of rows) {
    const expected = hashOf(prev, {
      at: r.at,
      actorId: r.actorId,
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
      reason: r.reason,
    });
    if (r.prevHash !== prev || r.hash !== expected) return { ok: false, checked: rows.length, brokenAt: r.id };
    prev = r.hash;
  }
  return { ok: true, checked: rows.length, brokenAt: null };
}
