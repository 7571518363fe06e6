import { sql } from 'drizzle-orm';
import { bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Instance } from './entity.ts';
import type { RegistrationBody } from './registration.ts';
import type { SubscriptionBody } from './subscription.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
/** PostgreSQL's built-in box (no PostGIS needed, so it works on PGlite too): '(x2,y2),(x1,y1)'. */
const box = customType<{ data: string }>({ dataType: () => 'box' });

/** NGSI-LD entities, per tenant (NGSILD-Tenant; '' is the default tenant of open data), in expanded form. */
export const brokerEntities = pgTable(
  'broker_entities',
  {
    tenant: text('tenant').notNull(),
    id: text('id').notNull(),
    types: text('types').array().notNull(),
    attrs: jsonb('attrs').$type<Record<string, Instance[]>>().notNull(),
    /** The entity's scopes (4.18), e.g. /Aomori/Hirosaki; null when it has none. */
    scopes: text('scopes').array(),
    createdAt: tstz('created_at').notNull(),
    modifiedAt: tstz('modified_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.id] }), index('broker_entities_types').using('gin', t.types)],
);

/** The bounding box of each GeoProperty instance, for geo-queries through a GiST index. */
export const brokerGeo = pgTable(
  'broker_geo',
  {
    tenant: text('tenant').notNull(),
    entityId: text('entity_id').notNull(),
    attr: text('attr').notNull(),
    bbox: box('bbox').notNull(),
  },
  (t) => [index('broker_geo_entity').on(t.tenant, t.entityId), index('broker_geo_bbox').using('gist', t.bbox)],
);

/** Attribute history for the temporal API: one row per attribute instance as it was written. */
export const brokerHistory = pgTable(
  'broker_history',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    tenant: text('tenant').notNull(),
    entityId: text('entity_id').notNull(),
    types: text('types').array().notNull(),
    attr: text('attr').notNull(),
    /** The instance as stored (with its observedAt, createdAt, modifiedAt); null when the attribute was deleted. */
    instance: jsonb('instance').$type<Instance | null>(),
    /** observedAt when the instance has one, otherwise the time of the change. */
    at: tstz('at').notNull(),
  },
  (t) => [index('broker_history_entity').on(t.tenant, t.entityId, t.attr, t.at)],
);

/** Subscriptions (NGSI-LD clause 5.8), stored as given but with names expanded. */
export const brokerSubscriptions = pgTable(
  'broker_subscriptions',
  {
    tenant: text('tenant').notNull(),
    id: text('id').notNull(),
    /** The subscription as the API gives it back (expanded names; status fields live in the columns below). */
    body: jsonb('body').$type<SubscriptionBody>().notNull(),
    /** The @context it was created with, to compact notifications. */
    context: jsonb('context'),
    active: boolean('active').notNull().default(true),
    expiresAt: tstz('expires_at'),
    timesSent: integer('times_sent').notNull().default(0),
    lastNotification: tstz('last_notification'),
    lastSuccess: tstz('last_success'),
    lastFailure: tstz('last_failure'),
    /** When a periodic subscription (timeInterval) is next due; null for the others. */
    nextAt: tstz('next_at'),
    createdAt: tstz('created_at').notNull(),
    modifiedAt: tstz('modified_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.id] }), index('broker_subscriptions_due').on(t.nextAt)],
);

/** The durable notification queue: written in the same transaction as the change, sent and retried by the notifier. */
export const brokerNotifications = pgTable(
  'broker_notifications',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    tenant: text('tenant').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: tstz('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull(),
    lastError: text('last_error'),
  },
  // By subscription and order: the notifier finds each subscription's oldest notification through it.
  (t) => [
    index('broker_notifications_due').on(t.nextAttemptAt),
    index('broker_notifications_subscription').on(t.tenant, t.subscriptionId, t.seq),
  ],
);

/** The context store (/ngsi-ld/v1/jsonldContexts): @context documents clients add, served and used locally. */
export const brokerContexts = pgTable('broker_contexts', {
  id: text('id').primaryKey(),
  url: text('url').notNull().unique(),
  document: jsonb('document').notNull(),
  kind: text('kind').notNull().default('hosted'),
  createdAt: tstz('created_at')
    .notNull()
    .default(sql`now()`),
});

/** Context source registrations (NGSI-LD clause 5.9), stored as given but with names expanded. */
export const brokerRegistrations = pgTable(
  'broker_registrations',
  {
    tenant: text('tenant').notNull(),
    id: text('id').notNull(),
    body: jsonb('body').$type<RegistrationBody>().notNull(),
    expiresAt: tstz('expires_at'),
    createdAt: tstz('created_at').notNull(),
    modifiedAt: tstz('modified_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.id] })],
);
