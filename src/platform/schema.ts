import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Append-only record of every change; each row's hash covers the previous one (see audit.ts). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** ISO 8601, stored as written: the hash covers these exact characters. */
    at: text('at').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  // An editor reads only their own entries, newest first (workspace auditScope 'own').
  (t) => [index('audit_log_actor').on(t.actorId, t.id)],
);

/** Attempts per key in a fixed window (rate-limit.ts), shared by every server process. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  windowEnds: timestamp('window_ends', { withTimezone: true }).notNull(),
});

/**
 * A counter per cached data set, bumped by triggers in the same transaction as any change to the
 * data behind it, so every process knows when to drop its cache (cache.ts, ADR 0006).
 */
export const cacheVersions = pgTable('cache_versions', {
  name: text('name').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
});
