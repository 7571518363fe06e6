// The dashboard's top page (basic goals, KPIs by field) and a field's page.
import { barChart } from '../../web/charts.ts';
import { formatRate, formatValue, UNKNOWN } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import { rawRate, clip, roundTo } from './achievement.ts';
import { AsOf, at, KpiCard, KpiChart, Sources, type Shown } from './dashboard-components.tsx';
import type { Page } from './page.ts';
import type { Dashboard, SnapshotGoal } from './snapshot.ts';

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
    categories: goals.map((g) => g.metric ?? g.name),
    series: [{ name: '目標値に対する割合', values: goals.map((g) => goalShare(g, d)) }],
  });
  return (
    <section aria-labelledby="goals">
      <h2 id="goals">{m.basicGoals}</h2>
      <ul class="cards">
        {goals.map((g) => (
          <li class="card">
            <h3>{g.name}</h3>
            <p class="meta">{g.metric}</p>
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

export function topPage(d: Dashboard, lang: Lang, shown: Shown): Page {
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
        <AsOf d={d} lang={lang} shown={shown} path={`/plans/${s.plan.id}`} />
        <Goals d={d} lang={lang} />
        <section aria-labelledby="kpis">
          <h2 id="kpis">{m.kpis}</h2>
          <p>{`${s.fields.length}分野${d.kpis.length}項目のKPIそれぞれの下に中間指標を設定し、中間指標の達成率の単純平均でKPIを指数化しています。`}</p>
          {s.fields.map((f) => (
            <section aria-labelledby={`field-${f.code}`}>
              <h3 id={`field-${f.code}`}>
                <a href={href(at(`/plans/${s.plan.id}/fields/${f.code}`, shown), lang)}>{f.name}分野</a>
              </h3>
              <ul class="cards">
                {d.kpis
                  .filter((k) => k.field === f.code)
                  .map((k) => (
                    <KpiCard kpi={k} planId={s.plan.id} lang={lang} shown={shown} />
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

export function fieldPage(d: Dashboard, code: string, lang: Lang, shown: Shown): Page {
  const m = messages[lang];
  const s = d.snapshot;
  const field = s.fields.find((f) => f.code === code);
  if (!field) throw notFound('分野');
  const kpis = d.kpis.filter((k) => k.field === code);
  return {
    title: `${field.name}分野 | ${s.plan.name}`,
    crumbs: [{ href: '/', label: m.home }, { href: at(`/plans/${s.plan.id}`, shown), label: s.plan.name }, { label: `${field.name}分野` }],
    body: (
      <>
        <h1>{field.name}分野</h1>
        <AsOf d={d} lang={lang} shown={shown} path={`/plans/${s.plan.id}/fields/${code}`} />
        <ul class="cards">
          {kpis.map((k) => (
            <KpiCard kpi={k} planId={s.plan.id} lang={lang} shown={shown} withComponents />
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
