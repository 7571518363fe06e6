// The parts of a development policy's page: its texts, the yearly targets against what was
// reached (two charts and a table) and the stage table (育成計画). Unknown is "－", never 0.
import { barChart } from '../../web/charts.ts';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { Figure, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, list, paren, Period, Value } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { Talent, TalentIndicator, YearRow } from './talent.ts';

export const text = {
  ja: {
    figures: '主な数値',
    pillarFigures: (label: string) => `${label} 主な数値`,
    columns: ['項目', '値（期間）', '目標値'],
    next: '来年度の実施に向けて（R7取組）',
    measures: '主な研修・取組',
    yearly: (name: string) => `${name}：年度ごとの目標と実績`,
    yearlyChart: (name: string) => `${name}：年度ごとの目標と実績`,
    cumulativeChart: (name: string) => `${name}：累計の目標と実績`,
    yearColumns: ['年度', '目標', '実績', '累計の目標', '累計の実績'],
    target: '目標',
    reached: '実績',
    cumulativeTarget: (v: string, y: number | null) => `累計の目標: ${v}${y ? `（${y}年度まで）` : ''}`,
    stages: '育成ステージ（育成計画）',
    stageColumns: ['区分', '対象', 'デジタル人財育成ステージ', '手法', '育成年数', '累計'],
    years: (n: number) => `${n}年`,
    allStaff: '全職員',
    publicationLabel: '公表版',
    asOf: (date: string) => `${date}時点`,
    noPublication: '公表版はまだありません。',
    reportedIn: '報告ラウンドで承認された値',
    data: 'データ',
    targetsFile: '年度ごとの目標',
    indicatorsFile: '指標',
  },
  en: {
    figures: 'Figures',
    pillarFigures: (_label: string, n: number) => `Figures of basic policy ${n}`,
    columns: ['Item', 'Value (period)', 'Target'],
    next: 'For next year (FY2025)',
    measures: 'Training and tools',
    yearly: () => 'Targets and results by fiscal year',
    yearlyChart: () => 'Target and result by fiscal year',
    cumulativeChart: () => 'Cumulative target and result',
    yearColumns: ['Fiscal year', 'Target', 'Result', 'Cumulative target', 'Cumulative result'],
    target: 'Target',
    reached: 'Result',
    cumulativeTarget: (v: string, y: number | null) => `Cumulative target: ${v}${y ? ` (by FY${y})` : ''}`,
    stages: 'Development stages (training plan)',
    stageColumns: ['Group', 'Who', 'Stage', 'Method', 'Years of training', 'Total'],
    years: (n: number) => `${n} ${n === 1 ? 'year' : 'years'}`,
    allStaff: 'All staff',
    publicationLabel: 'Publication',
    asOf: (date: string) => `as of ${date}`,
    noPublication: 'No publication yet.',
    reportedIn: 'approved in a reporting round',
    data: 'Data',
    targetsFile: 'Targets by year',
    indicatorsFile: 'Indicators',
  },
} satisfies Record<Lang, unknown>;

export const Amount = (props: { value: number | null; unit: string; lang: Lang }) =>
  props.value === null ? <>{UNKNOWN}</> : <Value value={props.value} unit={props.unit} lang={props.lang} />;

const yearLabel = (lang: Lang, period: string) =>
  lang === 'ja' ? period : period.replace(/^R(\d+)年度$/, (_, n) => `FY${2018 + Number(n)}`);

/** Two bars per year (target, reached), as a chart; the same numbers in the figure's table. */
function YearChart(props: { id: string; caption: string; rows: YearRow[]; unit: string; cumulative: boolean; lang: Lang }) {
  const { rows, lang, unit } = props;
  const t = text[lang];
  const target = rows.map((r) => (props.cumulative ? r.cumulativeTarget : r.target));
  const reached = rows.map((r) => (props.cumulative ? r.cumulativeReached : r.reached));
  // The unit is Japanese data (名): an English chart writes the numbers only, the table gives the unit.
  const shownUnit = lang === 'ja' ? unit : '';
  const fmt = (v: number | null) => (v === null ? UNKNOWN : `${formatNumber(v)}${shownUnit}`);
  const svg = barChart({
    label: `${props.caption}${paren(
      lang,
      list(
        lang,
        rows.map((r, n) => `${yearLabel(lang, r.period)} ${t.target} ${fmt(target[n]!)} ${t.reached} ${fmt(reached[n]!)}`),
      ),
    )}`,
    categories: rows.map((r) => yearLabel(lang, r.period)),
    series: [
      { name: t.target, values: target },
      { name: t.reached, values: reached },
    ],
    max: null,
    unit: shownUnit,
    format: (v) => `${formatNumber(v)}${shownUnit}`,
    lang,
  });
  return (
    <Figure id={props.id} caption={props.caption} svg={svg} tableLabel={messages[lang].showTable}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.yearColumns[0]}</th>
            <th scope="col" class="num">
              {t.target}
            </th>
            <th scope="col" class="num">
              {t.reached}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, n) => (
            <tr>
              <th scope="row">
                <Period label={r.period} lang={lang} />
              </th>
              <td class="num">
                <Amount value={target[n]!} unit={unit} lang={lang} />
              </td>
              <td class="num">
                <Amount value={reached[n]!} unit={unit} lang={lang} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Figure>
  );
}

export function Yearly(props: { indicator: TalentIndicator; lang: Lang }) {
  const { indicator: i, lang } = props;
  const t = text[lang];
  const id = `years-${i.code}`;
  const name = lang === 'ja' ? i.name : i.code;
  // One year's plan (R7: 300名) needs no chart: the table says it.
  const charts = i.years.length > 1;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{lang === 'ja' ? t.yearly(i.name) : [t.yearly(''), ': ', <Ja lang={lang}>{i.name}</Ja>]}</h2>
      {i.target !== null && (
        <p>
          {t.cumulativeTarget(lang === 'ja' ? `${formatNumber(i.target)}${i.unit}` : `${formatNumber(i.target)}`, i.targetYear)}
          {lang === 'en' && <Ja lang={lang}>{i.unit}</Ja>}
        </p>
      )}
      {charts && <YearChart id={`${id}-chart`} caption={t.yearlyChart(name)} rows={i.years} unit={i.unit} cumulative={false} lang={lang} />}
      {charts && (
        <YearChart id={`${id}-cumulative`} caption={t.cumulativeChart(name)} rows={i.years} unit={i.unit} cumulative lang={lang} />
      )}
      <TableScroll label={t.yearly(name)}>
        <table class="years">
          <caption class="meta">{t.yearly(name)}</caption>
          <thead>
            <tr>
              {t.yearColumns.map((c, n) => (
                <th scope="col" class={n ? 'num' : undefined}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {i.years.map((r) => (
              <tr>
                <th scope="row">
                  <Period label={r.period} lang={lang} />
                </th>
                <td class="num">
                  <Amount value={r.target} unit={i.unit} lang={lang} />
                  {r.targetNote && (
                    <span class="period" lang={ja(lang)}>
                      {r.targetNote}
                    </span>
                  )}
                </td>
                <td class="num">
                  <Amount value={r.reached} unit={i.unit} lang={lang} />
                </td>
                <td class="num">
                  <Amount value={r.cumulativeTarget} unit={i.unit} lang={lang} />
                </td>
                <td class="num">
                  <Amount value={r.cumulativeReached} unit={i.unit} lang={lang} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

export function StageTable(props: { talent: Talent; lang: Lang }) {
  const { lang } = props;
  const s = props.talent.stages!;
  const t = text[lang];
  const byCode = new Map(props.talent.pillars.flatMap((p) => p.indicators).map((i) => [i.code, i]));
  const cols = t.stageColumns;
  return (
    <section aria-labelledby="stages-heading">
      <h2 id="stages-heading">{t.stages}</h2>
      {s.summary && <p lang={ja(lang)}>{s.summary}</p>}
      <TableScroll label={t.stages}>
        <table class="stages">
          <caption class="meta" lang={ja(lang)}>
            {s.title}
          </caption>
          <thead>
            <tr>
              {cols.slice(0, 5).map((c) => (
                <th scope="col">{c}</th>
              ))}
              {s.years.map((y) => (
                <th scope="col" class="num">
                  <Period label={y} lang={lang} />
                </th>
              ))}
              <th scope="col" class="num">
                {cols[5]}
              </th>
            </tr>
          </thead>
          <tbody>
            {s.rows.map((r) => {
              const i = r.indicator ? byCode.get(r.indicator) : undefined;
              const year = (y: string) => i?.years.find((x) => x.period === y)?.target ?? null;
              return (
                <tr>
                  <td lang={ja(lang)}>{r.group}</td>
                  <td lang={ja(lang)}>{r.target}</td>
                  <th scope="row" lang={ja(lang)}>
                    {r.stage}
                  </th>
                  <td lang={ja(lang)}>{r.method}</td>
                  <td>{t.years(r.years)}</td>
                  {s.years.map((y) => (
                    <td class="num">{formatNumber(year(y))}</td>
                  ))}
                  <td class="num">{formatNumber(i && s.cumulativeIndicator === i.code ? i.target : null)}</td>
                </tr>
              );
            })}
            {s.allStaff && (
              <tr>
                <td>{t.allStaff}</td>
                <td>{UNKNOWN}</td>
                <th scope="row" lang={ja(lang)}>
                  {s.allStaff}
                </th>
                <td>{UNKNOWN}</td>
                <td>{UNKNOWN}</td>
                {s.years.map(() => (
                  <td class="num">{UNKNOWN}</td>
                ))}
                <td class="num">{UNKNOWN}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      {s.notes.length > 0 && (
        <ul lang={ja(lang)}>
          {s.notes.map((n) => (
            <li>{n}</li>
          ))}
        </ul>
      )}
      <p class="meta">
        {messages[lang].source}: <Ja lang={lang}>{s.provenance}</Ja>
      </p>
    </section>
  );
}
