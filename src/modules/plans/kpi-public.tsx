// A KPI's page: its indicator table A–E, the recomputation and the chart.
import { barChart } from '../../web/charts.ts';
import { formatChange, formatRate, UNKNOWN } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, list, Name, nameText, Paren, paren, Period, Value } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import { AsOf, at, Sources, type Shown } from './dashboard-components.tsx';
import type { Page } from './page.ts';
import { KpiTrend } from './kpi-trend.tsx';
import type { Dashboard } from './snapshot.ts';
import { kpiTrend, type PublishedSnapshot } from './trend.ts';

const text = {
  ja: {
    caption: (kpi: string) => `${kpi}：中間指標の達成率`,
    previousLatest: (name: string, p: string, l: string) => `${name} 前期 ${p}・直近 ${l}`,
    previousRate: '前期の達成率（C）',
    latestRate: '直近の達成率（E）',
    field: (name: string) => `${name}分野`,
    fieldSuffix: '分野',
    differs: '公表値と差あり',
    reconcile: '照合',
    tableCaption: 'KPIの値は、中間指標の達成率の単純平均（達成率＝値÷目標値×100、0〜100%）',
    name: '中間指標名',
    target: '目標値（A）',
    previous: '前期の値（B）',
    previousRateFull: '前期の達成率（C＝B/A×100）',
    latest: '直近の値（D）',
    latestRateFull: '直近の達成率（E＝D/A×100）',
    valueOf: 'の値',
  },
  en: {
    caption: () => 'Achievement rates of the intermediate indicators',
    previousLatest: (name: string, p: string, l: string) => `${name} previous ${p}, latest ${l}`,
    previousRate: 'Previous achievement rate (C)',
    latestRate: 'Latest achievement rate (E)',
    field: (name: string) => name,
    fieldSuffix: ' field',
    differs: 'differs from the published figure',
    reconcile: 'reconciliation',
    tableCaption:
      "A KPI's value is the simple mean of its intermediate indicators' achievement rates (rate = value ÷ target × 100, 0–100%)",
    name: 'Intermediate indicator',
    target: 'Target (A)',
    previous: 'Previous value (B)',
    previousRateFull: 'Previous achievement rate (C = B/A × 100)',
    latest: 'Latest value (D)',
    latestRateFull: 'Latest achievement rate (E = D/A × 100)',
    valueOf: 'value for ',
  },
} satisfies Record<Lang, unknown>;

export function kpiPage(d: Dashboard, code: string, lang: Lang, shown: Shown, history: PublishedSnapshot[]): Page {
  const m = messages[lang];
  const t = text[lang];
  const s = d.snapshot;
  const kpi = d.kpis.find((k) => k.code === code);
  if (!kpi) throw notFound('KPI');
  const field = s.fields.find((f) => f.code === kpi.field)!;
  const caption = t.caption(kpi.name);
  const svg = barChart({
    label: `${caption}${paren(
      lang,
      list(
        lang,
        kpi.indicators.map((i) => t.previousLatest(i.name, formatRate(i.previous?.rate), formatRate(i.latest?.rate))),
      ),
    )}`,
    categories: kpi.indicators.map((i) => i.name),
    series: [
      { name: t.previousRate, values: kpi.indicators.map((i) => i.previous?.rate ?? null) },
      { name: t.latestRate, values: kpi.indicators.map((i) => i.latest?.rate ?? null) },
    ],
    lang,
  });
  const cell = (v: { value: number | null; period: string } | null, unit: string) => (
    <>
      <Value value={v?.value} unit={unit} lang={lang} />
      <span class="period">
        {v ? (
          <Paren lang={lang}>
            <Period label={v.period} lang={lang} />
          </Paren>
        ) : (
          ''
        )}
      </span>
    </>
  );
  return {
    title: `${kpi.name} | ${nameText(lang, s.plan.name, d.planNameEn).label}`,
    crumbs: [
      { href: '/', label: m.home },
      { href: at(`/plans/${s.plan.id}`, shown), ...nameText(lang, s.plan.name, d.planNameEn) },
      { href: at(`/plans/${s.plan.id}/fields/${field.code}`, shown), ...nameText(lang, t.field(field.name), field.nameEn) },
      { label: kpi.name, ja: true },
    ],
    body: (
      <>
        <h1 lang={ja(lang)}>{kpi.name}</h1>
        <p class="meta">
          <Name lang={lang} name={field.name} en={field.nameEn} />
          {t.fieldSuffix}
          {lang === 'ja' ? ' ／ ' : ' / '}
          {m.kpi}
        </p>
        <AsOf d={d} lang={lang} shown={shown} path={`/plans/${s.plan.id}/kpis/${kpi.code}`} />
        <p class="figure-big">
          {m.kpi} {formatRate(kpi.index)}{' '}
          <small>
            <Paren lang={lang}>{m.indexNote}</Paren>
          </small>
        </p>
        <dl class="facts">
          <dt>{m.change}</dt>
          <dd>{formatChange(kpi.change, 1, lang)}</dd>
          <dt>{m.computedIndex}</dt>
          <dd class={kpi.computedIndex !== kpi.index ? 'differs' : undefined}>
            {formatRate(kpi.computedIndex)}
            {kpi.computedIndex !== kpi.index && (
              <>
                <Paren lang={lang}>
                  {t.differs}: <a href={href(`/plans/${s.plan.id}/reconciliation`, lang)}>{t.reconcile}</a>
                </Paren>
              </>
            )}
          </dd>
        </dl>
        {kpi.components && (
          <p>
            <strong>{lang === 'ja' ? `【${m.components}】` : `${m.components}:`}</strong> <Ja lang={lang}>{kpi.components}</Ja>
          </p>
        )}
        <h2 id="indicators">{m.indicators}</h2>
        <TableScroll label={m.indicators}>
          <table class="indicators">
            <caption class="meta">{t.tableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col" class="num">
                  {t.target}
                </th>
                <th scope="col" class="num">
                  {t.previous}
                </th>
                <th scope="col" class="num">
                  {t.previousRateFull}
                </th>
                <th scope="col" class="num">
                  {t.latest}
                </th>
                <th scope="col" class="num">
                  {t.latestRateFull}
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
                  <th scope="row" lang={ja(lang)}>
                    {i.name}
                  </th>
                  <td class="num">
                    <Value value={i.target} unit={i.unit} lang={lang} />
                  </td>
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
                        <Ja lang={lang}>{i.latest.source}</Ja>
                        <span class="period">
                          <Paren lang={lang}>
                            {lang === 'en' && t.valueOf}
                            <Period label={i.latest.period} lang={lang} />
                            {lang === 'ja' && t.valueOf}
                          </Paren>
                        </span>
                      </>
                    ) : (
                      <Ja lang={lang}>{i.source ?? UNKNOWN}</Ja>
                    )}
                  </td>
                  <td lang={i.notes ? ja(lang) : undefined}>{i.notes ?? ''}</td>
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
                  <th scope="col">{t.name}</th>
                  <th scope="col" class="num">
                    {t.previousRate}
                  </th>
                  <th scope="col" class="num">
                    {t.latestRate}
                  </th>
                </tr>
              </thead>
              <tbody>
                {kpi.indicators.map((i) => (
                  <tr>
                    <th scope="row" lang={ja(lang)}>
                      {i.name}
                    </th>
                    <td class="num">{formatRate(i.previous?.rate)}</td>
                    <td class="num">{formatRate(i.latest?.rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Figure>
        <KpiTrend id="trend-chart" kpiName={kpi.name} trend={kpiTrend(history, kpi)} lang={lang} />
        <Sources d={d} lang={lang} extra={kpi.provenance} />
      </>
    ),
  };
}
