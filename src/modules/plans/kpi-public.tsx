// A KPI's page: its indicator table A–E, the recomputation and the chart.
import { barChart } from '../../web/charts.ts';
import { formatChange, formatRate, formatValue, UNKNOWN } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import { AsOf, at, Sources, type Shown } from './dashboard-components.tsx';
import type { Page } from './page.ts';
import { KpiTrend } from './kpi-trend.tsx';
import type { Dashboard } from './snapshot.ts';
import { kpiTrend, type PublishedSnapshot } from './trend.ts';

export function kpiPage(d: Dashboard, code: string, lang: Lang, shown: Shown, history: PublishedSnapshot[]): Page {
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
      { href: at(`/plans/${s.plan.id}`, shown), label: s.plan.name },
      { href: at(`/plans/${s.plan.id}/fields/${field.code}`, shown), label: `${field.name}分野` },
      { label: kpi.name },
    ],
    body: (
      <>
        <h1>{kpi.name}</h1>
        <p class="meta">
          {field.name}分野 ／ {m.kpi}
        </p>
        <AsOf d={d} lang={lang} shown={shown} path={`/plans/${s.plan.id}/kpis/${kpi.code}`} />
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
                  <td>
                    {/* The editor's データの出所 for the latest value, when a round gave one; else the indicator's. */}
                    {i.latest?.source ? (
                      <>
                        {i.latest.source}
                        <span class="period">（{i.latest.period}の値）</span>
                      </>
                    ) : (
                      (i.source ?? UNKNOWN)
                    )}
                  </td>
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
        <KpiTrend id="trend-chart" kpiName={kpi.name} trend={kpiTrend(history, kpi)} lang={lang} />
        <Sources d={d} extra={kpi.provenance} />
      </>
    ),
  };
}
