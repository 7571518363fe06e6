import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, numeric, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { PlanSettings } from './achievement.ts';
import type { Snapshot } from './snapshot.ts';

// Names follow docs/glossary.md.

export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  owner: text('owner').notNull(),
  settings: jsonb('settings').$type<PlanSettings>().notNull(),
  source: text('source').notNull(),
});

/** A plan is a tree: basic goals, fields, KPIs, indicators (and, for later plans, policies and projects). */
export const planNodes = pgTable(
  'plan_nodes',
  {
    id: serial('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    parentId: integer('parent_id'),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    description: text('description'),
    position: integer('position').notNull(),
    source: text('source').notNull(),
  },
  (t) => [
    unique('plan_nodes_plan_code').on(t.planId, t.code),
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id] }).onDelete('cascade'),
    index('plan_nodes_parent').on(t.parentId),
    check('plan_nodes_kind', sql`${t.kind} in ('basic_goal', 'field', 'kpi', 'indicator')`),
  ],
);

/** What makes a node measurable (basic goals and intermediate indicators). */
export const indicators = pgTable(
  'indicators',
  {
    nodeId: integer('node_id')
      .primaryKey()
      .references(() => planNodes.id, { onDelete: 'cascade' }),
    measure: text('measure'),
    unit: text('unit').notNull(),
    targetValue: numeric('target_value', { mode: 'number' }),
    targetYear: integer('target_year'),
    direction: text('direction').notNull(),
    baseValue: numeric('base_value', { mode: 'number' }),
    dataSource: text('data_source'),
    ownerDepartment: text('owner_department'),
    notes: text('notes'),
  },
  (t) => [check('indicators_direction', sql`${t.direction} in ('higher', 'lower', 'change_from_base')`)],
);

export const observations = pgTable(
  'observations',
  {
    id: serial('id').primaryKey(),
    indicatorId: integer('indicator_id')
      .notNull()
      .references(() => indicators.nodeId, { onDelete: 'cascade' }),
    value: numeric('value', { mode: 'number' }),
    periodLabel: text('period_label').notNull(),
    /** Last day of the period (orders observations); as_of only when the source states it. */
    periodEnd: date('period_end').notNull(),
    asOf: date('as_of'),
    note: text('note'),
    source: text('source').notNull(),
  },
  (t) => [unique('observations_indicator_period').on(t.indicatorId, t.periodLabel)],
);

/** 代表的な事例, attached to a field. */
export const cases = pgTable('cases', {
  id: serial('id').primaryKey(),
  nodeId: integer('node_id')
    .notNull()
    .references(() => planNodes.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  periodLabel: text('period_label'),
  body: text('body').notNull(),
  position: integer('position').notNull(),
  source: text('source').notNull(),
});

/** 公表版: immutable once written (a trigger in the migration refuses UPDATE and DELETE). */
export const publications = pgTable(
  'publications',
  {
    id: serial('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    asOf: date('as_of').notNull(),
    label: text('label').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    snapshot: jsonb('snapshot').$type<Snapshot>().notNull(),
    source: text('source').notNull(),
  },
  (t) => [unique('publications_plan_as_of').on(t.planId, t.asOf)],
);

// Inputs.
export const planIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, '計画IDは英小文字・数字・ハイフンで指定してください。');
export const codeParam = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'コードは英小文字・数字・ハイフンで指定してください。');
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日付は YYYY-MM-DD の形式で指定してください。')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    '存在しない日付です。',
  );
