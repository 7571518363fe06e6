// The plans module's only SQL.
import { and, asc, count, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { cases, indicators, observations, planNodes, plans, publications } from './schema.ts';
import type { Snapshot } from './snapshot.ts';

export type PlanRow = typeof plans.$inferSelect;
export type NodeRow = typeof planNodes.$inferSelect;
export type IndicatorRow = typeof indicators.$inferSelect;
export type ObservationRow = typeof observations.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

export async function countPlans(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(plans);
  return row?.n ?? 0;
}

export function listPlans(db: Db) {
  return db.select().from(plans).orderBy(asc(plans.id));
}

export async function findPlan(db: Db, id: string): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.id, id));
  return row;
}

export interface PlanTree {
  plan: PlanRow;
  nodes: NodeRow[];
  indicators: Map<number, IndicatorRow>;
  /** Per indicator, oldest first. */
  observations: Map<number, ObservationRow[]>;
  /** Per node, in order. */
  cases: Map<number, CaseRow[]>;
}

export async function loadPlanTree(db: Db, plan: PlanRow): Promise<PlanTree> {
  const nodes = await db.select().from(planNodes).where(eq(planNodes.planId, plan.id)).orderBy(asc(planNodes.position));
  const ids = nodes.map((n) => n.id);
  // One after another: inside a transaction they share one connection.
  const indicatorRows = ids.length ? await db.select().from(indicators).where(inArray(indicators.nodeId, ids)) : [];
  const observationRows = ids.length
    ? await db
        .select()
        .from(observations)
        .where(inArray(observations.indicatorId, ids))
        .orderBy(asc(observations.periodEnd), asc(observations.id))
    : [];
  const caseRows = ids.length ? await db.select().from(cases).where(inArray(cases.nodeId, ids)).orderBy(asc(cases.position)) : [];
  const group = <T, K>(rows: T[], key: (r: T) => K) => {
    const map = new Map<K, T[]>();
    for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
    return map;
  };
  return {
    plan,
    nodes,
    indicators: new Map(indicatorRows.map((r) => [r.nodeId, r])),
    observations: group(observationRows, (r) => r.indicatorId),
    cases: group(caseRows, (r) => r.nodeId),
  };
}

export async function insertPlan(db: Db, row: typeof plans.$inferInsert) {
  await db.insert(plans).values(row);
}

export async function insertNode(db: Db, row: typeof planNodes.$inferInsert): Promise<number> {
  const [inserted] = await db.insert(planNodes).values(row).returning({ id: planNodes.id });
  return inserted!.id;
}

export async function insertIndicator(db: Db, row: typeof indicators.$inferInsert) {
  await db.insert(indicators).values(row);
}

export async function insertObservations(db: Db, rows: (typeof observations.$inferInsert)[]) {
  if (rows.length) await db.insert(observations).values(rows);
}

export async function insertCases(db: Db, rows: (typeof cases.$inferInsert)[]) {
  if (rows.length) await db.insert(cases).values(rows);
}

export async function insertPublication(db: Db, row: typeof publications.$inferInsert) {
  const [inserted] = await db.insert(publications).values(row).returning({ id: publications.id });
  return inserted!.id;
}

export function listPublications(db: Db, planId: string) {
  return db
    .select({
      id: publications.id,
      asOf: publications.asOf,
      label: publications.label,
      publishedAt: publications.publishedAt,
      source: publications.source,
    })
    .from(publications)
    .where(eq(publications.planId, planId))
    .orderBy(desc(publications.asOf));
}

/** The publication at `asOf` (or the latest) and the one before it. */
export async function publicationPair(
  db: Db,
  planId: string,
  asOf?: string,
): Promise<{ current: Snapshot; previous: Snapshot | null } | null> {
  const rows = await db
    .select({ snapshot: publications.snapshot })
    .from(publications)
    .where(asOf ? and(eq(publications.planId, planId), lte(publications.asOf, asOf)) : eq(publications.planId, planId))
    .orderBy(desc(publications.asOf))
    .limit(2);
  const [current, previous] = rows;
  if (!current || (asOf && current.snapshot.asOf !== asOf)) return null;
  return { current: current.snapshot, previous: previous?.snapshot ?? null };
}
