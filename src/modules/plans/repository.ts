// The plans module's SQL for plans and their trees: nodes, indicators, observations and cases. The
// vision's versions, projects and municipalities and the publications have their own repository-*.ts.
import { and, asc, count, eq, inArray, isNull, max } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { cases, indicators, observations, planNodes, plans } from './schema.ts';

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

/** The plan's current tree: retired nodes are left out. */
export async function loadPlanTree(db: Db, plan: PlanRow): Promise<PlanTree> {
  const nodes = await db
    .select()
    .from(planNodes)
    .where(and(eq(planNodes.planId, plan.id), isNull(planNodes.retiredAt)))
    .orderBy(asc(planNodes.position));
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

// For the staff workspace: a plan's indicators with their owners and latest values.

export interface IndicatorForEntry {
  id: number;
  code: string;
  name: string;
  kpiCode: string | null;
  unit: string;
  target: number | null;
  targetYear: number | null;
  direction: string;
  ownerDepartment: string | null;
  latest: { value: number | null; periodLabel: string; periodEnd: string } | null;
}

export async function indicatorsForEntry(db: Db, planId: string): Promise<IndicatorForEntry[]> {
  const nodes = await db
    .select()
    .from(planNodes)
    .where(and(eq(planNodes.planId, planId), eq(planNodes.kind, 'indicator')))
    .orderBy(asc(planNodes.position));
  if (!nodes.length) return [];
  const ids = nodes.map((n) => n.id);
  const parents = await db.select({ id: planNodes.id, code: planNodes.code }).from(planNodes).where(eq(planNodes.planId, planId));
  const parentCode = new Map(parents.map((p) => [p.id, p.code]));
  const inds = new Map((await db.select().from(indicators).where(inArray(indicators.nodeId, ids))).map((i) => [i.nodeId, i]));
  const obs = await db
    .select()
    .from(observations)
    .where(inArray(observations.indicatorId, ids))
    .orderBy(asc(observations.periodEnd), asc(observations.id));
  const latest = new Map(obs.map((o) => [o.indicatorId, o]));
  return nodes.map((n) => {
    const i = inds.get(n.id)!;
    const l = latest.get(n.id);
    return {
      id: n.id,
      code: n.code,
      name: n.name,
      kpiCode: n.parentId === null ? null : (parentCode.get(n.parentId) ?? null),
      unit: i.unit,
      target: i.targetValue,
      targetYear: i.targetYear,
      direction: i.direction,
      ownerDepartment: i.ownerDepartment,
      latest: l ? { value: l.value, periodLabel: l.periodLabel, periodEnd: l.periodEnd } : null,
    };
  });
}

export async function setOwnerDepartment(db: Db, nodeId: number, department: string | null) {
  await db.update(indicators).set({ ownerDepartment: department }).where(eq(indicators.nodeId, nodeId));
}

// Structure editing.

export async function findNode(db: Db, planId: string, code: string): Promise<NodeRow | undefined> {
  const [row] = await db
    .select()
    .from(planNodes)
    .where(and(eq(planNodes.planId, planId), eq(planNodes.code, code)));
  return row;
}

export async function findIndicatorRow(db: Db, nodeId: number): Promise<IndicatorRow | undefined> {
  const [row] = await db.select().from(indicators).where(eq(indicators.nodeId, nodeId));
  return row;
}

export async function nextPosition(db: Db, planId: string): Promise<number> {
  const [row] = await db
    .select({ m: max(planNodes.position) })
    .from(planNodes)
    .where(eq(planNodes.planId, planId));
  return (row?.m ?? -1) + 1;
}

export async function childCodes(db: Db, parentId: number): Promise<string[]> {
  return (await db.select({ code: planNodes.code }).from(planNodes).where(eq(planNodes.parentId, parentId))).map((r) => r.code);
}

export async function updateNodeName(db: Db, id: number, name: string, description: string | null) {
  await db.update(planNodes).set({ name, description }).where(eq(planNodes.id, id));
}

export async function updateIndicator(db: Db, nodeId: number, set: Partial<typeof indicators.$inferInsert>) {
  await db.update(indicators).set(set).where(eq(indicators.nodeId, nodeId));
}

export async function retireNode(db: Db, id: number, reason: string) {
  await db.update(planNodes).set({ retiredAt: new Date(), retiredReason: reason }).where(eq(planNodes.id, id));
}

export async function updateNodeDetails(db: Db, id: number, details: unknown) {
  await db.update(planNodes).set({ details }).where(eq(planNodes.id, id));
}
