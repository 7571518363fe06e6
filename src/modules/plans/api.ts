// JSON API (/api/v1) and open data files (/opendata). Stable URLs: see README.
import { Hono } from 'hono';
import { z } from 'zod';
import { encode, parse, sendEncoded } from '../../platform/http.ts';
import { notFound } from '../../platform/errors.ts';
import type { PlansQueries } from './index.ts';
import {
  budgetRecords,
  fieldName,
  indicatorRecords,
  kpiJson,
  kpiRecords,
  kpisJson,
  planJson,
  projectIndicatorRecords,
  projectJson,
  projectRecords,
  reconciliationJson,
  toCsv,
  versionJson,
} from './present.ts';
import { targetRecords, targetsJson } from './present-talent.ts';
import { reconcile } from './reconciliation.ts';
import { codeParam, isoDate, planIdParam, projectFilter, projectNumber } from './schema.ts';
import { filterProjects, versionOf, type Vision } from './vision.ts';

const asOfQuery = isoDate.optional();

export function apiRoutes(q: PlansQueries) {
  const app = new Hono();

  const dashboardOf = async (planId: string | undefined, asOf: string | undefined) => {
    const id = parse(planIdParam, planId, '計画ID');
    await q.plan(id);
    return q.dashboard(id, parse(asOfQuery, asOf, 'asOf'));
  };

  app.get('/api/v1/plans', async (c) => {
    const rows = await q.plans();
    return c.json({ plans: rows.map((r) => planJson(r.plan, r.latestAsOf)) });
  });

  app.get('/api/v1/plans/:planId', async (c) => {
    const plan = await q.plan(parse(planIdParam, c.req.param('planId'), '計画ID'));
    const pubs = await q.publications(plan.id);
    return c.json({ ...planJson(plan, pubs[0]?.asOf ?? null), settings: plan.settings });
  });

  app.get('/api/v1/plans/:planId/publications', async (c) => {
    const plan = await q.plan(parse(planIdParam, c.req.param('planId'), '計画ID'));
    const pubs = await q.publications(plan.id);
    return c.json({
      plan: plan.id,
      publications: pubs.map((p) => ({ asOf: p.asOf, label: p.label, publishedAt: p.publishedAt, provenance: p.provenance })),
    });
  });

  app.get('/api/v1/plans/:planId/kpis', async (c) => {
    const planId = c.req.param('planId');
    const asOf = c.req.query('asOf');
    // The most requested body: serialized once per publication.
    const body = await q.pages.get(`api:kpis:${planId}@${asOf ?? ''}`, async () =>
      encode(JSON.stringify(kpisJson(await dashboardOf(planId, asOf))), 'application/json'),
    );
    return sendEncoded(c, body);
  });

  app.get('/api/v1/plans/:planId/kpis/:kpi', async (c) => {
    const code = parse(codeParam, c.req.param('kpi'), 'KPIコード');
    const d = await dashboardOf(c.req.param('planId'), c.req.query('asOf'));
    const kpi = d.kpis.find((k) => k.code === code);
    if (!kpi) throw notFound('KPI');
    return c.json({ plan: d.snapshot.plan.id, asOf: d.snapshot.asOf, ...kpiJson(kpi, fieldName(d, kpi.field)) });
  });

  app.get('/api/v1/plans/:planId/reconciliation', async (c) => {
    const d = await dashboardOf(c.req.param('planId'), c.req.query('asOf'));
    return c.json(reconciliationJson(d, reconcile(d)));
  });

  // Regional vision.
  const visionOf = (planId: string | undefined) => q.vision(parse(planIdParam, planId, '計画ID'));

  app.get('/api/v1/plans/:planId/projects', async (c) => {
    const v = await visionOf(c.req.param('planId'));
    const version = versionOf(v, c.req.query('version'));
    const filter = parse(projectFilter(v), { ...c.req.query(), version: undefined }, '絞り込み条件');
    const projects = filterProjects(v, filter, true)
      .filter((p) => p.numbers[version] !== null)
      .sort((a, b) => a.numbers[version]! - b.numbers[version]!);
    return c.json({ plan: v.planId, version, projects: projects.map((p) => projectJson(p, version, p.numbers[version]!)) });
  });

  app.get('/api/v1/plans/:planId/projects/:number', async (c) => {
    const v = await visionOf(c.req.param('planId'));
    const version = versionOf(v, c.req.query('version'));
    const number = parse(projectNumber, c.req.param('number'), '事業番号');
    const p = [...v.projects, ...v.endedProjects].find((x) => x.numbers[version] === number);
    if (!p) throw notFound(`事業番号 ${number} の事業`);
    return c.json({ plan: v.planId, ...projectJson(p, version, number) });
  });

  app.get('/api/v1/plans/:planId/versions', async (c) => {
    const v = await visionOf(c.req.param('planId'));
    return c.json({ plan: v.planId, current: v.current, versions: v.versions.map(versionJson), changes: v.changes });
  });

  // Development policy (kind `development_policy`): targets per year.
  app.get('/api/v1/plans/:planId/targets', async (c) =>
    c.json(targetsJson(await q.talent(parse(planIdParam, c.req.param('planId'), '計画ID')))),
  );

  const file = z.string().regex(/^(kpis|indicators|projects|budgets|targets)\.(csv|json)$/);
  app.get('/opendata/:planId/:file', async (c) => {
    const name = file.safeParse(c.req.param('file'));
    if (!name.success) throw notFound('オープンデータのファイル');
    const [dataset, format] = name.data.split('.') as [string, 'csv' | 'json'];
    const plan = await q.plan(parse(planIdParam, c.req.param('planId'), '計画ID'));
    let records: Record<string, string | number | null>[];
    let base: string;
    if (plan.kind === 'vision') {
      const v = await q.vision(plan.id);
      versionOf(v, c.req.query('version'), true);
      const sets: Record<string, (v: Vision) => Record<string, string | number | null>[]> = {
        projects: projectRecords,
        budgets: budgetRecords,
        indicators: projectIndicatorRecords,
      };
      if (!sets[dataset]) throw notFound('オープンデータのファイル');
      records = sets[dataset](v);
      base = `${plan.id}-${dataset}-${v.current}`;
    } else if (dataset === 'targets') {
      if (plan.kind !== 'development_policy') throw notFound('オープンデータのファイル');
      records = targetRecords(await q.talent(plan.id));
      base = `${plan.id}-${dataset}`;
    } else {
      if (dataset !== 'kpis' && dataset !== 'indicators') throw notFound('オープンデータのファイル');
      const d = await dashboardOf(plan.id, c.req.query('asOf'));
      records = dataset === 'kpis' ? kpiRecords(d) : indicatorRecords(d);
      base = `${plan.id}-${dataset}-${d.snapshot.asOf}`;
    }
    c.header('Cache-Control', 'public, max-age=300');
    if (format === 'json') return c.json(records);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `inline; filename="${base}.csv"`);
    return c.body(toCsv(records, Object.keys(records[0] ?? {})));
  });

  return app;
}
