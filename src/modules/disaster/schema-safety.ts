// 安否確認 (issue 14 point 3): residents' own safety status, the links between family and friends that
// both sides agreed to, the one-time codes that make a link or allow one lookup, and persons imported
// from PFIF 1.4 files (people with no account). Every personal value (display name, place, note) is
// sealed under the residents' key ring (residents.fields), bound to its table, column and row.
import { index, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** One row per resident: their display name for the people they link with, and their latest status. */
export const safetyStatuses = pgTable('disaster_safety_statuses', {
  residentId: text('resident_id').primaryKey(),
  /** Random: the local part of the PFIF person_record_id (never the resident id). */
  recordId: text('record_id').notNull().unique(),
  /** 表示名, sealed; null until the resident gives one. */
  displayName: text('display_name'),
  /** safe | injured | evacuating; null: not marked yet. */
  status: text('status'),
  place: text('place'),
  note: text('note'),
  /** self | check-in | import */
  source: text('source'),
  /** The municipality told of it (5-digit code): the resident's choice, or the shelter's at check-in. */
  municipality: text('municipality'),
  markedAt: tstz('marked_at'),
  updatedAt: tstz('updated_at').notNull(),
});

/** A link both sides agreed to, stored once with the two ids in order (a < b). */
export const safetyLinks = pgTable(
  'disaster_safety_links',
  {
    a: text('a').notNull(),
    b: text('b').notNull(),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.a, t.b] }), index('disaster_safety_links_b').on(t.b)],
);

/** つながりコード (kind link) and 安否照会コード (kind lookup): only the SHA-256 is kept; single use. */
export const safetyCodes = pgTable(
  'disaster_safety_codes',
  {
    hash: text('hash').primaryKey(),
    kind: text('kind').notNull(),
    residentId: text('resident_id').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [index('disaster_safety_codes_resident').on(t.residentId, t.kind)],
);

/** A person from an imported PFIF 1.4 file, held for the importing municipality (no account). */
export const safetyImports = pgTable(
  'disaster_safety_imports',
  {
    id: text('id').primaryKey(),
    municipality: text('municipality').notNull(),
    /** PFIF person_record_id as given (domain/local id). */
    personRecordId: text('person_record_id').notNull(),
    fullName: text('full_name').notNull(),
    /** Our status when the PFIF status maps to one (believed_alive, is_note_author: safe). */
    status: text('status'),
    /** The latest note's PFIF status as given (information_sought, believed_missing, …). */
    pfifStatus: text('pfif_status'),
    noteRecordId: text('note_record_id'),
    place: text('place'),
    note: text('note'),
    sourceDate: tstz('source_date').notNull(),
    noteDate: tstz('note_date'),
    importedBy: text('imported_by').notNull(),
    importedAt: tstz('imported_at').notNull(),
    /** PFIF expiry_date as given: after it the record is removed (and left out of every read before that). */
    expiresAt: tstz('expires_at'),
  },
  (t) => [unique('disaster_safety_imports_record').on(t.municipality, t.personRecordId)],
);
