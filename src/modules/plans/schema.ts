import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { PlanSettings } from './achievement.ts';
import type { StoredSnapshot } from './snapshot.ts';

// Names follow docs/glossary.md: `provenance` is a record's 出典 (document, 資料 number, page);
// `data_source` is where an indicator's figures come from, as the document states it.

export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  /** What the public pages show: a KPI dashboard, a vision of joint projects, or a policy tree. */
  kind: text('kind').notNull().default('dashboard'),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  owner: text('owner').notNull(),
  settings: jsonb('settings').$type<PlanSettings>().notNull(),
  provenance: text('provenance').notNull(),
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
    /** Kind-specific text (a project's sheet, a policy's sections), as vision-data.ts writes it. */
    details: jsonb('details'),
    position: integer('position').notNull(),
    provenance: text('provenance').notNull(),
    /** Retired nodes keep their history (observations, publications, audit) but leave the current plan. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredReason: text('retired_reason'),
  },
  (t) => [
    unique('plan_nodes_plan_code').on(t.planId, t.code),
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id] }).onDelete('cascade'),
    index('plan_nodes_parent').on(t.parentId),
    check(
      'plan_nodes_kind',
      sql`${t.kind} in ('basic_goal', 'field', 'kpi', 'indicator', 'category', 'project', 'chapter', 'policy', 'measure')`,
    ),
  ],
);

/** What makes a node measurable (basic goals and intermediate indicators). */
export const indicators = pgTable(
  'indicators',
  {
    nodeId: integer('node_id')
      .primaryKey()
      .references(() => planNodes.id, { onDelete: 'cascade' }),
    /** 測定項目: what a basic goal measures. */
    metric: text('metric'),
    unit: text('unit').notNull(),
    targetValue: numeric('target_value', { mode: 'number' }),
    targetYear: integer('target_year'),
    /** value, at_least_per_year, maintain, merged, unknown: see targets.ts. */
    targetKind: text('target_kind').notNull().default('value'),
    /** The target and the baseline as printed, when the document writes more than a number. */
    targetText: text('target_text'),
    baselineText: text('baseline_text'),
    /** A footnote mark printed after the name (※). */
    mark: text('mark'),
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
    /** 出典: the document (or the reporting round) the value was taken from. */
    provenance: text('provenance').notNull(),
    /** データの出所 of this value as the editor stated it in a round (e.g. 〇〇課調べ); null for transcribed values. */
    dataSource: text('data_source'),
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
  provenance: text('provenance').notNull(),
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
    snapshot: jsonb('snapshot').$type<StoredSnapshot>().notNull(),
    provenance: text('provenance').notNull(),
  },
  (t) => [unique('publications_plan_as_of').on(t.planId, t.asOf)],
);

/** 市町村, by the national local government code (5 digits, as in 国土数値情報). */
export const municipalities = pgTable('municipalities', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const planMunicipalities = pgTable(
  'plan_municipalities',
  {
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    municipalityCode: text('municipality_code')
      .notNull()
      .references(() => municipalities.code),
    role: text('role').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.municipalityCode] })],
);

export const projectPartners = pgTable(
  'project_partners',
  {
    nodeId: integer('node_id')
      .notNull()
      .references(() => planNodes.id, { onDelete: 'cascade' }),
    municipalityCode: text('municipality_code')
      .notNull()
      .references(() => municipalities.code),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.municipalityCode] })],
);

/** 事業費見込額 (thousand yen): one row per fiscal year, and one for the stated total (fiscal_year null). */
export const budgetLines = pgTable(
  'budget_lines',
  {
    id: serial('id').primaryKey(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => planNodes.id, { onDelete: 'cascade' }),
    fiscalYear: integer('fiscal_year'),
    amount: numeric('amount', { mode: 'number' }),
    /** value, blank (an empty cell) or dash (「－」): neither of the last two is 0. */
    cell: text('cell').notNull(),
  },
  (t) => [
    unique('budget_lines_node_year').on(t.nodeId, t.fiscalYear).nullsNotDistinct(),
    check('budget_lines_cell', sql`(${t.cell} = 'value') = (${t.amount} is not null) and ${t.cell} in ('value', 'blank', 'dash')`),
  ],
);

/** A version (版) of a plan, as the documents show it. */
export const planVersions = pgTable(
  'plan_versions',
  {
    id: serial('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    label: text('label').notNull(),
    date: date('date'),
    projectCount: integer('project_count'),
    position: integer('position').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    provenance: text('provenance').notNull(),
    note: text('note'),
  },
  (t) => [unique('plan_versions_plan_code').on(t.planId, t.code)],
);

/** A project's place in a version: its number there (null when the documents do not say). */
export const versionProjects = pgTable(
  'version_projects',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => planVersions.id, { onDelete: 'cascade' }),
    nodeId: integer('node_id')
      .notNull()
      .references(() => planNodes.id, { onDelete: 'cascade' }),
    number: integer('number'),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.nodeId] }), unique('version_projects_number').on(t.versionId, t.number)],
);

/** What the documents say changed between two versions. */
export const versionChanges = pgTable('version_changes', {
  id: serial('id').primaryKey(),
  fromVersionId: integer('from_version_id')
    .notNull()
    .references(() => planVersions.id, { onDelete: 'cascade' }),
  toVersionId: integer('to_version_id')
    .notNull()
    .references(() => planVersions.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  nodeId: integer('node_id')
    .notNull()
    .references(() => planNodes.id, { onDelete: 'cascade' }),
  intoNodeId: integer('into_node_id').references(() => planNodes.id, { onDelete: 'cascade' }),
  note: text('note'),
  provenance: text('provenance').notNull(),
});

/** A year's evaluation (進捗評価) of a project. */
export const evaluations = pgTable(
  'evaluations',
  {
    id: serial('id').primaryKey(),
    nodeId: integer('node_id')
      .notNull()
      .references(() => planNodes.id, { onDelete: 'cascade' }),
    fiscalYear: integer('fiscal_year').notNull(),
    numberInReport: integer('number_in_report'),
    summary: jsonb('summary').$type<string[]>().notNull(),
    results: jsonb('results').$type<string[]>().notNull(),
    effects: jsonb('effects').$type<string[]>().notNull(),
    provenance: text('provenance').notNull(),
  },
  (t) => [unique('evaluations_node_year').on(t.nodeId, t.fiscalYear)],
);

export const evaluationIndicators = pgTable('evaluation_indicators', {
  id: serial('id').primaryKey(),
  evaluationId: integer('evaluation_id')
    .notNull()
    .references(() => evaluations.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  actualText: text('actual_text').notNull(),
  targetText: text('target_text').notNull(),
  publishedGrade: text('published_grade').notNull(),
  finalTargetText: text('final_target_text'),
});

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

export const projectNumber = z.coerce
  .number({ message: '事業番号は数字で指定してください。' })
  .int('事業番号は整数で指定してください。')
  .min(1, '事業番号は1以上で指定してください。')
  .max(999, '事業番号が大きすぎます。');
export const municipalityCode = z.string().regex(/^\d{5}$/, '市町村コードは5桁の数字で指定してください。');
export const fiscalYear = z.coerce
  .number({ message: '年度は数字（西暦）で指定してください。' })
  .int()
  .min(1900, '年度は西暦で指定してください。')
  .max(2100, '年度は西暦で指定してください。');
export const policyCode = z.string().regex(/^\d+-\d+$/, '施策コードは「2-1」の形式で指定してください。');

/** The project list's filters; a category or municipality the vision does not have is an error, not an empty list. */
export const projectFilter = (v: { categories: { code: string }[]; municipalities: { code: string }[] }) =>
  z.object({
    category: z
      .string()
      .optional()
      .transform((x) => x || undefined)
      .refine((x) => x === undefined || v.categories.some((c) => c.code === x), '分類が見つかりません。一覧から選んでください。'),
    municipality: z
      .string()
      .optional()
      .transform((x) => x || undefined)
      .refine((x) => x === undefined || v.municipalities.some((m) => m.code === x), '市町村が見つかりません。一覧から選んでください。'),
    q: z
      .string()
      .max(100, 'キーワードは100文字以内で指定してください。')
      .optional()
      .transform((x) => x?.trim() || undefined),
  });
