// Targets per period (年度ごとの目標): an indicator's one target (`indicators.target_value`) is its
// final or cumulative target; a plan that sets a target for each fiscal year (the デジタル人財育成方針's
// ＤＸ推進員, R6–R10) keeps those here, one row per indicator and period. See ADR 0011.
import { sql } from 'drizzle-orm';
import { check, date, integer, numeric, pgTable, serial, text, unique } from 'drizzle-orm/pg-core';
import { indicators } from './schema.ts';

export const indicatorPeriodTargets = pgTable(
  'indicator_period_targets',
  {
    id: serial('id').primaryKey(),
    indicatorId: integer('indicator_id')
      .notNull()
      .references(() => indicators.nodeId, { onDelete: 'cascade' }),
    /** As the document writes it (R6年度). */
    periodLabel: text('period_label').notNull(),
    /** Last day of the period: orders the targets and pairs them with observations of the same period. */
    periodEnd: date('period_end').notNull(),
    /** null when the document leaves the cell blank. */
    target: numeric('target', { mode: 'number' }),
    /** What the document adds to the figure (うち新規２００名以上), as printed. */
    note: text('note'),
    /** 出典 of the figure (document, 資料 number, page). */
    provenance: text('provenance').notNull(),
  },
  (t) => [
    unique('indicator_period_targets_period').on(t.indicatorId, t.periodLabel),
    check('indicator_period_targets_target', sql`${t.target} is null or ${t.target} >= 0`),
  ],
);
