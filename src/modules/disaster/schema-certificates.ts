// 罹災証明書 (issue 14 point 8): residents' applications and the verification records of issued
// certificates. An application is one resident's and goes with their account; its name, address and
// description are personal data, sealed under the residents' key ring (held.ts) with this row's id
// bound in. A verification record holds no personal data and stays after the account is deleted:
// the holder may still show the paper, and whoever receives it (an insurer, a bank, another office)
// must still be able to check it (docs/disaster.md).
import { date, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const disasterCertificates = pgTable(
  'disaster_certificates',
  {
    /** Random (never sequential): one application's id says nothing of another's. */
    id: text('id').primaryKey(),
    /** The applicant (resident_accounts.id). */
    residentId: text('resident_id').notNull(),
    /** The municipality the house is in: it surveys and issues. */
    municipality: text('municipality').notNull(),
    /** Sealed (held.ts): the applicant's name, the damaged house's address, the description. */
    name: text('name').notNull(),
    address: text('address').notNull(),
    description: text('description').notNull(),
    /** What damaged the house (certificate.ts damageTypes). */
    damageType: text('damage_type').notNull(),
    /** The day of the damage (Japan date). */
    damagedOn: date('damaged_on', { mode: 'string' }).notNull(),
    /** The applicant's own 写真投稿 chosen as evidence (disaster_reports.id). */
    reportIds: jsonb('report_ids').$type<string[]>().notNull(),
    /** received → scheduled → decided → issued (rules.ts certificateStep). */
    status: text('status').notNull(),
    surveyOn: date('survey_on', { mode: 'string' }),
    /** The damage grade (内閣府 運用指針, certificate.ts damageGrades). */
    grade: text('grade'),
    /** The verification code once issued (disaster_certificate_verifications.code). */
    code: text('code'),
    createdAt: tstz('created_at').notNull(),
    updatedAt: tstz('updated_at').notNull(),
    issuedAt: tstz('issued_at'),
  },
  (t) => [
    index('disaster_certificates_resident').on(t.residentId),
    index('disaster_certificates_municipality_status').on(t.municipality, t.status),
  ],
);

/** What the public verification page answers for a code: no personal data. */
export const disasterCertificateVerifications = pgTable('disaster_certificate_verifications', {
  code: text('code').primaryKey(),
  municipality: text('municipality').notNull(),
  grade: text('grade').notNull(),
  damageType: text('damage_type').notNull(),
  damagedOn: date('damaged_on', { mode: 'string' }).notNull(),
  issuedAt: tstz('issued_at').notNull(),
});
