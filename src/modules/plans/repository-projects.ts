// The plans module's SQL for a vision's projects: budgets, evaluations, and everything the vision's
// pages read besides the node tree.
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import {
  budgetLines,
  evaluationIndicators,
  evaluations,
  municipalities,
  planMunicipalities,
  planNodes,
  projectPartners,
  planVersions,
  versionChanges,
  versionProjects,
} from './schema.ts';

export async function insertBudgetLines(db: Db, rows: (typeof budgetLines.$inferInsert)[]) {
  if (rows.length) await db.insert(budgetLines).values(rows);
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

/** A vision's fiscal years: the years its budget lines have (the 計 column has none), in order. */
export async function budgetFiscalYears(db: Db, planId: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ fiscalYear: budgetLines.fiscalYear })
    .from(budgetLines)
    .innerJoin(planNodes, eq(planNodes.id, budgetLines.nodeId))
    .where(and(eq(planNodes.planId, planId), isNotNull(budgetLines.fiscalYear)))
    .orderBy(asc(budgetLines.fiscalYear));
  return rows.map((r) => r.fiscalYear!);
}
