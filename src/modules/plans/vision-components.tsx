// Pieces the regional vision's pages share: budget cells and year headings, the project table,
// a year's evaluation, breadcrumbs and the 出典 line.
import type { Child } from 'hono/jsx';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { BudgetCell } from './targets.ts';
import type { Project, Vision } from './vision.ts';

export const yen = (v: number) => `${formatNumber(v)}千円`;

/** A budget cell: a figure, 「－」 as printed, or a blank cell (空欄), never shown as 0. */
export const Budget = (props: { cell: BudgetCell }) =>
  typeof props.cell === 'number' ? <>{formatNumber(props.cell)}</> : props.cell === '－' ? <>－</> : <span class="blank">空欄</span>;

/** Column headings 2020年度 … 2024年度. */
export const YearHeads = (props: { v: Vision }) => (
  <>
    {props.v.fiscalYears.map((y) => (
      <th scope="col" class="num">
        {y}年度
      </th>
    ))}
  </>
);

/** A project's budget cells: the five fiscal years, then the stated total. */
export const BudgetCells = (props: { p: Project }) => (
  <>
    {props.p.budgets.map((b) => (
      <td class="num">
        <Budget cell={b.amount} />
      </td>
    ))}
    <td class="num">
      <Budget cell={props.p.totals.stated} />
    </td>
  </>
);

export const base = (v: Vision) => `/plans/${v.planId}`;
export const crumbsOf = (v: Vision, lang: Lang, ...rest: { href?: string; label: string }[]) => [
  { href: '/', label: messages[lang].home },
  { href: base(v), label: v.name },
  ...rest,
];

export const Source = (props: { children: Child }) => <p class="meta">出典: {props.children}</p>;

export function ProjectTable(props: { v: Vision; projects: Project[]; lang: Lang; caption: string }) {
  return (
    <TableScroll label={props.caption}>
      <table>
        <caption class="meta">{props.caption}（事業費見込額の単位：千円）</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              No.
            </th>
            <th scope="col">事業名</th>
            <th scope="col">分類</th>
            <YearHeads v={props.v} />
            <th scope="col" class="num">
              計（資料）
            </th>
          </tr>
        </thead>
        <tbody>
          {props.projects.map((p) => (
            <tr>
              <td class="num">{p.number}</td>
              <th scope="row">
                <a href={href(`${base(props.v)}/projects/${p.number}`, props.lang)}>{p.name}</a>
                {p.flags.map((f) => (
                  <span class="badge">{f}</span>
                ))}
              </th>
              <td>{p.category.at(-1)?.name}</td>
              <BudgetCells p={p} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export const targetKindLabels: Record<string, string> = {
  value: '目標値に到達',
  cumulative: '累計で到達',
  at_least_per_year: '毎年度 N 以上',
  maintain: '維持',
  merged: '他事業に統合',
  unknown: '未設定（－）',
};

export function EvaluationBody(props: { e: Project['evaluations'][number] }) {
  const { e } = props;
  return (
    <>
      <TableScroll label={`${e.fiscalYear}年度の成果指標`}>
        <table>
          <thead>
            <tr>
              <th scope="col">指標</th>
              <th scope="col">{e.fiscalYear}年度実績値</th>
              <th scope="col">{e.fiscalYear}年度目標値</th>
              <th scope="col">進捗評価（資料）</th>
              <th scope="col">進捗評価（再計算）</th>
              <th scope="col">2024年度目標値</th>
            </tr>
          </thead>
          <tbody>
            {e.indicators.map((i) => (
              <tr>
                <th scope="row">{i.name}</th>
                <td>{i.actual}</td>
                <td>{i.target}</td>
                <td class="grade">{i.publishedGrade}</td>
                <td class={`grade${i.computedGrade !== i.publishedGrade ? ' differs' : ''}`}>
                  {i.computedGrade}
                  {i.rate !== null && <span class="meta">（{formatNumber(Math.round(i.rate))}%）</span>}
                </td>
                <td>{i.finalTarget ?? UNKNOWN}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h3>事業概要</h3>
      <ul>
        {e.summary.map((s) => (
          <li>{s}</li>
        ))}
      </ul>
      <h3>実績</h3>
      <ul>
        {e.results.map((s) => (
          <li>{s}</li>
        ))}
      </ul>
      <h3>連携事業で得られた効果</h3>
      <ul>
        {e.effects.map((s) => (
          <li>{s}</li>
        ))}
      </ul>
    </>
  );
}
