// 写真投稿 (issue 14 point 4): residents' photo reports and their moderation. The published image is
// kept in the row (bytea): after reduction a report is ~100–400 KB, and a disaster brings hundreds or a
// few thousand, so the database (backed up, transactional with the decision) is the simplest right home.
import { customType, doublePrecision, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const disasterReports = pgTable(
  'disaster_reports',
  {
    /** Random (never sequential): a pending report's id must not be guessable from a published one. */
    id: text('id').primaryKey(),
    /** The resident who posted it (resident_accounts.id): never published, never shown to staff as such. */
    residentId: text('resident_id').notNull(),
    /** The form's own id for this post (the offline queue sends it again after a failure): one report per id. */
    clientId: text('client_id').notNull(),
    municipality: text('municipality').notNull(),
    /** WGS84; null when only a municipality was chosen. */
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    /** Where the point came from: exif, device (the browser's geolocation), map, or none. */
    locationSource: text('location_source').notNull(),
    category: text('category').notNull(),
    note: text('note').notNull(),
    /** When the photo was taken (its EXIF time, else the form's), ISO 8601. */
    takenAt: tstz('taken_at'),
    createdAt: tstz('created_at').notNull(),
    /** pending → approved | rejected (by staff, audited). */
    status: text('status').notNull(),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    decidedAt: tstz('decided_at'),
    /** The reduced JPEG, every metadata block removed; the original is not kept. */
    image: bytea('image').notNull(),
    /** SHA-256 of the image (hex): its ETag. */
    imageHash: text('image_hash').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
  },
  (t) => [
    unique('disaster_reports_client').on(t.residentId, t.clientId),
    index('disaster_reports_municipality_status').on(t.municipality, t.status, t.createdAt),
  ],
);
