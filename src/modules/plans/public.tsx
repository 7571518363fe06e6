// Public pages: the plans, the goal-achievement dashboard, the regional vision and the comprehensive
// plan. Server-rendered, readable without JavaScript; each page renders once per data version.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { loadCharts } from '../../web/charts.ts';
import { Layout } from '../../web/layout.tsx';
import { languages, type Lang } from '../../web/messages.ts';
import { encode, parse, sendEncoded } from '../../platform/http.ts';
import { notFound } from '../../platform/errors.ts';
import { cityPlanTreePage, policyPage } from './city-plan-public.tsx';
import { fieldPage, topPage } from './dashboard-public.tsx';
import type { PlansQueries } from './index.ts';
import { kpiPage } from './kpi-public.tsx';
import type { Page } from './page.ts';
import { planListPage } from './plan-list-public.tsx';
import { reconciliationPage } from './reconciliation-public.tsx';
import { talentPage } from './talent-public.tsx';
import { codeParam, fiscalYear, isoDate, municipalityCode, planIdParam, policyCode, projectFilter, projectNumber } from './schema.ts';
import { municipalityPage } from './vision-municipality-public.tsx';
import { overviewPage } from './vision-overview-public.tsx';
import { projectListPage, projectPage } from './vision-projects-public.tsx';
import { reportPage } from './vision-report-public.tsx';
import { diffPage, versionsPage } from './vision-versions-public.tsx';
import { versionOf } from './vision.ts';

const langQuery = z.enum(languages).default('ja');

export function publicRoutes(q: PlansQueries) {
  const app = new Hono();

  // The regional vision's pages show the current version: another (or an unknown) ?version= is 400,
  // checked before the page cache answers.
  app.use('/plans/:planId/*', checkVersion);
  app.use('/plans/:planId', checkVersion);
  async function checkVersion(c: Context, next: () => Promise<void>) {
    const version = c.req.query('version');
    if (version !== undefined) {
      const plan = await q.plan(parse(planIdParam, c.req.param('planId'), '計画ID'));
      if (plan.kind === 'vision') versionOf(await q.vision(plan.id), version, true);
    }
    return next();
  }

  /** Renders once per data version: the pages only change when a publication or data load does. */
  const render = async (c: Context, key: string, make: (lang: Lang) => Promise<Page>) => {
    const lang = parse(langQuery, c.req.query('lang'), 'lang');
    const page = await q.pages.get(`${key}?${lang}`, async () => {
      await loadCharts();
      const page = await make(lang);
      const doc = (
        <Layout lang={lang} title={page.title} path={key} crumbs={page.crumbs} bilingual>
          {page.body}
        </Layout>
      );
      return encode(`<!DOCTYPE html>${await doc.toString()}`, 'text/html; charset=UTF-8');
    });
    return sendEncoded(c, page);
  };

  const dashboardFor = async (planId: string | undefined) => q.dashboard(parse(planIdParam, planId, '計画ID'));

  /** A dashboard page at the publication `?asOf=` names (400 when malformed, before the cache; 404 when unknown). */
  const atPublication = (c: Context) => {
    const asOf = parse(isoDate.optional(), c.req.query('asOf'), 'asOf');
    return { asOf, key: asOf ? `${c.req.path}?asOf=${asOf}` : c.req.path };
  };
  const shownFor = async (planId: string | undefined, asOf: string | undefined) => {
    const id = parse(planIdParam, planId, '計画ID');
    const [d, publications] = await Promise.all([q.dashboard(id, asOf), q.publications(id)]);
    return { d, shown: { asOf, publications } };
  };

  app.get('/', (c) => render(c, '/', async (lang) => planListPage(await q.plans(), lang)));

  app.get('/plans/:planId', (c) => {
    const { asOf, key } = atPublication(c);
    return render(c, key, async (lang) => {
      const plan = await q.plan(parse(planIdParam, c.req.param('planId'), '計画ID'));
      // Only a dashboard has publications to pick from.
      if (asOf && plan.kind !== 'dashboard') throw notFound(`${asOf} 時点の公表版`);
      if (plan.kind === 'vision') return overviewPage(await q.vision(plan.id), lang);
      if (plan.kind === 'policy_tree') return cityPlanTreePage(await q.tree(plan.id, 'policy_tree'), lang);
      if (plan.kind === 'development_policy') return talentPage(await q.talent(plan.id), await q.publications(plan.id), lang);
      const { d, shown } = await shownFor(plan.id, asOf);
      return topPage(d, lang, shown);
    });
  });

  // Regional vision.
  const visionFor = (c: Context) => q.vision(parse(planIdParam, c.req.param('planId'), '計画ID'));

  app.get('/plans/:planId/projects', async (c) => {
    const v = await visionFor(c);
    const filter = parse(projectFilter(v), c.req.query(), '絞り込み条件');
    const key = `${c.req.path}?${new URLSearchParams(Object.entries(filter).filter(([, x]) => x) as [string, string][]).toString()}`;
    return render(c, key, async (lang) => projectListPage(v, filter, lang));
  });

  app.get('/plans/:planId/projects/:number', (c) =>
    render(c, c.req.path, async (lang) => projectPage(await visionFor(c), parse(projectNumber, c.req.param('number'), '事業番号'), lang)),
  );

  app.get('/plans/:planId/municipalities/:code', (c) =>
    render(c, c.req.path, async (lang) =>
      municipalityPage(await visionFor(c), parse(municipalityCode, c.req.param('code'), '市町村コード'), lang),
    ),
  );

  app.get('/plans/:planId/reports/:year', (c) =>
    render(c, c.req.path, async (lang) => reportPage(await visionFor(c), parse(fiscalYear, c.req.param('year'), '年度'), lang)),
  );

  app.get('/plans/:planId/versions', (c) => render(c, c.req.path, async (lang) => versionsPage(await visionFor(c), lang)));

  app.get('/plans/:planId/versions/:from/:to', (c) =>
    render(c, c.req.path, async (lang) =>
      diffPage(await visionFor(c), parse(codeParam, c.req.param('from'), '版'), parse(codeParam, c.req.param('to'), '版'), lang),
    ),
  );

  // Comprehensive plan.
  app.get('/plans/:planId/policies/:code', (c) =>
    render(c, c.req.path, async (lang) =>
      policyPage(
        await q.tree(parse(planIdParam, c.req.param('planId'), '計画ID'), 'policy_tree'),
        parse(policyCode, c.req.param('code'), '施策コード'),
        lang,
        (await q.plans()).map((r) => r.plan),
      ),
    ),
  );

  app.get('/plans/:planId/fields/:field', (c) => {
    const { asOf, key } = atPublication(c);
    return render(c, key, async (lang) => {
      const { d, shown } = await shownFor(c.req.param('planId'), asOf);
      return fieldPage(d, parse(codeParam, c.req.param('field'), '分野コード'), lang, shown);
    });
  });

  app.get('/plans/:planId/kpis/:kpi', (c) => {
    const { asOf, key } = atPublication(c);
    return render(c, key, async (lang) => {
      const { d, shown } = await shownFor(c.req.param('planId'), asOf);
      return kpiPage(d, parse(codeParam, c.req.param('kpi'), 'KPIコード'), lang, shown, await q.history(d.snapshot.plan.id));
    });
  });

  app.get('/plans/:planId/reconciliation', (c) =>
    render(c, c.req.path, async (lang) => reconciliationPage(await dashboardFor(c.req.param('planId')), lang)),
  );

  return app;
}
