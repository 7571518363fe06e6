// A KPI's trend across publications (公表版): a chart of its published index and a table of the index
// and each indicator's value, publication by publication. Unknown is "－", never 0.
import { barChart } from '../../web/charts.ts';
import { formatRate, UNKNOWN } from '../../web/format.ts';
import { Figure, TableScroll } from '../../web/layout.tsx';
import { ja, list, Paren, paren, Period, Value } from '../../web/lang.tsx';
import { englishPeriod } from '../../web/format.ts';
import { messages, type Lang } from '../../web/messages.ts';
import type { Trend } from './trend.ts';

const text = {
  ja: {
    heading: '公表版ごとの推移',
    caption: (kpi: string) => `${kpi}：KPIの指数の推移（公表版ごと）`,
    tableCaption: '各公表版のKPIの指数（公表値）と、中間指標の直近の値',
    publication: '公表版',
  },
  en: {
    heading: 'Across publications',
    caption: () => 'The KPI index in each publication',
    tableCaption: "Each publication's KPI index (as published) and the indicators' latest values",
    publication: 'Publication',
  },
} satisfies Record<Lang, unknown>;

export function KpiTrend(props: { id: string; kpiName: string; trend: Trend; lang: Lang }) {
  const { trend, lang } = props;
  const m = messages[lang];
  const t = text[lang];
  const caption = t.caption(props.kpiName);
  // Publication labels (2025年1月末時点) are ours to write in English.
  const label = (l: string) => (lang === 'ja' ? l : (englishPeriod(l) ?? l));
  const svg = barChart({
    label: `${caption}${paren(
      lang,
      list(
        lang,
        trend.points.map((p) => `${label(p.label)} ${formatRate(p.index)}`),
      ),
    )}`,
    categories: trend.points.map((p) => label(p.label)),
    series: [{ name: m.index, values: trend.points.map((p) => p.index) }],
    lang,
  });
  return (
    <section aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`}>{t.heading}</h2>
      <Figure id={props.id} caption={caption} svg={svg} tableLabel={m.showTable}>
        <TableScroll label={caption}>
          <table class="trend">
            <caption class="meta">{t.tableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.publication}</th>
                <th scope="col" class="num">
                  {m.index}
                </th>
                {trend.indicators.map((i) => (
                  <th scope="col" class="num" lang={ja(lang)}>
                    {i.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {trend.points.map((p) => (
                <tr>
                  <th scope="row">
                    <Period label={p.label} lang={lang} />
                  </th>
                  <td class="num">{formatRate(p.index)}</td>
                  {p.values.map((v, n) => (
                    <td class="num">
                      {v ? <Value value={v.value} unit={trend.indicators[n]!.unit} lang={lang} /> : UNKNOWN}
                      {v && v.value !== null && (
                        <span class="period">
                          <Paren lang={lang}>
                            <Period label={v.period} lang={lang} />
                          </Paren>
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Figure>
    </section>
  );
}
