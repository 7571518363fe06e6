// The plans module's only SQL.
import { and, asc, count, desc, eq, inArray, isNull, lte, max } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import {
  budgetLines,
  cases,
  evaluationIndicators,
  evaluations,
  indicators,
  municipalities,
  observations,
  planMunicipalities,
  planNodes,
  plans,
  projectPartners,
  planVersions,
  publications,
  versionChanges,
  versionProjects,
} from './schema.ts';
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

// Regional vision: municipalities, budgets, versions, evaluations.

export async function insertMunicipalities(db: Db, rows: { code: string; name: string }[]) {
  if (rows.length)
    await db
      .insert(municipalities)
      .values(rows.map(({ code, name }) => ({ code, name })))
      .onConflictDoNothing();
}

export async function insertPlanMunicipalities(db: Db, rows: (typeof planMunicipalities.$inferInsert)[]) {
  if (rows.length) await db.insert(planMunicipalities).values(rows);
}

export async function insertProjectPartners(db: Db, rows: (typeof projectPartners.$inferInsert)[]) {
  if (rows.length) await db.insert(projectPartners).values(rows);
}

export async function insertBudgetLines(db: Db, rows: (typeof budgetLines.$inferInsert)[]) {
  if (rows.length) await db.insert(budgetLines).values(rows);
}

export async function insertVersion(db: Db, row: typeof planVersions.$inferInsert): Promise<number> {
  const [inserted] = await db.insert(planVersions).values(row).returning({ id: planVersions.id });
  return inserted!.id;
}

export async function insertVersionProjects(db: Db, rows: (typeof versionProjects.$inferInsert)[]) {
  if (rows.length) await db.insert(versionProjects).values(rows);
}

export async function insertVersionChanges(db: Db, rows: (typeof versionChanges.$inferInsert)[]) {
  if (rows.length) await db.insert(versionChanges).values(rows);
}

export async function insertEvaluation(db: Db, row: typeof evaluations.$inferInsert): Promise<number> {
  const [inserted] = await db.insert(evaluations).values(row).returning({ id: evaluations.id });
  return inserted!.id;
}

export async function insertEvaluationIndicators(db: Db, rows: (typeof evaluationIndicators.$inferInsert)[]) {
  if (rows.length) await db.insert(evaluationIndicators).values(rows);
}

export interface VisionRows {
  municipalities: { code: string; name: string; role: string }[];
  partners: (typeof projectPartners.$inferSelect)[];
  budgets: (typeof budgetLines.$inferSelect)[];
  versions: (typeof planVersions.$inferSelect)[];
  versionProjects: (typeof versionProjects.$inferSelect)[];
  changes: (typeof versionChanges.$inferSelect)[];
  evaluations: (typeof evaluations.$inferSelect)[];
  evaluationIndicators: (typeof evaluationIndicators.$inferSelect)[];
}

/** Everything a vision's pages need besides the node tree, one query after another. */
export async function loadVisionRows(db: Db, planId: string, nodeIds: number[]): Promise<VisionRows> {
  const municipalityRows = await db
    .select({ code: municipalities.code, name: municipalities.name, role: planMunicipalities.role })
    .from(planMunicipalities)
    .innerJoin(municipalities, eq(municipalities.code, planMunicipalities.municipalityCode))
    .where(eq(planMunicipalities.planId, planId))
    .orderBy(asc(planMunicipalities.position));
  const ids = nodeIds.length ? nodeIds : [-1];
  const partners = await db.select().from(projectPartners).where(inArray(projectPartners.nodeId, ids));
  const budgets = await db.select().from(budgetLines).where(inArray(budgetLines.nodeId, ids)).orderBy(asc(budgetLines.id));
  const versions = await db.select().from(planVersions).where(eq(planVersions.planId, planId)).orderBy(asc(planVersions.position));
  const versionIds = versions.length ? versions.map((v) => v.id) : [-1];
  const vp = await db.select().from(versionProjects).where(inArray(versionProjects.versionId, versionIds));
  const changes = await db
    .select()
    .from(versionChanges)
    .where(inArray(versionChanges.toVersionId, versionIds))
    .orderBy(asc(versionChanges.id));
  const evals = await db.select().from(evaluations).where(inArray(evaluations.nodeId, ids)).orderBy(asc(evaluations.id));
  const evalIds = evals.length ? evals.map((e) => e.id) : [-1];
  const evalIndicators = await db
    .select()
    .from(evaluationIndicators)
    .where(inArray(evaluationIndicators.evaluationId, evalIds))
    .orderBy(asc(evaluationIndicators.evaluationId), asc(evaluationIndicators.position));
  return {
    municipalities: municipalityRows,
    partners,
    budgets,
    versions,
    versionProjects: vp,
    changes,
    evaluations: evals,
    evaluationIndicators: evalIndicators,
  };
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

// For the staff workspace: a vision's projects and their budgets.

export interface ProjectForEdit {
  nodeId: number;
  code: string;
  number: number;
  name: string;
  /** The municipality that leads the plan's projects (the central city). */
  leadMunicipality: string | null;
  budgets: { fiscalYear: number | null; amount: number | null; cell: string }[];
}

export async function projectForEdit(db: Db, planId: string, number: number): Promise<ProjectForEdit | undefined> {
  const [row] = await db
    .select({ nodeId: planNodes.id, code: planNodes.code, name: planNodes.name, number: versionProjects.number })
    .from(versionProjects)
    .innerJoin(planVersions, eq(planVersions.id, versionProjects.versionId))
    .innerJoin(planNodes, eq(planNodes.id, versionProjects.nodeId))
    .where(and(eq(planVersions.planId, planId), eq(planVersions.isCurrent, true), eq(versionProjects.number, number)));
  if (!row) return undefined;
  const [lead] = await db
    .select({ code: planMunicipalities.municipalityCode })
    .from(planMunicipalities)
    .where(and(eq(planMunicipalities.planId, planId), eq(planMunicipalities.role, 'center')));
  const budgets = await db
    .select({ fiscalYear: budgetLines.fiscalYear, amount: budgetLines.amount, cell: budgetLines.cell })
    .from(budgetLines)
    .where(eq(budgetLines.nodeId, row.nodeId))
    .orderBy(asc(budgetLines.id));
  return { ...row, number: row.number!, leadMunicipality: lead?.code ?? null, budgets };
}

export async function setBudgetCell(
  db: Db,
  nodeId: number,
  fiscalYear: number | null,
  amount: number | null,
  cell: 'value' | 'blank' | 'dash',
) {
  await db
    .insert(budgetLines)
    .values({ nodeId, fiscalYear, amount, cell })
    .onConflictDoUpdate({ target: [budgetLines.nodeId, budgetLines.fiscalYear], set: { amount, cell } });
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

export async function currentVersion(db: Db, planId: string) {
  const [row] = await db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.planId, planId), eq(planVersions.isCurrent, true)));
  return row;
}

export async function versionNumbers(db: Db, versionId: number) {
  return db.select().from(versionProjects).where(eq(versionProjects.versionId, versionId));
}

export async function makeCurrent(db: Db, planId: string, versionId: number) {
  await db.update(planVersions).set({ isCurrent: false }).where(eq(planVersions.planId, planId));
  await db.update(planVersions).set({ isCurrent: true }).where(eq(planVersions.id, versionId));
}

export async function removeFromVersion(db: Db, versionId: number, nodeId: number) {
  await db.delete(versionProjects).where(and(eq(versionProjects.versionId, versionId), eq(versionProjects.nodeId, nodeId)));
}

export async function setPartners(db: Db, nodeId: number, codes: string[]) {
  await db.delete(projectPartners).where(eq(projectPartners.nodeId, nodeId));
  if (codes.length) await db.insert(projectPartners).values(codes.map((municipalityCode) => ({ nodeId, municipalityCode })));
}

export async function partnerCodes(db: Db, nodeId: number) {
  return (await db.select().from(projectPartners).where(eq(projectPartners.nodeId, nodeId))).map((p) => p.municipalityCode);
}

export async function planMunicipalityCodes(db: Db, planId: string) {
  return db.select().from(planMunicipalities).where(eq(planMunicipalities.planId, planId));
}

export async function updateNodeDetails(db: Db, id: number, details: unknown) {
  await db.update(planNodes).set({ details }).where(eq(planNodes.id, id));
}

// For the staff workspace's spreadsheets: every project of a vision's current version, each with
// its budget lines, in a fixed number of queries whatever the number of projects.

export interface ProjectSheetRow extends ProjectForEdit {
  description: string | null;
  details: unknown;
}

export async function projectsForEdit(db: Db, planId: string): Promise<ProjectSheetRow[]> {
  const projects = await db
    .select({
      nodeId: planNodes.id,
      code: planNodes.code,
      name: planNodes.name,
      number: versionProjects.number,
      description: planNodes.description,
      details: planNodes.details,
    })
    .from(versionProjects)
    .innerJoin(planVersions, eq(planVersions.id, versionProjects.versionId))
    .innerJoin(planNodes, eq(planNodes.id, versionProjects.nodeId))
    .where(and(eq(planVersions.planId, planId), eq(planVersions.isCurrent, true)))
    .orderBy(asc(versionProjects.number));
  const [lead] = await db
    .select({ code: planMunicipalities.municipalityCode })
    .from(planMunicipalities)
    .where(and(eq(planMunicipalities.planId, planId), eq(planMunicipalities.role, 'center')));
  const ids = projects.map((p) => p.nodeId);
  const lines = ids.length
    ? await db
        .select({ nodeId: budgetLines.nodeId, fiscalYear: budgetLines.fiscalYear, amount: budgetLines.amount, cell: budgetLines.cell })
        .from(budgetLines)
        .where(inArray(budgetLines.nodeId, ids))
        .orderBy(asc(budgetLines.id))
    : [];
  return projects.map((p) => ({
    ...p,
    number: p.number!,
    leadMunicipality: lead?.code ?? null,
    budgets: lines.filter((l) => l.nodeId === p.nodeId).map(({ fiscalYear, amount, cell }) => ({ fiscalYear, amount, cell })),
  }));
}
