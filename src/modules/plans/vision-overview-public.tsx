// The regional vision's overview: counts and budgets per category, budgets per year, the municipalities.
import { barChart } from '../../web/charts.ts';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { Page } from './page.ts';
import { base, crumbsOf, Source, YearHeads, yen } from './vision-components.tsx';
import { sumOf, type Vision } from './vision.ts';

export function overviewPage(v: Vision, lang: Lang): Page {
  const m = messages[lang];
  const top = v.categories.filter((c) => c.depth === 0);
  const yearTotals = v.fiscalYears.map((_, i) => sumOf(v.projects.map((p) => p.budgets[i]!.amount)));
  const countCaption = '連携協約項目ごとの事業数';
  const budgetCaption = '年度ごとの事業費見込額（全事業の合計、千円）';
  const categoryBudgetCaption = '連携協約項目・年度ごとの事業費見込額（千円）';
  const mismatches = v.projects.filter((p) => p.totals.difference !== null && p.totals.difference !== 0);
  const current = v.versions.find((x) => x.isCurrent)!;
  return {
    title: v.name,
    crumbs: crumbsOf(v, lang).slice(0, 2).concat({ label: v.name }),
    body: (
      <>
        <h1>{v.name}</h1>
        <p>
          <span class="as-of">{current.label}</span> <span class="meta">構成市町村: {v.municipalities.map((x) => x.name).join('・')}</span>
        </p>
        <ul class="cards no-print">
          <li class="card">
            <a href={href(`${base(v)}/projects`, lang)}>具体的取組の一覧（{v.projects.length}事業）</a>
          </li>
          <li class="card">
            <a href={href(`${base(v)}/reports/2020`, lang)}>令和2年度の取組実績（進捗評価）</a>
          </li>
          <li class="card">
            <a href={href(`${base(v)}/versions`, lang)}>ビジョンの変更履歴</a>
          </li>
        </ul>
        <h2 id="counts">分類ごとの事業数</h2>
        <Figure
          id="count-chart"
          caption={countCaption}
          tableLabel={m.showTable}
          svg={barChart({
            label: `${countCaption}（${top.map((c) => `${c.name} ${c.count}事業`).join('、')}）`,
            categories: top.map((c) => c.name),
            series: [{ name: '事業数', values: top.map((c) => c.count) }],
            max: null,
            unit: '',
            format: (x) => `${x}事業`,
          })}
        >
          <p class="meta">図の数値は下の分類表と同じです。</p>
        </Figure>
        <TableScroll label="分類ごとの事業数と事業費見込額">
          <table>
            <caption class="meta">分類ごとの事業数（資料の記載と数えた数）と事業費見込額の合計（千円、空欄・「－」を除く）</caption>
            <thead>
              <tr>
                <th scope="col">分類</th>
                <th scope="col" class="num">
                  事業数（資料）
                </th>
                <th scope="col" class="num">
                  事業数（集計）
                </th>
                <YearHeads v={v} />
              </tr>
            </thead>
            <tbody>
              {v.categories.map((c) => (
                <tr>
                  <th scope="row" style={`padding-left:${0.5 + c.depth * 1.25}rem`}>
                    <a href={href(`${base(v)}/projects?category=${c.code}`, lang)}>
                      {c.number} {c.name}
                    </a>
                    <span class="meta">（{c.level}）</span>
                  </th>
                  <td class="num">{c.statedCount}</td>
                  <td class={`num${c.count !== c.statedCount ? ' differs' : ''}`}>{c.count}</td>
                  {c.budgets.map((b) => (
                    <td class="num">{b === null ? UNKNOWN : formatNumber(b)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2 id="budgets">事業費見込額</h2>
        <Figure
          id="category-budget-chart"
          caption={categoryBudgetCaption}
          tableLabel={m.showTable}
          svg={barChart({
            label: `${categoryBudgetCaption}（${top.map((c) => `${c.name} ${v.fiscalYears.map((y, i) => `${y}年度 ${c.budgets[i] === null ? UNKNOWN : yen(c.budgets[i]!)}`).join('・')}`).join('、')}）`,
            categories: top.map((c) => c.name),
            series: v.fiscalYears.map((y, i) => ({ name: `${y}年度`, values: top.map((c) => c.budgets[i] ?? null) })),
            max: null,
            unit: '',
            format: (x) => formatNumber(x),
          })}
        >
          <p class="meta">図の数値は上の分類表（連携協約項目の行）と同じです。</p>
        </Figure>
        <Figure
          id="budget-chart"
          caption={budgetCaption}
          tableLabel={m.showTable}
          svg={barChart({
            label: `${budgetCaption}（${v.fiscalYears.map((y, i) => `${y}年度 ${yearTotals[i] === null ? UNKNOWN : yen(yearTotals[i]!)}`).join('、')}）`,
            categories: v.fiscalYears.map((y) => `${y}年度`),
            series: [{ name: '事業費見込額', values: yearTotals }],
            max: null,
            unit: '',
            format: yen,
          })}
        >
          <TableScroll label={budgetCaption}>
            <table>
              <thead>
                <tr>
                  <th scope="col">年度</th>
                  <th scope="col" class="num">
                    事業費見込額（千円）
                  </th>
                </tr>
              </thead>
              <tbody>
                {v.fiscalYears.map((y, i) => (
                  <tr>
                    <th scope="row">{y}年度</th>
                    <td class="num">{yearTotals[i] === null ? UNKNOWN : formatNumber(yearTotals[i]!)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Figure>
        <p>
          各事業の「計」と年度別の合計の照合:{' '}
          {mismatches.length === 0 ? (
            <strong>全事業で一致しています。</strong>
          ) : (
            <strong>{`${mismatches.length}事業で一致しません: ${mismatches.map((p) => `No.${p.number}`).join('、')}`}</strong>
          )}
        </p>
        <p class="meta">
          事業費見込額はビジョン変更時（R4年3月）のもの（新規事業を除く）。空欄と「－」は資料のとおりで、0 とは扱いません。
        </p>
        <h2 id="municipalities">市町村別</h2>
        <ul>
          {v.municipalities.map((x) => (
            <li>
              <a href={href(`${base(v)}/municipalities/${x.code}`, lang)}>{x.name}</a>
              {x.role === 'center' ? '（連携中枢都市）' : '（連携町村）'}
            </li>
          ))}
        </ul>
        <Source>{v.provenance}</Source>
      </>
    ),
  };
}
