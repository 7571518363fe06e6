/**
 * plans — policy plans (計画) as trees of fields, KPIs and indicators; achievement rates and KPI
 * indices; immutable publications (公表版); the public goal-achievement dashboard, its API and open data.
 */
import type { Db } from '../../platform/db.ts';
import { createCache, dataVersion } from '../../platform/cache.ts';
import type { Encoded } from '../../platform/http.ts';
import { notFound } from '../../platform/errors.ts';
import { publishSnapshot, type PublishInput } from './commands/publish-snapshot.ts';
import { loadDefaultData } from './default-data.ts';
import { countPlans, findPlan, listPlans, loadPlanTree, type PlanTree } from './repository.ts';
import { listPublications, publicationPair } from './repository-publications.ts';
import { loadVisionRows } from './repository-projects.ts';
import { dashboard, type Dashboard } from './snapshot.ts';
import { buildVision, type Vision } from './vision.ts';
import { apiRoutes } from './api.ts';
import { publicRoutes } from './public.tsx';

export function createPlansQueries(db: Db) {
  // Changes made by another server process reach this one through the data version (ADR 0006).
  const fresh = dataVersion(db, 'plans');
  const dashboards = createCache<Dashboard>(1000, fresh);
  const trees = createCache<PlanTree>(1000, fresh);
  const visions = createCache<Vision>(1000, fresh);
  /** Rendered pages and API bodies, per URL and language. */
  const pages = createCache<Encoded>(1000, fresh);
  return {
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
    publications: (planId: string) => listPublications(db, planId),
    /** The dashboard of the latest publication, or of the one at `asOf`. */
    dashboard(planId: string, asOf?: string): Promise<Dashboard> {
      return dashboards.get(`${planId}@${asOf ?? 'latest'}`, async () => {
        const pair = await publicationPair(db, planId, asOf);
        if (!pair) throw notFound(asOf ? `${asOf} 時点の公表版` : '計画の公表版');
        return dashboard(pair.current, pair.previous);
      });
    },
    /** A plan's tree of nodes, for plans of the given kind (404 for others). */
    async tree(planId: string, kind: string): Promise<PlanTree> {
      const plan = await this.plan(planId);
      if (plan.kind !== kind) throw notFound('ページ');
      return trees.get(planId, () => loadPlanTree(db, plan));
    },
    vision(planId: string): Promise<Vision> {
      return visions.get(planId, async () => {
        const tree = await this.tree(planId, 'vision');
        const rows = await loadVisionRows(
          db,
          planId,
          tree.nodes.map((n) => n.id),
        );
        return buildVision(tree, rows, tree.plan.settings.grading ?? { thresholds: [], notEvaluable: '－' });
      });
    },
    invalidate() {
      for (const c of [dashboards, pages, trees, visions]) c.clear();
    },
  };
}

export type PlansQueries = ReturnType<typeof createPlansQueries>;

// What other modules (the staff workspace) may use.
export { publishSnapshot } from './commands/publish-snapshot.ts';
export {
  childCodes,
  findIndicatorRow,
  findNode,
  insertIndicator,
  insertNode,
  nextPosition,
  retireNode,
  updateIndicator,
  updateNodeName,
  updateNodeDetails,
  indicatorsForEntry,
  insertObservations,
  setOwnerDepartment,
  type IndicatorForEntry,
} from './repository.ts';
export {
  currentVersion,
  insertVersion,
  insertVersionChanges,
  insertVersionProjects,
  makeCurrent,
  removeFromVersion,
  versionNumbers,
} from './repository-versions.ts';
export { partnerCodes, planMunicipalityCodes, setPartners } from './repository-municipalities.ts';
export { projectForEdit, setBudgetCell, type ProjectForEdit } from './repository-projects.ts';
export { parsePeriod } from './periods.ts';

export function plansModule(deps: { db: Db }) {
  const queries = createPlansQueries(deps.db);
  return {
    queries,
    routes: { public: publicRoutes(queries), api: apiRoutes(queries) },
    async publish(input: PublishInput) {
      const id = await publishSnapshot(deps.db, input);
      queries.invalidate();
      return id;
    },
    /** Loads the Aomori data when the database has no plan yet. */
    async loadDefaultDataIfEmpty(): Promise<boolean> {
      if ((await countPlans(deps.db)) > 0) return false;
      await loadDefaultData(deps.db);
      queries.invalidate();
      return true;
    },
  };
}
