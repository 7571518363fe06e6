import { bigserial, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

/** Append-only record of every change; each row's hash covers the previous one (see audit.ts). */
export const auditLog = pgTable('audit_log', {
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
});
