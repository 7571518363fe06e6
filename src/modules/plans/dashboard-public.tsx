// The dashboard's top page (basic goals, KPIs by field) and a field's page.
import { barChart } from '../../web/charts.ts';
import { englishPeriod, formatRate, UNKNOWN } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, list, Name, nameText, Paren, paren, Period, Value } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import { rawRate, clip, roundTo } from './achievement.ts';
import { AsOf, at, KpiCard, KpiChart, Sources, type Shown } from './dashboard-components.tsx';
import type { Page } from './page.ts';
import type { Dashboard, SnapshotGoal } from './snapshot.ts';

const text = {
  ja: {
    goalsCaption: '基本目標：目標値に対する直近値の割合（システム計算）',
    share: '目標値に対する割合',
    previous: '前回の値',
    latest: '直近の値',
    target: '目標値',
    goal: '基本目標',
    year: (y: string | number) => `${y}年`,
    kpiText: (fields: number, kpis: number) =>
      `${fields}分野${kpis}項目のKPIそれぞれの下に中間指標を設定し、中間指標の達成率の単純平均でKPIを指数化しています。`,
    field: (name: string) => `${name}分野`,
    fieldSuffix: '分野',
    kpiChart: (n: number) => `KPIの指数（${n}項目）`,
    fieldChart: (name: string) => `${name}分野のKPIの指数`,
    more: 'データと計算',
    indicatorsFile: '中間指標',
    casesUpTo: (label: string) => `（${label.replace('時点', '')}まで）`,
  },
  en: {
    goalsCaption: 'Basic goals: the latest value as a share of the target (computed by the system)',
    share: 'Share of the target',
    previous: 'Previous value',
    latest: 'Latest value',
    target: 'Target',
    goal: 'Basic goal',
    year: (y: string | number) => `${y}`,
    kpiText: (fields: number, kpis: number) =>
      `Each of the ${kpis} KPIs in ${fields} fields has intermediate indicators; a KPI's index is the simple mean of its indicators' achievement rates.`,
    field: (name: string) => name,
    fieldSuffix: ' field',
    kpiChart: (n: number) => `KPI index (${n} KPIs)`,
    fieldChart: () => 'KPI index of the field',
    more: 'Data and calculation',
    indicatorsFile: 'Intermediate indicators',
    casesUpTo: (label: string) => paren('en', `up to ${englishPeriod(label.replace('時点', '')) ?? label}`),
  },
} satisfies Record<Lang, unknown>;

/** A value with the period it is for: 38.5%（R5年度）. */
const ValueAt = (props: { v: { value: number | null; period: string } | null | undefined; unit: string; lang: Lang }) =>
  props.v ? (
    <>
      <Value value={props.v.value} unit={props.unit} lang={props.lang} />
      <Paren lang={props.lang}>
        <Period label={props.v.period} lang={props.lang} />
      </Paren>
    </>
  ) : (
    <>{UNKNOWN}</>
  );

/** A basic goal's latest value as a share of its target: the system's arithmetic, labelled as such. */
function goalShare(g: SnapshotGoal, d: Dashboard): number | null {
  const r = rawRate({ value: g.latest?.value ?? null, target: g.target, direction: g.direction, base: g.base });
  const s = d.snapshot.settings;
  return r === null ? null : roundTo(clip(r, s.clip), s.rounding.digits, s.rounding.mode);
}

function Goals(props: { d: Dashboard; lang: Lang }) {
  const { d, lang } = props;
  const m = messages[lang];
  const t = text[lang];
  const goals = d.snapshot.goals;
  const caption = t.goalsCaption;
  const svg = barChart({
    label: `${caption}${paren(
      lang,
      list(
        lang,
        goals.map((g) => `${g.name} ${formatRate(goalShare(g, d))}`),
      ),
    )}`,
    categories: goals.map((g) => g.metric ?? g.name),
    series: [{ name: t.share, values: goals.map((g) => goalShare(g, d)) }],
    lang,
  });
  const targetOf = (g: SnapshotGoal) => (
    <>
      <Value value={g.target} unit={g.unit} lang={lang} />
      {g.targetYear ? paren(lang, t.year(g.targetYear)) : ''}
    </>
  );
  return (
    <section aria-labelledby="goals">
      <h2 id="goals">{m.basicGoals}</h2>
      <ul class="cards">
        {goals.map((g) => (
          <li class="card">
            <h3 lang={ja(lang)}>{g.name}</h3>
            <p class="meta" lang={ja(lang)}>
              {g.metric}
            </p>
            <p class="figure-big">
              <Value value={g.latest?.value} unit={g.unit} lang={lang} />{' '}
              <small>
                <Paren lang={lang}>{g.latest ? <Period label={g.latest.period} lang={lang} /> : UNKNOWN}</Paren>
              </small>
            </p>
            <dl class="facts">
              <dt>{t.previous}</dt>
              <dd>
                <ValueAt v={g.previous} unit={g.unit} lang={lang} />
              </dd>
              <dt>{t.target}</dt>
              <dd>{targetOf(g)}</dd>
              <dt>{m.dataSource}</dt>
              <dd lang={g.source ? ja(lang) : undefined}>{g.source ?? UNKNOWN}</dd>
              {g.notes && (
                <>
                  <dt>{m.notes}</dt>
                  <dd lang={ja(lang)}>{g.notes}</dd>
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
                <th scope="col">{t.goal}</th>
                <th scope="col" class="num">
                  {t.previous}
                </th>
                <th scope="col" class="num">
                  {t.latest}
                </th>
                <th scope="col" class="num">
                  {t.target}
                </th>
                <th scope="col" class="num">
                  {t.share}
                </th>
              </tr>
            </thead>
            <tbody>
              {goals.map((g) => (
                <tr>
                  <th scope="row" lang={ja(lang)}>
                    {g.name}
                  </th>
                  <td class="num">
                    <ValueAt v={g.previous} unit={g.unit} lang={lang} />
                  </td>
                  <td class="num">
                    <ValueAt v={g.latest} unit={g.unit} lang={lang} />
                  </td>
                  <td class="num">{targetOf(g)}</td>
                  <td class="num">{formatRate(goalShare(g, d))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Figure>
      <p class="meta">
        {m.source}: <Ja lang={lang}>{goals[0]?.provenance}</Ja>
      </p>
    </section>
  );
}

export function topPage(d: Dashboard, lang: Lang, shown: Shown): Page {
  const m = messages[lang];
  const t = text[lang];
  const s = d.snapshot;
  return {
    title: `${nameText(lang, s.plan.name, d.planNameEn).label} ${m.dashboard}`,
    crumbs: [{ href: '/', label: m.home }, nameText(lang, s.plan.name, d.planNameEn)],
    body: (
      <>
        <h1>
          <Name lang={lang} name={s.plan.name} en={d.planNameEn} /> {m.dashboard}
        </h1>
        <AsOf d={d} lang={lang} shown={shown} path={`/plans/${s.plan.id}`} />
        <Goals d={d} lang={lang} />
        <section aria-labelledby="kpis">
          <h2 id="kpis">{m.kpis}</h2>
          <p>{t.kpiText(s.fields.length, d.kpis.length)}</p>
          {s.fields.map((f) => (
            <section aria-labelledby={`field-${f.code}`}>
              <h3 id={`field-${f.code}`}>
                <a href={href(at(`/plans/${s.plan.id}/fields/${f.code}`, shown), lang)}>
                  <Name lang={lang} name={f.name} en={f.nameEn} />
                  {t.fieldSuffix}
                </a>
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
          <KpiChart id="kpi-chart" caption={t.kpiChart(d.kpis.length)} kpis={d.kpis} d={d} lang={lang} />
        </section>
        <section aria-labelledby="more">
          <h2 id="more">{t.more}</h2>
          <ul>
            <li>
              <a href={href(`/plans/${s.plan.id}/reconciliation`, lang)}>{m.reconciliation}</a>
            </li>
            <li>
              {m.openData}: <a href={`/opendata/${s.plan.id}/kpis.csv`}>KPI (CSV)</a>
              {lang === 'ja' ? '・' : ', '}
              <a href={`/opendata/${s.plan.id}/indicators.csv`}>{t.indicatorsFile} (CSV)</a>
              {lang === 'ja' ? '・' : ', '}
              <a href={`/opendata/${s.plan.id}/kpis.json`}>KPI (JSON)</a>
              {lang === 'ja' ? '・' : ', '}
              <a href={`/opendata/${s.plan.id}/indicators.json`}>{t.indicatorsFile} (JSON)</a>
            </li>
            <li>
              API: <a href={`/api/v1/plans/${s.plan.id}/kpis`}>{`/api/v1/plans/${s.plan.id}/kpis`}</a>
            </li>
          </ul>
          <Sources d={d} lang={lang} />
        </section>
      </>
    ),
  };
}

export function fieldPage(d: Dashboard, code: string, lang: Lang, shown: Shown): Page {
  const m = messages[lang];
  const t = text[lang];
  const s = d.snapshot;
  const field = s.fields.find((f) => f.code === code);
  if (!field) throw notFound('分野');
  const kpis = d.kpis.filter((k) => k.field === code);
  return {
    title: `${nameText(lang, field.name, field.nameEn).label}${t.fieldSuffix} | ${nameText(lang, s.plan.name, d.planNameEn).label}`,
    crumbs: [
      { href: '/', label: m.home },
      { href: at(`/plans/${s.plan.id}`, shown), ...nameText(lang, s.plan.name, d.planNameEn) },
      nameText(lang, t.field(field.name), field.nameEn),
    ],
    body: (
      <>
        <h1>
          <Name lang={lang} name={field.name} en={field.nameEn} />
          {t.fieldSuffix}
        </h1>
        <AsOf d={d} lang={lang} shown={shown} path={`/plans/${s.plan.id}/fields/${code}`} />
        <ul class="cards">
          {kpis.map((k) => (
            <KpiCard kpi={k} planId={s.plan.id} lang={lang} shown={shown} withComponents />
          ))}
        </ul>
        <KpiChart id="field-chart" caption={t.fieldChart(field.name)} kpis={kpis} d={d} lang={lang} />
        <section aria-labelledby="cases">
          <h2 id="cases">
            {m.cases}
            {t.casesUpTo(s.label)}
          </h2>
          <ul class="cases">
            {field.cases.map((c) => (
              <li>
                <h3>
                  <Ja lang={lang}>{c.title}</Ja>
                  {c.period ? (
                    <Paren lang={lang}>
                      <Period label={c.period} lang={lang} />
                    </Paren>
                  ) : (
                    ''
                  )}
                </h3>
                <p lang={ja(lang)}>{c.body}</p>
              </li>
            ))}
          </ul>
          <p class="meta">
            {m.source}: <Ja lang={lang}>{field.provenance}</Ja>
          </p>
        </section>
        <Sources d={d} lang={lang} />
      </>
    ),
  };
}
