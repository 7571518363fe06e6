// Public pages: the goal-achievement dashboard. Server-rendered, readable without JavaScript.
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { barChart, loadCharts } from '../../web/charts.ts';
import { formatChange, formatDate, formatNumber, formatRate, formatValue, UNKNOWN } from '../../web/format.ts';
import { Figure, href, Layout, TableScroll } from '../../web/layout.tsx';
import { languages, messages, type Lang } from '../../web/messages.ts';
import { encode, parse, sendEncoded } from '../../platform/http.ts';
import { notFound } from '../../platform/errors.ts';
import { rawRate, clip, roundTo } from './achievement.ts';
import type { PlansQueries } from './index.ts';
import { reconcile, roundingLabels } from './reconciliation.ts';
import { codeParam, fiscalYear, municipalityCode, planIdParam, policyCode, projectFilter, projectNumber } from './schema.ts';
import { versionOf } from './vision.ts';
import { diffPage, municipalityPage, overviewPage, projectListPage, projectPage, reportPage, versionsPage } from './vision-public.tsx';
import { cityPlanTreePage, policyPage } from './city-plan-public.tsx';
import type { Dashboard, DashboardKpi, SnapshotGoal } from './snapshot.ts';

const langQuery = z.enum(languages).default('ja');

type Page = { title: string; crumbs?: { href?: string; label: string }[]; body: Child };

function AsOf(props: { d: Dashboard; lang: Lang }) {
  const s = props.d.snapshot;
  return (
    <p>
      <span class="as-of">{s.label}</span>{' '}
      <span class="meta">
        （{messages[props.lang].asOf}: <time datetime={s.asOf}>{formatDate(s.asOf)}</time>）
      </span>
    </p>
  );
}

function Sources(props: { d: Dashboard; extra?: string }) {
  return (
    <p class="meta">
      出典: {props.d.snapshot.plan.source}
      {props.extra ? ` ／ ${props.extra}` : ''}
    </p>
  );
}

function KpiCard(props: { kpi: DashboardKpi; planId: string; lang: Lang; withComponents?: boolean }) {
  const { kpi, lang } = props;
  const m = messages[lang];
  return (
    <li class="card">
      <h4>
        <a href={href(`/plans/${props.planId}/kpis/${kpi.code}`, lang)}>{kpi.name}</a>
      </h4>
      <p class="figure-big">
        {formatRate(kpi.index)} <small>（{m.indexNote}）</small>
      </p>
      <div class="bar" aria-hidden="true">
        <span style={`width:${Math.max(0, Math.min(100, kpi.index ?? 0))}%`} />
      </div>
      <dl class="facts">
        <dt>{m.change}</dt>
        <dd>{formatChange(kpi.change)}</dd>
        <dt>{m.computedIndex}</dt>
        <dd class={kpi.computedIndex !== kpi.index ? 'differs' : undefined}>
          {formatRate(kpi.computedIndex)}
          {kpi.computedIndex !== kpi.index ? '（公表値と差あり）' : ''}
        </dd>
      </dl>
      {props.withComponents && kpi.components && (
        <p>
          <strong>【{m.components}】</strong>
          <br />
          {kpi.components}
        </p>
      )}
    </li>
  );
}

function KpiChart(props: { id: string; caption: string; kpis: DashboardKpi[]; d: Dashboard; lang: Lang }) {
  const m = messages[props.lang];
  const svg = barChart({
    label: `${props.caption}（${props.kpis.map((k) => `${k.name} ${formatRate(k.index)}`).join('、')}）`,
    categories: props.kpis.map((k) => k.name),
    series: [{ name: m.index, values: props.kpis.map((k) => k.index) }],
  });
  return (
    <Figure id={props.id} caption={props.caption} svg={svg} tableLabel={m.showTable}>
      <TableScroll label={props.caption}>
        <table>
          <caption class="meta">{`${props.caption}（${props.d.snapshot.label}）`}</caption>
          <thead>
            <tr>
              <th scope="col">{m.field}</th>
              <th scope="col">{m.kpi}</th>
              <th scope="col" class="num">
                {m.index}
              </th>
              <th scope="col" class="num">
                {m.change}
              </th>
              <th scope="col" class="num">
                {m.computedIndex}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.kpis.map((k) => (
              <tr>
                <td>{props.d.snapshot.fields.find((f) => f.code === k.field)?.name}</td>
                <th scope="row">{k.name}</th>
                <td class="num">{formatRate(k.index)}</td>
                <td class="num">{formatChange(k.change)}</td>
                <td class="num">{formatRate(k.computedIndex)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </Figure>
  );
}

/** A basic goal's latest value as a share of its target: the system's arithmetic, labelled as such. */
function goalShare(g: SnapshotGoal, d: Dashboard): number | null {
  const r = rawRate({ value: g.latest?.value ?? null, target: g.target, direction: g.direction, base: g.base });
  const s = d.snapshot.settings;
  return r === null ? null : roundTo(clip(r, s.clip), s.rounding.digits, s.rounding.mode);
}

function Goals(props: { d: Dashboard; lang: Lang }) {
  const { d, lang } = props;
  const m = messages[lang];
  const goals = d.snapshot.goals;
  const caption = '基本目標：目標値に対する直近値の割合（システム計算）';
  const svg = barChart({
    label: `${caption}（${goals.map((g) => `${g.name} ${formatRate(goalShare(g, d))}`).join('、')}）`,
    categories: goals.map((g) => g.measure ?? g.name),
    series: [{ name: '目標値に対する割合', values: goals.map((g) => goalShare(g, d)) }],
  });
  return (
    <section aria-labelledby="goals">
      <h2 id="goals">{m.basicGoals}</h2>
      <ul class="cards">
        {goals.map((g) => (
          <li class="card">
            <h3>{g.name}</h3>
            <p class="meta">{g.measure}</p>
            <p class="figure-big">
              {formatValue(g.latest?.value, g.unit)} <small>（{g.latest?.period ?? UNKNOWN}）</small>
            </p>
            <dl class="facts">
              <dt>前回の値</dt>
              <dd>{g.previous ? `${formatValue(g.previous.value, g.unit)}（${g.previous.period}）` : UNKNOWN}</dd>
              <dt>目標値</dt>
              <dd>
                {formatValue(g.target, g.unit)}
                {g.targetYear ? `（${g.targetYear}年）` : ''}
              </dd>
              <dt>{m.dataSource}</dt>
              <dd>{g.source ?? UNKNOWN}</dd>
              {g.notes && (
                <>
                  <dt>{m.notes}</dt>
                  <dd>{g.notes}</dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ul>
      <Figure id="goals-chart" caption={caption} svg={svg} tableLabel={m.showTable}>
        <TableScroll label={caption}>
          <table>
            <thead>
              <tr>
                <th scope="col">基本目標</th>
                <th scope="col" class="num">
                  前回の値
                </th>
                <th scope="col" class="num">
                  直近の値
                </th>
                <th scope="col" class="num">
                  目標値
                </th>
                <th scope="col" class="num">
                  目標値に対する割合
                </th>
              </tr>
            </thead>
            <tbody>
              {goals.map((g) => (
                <tr>
                  <th scope="row">{g.name}</th>
                  <td class="num">{g.previous ? `${formatValue(g.previous.value, g.unit)}（${g.previous.period}）` : UNKNOWN}</td>
                  <td class="num">{g.latest ? `${formatValue(g.latest.value, g.unit)}（${g.latest.period}）` : UNKNOWN}</td>
                  <td class="num">{`${formatValue(g.target, g.unit)}${g.targetYear ? `（${g.targetYear}年）` : ''}`}</td>
                  <td class="num">{formatRate(goalShare(g, d))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Figure>
      <p class="meta">出典: {goals[0]?.provenance}</p>
    </section>
  );
}

function topPage(d: Dashboard, lang: Lang): Page {
  const m = messages[lang];
  const s = d.snapshot;
  return {
    title: `${s.plan.name} ${m.dashboard}`,
    crumbs: [{ href: '/', label: m.home }, { label: s.plan.name }],
    body: (
      <>
        <h1>
          {s.plan.name} {m.dashboard}
        </h1>
        <AsOf d={d} lang={lang} />
        <Goals d={d} lang={lang} />
        <section aria-labelledby="kpis">
          <h2 id="kpis">{m.kpis}</h2>
          <p>{`${s.fields.length}分野${d.kpis.length}項目のKPIそれぞれの下に中間指標を設定し、中間指標の達成率の単純平均でKPIを指数化しています。`}</p>
          {s.fields.map((f) => (
            <section aria-labelledby={`field-${f.code}`}>
              <h3 id={`field-${f.code}`}>
                <a href={href(`/plans/${s.plan.id}/fields/${f.code}`, lang)}>{f.name}分野</a>
              </h3>
              <ul class="cards">
                {d.kpis
                  .filter((k) => k.field === f.code)
                  .map((k) => (
                    <KpiCard kpi={k} planId={s.plan.id} lang={lang} />
                  ))}
              </ul>
            </section>
          ))}
          <KpiChart id="kpi-chart" caption="KPIの指数（8項目）" kpis={d.kpis} d={d} lang={lang} />
        </section>
        <section aria-labelledby="more">
          <h2 id="more">データと計算</h2>
          <ul>
            <li>
              <a href={href(`/plans/${s.plan.id}/reconciliation`, lang)}>{m.reconciliation}</a>
            </li>
            <li>
              {m.openData}: <a href={`/opendata/${s.plan.id}/kpis.csv`}>KPI (CSV)</a>・
              <a href={`/opendata/${s.plan.id}/indicators.csv`}>中間指標 (CSV)</a>・
              <a href={`/opendata/${s.plan.id}/kpis.json`}>KPI (JSON)</a>・
              <a href={`/opendata/${s.plan.id}/indicators.json`}>中間指標 (JSON)</a>
            </li>
            <li>
              API: <a href={`/api/v1/plans/${s.plan.id}/kpis`}>{`/api/v1/plans/${s.plan.id}/kpis`}</a>
            </li>
          </ul>
          <Sources d={d} />
        </section>
      </>
    ),
  };
}

function fieldPage(d: Dashboard, code: string, lang: Lang): Page {
  const m = messages[lang];
  const s = d.snapshot;
  const field = s.fields.find((f) => f.code === code);
  if (!field) throw notFound('分野');
  const kpis = d.kpis.filter((k) => k.field === code);
  return {
    title: `${field.name}分野 | ${s.plan.name}`,
    crumbs: [{ href: '/', label: m.home }, { href: `/plans/${s.plan.id}`, label: s.plan.name }, { label: `${field.name}分野` }],
    body: (
      <>
        <h1>{field.name}分野</h1>
        <AsOf d={d} lang={lang} />
        <ul class="cards">
          {kpis.map((k) => (
            <KpiCard kpi={k} planId={s.plan.id} lang={lang} withComponents />
          ))}
        </ul>
        <KpiChart id="field-chart" caption={`${field.name}分野のKPIの指数`} kpis={kpis} d={d} lang={lang} />
        <section aria-labelledby="cases">
          <h2 id="cases">
            {m.cases}（{s.label.replace('時点', '')}まで）
          </h2>
          <ul class="cases">
            {field.cases.map((c) => (
              <li>
                <h3>
                  {c.title}
                  {c.period ? `（${c.period}）` : ''}
                </h3>
                <p>{c.body}</p>
              </li>
            ))}
          </ul>
          <p class="meta">出典: {field.provenance}</p>
        </section>
        <Sources d={d} />
      </>
    ),
  };
}

function kpiPage(d: Dashboard, code: string, lang: Lang): Page {
  const m = messages[lang];
  const s = d.snapshot;
  const kpi = d.kpis.find((k) => k.code === code);
  if (!kpi) throw notFound('KPI');
  const field = s.fields.find((f) => f.code === kpi.field)!;
  const caption = `${kpi.name}：中間指標の達成率`;
  const svg = barChart({
    label: `${caption}（${kpi.indicators.map((i) => `${i.name} 前期 ${formatRate(i.previous?.rate)}・直近 ${formatRate(i.latest?.rate)}`).join('、')}）`,
    categories: kpi.indicators.map((i) => i.name),
    series: [
      { name: '前期の達成率（C）', values: kpi.indicators.map((i) => i.previous?.rate ?? null) },
      { name: '直近の達成率（E）', values: kpi.indicators.map((i) => i.latest?.rate ?? null) },
    ],
  });
  const cell = (v: { value: number | null; period: string } | null, unit: string) => (
    <>
      {formatValue(v?.value, unit)}
      <span class="period">{v ? `（${v.period}）` : ''}</span>
    </>
  );
  return {
    title: `${kpi.name} | ${s.plan.name}`,
    crumbs: [
      { href: '/', label: m.home },
      { href: `/plans/${s.plan.id}`, label: s.plan.name },
      { href: `/plans/${s.plan.id}/fields/${field.code}`, label: `${field.name}分野` },
      { label: kpi.name },
    ],
    body: (
      <>
        <h1>{kpi.name}</h1>
        <p class="meta">
          {field.name}分野 ／ {m.kpi}
        </p>
        <AsOf d={d} lang={lang} />
        <p class="figure-big">
          {m.kpi} {formatRate(kpi.index)} <small>（{m.indexNote}）</small>
        </p>
        <dl class="facts">
          <dt>{m.change}</dt>
          <dd>{formatChange(kpi.change)}</dd>
          <dt>{m.computedIndex}</dt>
          <dd class={kpi.computedIndex !== kpi.index ? 'differs' : undefined}>
            {formatRate(kpi.computedIndex)}
            {kpi.computedIndex !== kpi.index && (
              <>
                （公表値と差あり: <a href={href(`/plans/${s.plan.id}/reconciliation`, lang)}>照合</a>）
              </>
            )}
          </dd>
        </dl>
        {kpi.components && (
          <p>
            <strong>【{m.components}】</strong> {kpi.components}
          </p>
        )}
        <h2 id="indicators">{m.indicators}</h2>
        <TableScroll label={m.indicators}>
          <table class="indicators">
            <caption class="meta">KPIの値は、中間指標の達成率の単純平均（達成率＝値÷目標値×100、0〜100%）</caption>
            <thead>
              <tr>
                <th scope="col">中間指標名</th>
                <th scope="col" class="num">
                  目標値（A）
                </th>
                <th scope="col" class="num">
                  前期の値（B）
                </th>
                <th scope="col" class="num">
                  前期の達成率（C＝B/A×100）
                </th>
                <th scope="col" class="num">
                  直近の値（D）
                </th>
                <th scope="col" class="num">
                  直近の達成率（E＝D/A×100）
                </th>
                <th scope="col" class="num">
                  {m.computedIndex}
                </th>
                <th scope="col">{m.dataSource}</th>
                <th scope="col">{m.notes}</th>
              </tr>
            </thead>
            <tbody>
              {kpi.indicators.map((i) => (
                <tr>
                  <th scope="row">{i.name}</th>
                  <td class="num">{formatValue(i.target, i.unit)}</td>
                  <td class="num">{cell(i.previous, i.unit)}</td>
                  <td class="num">{formatRate(i.previous?.rate)}</td>
                  <td class="num">{cell(i.latest, i.unit)}</td>
                  <td class="num">{formatRate(i.latest?.rate)}</td>
                  <td class={`num${i.computed.latest.rounded !== (i.latest?.rate ?? null) ? ' differs' : ''}`}>
                    {formatRate(i.computed.latest.rounded)}
                  </td>
                  <td>{i.source ?? UNKNOWN}</td>
                  <td>{i.notes ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <Figure id="indicator-chart" caption={caption} svg={svg} tableLabel={m.showTable}>
          <TableScroll label={caption}>
            <table>
              <thead>
                <tr>
                  <th scope="col">中間指標名</th>
                  <th scope="col" class="num">
                    前期の達成率（C）
                  </th>
                  <th scope="col" class="num">
                    直近の達成率（E）
                  </th>
                </tr>
              </thead>
              <tbody>
                {kpi.indicators.map((i) => (
                  <tr>
                    <th scope="row">{i.name}</th>
                    <td class="num">{formatRate(i.previous?.rate)}</td>
                    <td class="num">{formatRate(i.latest?.rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Figure>
        <Sources d={d} extra={kpi.provenance} />
      </>
    ),
  };
}

function reconciliationPage(d: Dashboard, lang: Lang): Page {
  const m = messages[lang];
  const s = d.snapshot;
  const items = reconcile(d);
  const st = s.settings;
  return {
    title: `${m.reconciliation} | ${s.plan.name}`,
    crumbs: [{ href: '/', label: m.home }, { href: `/plans/${s.plan.id}`, label: s.plan.name }, { label: m.reconciliation }],
    body: (
      <>
        <h1>{m.reconciliation}</h1>
        <AsOf d={d} lang={lang} />
        <p>
          公表された達成率・KPI指数と、公表された値からシステムが再計算した結果を比べ、異なるものを一覧にしています。計算の設定:
          達成率＝値÷目標値×100（方向に応じて計算）、{st.clip ? `${st.clip.min}〜${st.clip.max}の範囲に収める` : '範囲の制限なし'}、小数第
          {st.rounding.digits}位に
          {roundingLabels[st.rounding.mode]}、KPI指数は{st.averaging === 'rounded-rates' ? '丸めた達成率' : '丸める前の達成率'}の単純平均。
        </p>
        <p>
          <strong>{items.length}件</strong>の相違があります。
        </p>
        <TableScroll label={m.reconciliation}>
          <table>
            <thead>
              <tr>
                <th scope="col">対象</th>
                <th scope="col" class="num">
                  公表値
                </th>
                <th scope="col" class="num">
                  再計算値
                </th>
                <th scope="col" class="num">
                  差
                </th>
                <th scope="col">計算</th>
                <th scope="col">説明</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr>
                  <th scope="row">
                    <a href={href(`/plans/${s.plan.id}/kpis/${x.kpiCode}`, lang)}>{x.kpiName}</a>
                    {x.indicatorName ? (
                      <>
                        <br />
                        {x.indicatorName}（{x.which === 'previous' ? '前期の達成率 C' : '直近の達成率 E'}）
                      </>
                    ) : (
                      <>
                        <br />
                        KPI指数
                      </>
                    )}
                  </th>
                  <td class="num">{formatRate(x.published)}</td>
                  <td class="num">{formatRate(x.computed)}</td>
                  <td class="num">{x.difference === null ? UNKNOWN : formatNumber(x.difference, st.rounding.digits)}</td>
                  <td>{x.arithmetic}</td>
                  <td>{x.explanation ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <p>
          API: <a href={`/api/v1/plans/${s.plan.id}/reconciliation`}>{`/api/v1/plans/${s.plan.id}/reconciliation`}</a>
        </p>
      </>
    ),
  };
}

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
        <Layout lang={lang} title={page.title} path={key} crumbs={page.crumbs}>
          {page.body}
        </Layout>
      );
      return encode(`<!DOCTYPE html>${await doc.toString()}`, 'text/html; charset=UTF-8');
    });
    return sendEncoded(c, page);
  };

  const dashboardFor = async (planId: string | undefined) => q.dashboard(parse(planIdParam, planId, '計画ID'));

  app.get('/', (c) =>
    render(c, '/', async (lang) => {
      const m = messages[lang];
      const rows = await q.plans();
      return {
        title: m.plans,
        body: (
          <>
            <h1>{m.plans}</h1>
            <p>青森県と県内市町村が共同で運用する計画・KPIの公開ページです。</p>
            <ul class="cards">
              {rows.map(({ plan, latestAsOf }) => (
                <li class="card">
                  <h2 style="border:0;margin:0;font-size:var(--font-size-18)">
                    <a href={href(`/plans/${plan.id}`, lang)}>
                      {plan.name}
                      {plan.kind === 'dashboard' ? ` ${m.dashboard}` : ''}
                    </a>
                  </h2>
                  <p class="meta">
                    {plan.kind === 'dashboard'
                      ? latestAsOf
                        ? `最新の公表: ${formatDate(latestAsOf)}時点`
                        : '公表版はまだありません'
                      : plan.owner}
                  </p>
                </li>
              ))}
            </ul>
          </>
        ),
      };
    }),
  );

  app.get('/plans/:planId', (c) =>
    render(c, c.req.path, async (lang) => {
      const plan = await q.plan(parse(planIdParam, c.req.param('planId'), '計画ID'));
      if (plan.kind === 'vision') return overviewPage(await q.vision(plan.id), lang);
      if (plan.kind === 'policy_tree') return cityPlanTreePage(await q.tree(plan.id, 'policy_tree'), lang);
      return topPage(await dashboardFor(plan.id), lang);
    }),
  );

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
      ),
    ),
  );

  app.get('/plans/:planId/fields/:field', (c) =>
    render(c, c.req.path, async (lang) =>
      fieldPage(await dashboardFor(c.req.param('planId')), parse(codeParam, c.req.param('field'), '分野コード'), lang),
    ),
  );

  app.get('/plans/:planId/kpis/:kpi', (c) =>
    render(c, c.req.path, async (lang) =>
      kpiPage(await dashboardFor(c.req.param('planId')), parse(codeParam, c.req.param('kpi'), 'KPIコード'), lang),
    ),
  );

  app.get('/plans/:planId/reconciliation', (c) =>
    render(c, c.req.path, async (lang) => reconciliationPage(await dashboardFor(c.req.param('planId')), lang)),
  );

  return app;
}
