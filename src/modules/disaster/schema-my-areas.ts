// マイエリア（防災）on the resident's account (issue 13.5 "with a resident account they follow the person"):
// the account's areas, and which push subscriptions (devices) belong to the account. An alert that
// matches the account's areas reaches every linked device; a device's own areas (schema.ts) still work.
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { disasterPushSubscriptions } from './schema.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const disasterMyAreas = pgTable(
  'disaster_my_areas',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** resident_accounts.id; the rows go with the account (deletedWithAccount). */
    residentId: text('resident_id').notNull(),
    /**
     * Before the points were sealed: { municipality } | { point, radius } in clear. New rows leave it null;
     * `sealMyAreaPoints` (my-area-points.ts) seals the points of old rows and clears it.
     */
    area: jsonb('area'),
    /** A municipality area's code (the match). */
    municipality: text('municipality'),
    /** A point area's id: the row id its sealed point is bound to (residents/held.ts heldSealedColumns). */
    pointId: text('point_id').unique(),
    /** A point area's "[lon,lat]", sealed (held.ts): the home or work place of an account holder. */
    point: text('point'),
    /** A point area's bounding box, coarsened outward to a 0.05° grid (the prefilter; the point stays sealed). */
    minLon: doublePrecision('min_lon'),
    maxLon: doublePrecision('max_lon'),
    minLat: doublePrecision('min_lat'),
    maxLat: doublePrecision('max_lat'),
    radius: integer('radius'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('disaster_my_areas_resident').on(t.residentId),
    index('disaster_my_areas_municipality').on(t.municipality),
    index('disaster_my_areas_box').on(t.minLon, t.maxLon, t.minLat, t.maxLat),
  ],
);

/** A device (push subscription) registered while signed in: it gets the account's alerts too. */
export const disasterPushLinks = pgTable(
  'disaster_push_links',
  {
    subscriptionId: bigint('subscription_id', { mode: 'number' })
      .primaryKey()
      .references(() => disasterPushSubscriptions.id, { onDelete: 'cascade' }),
    residentId: text('resident_id').notNull(),
    linkedAt: tstz('linked_at').notNull().defaultNow(),
  },
  (t) => [index('disaster_push_links_resident').on(t.residentId)],
);
