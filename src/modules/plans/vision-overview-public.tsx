// The regional vision's overview: counts and budgets per category, budgets per year, the municipalities.
import { barChart } from '../../web/charts.ts';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, list, Name, nameText, Paren, paren } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { Page } from './page.ts';
import { base, crumbsOf, Source, visionText, YearHeads, yen } from './vision-components.tsx';
import { sumOf, type Vision } from './vision.ts';

const text = {
  ja: {
    members: '構成市町村',
    projectList: (n: number) => `具体的取組の一覧（${n}事業）`,
    report2020: '令和2年度の取組実績（進捗評価）',
    versions: 'ビジョンの変更履歴',
    counts: '分類ごとの事業数',
    countCaption: '連携協約項目ごとの事業数',
    budgetCaption: '年度ごとの事業費見込額（全事業の合計、千円）',
    categoryBudgetCaption: '連携協約項目・年度ごとの事業費見込額（千円）',
    projectCount: '事業数',
    sameAsBelow: '図の数値は下の分類表と同じです。',
    countsAndBudgets: '分類ごとの事業数と事業費見込額',
    tableCaption: '分類ごとの事業数（資料の記載と数えた数）と事業費見込額の合計（千円、空欄・「－」を除く）',
    statedCount: '事業数（資料）',
    countedCount: '事業数（集計）',
    budgets: '事業費見込額',
    sameAsAbove: '図の数値は上の分類表（連携協約項目の行）と同じです。',
    fiscalYear: '年度',
    budgetThousands: '事業費見込額（千円）',
    totalsCheck: '各事業の「計」と年度別の合計の照合:',
    allMatch: '全事業で一致しています。',
    mismatch: (numbers: string[]) => `${numbers.length}事業で一致しません: ${numbers.join('、')}`,
    budgetNote: '事業費見込額はビジョン変更時（R4年3月）のもの（新規事業を除く）。空欄と「－」は資料のとおりで、0 とは扱いません。',
    byMunicipality: '市町村別',
  },
  en: {
    members: 'Member municipalities',
    projectList: (n: number) => `Projects (${n})`,
    report2020: 'FY2020 results (progress evaluation)',
    versions: 'Revision history of the vision',
    counts: 'Projects by category',
    countCaption: 'Projects per item of the partnership agreement',
    budgetCaption: 'Budget estimates per fiscal year (all projects, thousands of yen)',
    categoryBudgetCaption: 'Budget estimates per agreement item and fiscal year (thousands of yen)',
    projectCount: 'Projects',
    sameAsBelow: 'The figures are those of the category table below.',
    countsAndBudgets: 'Projects and budget estimates by category',
    tableCaption:
      'Projects per category (as the document states them and as counted) and the sum of their budget estimates (thousands of yen, blank and "－" cells left out)',
    statedCount: 'Projects (document)',
    countedCount: 'Projects (counted)',
    budgets: 'Budget estimates',
    sameAsAbove: 'The figures are those of the category table above (the rows of the agreement items).',
    fiscalYear: 'Fiscal year',
    budgetThousands: 'Budget estimate (thousands of yen)',
    totalsCheck: "Each project's stated total against the sum of its years:",
    allMatch: 'they match for every project.',
    mismatch: (numbers: string[]) => `they differ for ${numbers.length} project${numbers.length === 1 ? '' : 's'}: ${numbers.join(', ')}`,
    budgetNote:
      'Budget estimates are those of the revision of the vision (March 2022), new projects excepted. Blank cells and "－" are as the document prints them and are not taken as 0.',
    byMunicipality: 'By municipality',
  },
} satisfies Record<Lang, unknown>;

export function overviewPage(v: Vision, lang: Lang): Page {
  const m = messages[lang];
  const t = text[lang];
  const vt = visionText[lang];
  const top = v.categories.filter((c) => c.depth === 0);
  const yearTotals = v.fiscalYears.map((_, i) => sumOf(v.projects.map((p) => p.budgets[i]!.amount)));
  const countCaption = t.countCaption;
  const budgetCaption = t.budgetCaption;
  const categoryBudgetCaption = t.categoryBudgetCaption;
  const mismatches = v.projects.filter((p) => p.totals.difference !== null && p.totals.difference !== 0);
  const current = v.versions.find((x) => x.isCurrent)!;
  return {
    title: nameText(lang, v.name, v.nameEn).label,
    crumbs: crumbsOf(v, lang)
      .slice(0, 2)
      .concat(nameText(lang, v.name, v.nameEn)),
    body: (
      <>
        <h1>
          <Name lang={lang} name={v.name} en={v.nameEn} />
        </h1>
        <p>
          <span class="as-of" lang={ja(lang)}>
            {current.label}
          </span>{' '}
          <span class="meta">
            {t.members}: <Ja lang={lang}>{v.municipalities.map((x) => x.name).join(lang === 'ja' ? '・' : ', ')}</Ja>
          </span>
        </p>
        <ul class="cards no-print">
          <li class="card">
            <a href={href(`${base(v)}/projects`, lang)}>{t.projectList(v.projects.length)}</a>
          </li>
          <li class="card">
            <a href={href(`${base(v)}/reports/2020`, lang)}>{t.report2020}</a>
          </li>
          <li class="card">
            <a href={href(`${base(v)}/versions`, lang)}>{t.versions}</a>
          </li>
        </ul>
        <h2 id="counts">{t.counts}</h2>
        <Figure
          id="count-chart"
          caption={countCaption}
          tableLabel={m.showTable}
          svg={barChart({
            label: `${countCaption}${paren(
              lang,
              list(
                lang,
                top.map((c) => `${c.name} ${vt.projects(c.count)}`),
              ),
            )}`,
            categories: top.map((c) => c.name),
            series: [{ name: t.projectCount, values: top.map((c) => c.count) }],
            max: null,
            unit: '',
            format: (x) => vt.projects(x),
            lang,
          })}
        >
          <p class="meta">{t.sameAsBelow}</p>
        </Figure>
        <TableScroll label={t.countsAndBudgets}>
          <table>
            <caption class="meta">{t.tableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{vt.category}</th>
                <th scope="col" class="num">
                  {t.statedCount}
                </th>
                <th scope="col" class="num">
                  {t.countedCount}
                </th>
                <YearHeads v={v} lang={lang} />
              </tr>
            </thead>
            <tbody>
              {v.categories.map((c) => (
                <tr>
                  <th scope="row" style={`padding-left:${0.5 + c.depth * 1.25}rem`}>
                    <a href={href(`${base(v)}/projects?category=${c.code}`, lang)}>
                      {c.number} <Ja lang={lang}>{c.name}</Ja>
                    </a>
                    <span class="meta">
                      <Paren lang={lang}>
                        <Ja lang={lang}>{c.level}</Ja>
                      </Paren>
                    </span>
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
        <h2 id="budgets">{t.budgets}</h2>
        <Figure
          id="category-budget-chart"
          caption={categoryBudgetCaption}
          tableLabel={m.showTable}
          svg={barChart({
            label: `${categoryBudgetCaption}${paren(
              lang,
              list(
                lang,
                top.map(
                  (c) =>
                    `${c.name} ${v.fiscalYears.map((y, i) => `${vt.year(y)} ${c.budgets[i] === null ? UNKNOWN : yen(c.budgets[i]!, lang)}`).join(lang === 'ja' ? '・' : ', ')}`,
                ),
              ),
            )}`,
            categories: top.map((c) => c.name),
            series: v.fiscalYears.map((y, i) => ({ name: vt.year(y), values: top.map((c) => c.budgets[i] ?? null) })),
            max: null,
            unit: '',
            format: (x) => formatNumber(x),
            lang,
          })}
        >
          <p class="meta">{t.sameAsAbove}</p>
        </Figure>
        <Figure
          id="budget-chart"
          caption={budgetCaption}
          tableLabel={m.showTable}
          svg={barChart({
            label: `${budgetCaption}${paren(
              lang,
              list(
                lang,
                v.fiscalYears.map((y, i) => `${vt.year(y)} ${yearTotals[i] === null ? UNKNOWN : yen(yearTotals[i]!, lang)}`),
              ),
            )}`,
            categories: v.fiscalYears.map((y) => vt.year(y)),
            series: [{ name: t.budgets, values: yearTotals }],
            max: null,
            unit: '',
            format: (x) => yen(x, lang),
          })}
        >
          <TableScroll label={budgetCaption}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.fiscalYear}</th>
                  <th scope="col" class="num">
                    {t.budgetThousands}
                  </th>
                </tr>
              </thead>
              <tbody>
                {v.fiscalYears.map((y, i) => (
                  <tr>
                    <th scope="row">{vt.year(y)}</th>
                    <td class="num">{yearTotals[i] === null ? UNKNOWN : formatNumber(yearTotals[i]!)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Figure>
        <p>
          {t.totalsCheck}{' '}
          {mismatches.length === 0 ? <strong>{t.allMatch}</strong> : <strong>{t.mismatch(mismatches.map((p) => `No.${p.number}`))}</strong>}
        </p>
        <p class="meta">{t.budgetNote}</p>
        <h2 id="municipalities">{t.byMunicipality}</h2>
        <ul>
          {v.municipalities.map((x) => (
            <li>
              <a href={href(`${base(v)}/municipalities/${x.code}`, lang)} lang={ja(lang)}>
                {x.name}
              </a>
              {paren(lang, x.role === 'center' ? vt.center : vt.partner)}
            </li>
          ))}
        </ul>
        <Source lang={lang}>{v.provenance}</Source>
      </>
    ),
  };
}
