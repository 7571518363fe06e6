// JSON API (/api/v1) and open data files (/opendata). Stable URLs: see README.
import { Hono } from 'hono';
import { z } from 'zod';
import { encode, parse, sendEncoded } from '../../platform/http.ts';
import { notFound } from '../../platform/errors.ts';
import type { PlansQueries } from './index.ts';
import { indicatorRecords, kpiJson, kpiRecords, kpisJson, planJson, reconciliationJson, fieldName, toCsv } from './present.ts';
import { reconcile } from './reconciliation.ts';
import { codeParam, isoDate, planIdParam } from './schema.ts';

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
      publications: pubs.map((p) => ({ asOf: p.asOf, label: p.label, publishedAt: p.publishedAt, source: p.source })),
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

  const file = z.enum(['kpis.csv', 'kpis.json', 'indicators.csv', 'indicators.json']);
  app.get('/opendata/:planId/:file', async (c) => {
    const name = file.safeParse(c.req.param('file'));
    if (!name.success) throw notFound('オープンデータのファイル');
    const d = await dashboardOf(c.req.param('planId'), c.req.query('asOf'));
    const kpis = name.data.startsWith('kpis');
    const records = kpis ? kpiRecords(d) : indicatorRecords(d);
    const base = `${d.snapshot.plan.id}-${kpis ? 'kpis' : 'indicators'}-${d.snapshot.asOf}`;
    c.header('Cache-Control', 'public, max-age=300');
    if (name.data.endsWith('.json')) return c.json(records);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `inline; filename="${base}.csv"`);
    return c.body(toCsv(records as Record<string, string | number | null>[], Object.keys(records[0] ?? {})));
  });

  return app;
}
