import { sql } from 'drizzle-orm';
import { check, date, integer, jsonb, numeric, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** A signed-in staff member's session on the staff screens (after OIDC sign-in). */
export const staffSessions = pgTable('staff_sessions', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull(),
  csrf: text('csrf').notNull(),
  idToken: text('id_token'),
  /** Something to show on the next page only, then cleared: a new broker client and its secret (never in a URL or log). */
  shownOnce: jsonb('shown_once'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** 報告ラウンド: a call for new figures, ending in a publication. */
export const reportingRounds = pgTable(
  'reporting_rounds',
  {
    id: serial('id').primaryKey(),
    planId: text('plan_id').notNull(),
    label: text('label').notNull(),
    asOf: date('as_of').notNull(),
    dueDate: date('due_date').notNull(),
    status: text('status').notNull().default('open'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publicationId: integer('publication_id'),
  },
  (t) => [
    unique('reporting_rounds_plan_as_of').on(t.planId, t.asOf),
    check('reporting_rounds_status', sql`${t.status} in ('open', 'published')`),
  ],
);

/** One owner's new value for one indicator in a round. */
export const roundEntries = pgTable(
  'round_entries',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => reportingRounds.id, { onDelete: 'cascade' }),
    indicatorId: integer('indicator_id').notNull(),
    value: numeric('value', { mode: 'number' }).notNull(),
    periodLabel: text('period_label').notNull(),
    source: text('source').notNull(),
    note: text('note'),
    status: text('status').notNull(),
    enteredBy: text('entered_by').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    reviewedBy: text('reviewed_by'),
    reviewComment: text('review_comment'),
  },
  (t) => [
    unique('round_entries_round_indicator').on(t.roundId, t.indicatorId),
    check('round_entries_status', sql`${t.status} in ('submitted', 'approved', 'returned')`),
  ],
);

/** Reminders already sent, so each owner gets each reminder once. */
export const roundReminders = pgTable(
  'round_reminders',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => reportingRounds.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    kind: text('kind').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('round_reminders_once').on(t.roundId, t.accountId, t.kind),
    check('round_reminders_kind', sql`${t.kind} in ('due_soon', 'overdue')`),
  ],
);
