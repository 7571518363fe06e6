import { sql } from 'drizzle-orm';
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * マイエリア登録: one browser's Web Push subscription (RFC 8030 §5 endpoint, RFC 8291 keys) and the
 * areas it wants alerts for. Looked up by the endpoint's SHA-256 (the endpoint is a capability URL).
 */
export const disasterPushSubscriptions = pgTable(
  'disaster_push_subscriptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointHash: text('endpoint_hash').notNull().unique(),
    /** { endpoint, keys: { p256dh, auth } } as the browser gave it. */
    subscription: jsonb('subscription').notNull(),
    /** The areas as registered ([{ municipality } | { point, radius }]), for the exact match. */
    areas: jsonb('areas').notNull(),
    /** The municipality areas' codes: the prefilter's array (GIN). */
    municipalities: text('municipalities')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('disaster_push_subscriptions_municipalities').using('gin', t.municipalities)],
);

/** A point area's bounding box (degrees), the prefilter for "the circle may touch the alert's area". */
export const disasterPushPoints = pgTable(
  'disaster_push_points',
  {
    subscriptionId: bigint('subscription_id', { mode: 'number' })
      .notNull()
      .references(() => disasterPushSubscriptions.id, { onDelete: 'cascade' }),
    minLon: doublePrecision('min_lon').notNull(),
    minLat: doublePrecision('min_lat').notNull(),
    maxLon: doublePrecision('max_lon').notNull(),
    maxLat: doublePrecision('max_lat').notNull(),
  },
  (t) => [
    index('disaster_push_points_box').on(t.minLon, t.maxLon, t.minLat, t.maxLat),
    index('disaster_push_points_sub').on(t.subscriptionId),
  ],
);

/**
 * One alert version to push (its id + dateModified + status): queued in the broker write's transaction,
 * so a version is pushed once even when written again, and survives a restart. `expandedAt` is set
 * when its recipients were matched into disaster_push_deliveries.
 */
export const disasterPushJobs = pgTable('disaster_push_jobs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  alertVersion: text('alert_version').notNull().unique(),
  /** The Alert (alert.ts) as read from the entity. */
  alert: jsonb('alert').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expandedAt: timestamp('expanded_at', { withTimezone: true }),
});

/** A push still to send: removed once the push service took it (2xx) or the subscription is gone (404/410). */
export const disasterPushDeliveries = pgTable(
  'disaster_push_deliveries',
  {
    jobId: bigint('job_id', { mode: 'number' })
      .notNull()
      .references(() => disasterPushJobs.id, { onDelete: 'cascade' }),
    subscriptionId: bigint('subscription_id', { mode: 'number' })
      .notNull()
      .references(() => disasterPushSubscriptions.id, { onDelete: 'cascade' }),
    attempts: integer('attempts').notNull().default(0),
    nextAt: timestamp('next_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.subscriptionId] }), index('disaster_push_deliveries_next').on(t.nextAt)],
);
