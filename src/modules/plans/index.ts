/**
 * plans — policy plans (計画) as trees of fields, KPIs and indicators; achievement rates and KPI
 * indices; immutable publications (公表版); the public goal-achievement dashboard, its API and open
 * data; and every change to them: structure, vision revisions, budgets, owners, spreadsheet imports
 * and the publications of reporting rounds. Needs from others: the staff `Actor` (identity) and the
 * organisation registry's queries (owners are its units).
 * Each command drops the caches it made stale; other processes follow the data version (ADR 0006).
 */
import type { Db } from '../../platform/db.ts';
import { createCache, dataVersion } from '../../platform/cache.ts';
import type { Encoded } from '../../platform/http.ts';
import { notFound } from '../../platform/errors.ts';
import type { Module, Routes } from '../../platform/module.ts';
import type { Actor } from '../identity/index.ts';
import type { OrganisationsModule } from '../organisations/index.ts';
import { addNode, type AddNodeInput } from './commands/add-node.ts';
import { addProject } from './commands/add-project.ts';
import { assignOwner } from './commands/assign-owner.ts';
import type { PlansContext } from './commands/context.ts';
import { editIndicator } from './commands/edit-indicator.ts';
import { endProject } from './commands/end-project.ts';
import { importSheet, type ImportSheetInput } from './commands/import-sheet.ts';
import { publishObservations, type PublishIn } from './commands/publish-observations.ts';
import { publishSnapshot, type PublishInput } from './commands/publish-snapshot.ts';
import { renameNode } from './commands/rename-node.ts';
import { retire } from './commands/retire.ts';
import { setProjectPartners } from './commands/set-project-partners.ts';
import { startRevision } from './commands/start-revision.ts';
import { updateBudget, type UpdateBudgetInput } from './commands/update-budget.ts';
import { loadDefaultData } from './default-data.ts';

import { budgetFiscalYears, loadVisionRows, projectForEdit } from './repository-projects.ts';
import { listPublications, publicationHistory, publicationPair } from './repository-publications.ts';
import { countPlans, findPlan, indicatorsForEntry, listPlans, loadPlanTree, type PlanTree } from './repository.ts';
import { loadSheet, sheetList } from './sheets.ts';
import { dashboard, type Dashboard } from './snapshot.ts';
import type { PublishedSnapshot } from './trend.ts';
import { buildVision, type Vision } from './vision.ts';
import { periodTargetsOf } from './repository-targets.ts';
import { buildTalent, type Talent } from './talent.ts';
import { apiRoutes } from './api.ts';
import { publicRoutes } from './public.tsx';

export type { IndicatorForEntry, PlanRow, PlanTree } from './repository.ts';
export type { ProjectForEdit } from './repository-projects.ts';
export type { Vision } from './vision.ts';
export type { Talent } from './talent.ts';
export type { Sheet } from './sheets.ts';
export type { ObservationsInput } from './commands/publish-observations.ts';
export { parsePeriod } from './periods.ts';
export { isCountUnit } from './units.ts';
export { totalWarning } from './budget-check.ts';
export { canAssignOwner, canEditProjectOf, canEditStructure } from './rules.ts';
// The forms' inputs: staff handlers parse with these and pass the typed result to the commands.
export { indicatorInput, measureIndicatorInput } from './commands/edit-indicator.ts';
export { addNodeInput } from './commands/add-node.ts';
export { renameInput } from './commands/rename-node.ts';
export { retireInput } from './commands/retire.ts';
export { revisionInput } from './commands/start-revision.ts';
export { addProjectInput } from './commands/add-project.ts';
export { endProjectInput } from './commands/end-project.ts';
export { partnersInput } from './commands/set-project-partners.ts';
export { ownerInput } from './commands/assign-owner.ts';
export { budgetInput } from './commands/update-budget.ts';

function createPlansQueries(db: Db, organisations: PlansDeps['organisations']) {
  // Changes made by another server process reach this one through the data version (ADR 0006).
  const fresh = dataVersion(db, 'plans');
  const dashboards = createCache<Dashboard>(1000, fresh);
  const trees = createCache<PlanTree>(1000, fresh);
  const visions = createCache<Vision>(1000, fresh);
  const talents = createCache<Talent>(100, fresh);
  const histories = createCache<PublishedSnapshot[]>(100, fresh);
  /** Rendered pages and API bodies, per URL and language. */
  const pages = createCache<Encoded>(1000, fresh);
  const queries = {
    pages,
    async plans() {
      const rows = await listPlans(db);
      return Promise.all(rows.map(async (plan) => ({ plan, latestAsOf: (await listPublications(db, plan.id))[0]?.asOf ?? null })));
    },
    async plan(id: string) {
      const plan = await findPlan(db, id);
      if (!plan) throw notFound('計画');
      return plan;
    },
    /** The plans of a kind (dashboard, vision, policy_tree), by id. */
    async plansOfKind(kind: string) {
      return (await listPlans(db)).filter((p) => p.kind === kind);
    },
    publications: (planId: string) => listPublications(db, planId),
    /** The dashboard of the latest publication, or of the one at `asOf`. */
    dashboard(planId: string, asOf?: string): Promise<Dashboard> {
      return dashboards.get(`${planId}@${asOf ?? 'latest'}`, async () => {
        const pair = await publicationPair(db, planId, asOf);
        if (!pair) throw notFound(asOf ? `${asOf} 時点の公表版` : '計画の公表版');
        return { ...dashboard(pair.current, pair.previous), planNameEn: (await findPlan(db, planId))?.nameEn ?? null };
      });
    },
    /** Every publication of a plan with its snapshot, oldest first: one read per plan until the data changes. */
    history: (planId: string) => histories.get(planId, () => publicationHistory(db, planId)),
    /** A plan's tree of nodes, for plans of the given kind (404 for others). */
    async tree(planId: string, kind: string): Promise<PlanTree> {
      const plan = await queries.plan(planId);
      if (plan.kind !== kind) throw notFound('ページ');
      return trees.get(planId, () => loadPlanTree(db, plan));
    },
    vision(planId: string): Promise<Vision> {
      return visions.get(planId, async () => {
        const tree = await queries.tree(planId, 'vision');
        const rows = await loadVisionRows(
          db,
          planId,
          tree.nodes.map((n) => n.id),
        );
        return buildVision(tree, rows, tree.plan.settings.grading ?? { thresholds: [], notEvaluable: '－' });
      });
    },
    /** A development policy (kind `development_policy`): pillars, figures, targets per year and the stage table (404 for other kinds). */
    async talent(planId: string): Promise<Talent> {
      const tree = await queries.tree(planId, 'development_policy');
      return talents.get(planId, async () => buildTalent(tree, await periodTargetsOf(db, planId)));
    },
    /** A vision's fiscal years (its budget columns). */
    fiscalYears: (planId: string) => budgetFiscalYears(db, planId),
    /**
     * A plan's indicators with their owners and latest values, for entry in a reporting round; in
     * `tx` when a command checks them inside its transaction.
     */
    indicatorsForEntry: (planId: string, tx: Db = db) => indicatorsForEntry(tx, planId),
    /** A project of a vision's current version by its number, with its budgets (undefined when there is none). */
    projectForEdit: (planId: string, number: number) => projectForEdit(db, planId, number),
    /** The datasets staff exchange as spreadsheets. */
    sheets: () => sheetList,
    /** A dataset as this staff member may edit it (404 for an unknown name). */
    sheet: async (name: string, actor: Actor) => loadSheet(db, name, actor, await organisations.queries.units()),
  };
  const drop = () => {
    for (const c of [dashboards, histories, pages, talents, trees, visions]) c.clear();
  };
  return { queries, drop };
}

export type PlansQueries = ReturnType<typeof createPlansQueries>['queries'];

export interface PlansCommands {
  /** Freezes the plan's current figures into a publication; answers its id. */
  publish(input: PublishInput): Promise<number>;
  /** Observations and a publication in one transaction with the caller's checks and writes. */
  publishObservations<T>(work: PublishIn<T>): Promise<T>;
  editIndicator(actor: Actor, input: Parameters<typeof editIndicator>[2]): Promise<void>;
  addNode(actor: Actor, input: AddNodeInput): Promise<string>;
  renameNode(actor: Actor, input: Parameters<typeof renameNode>[2]): Promise<void>;
  retire(actor: Actor, input: Parameters<typeof retire>[2]): Promise<void>;
  startRevision(actor: Actor, input: Parameters<typeof startRevision>[2]): Promise<number>;
  addProject(actor: Actor, input: Parameters<typeof addProject>[2]): Promise<string>;
  endProject(actor: Actor, input: Parameters<typeof endProject>[2]): Promise<void>;
  setProjectPartners(actor: Actor, input: Parameters<typeof setProjectPartners>[2]): Promise<void>;
  updateBudget(actor: Actor, input: UpdateBudgetInput): Promise<void>;
  assignOwner(actor: Actor, input: Parameters<typeof assignOwner>[2]): Promise<void>;
  importSheet(actor: Actor, input: ImportSheetInput): Promise<void>;
}

/** A module whose public pages and API are always there. */
export type PlansModule = Module<PlansCommands, PlansQueries> & { routes: { public: Routes; api: Routes } };

export interface PlansDeps {
  db: Db;
  /** Owners are chosen from the registry (and shown by its names). */
  organisations: Pick<OrganisationsModule, 'queries'>;
}

export function createPlansModule(deps: PlansDeps): PlansModule {
  const { queries, drop } = createPlansQueries(deps.db, deps.organisations);
  const ctx: PlansContext = { db: deps.db, organisations: deps.organisations, changed: drop };
  return {
    routes: { public: publicRoutes(queries), api: apiRoutes(queries) },
    commands: {
      async publish(input) {
        const id = await publishSnapshot(deps.db, input);
        drop();
        return id;
      },
      publishObservations: (work) => publishObservations(ctx, work),
      editIndicator: (actor, input) => editIndicator(ctx, actor, input),
      addNode: (actor, input) => addNode(ctx, actor, input),
      renameNode: (actor, input) => renameNode(ctx, actor, input),
      retire: (actor, input) => retire(ctx, actor, input),
      startRevision: (actor, input) => startRevision(ctx, actor, input),
      addProject: (actor, input) => addProject(ctx, actor, input),
      endProject: (actor, input) => endProject(ctx, actor, input),
      setProjectPartners: (actor, input) => setProjectPartners(ctx, actor, input),
      updateBudget: (actor, input) => updateBudget(ctx, actor, input),
      assignOwner: (actor, input) => assignOwner(ctx, actor, input),
      importSheet: (actor, input) => importSheet(ctx, actor, input),
    },
    queries,
    /** Loads the Aomori data when the database has no plan yet. */
    async loadDefaultData() {
      if ((await countPlans(deps.db)) > 0) return false;
      await loadDefaultData(deps.db);
      drop();
      return true;
    },
  };
}
