// 避難行動要支援者名簿 (issue 14 point 7; 災害対策基本法 第49条の10〜11): a municipality's roster of residents
// who need help to evacuate, and staff's follow-ups during a disaster. Every personal value is sealed
// through the residents module's held fields (held.ts; table, column and row id bound into each seal),
// so this table holds ciphertext only; the municipality and the row number are not personal data.
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const disasterRosterEntries = pgTable(
  'disaster_roster_entries',
  {
    /** Random: the entry's id in URLs and the access log's subject. */
    id: text('id').primaryKey(),
    municipality: text('municipality').notNull(),
    /** The import that wrote it (an import replaces the municipality's whole roster). */
    importId: text('import_id').notNull(),
    /** The row of the file it came from (the preview's and the errors' numbering). */
    row: integer('row').notNull(),
    /** Sealed values (held.ts): 氏名, ふりがな, 生年月日, 性別, 住所, 町名・地区, 電話, 事由, supporters (JSON), 個別避難計画. */
    name: text('name').notNull(),
    kana: text('kana').notNull(),
    birthDate: text('birth_date').notNull(),
    sex: text('sex').notNull(),
    address: text('address').notNull(),
    district: text('district').notNull(),
    phone: text('phone').notNull(),
    reason: text('reason').notNull(),
    supporters: text('supporters').notNull(),
    plan: text('plan').notNull(),
    /** The resident account staff linked the entry to (roster/link.ts), or null; unlinked when the account is deleted. */
    residentId: text('resident_id'),
    importedAt: tstz('imported_at').notNull(),
  },
  (t) => [
    index('disaster_roster_entries_municipality').on(t.municipality, t.row),
    index('disaster_roster_entries_resident').on(t.residentId),
  ],
);

export const disasterRosterFollowups = pgTable(
  'disaster_roster_followups',
  {
    id: text('id').primaryKey(),
    entryId: text('entry_id')
      .notNull()
      .references(() => disasterRosterEntries.id, { onDelete: 'cascade' }),
    municipality: text('municipality').notNull(),
    /** contacted | visited | safe | moved (roster/followups.ts). */
    kind: text('kind').notNull(),
    /** Sealed (it may name people and places). */
    note: text('note').notNull(),
    /** When it happened (staff may record a visit afterwards); recordedAt is when it was written. */
    at: tstz('at').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: tstz('recorded_at').notNull(),
  },
  (t) => [index('disaster_roster_followups_entry').on(t.entryId, t.at)],
);

/**
 * A confirmation round: staff start one when a disaster begins, and only follow-ups and confirmations
 * from its start on count, so last year's 「無事」 does not hide anyone now. The latest row is the round.
 */
export const disasterRosterRounds = pgTable(
  'disaster_roster_rounds',
  {
    id: text('id').primaryKey(),
    municipality: text('municipality').notNull(),
    startedAt: tstz('started_at').notNull(),
    startedBy: text('started_by').notNull(),
  },
  (t) => [index('disaster_roster_rounds_municipality').on(t.municipality, t.startedAt)],
);
