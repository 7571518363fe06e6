// Pieces the regional vision's pages share: budget cells and year headings, the project table,
// a year's evaluation, breadcrumbs and the 出典 line.
import type { Child } from 'hono/jsx';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll, type Crumb } from '../../web/layout.tsx';
import { ja, Ja, nameText, paren } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { BudgetCell } from './targets.ts';
import type { Project, Vision } from './vision.ts';

/** The words the regional vision's pages share. */
export const visionText = {
  ja: {
    yen: (v: string) => `${v}千円`,
    blank: '空欄',
    year: (y: number) => `${y}年度`,
    projects: (n: number) => `${n}事業`,
    unit: '事業費見込額の単位：千円',
    no: 'No.',
    name: '事業名',
    category: '分類',
    statedTotal: '計（資料）',
    projectList: '具体的取組の一覧',
    center: '連携中枢都市',
    partner: '連携町村',
    indicator: '指標',
    actual: (y: number) => `${y}年度実績値`,
    target: (y: number) => `${y}年度目標値`,
    publishedGrade: '進捗評価（資料）',
    computedGrade: '進捗評価（再計算）',
    finalTarget: '2024年度目標値',
    outcomes: (y: number) => `${y}年度の成果指標`,
    summary: '事業概要',
    results: '実績',
    effects: '連携事業で得られた効果',
  },
  en: {
    yen: (v: string) => `¥${v} thousand`,
    blank: 'blank',
    year: (y: number) => `FY${y}`,
    projects: (n: number) => `${n} project${n === 1 ? '' : 's'}`,
    unit: 'budget estimates in thousands of yen',
    no: 'No.',
    name: 'Project',
    category: 'Category',
    statedTotal: 'Total (document)',
    projectList: 'Projects',
    center: 'central city',
    partner: 'partner town or village',
    indicator: 'Indicator',
    actual: (y: number) => `FY${y} actual`,
    target: (y: number) => `FY${y} target`,
    publishedGrade: 'Progress grade (document)',
    computedGrade: 'Progress grade (recomputed)',
    finalTarget: 'FY2024 target',
    outcomes: (y: number) => `FY${y} outcome indicators`,
    summary: 'Summary',
    results: 'Results',
    effects: 'Effects of the joint project',
  },
} satisfies Record<Lang, unknown>;

export const yen = (v: number, lang: Lang = 'ja') => visionText[lang].yen(formatNumber(v));

/** A budget cell: a figure, 「－」 as printed, or a blank cell (空欄), never shown as 0. */
export const Budget = (props: { cell: BudgetCell; lang: Lang }) =>
  typeof props.cell === 'number' ? (
    <>{formatNumber(props.cell)}</>
  ) : props.cell === '－' ? (
    <>－</>
  ) : (
    <span class="blank">{visionText[props.lang].blank}</span>
  );

/** Column headings 2020年度 … 2024年度. */
export const YearHeads = (props: { v: Vision; lang: Lang }) => (
  <>
    {props.v.fiscalYears.map((y) => (
      <th scope="col" class="num">
        {visionText[props.lang].year(y)}
      </th>
    ))}
  </>
);

/** A project's budget cells: the five fiscal years, then the stated total. */
export const BudgetCells = (props: { p: Project; lang: Lang }) => (
  <>
    {props.p.budgets.map((b) => (
      <td class="num">
        <Budget cell={b.amount} lang={props.lang} />
      </td>
    ))}
    <td class="num">
      <Budget cell={props.p.totals.stated} lang={props.lang} />
    </td>
  </>
);

export const base = (v: Vision) => `/plans/${v.planId}`;
export const crumbsOf = (v: Vision, lang: Lang, ...rest: Crumb[]): Crumb[] => [
  { href: '/', label: messages[lang].home },
  { href: base(v), ...nameText(lang, v.name, v.nameEn) },
  ...rest,
];

export const Source = (props: { lang: Lang; children: Child }) => (
  <p class="meta">
    {messages[props.lang].source}: <Ja lang={props.lang}>{props.children}</Ja>
  </p>
);

export function ProjectTable(props: { v: Vision; projects: Project[]; lang: Lang; caption: string }) {
  const t = visionText[props.lang];
  return (
    <TableScroll label={props.caption}>
      <table>
        <caption class="meta">
          {props.caption}
          {paren(props.lang, t.unit)}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              {t.no}
            </th>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.category}</th>
            <YearHeads v={props.v} lang={props.lang} />
            <th scope="col" class="num">
              {t.statedTotal}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.projects.map((p) => (
            <tr>
              <td class="num">{p.number}</td>
              <th scope="row">
                <a href={href(`${base(props.v)}/projects/${p.number}`, props.lang)} lang={ja(props.lang)}>
                  {p.name}
                </a>
                {p.flags.map((f) => (
                  <span class="badge" lang={ja(props.lang)}>
                    {f}
                  </span>
                ))}
              </th>
              <td lang={ja(props.lang)}>{p.category.at(-1)?.name}</td>
              <BudgetCells p={p} lang={props.lang} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export const targetKindLabels: Record<Lang, Record<string, string>> = {
  ja: {
    value: '目標値に到達',
    cumulative: '累計で到達',
    at_least_per_year: '毎年度 N 以上',
    maintain: '維持',
    merged: '他事業に統合',
    unknown: '未設定（－）',
  },
  en: {
    value: 'reach the target',
    cumulative: 'reach it in total',
    at_least_per_year: 'at least N each year',
    maintain: 'maintain',
    merged: 'merged into another project',
    unknown: 'not set (－)',
  },
};

export function EvaluationBody(props: { e: Project['evaluations'][number]; lang: Lang }) {
  const { e, lang } = props;
  const t = visionText[lang];
  return (
    <>
      <TableScroll label={t.outcomes(e.fiscalYear)}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.indicator}</th>
              <th scope="col">{t.actual(e.fiscalYear)}</th>
              <th scope="col">{t.target(e.fiscalYear)}</th>
              <th scope="col">{t.publishedGrade}</th>
              <th scope="col">{t.computedGrade}</th>
              <th scope="col">{t.finalTarget}</th>
            </tr>
          </thead>
          <tbody>
            {e.indicators.map((i) => (
              <tr>
                <th scope="row" lang={ja(lang)}>
                  {i.name}
                </th>
                <td lang={ja(lang)}>{i.actual}</td>
                <td lang={ja(lang)}>{i.target}</td>
                <td class="grade">{i.publishedGrade}</td>
                <td class={`grade${i.computedGrade !== i.publishedGrade ? ' differs' : ''}`}>
                  {i.computedGrade}
                  {i.rate !== null && <span class="meta">{paren(lang, `${formatNumber(Math.round(i.rate))}%`)}</span>}
                </td>
                <td lang={i.finalTarget ? ja(lang) : undefined}>{i.finalTarget ?? UNKNOWN}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h3>{t.summary}</h3>
      <ul lang={ja(lang)}>
        {e.summary.map((s) => (
          <li>{s}</li>
        ))}
      </ul>
      <h3>{t.results}</h3>
      <ul lang={ja(lang)}>
        {e.results.map((s) => (
          <li>{s}</li>
        ))}
      </ul>
      <h3>{t.effects}</h3>
      <ul lang={ja(lang)}>
        {e.effects.map((s) => (
          <li>{s}</li>
        ))}
      </ul>
    </>
  );
}
