// 避難所の受付 (issue 14 point 2): households' evacuation cards and the check-ins at shelters.
// A card row holds no personal data: a random card id (in the signed QR code) and a random short code
// (typed at reception), both replaced when the resident renews the card. A check-in holds the number
// of people and, for a walk-in with no account, the name sealed by the residents module (held.ts).
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const disasterCards = pgTable('disaster_cards', {
  /** One card per resident account (the household's card: the account holder's). */
  residentId: text('resident_id').primaryKey(),
  /** Random, in the QR code with its HMAC; a renewal replaces it, so the old card stops working. */
  cardId: text('card_id').notNull().unique(),
  /** 10 characters of Crockford's base32 (shown XXXXX-XXXXX), random; replaced with the card id. */
  shortCode: text('short_code').notNull().unique(),
  issuedAt: tstz('issued_at').notNull(),
});

export const disasterCheckins = pgTable(
  'disaster_checkins',
  {
    id: text('id').primaryKey(),
    /** The reception form's own id (the offline queue sends it again): one check-in per id. */
    clientId: text('client_id').notNull().unique(),
    /** The shelter's broker entity id, and its municipality (5-digit code). */
    shelterId: text('shelter_id').notNull(),
    municipality: text('municipality').notNull(),
    /** The card holder's account; null for a walk-in, or after the account was deleted. */
    residentId: text('resident_id'),
    /** card (QR or short code), mynumber, walk-in. */
    method: text('method').notNull(),
    /** A walk-in's name, sealed (residents' held fields; place: this table, `name`, the row id). */
    nameSealed: text('name_sealed'),
    people: integer('people').notNull(),
    /** 要配慮 (a walk-in's answer at reception); null: not asked (card holders: their consented data). */
    needsCare: boolean('needs_care'),
    /**
     * Coarse counts by age group (checkin-attributes.ts: 国勢調査の年齢3区分, 65歳以上を前期・後期に分ける)
     * at the check-in date: for a card holder derived from consented data (gate, logged), for a walk-in
     * typed at reception; null: not known. Never a birth date, only how many people fall in each group.
     */
    age0to14: integer('age_0_14'),
    age15to64: integer('age_15_64'),
    age65to74: integer('age_65_74'),
    age75plus: integer('age_75_plus'),
    ageUnknown: integer('age_unknown'),
    /**
     * The household's own municipality (5-digit code, or `outside` for 県外) when reception asked it (the
     * optional 住所の市町村 of every check-in form); null: not asked. Never taken from the account. Only the code.
     */
    homeMunicipality: text('home_municipality'),
    checkedInAt: tstz('checked_in_at').notNull(),
    checkedInBy: text('checked_in_by').notNull(),
    checkedOutAt: tstz('checked_out_at'),
    checkedOutBy: text('checked_out_by'),
  },
  (t) => [
    index('disaster_checkins_shelter_open').on(t.shelterId, t.checkedOutAt),
    // A household is checked in at one shelter at a time.
    uniqueIndex('disaster_checkins_resident_open')
      .on(t.residentId)
      .where(sql`${t.checkedOutAt} is null and ${t.residentId} is not null`),
  ],
);
