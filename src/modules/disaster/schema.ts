import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** Each JMA Atom feed's validators (JMA_FEEDS), so every poll is a conditional request. */
export const disasterJmaFeeds = pgTable('disaster_jma_feeds', {
  url: text('url').primaryKey(),
  etag: text('etag'),
  lastModified: text('last_modified'),
  checkedAt: tstz('checked_at').notNull(),
});

/**
 * The JMA reports taken, claimed before they are acted on: a feed entry (its Atom id) and a report
 * (type, office, EventID, ReportDateTime, serial, InfoType) are each taken once, by one process.
 */
export const disasterJmaReports = pgTable('disaster_jma_reports', {
  reportKey: text('report_key').primaryKey(),
  entryId: text('entry_id').notNull().unique(),
  claimedAt: tstz('claimed_at').notNull(),
});

/**
 * The alert each JMA topic (report type, municipality, phenomenon; or an earthquake's EventID) has:
 * a later report updates it, 解除/取消 cancel it (active false), and a new issue after that makes a new one.
 */
export const disasterJmaAlerts = pgTable('disaster_jma_alerts', {
  topic: text('topic').primaryKey(),
  alertId: text('alert_id').notNull(),
  /** The warning class code the alert is at (e.g. 10 大雨注意報, 03 大雨警報): a change of class is an update. */
  code: text('code').notNull(),
  active: boolean('active').notNull(),
  /** The report that last changed it (取消 of that report cancels it) and its ReportDateTime (older reports are ignored). */
  reportKey: text('report_key').notNull(),
  reportTime: tstz('report_time').notNull(),
});

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
