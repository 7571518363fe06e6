// Public pages of a regional vision (連携中枢都市圏ビジョン): overview, projects, municipalities,
// the yearly progress report and the revision history. Server-rendered, readable without JavaScript.
import type { Child } from 'hono/jsx';
import { barChart } from '../../web/charts.ts';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { BudgetCell } from './targets.ts';
import { diffVersions, filterProjects, fiscalYears, sumOf, type Project, type ProjectFilter, type Vision } from './vision.ts';

export interface Page {
  title: string;
  crumbs?: { href?: string; label: string }[];
  body: Child;
}

const yen = (v: number) => `${formatNumber(v)}千円`;

/** A budget cell: a figure, 「－」 as printed, or a blank cell (空欄), never shown as 0. */
export const Budget = (props: { cell: BudgetCell }) =>
  typeof props.cell === 'number' ? <>{formatNumber(props.cell)}</> : props.cell === '－' ? <>－</> : <span class="blank">空欄</span>;

/** Column headings 2020年度 … 2024年度. */
const YearHeads = () => (
  <>
    {fiscalYears.map((y) => (
      <th scope="col" class="num">
        {y}年度
      </th>
    ))}
  </>
);

/** A project's budget cells: the five fiscal years, then the stated total. */
const BudgetCells = (props: { p: Project }) => (
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

const base = (v: Vision) => `/plans/${v.planId}`;
const crumbsOf = (v: Vision, lang: Lang, ...rest: { href?: string; label: string }[]) => [
  { href: '/', label: messages[lang].home },
  { href: base(v), label: v.name },
  ...rest,
];

const Source = (props: { children: Child }) => <p class="meta">出典: {props.children}</p>;

function ProjectTable(props: { v: Vision; projects: Project[]; lang: Lang; caption: string }) {
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
            <YearHeads />
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

export function overviewPage(v: Vision, lang: Lang): Page {
  const m = messages[lang];
  const top = v.categories.filter((c) => c.depth === 0);
  const yearTotals = fiscalYears.map((_, i) => sumOf(v.projects.map((p) => p.budgets[i]!.amount)));
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
                <YearHeads />
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
            label: `${categoryBudgetCaption}（${top.map((c) => `${c.name} ${fiscalYears.map((y, i) => `${y}年度 ${c.budgets[i] === null ? UNKNOWN : yen(c.budgets[i]!)}`).join('・')}`).join('、')}）`,
            categories: top.map((c) => c.name),
            series: fiscalYears.map((y, i) => ({ name: `${y}年度`, values: top.map((c) => c.budgets[i] ?? null) })),
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
            label: `${budgetCaption}（${fiscalYears.map((y, i) => `${y}年度 ${yearTotals[i] === null ? UNKNOWN : yen(yearTotals[i]!)}`).join('、')}）`,
            categories: fiscalYears.map((y) => `${y}年度`),
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
                {fiscalYears.map((y, i) => (
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
        <Source>{v.source}</Source>
      </>
    ),
  };
}

export function projectListPage(v: Vision, filter: ProjectFilter, lang: Lang): Page {
  const projects = filterProjects(v, filter);
  const leaves = v.categories;
  return {
    title: `具体的取組の一覧 | ${v.name}`,
    crumbs: crumbsOf(v, lang, { label: '具体的取組の一覧' }),
    body: (
      <>
        <h1>具体的取組の一覧</h1>
        <form class="filters no-print" method="get" action={`${base(v)}/projects`} role="search" aria-label="事業の絞り込み">
          {lang !== 'ja' && <input type="hidden" name="lang" value={lang} />}
          <label>
            分類
            <select name="category">
              <option value="">すべて</option>
              {leaves.map((c) => (
                <option value={c.code} selected={filter.category === c.code}>
                  {'　'.repeat(c.depth)}
                  {c.number} {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            市町村
            <select name="municipality">
              <option value="">すべて</option>
              {v.municipalities.map((x) => (
                <option value={x.code} selected={filter.municipality === x.code}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            キーワード
            <input type="search" name="q" value={filter.q ?? ''} />
          </label>
          <button type="submit">絞り込む</button>
        </form>
        <p role="status">
          <strong>{projects.length}件</strong>の事業（全{v.projects.length}事業）
        </p>
        <ProjectTable v={v} projects={projects} lang={lang} caption="具体的取組" />
        <Source>{v.source}</Source>
      </>
    ),
  };
}

export function projectPage(v: Vision, number: number, lang: Lang): Page {
  const p = v.projects.find((x) => x.number === number);
  if (!p) throw notFound(`事業番号 ${number} の事業`);
  const otherNumbers = v.versions.filter((x) => !x.isCurrent && p.numbers[x.code] !== null);
  return {
    title: `${p.name} | ${v.name}`,
    crumbs: crumbsOf(v, lang, { href: `${base(v)}/projects`, label: '具体的取組の一覧' }, { label: p.name }),
    body: (
      <>
        <p class="meta">{p.category.map((c) => `${c.number} ${c.name}`).join(' ＞ ')}</p>
        <h1>
          No.{p.number} {p.name}
          {p.flags.map((f) => (
            <span class="badge">{f}</span>
          ))}
        </h1>
        {otherNumbers.length > 0 && (
          <p class="meta">他の版での番号: {otherNumbers.map((x) => `${x.label} No.${p.numbers[x.code]}`).join('、')}</p>
        )}
        <dl class="facts">
          <dt>関係市町村</dt>
          <dd>
            {p.partnersText}（{v.municipalities.filter((x) => x.role === 'center').map((x) => x.name)}、
            {p.partners.map((x) => x.name).join('・')}）
          </dd>
        </dl>
        <h2>内容</h2>
        {p.description.split('\n').map((line) => (
          <p>{line}</p>
        ))}
        <h2>連携効果</h2>
        {p.effect.split('\n').map((line) => (
          <p>{line}</p>
        ))}
        <h2>事業費見込額</h2>
        <TableScroll label="事業費見込額">
          <table>
            <caption class="meta">単位：千円</caption>
            <thead>
              <tr>
                <YearHeads />
                <th scope="col" class="num">
                  計（資料）
                </th>
                <th scope="col" class="num">
                  年度の合計（集計）
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <BudgetCells p={p} />
                <td class={`num${p.totals.difference ? ' differs' : ''}`}>
                  {p.totals.computed === null ? UNKNOWN : formatNumber(p.totals.computed)}
                </td>
              </tr>
            </tbody>
          </table>
        </TableScroll>
        {p.totals.difference !== null && p.totals.difference !== 0 && (
          <p class="differs">資料の「計」と年度の合計が {formatNumber(p.totals.difference)}千円 異なります。</p>
        )}
        {p.budgetNote && <p class="meta">転記の注記: {p.budgetNote}</p>}
        <h2>連携市町村の役割分担</h2>
        <dl class="facts">
          <dt>青森市</dt>
          <dd>{p.roles.aomori}</dd>
          <dt>連携町村</dt>
          <dd>{p.roles.partners}</dd>
        </dl>
        <h2>成果指標</h2>
        <TableScroll label="成果指標">
          <table>
            <thead>
              <tr>
                <th scope="col">指標</th>
                <th scope="col">現状値（調査時点）</th>
                <th scope="col">目標値（2024年度）</th>
                <th scope="col">目標の種類</th>
              </tr>
            </thead>
            <tbody>
              {p.indicators.map((i) => (
                <tr>
                  <th scope="row">
                    {i.name}
                    {i.mark ?? ''}
                  </th>
                  <td>{i.baselineText || UNKNOWN}</td>
                  <td>{i.targetText || UNKNOWN}</td>
                  <td>{targetKindLabels[i.target.kind]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {p.footnotes.map((f) => (
          <p class="meta">{f}</p>
        ))}
        {p.evaluations.map((e) => (
          <section aria-labelledby={`eval-${e.fiscalYear}`}>
            <h2 id={`eval-${e.fiscalYear}`}>{e.fiscalYear}年度の進捗評価</h2>
            <EvaluationBody e={e} />
            <p>
              <a href={href(`${base(v)}/reports/${e.fiscalYear}`, lang)}>{e.fiscalYear}年度の取組実績の一覧</a>
            </p>
          </section>
        ))}
        <Source>{p.source}</Source>
      </>
    ),
  };
}

export const targetKindLabels: Record<string, string> = {
  value: '目標値に到達',
  cumulative: '累計で到達',
  at_least_per_year: '毎年度 N 以上',
  maintain: '維持',
  merged: '他事業に統合',
  unknown: '未設定（－）',
};

function EvaluationBody(props: { e: Project['evaluations'][number] }) {
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

export function municipalityPage(v: Vision, code: string, lang: Lang): Page {
  const mun = v.municipalities.find((x) => x.code === code);
  if (!mun) throw notFound('市町村');
  const projects = filterProjects(v, { municipality: code });
  const isCenter = mun.role === 'center';
  const yearTotals = fiscalYears.map((_, i) => sumOf(projects.map((p) => p.budgets[i]!.amount)));
  return {
    title: `${mun.name} | ${v.name}`,
    crumbs: crumbsOf(v, lang, { label: mun.name }),
    body: (
      <>
        <h1>{mun.name}</h1>
        <p>
          {isCenter ? '連携中枢都市' : '連携町村'}として <strong>{projects.length}事業</strong>に参加しています（全{v.projects.length}
          事業）。
        </p>
        <p class="meta">
          事業費見込額は事業全体の額で、市町村ごとの負担額は資料に記載がありません（市町村別の内訳は不明）。下表の合計はこの市町村が参加する事業の事業費見込額の合計です。
        </p>
        <TableScroll label="参加事業の事業費見込額の合計">
          <table>
            <thead>
              <tr>
                <YearHeads />
              </tr>
            </thead>
            <tbody>
              <tr>
                {yearTotals.map((t) => (
                  <td class="num">{t === null ? UNKNOWN : formatNumber(t)}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </TableScroll>
        <h2>参加事業と役割</h2>
        <TableScroll label="参加事業と役割">
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">
                  No.
                </th>
                <th scope="col">事業名</th>
                <th scope="col">
                  {mun.name}の役割（{isCenter ? '青森市' : '連携町村'}）
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr>
                  <td class="num">{p.number}</td>
                  <th scope="row">
                    <a href={href(`${base(v)}/projects/${p.number}`, lang)}>{p.name}</a>
                  </th>
                  <td>{isCenter ? p.roles.aomori : p.roles.partners}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <Source>{v.source}</Source>
      </>
    ),
  };
}

export function reportPage(v: Vision, year: number, lang: Lang): Page {
  const items = v.projects.flatMap((p) => p.evaluations.filter((e) => e.fiscalYear === year).map((e) => ({ p, e })));
  if (!items.length) throw notFound(`${year}年度の取組実績`);
  const grades = items.flatMap(({ e }) => e.indicators);
  const agree = grades.filter((g) => g.computedGrade === g.publishedGrade).length;
  return {
    title: `${year}年度の取組実績 | ${v.name}`,
    crumbs: crumbsOf(v, lang, { label: `${year}年度の取組実績` }),
    body: (
      <>
        <h1>
          {v.name} {year}年度の取組実績
        </h1>
        <p class="no-print">このページは印刷に対応しています（ブラウザの印刷機能をお使いください）。</p>
        <p>
          {items.length}事業・{grades.length}指標。資料の進捗評価と、評価基準（A: 100%以上、B: 80%以上、C: 50%以上、D:
          50%未満、評価できないものは「－」）による再計算は
          {agree === grades.length ? (
            <strong>すべて一致</strong>
          ) : (
            <strong class="differs">{`${grades.length - agree}指標で不一致`}</strong>
          )}
          しています。
        </p>
        {items.map(({ p, e }) => (
          <section class="report-project" aria-labelledby={`r-${p.code}`}>
            <h2 id={`r-${p.code}`}>
              No.{p.number} {p.name}
              {e.numberInReport !== null && e.numberInReport !== p.number && (
                <span class="meta">（実績報告での番号 {e.numberInReport}）</span>
              )}
            </h2>
            <EvaluationBody e={e} />
          </section>
        ))}
        <Source>{items[0]!.e.source}</Source>
      </>
    ),
  };
}

const statusLabels: Record<string, string> = {
  added: '追加',
  ended: '終了',
  merged: '統合',
  changed: '変更',
  renumbered: '番号変更',
  unchanged_number: '同じ番号',
  unknown: '資料に記載なし（不明）',
};

export function versionsPage(v: Vision, lang: Lang): Page {
  return {
    title: `ビジョンの変更履歴 | ${v.name}`,
    crumbs: crumbsOf(v, lang, { label: 'ビジョンの変更履歴' }),
    body: (
      <>
        <h1>ビジョンの変更履歴</h1>
        <TableScroll label="版の一覧">
          <table>
            <thead>
              <tr>
                <th scope="col">版</th>
                <th scope="col">日付</th>
                <th scope="col" class="num">
                  事業数
                </th>
                <th scope="col" class="num">
                  番号が分かる事業
                </th>
                <th scope="col">出典・注記</th>
              </tr>
            </thead>
            <tbody>
              {v.versions.map((x) => (
                <tr>
                  <th scope="row">
                    {x.label}
                    {x.isCurrent ? <span class="badge">現行</span> : ''}
                  </th>
                  <td>{x.date ?? '不明'}</td>
                  <td class="num">{x.projectCount ?? UNKNOWN}</td>
                  <td class="num">{x.knownProjects}</td>
                  <td>
                    {x.source}
                    {x.note ? `。${x.note}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2>版の比較</h2>
        <ul>
          {v.versions.flatMap((a, i) =>
            v.versions.slice(i + 1).map((b) => (
              <li>
                <a href={href(`${base(v)}/versions/${a.code}/${b.code}`, lang)}>
                  {a.label} → {b.label}
                </a>
              </li>
            )),
          )}
        </ul>
      </>
    ),
  };
}

export function diffPage(v: Vision, from: string, to: string, lang: Lang): Page {
  const d = diffVersions(v, from, to);
  if (!d) throw notFound('比較する版');
  const documented = d.rows.filter((r) => r.status !== 'unknown' && r.status !== 'unchanged_number');
  return {
    title: `${d.from.label} → ${d.to.label} | ${v.name}`,
    crumbs: crumbsOf(v, lang, { href: `${base(v)}/versions`, label: 'ビジョンの変更履歴' }, { label: `${d.from.label} → ${d.to.label}` }),
    body: (
      <>
        <h1>
          {d.from.label} → {d.to.label}
        </h1>
        <p>
          事業数: {d.from.projectCount ?? UNKNOWN} → {d.to.projectCount ?? UNKNOWN}
          {d.from.projectCount !== null &&
            d.to.projectCount !== null &&
            `（${d.to.projectCount - d.from.projectCount >= 0 ? '+' : ''}${d.to.projectCount - d.from.projectCount}）`}
        </p>
        <h2>資料に記載された変更（{documented.length}事業）</h2>
        <TableScroll label="資料に記載された変更">
          <table>
            <thead>
              <tr>
                <th scope="col">事業</th>
                <th scope="col" class="num">
                  {d.from.label}の番号
                </th>
                <th scope="col" class="num">
                  {d.to.label}の番号
                </th>
                <th scope="col">変更</th>
                <th scope="col">内容（出典）</th>
              </tr>
            </thead>
            <tbody>
              {documented.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={href(`${base(v)}/projects/${r.project.number}`, lang)}>{r.project.name}</a>
                  </th>
                  <td class="num">{r.from ?? '不明'}</td>
                  <td class="num">{r.to ?? '不明'}</td>
                  <td>{statusLabels[r.status]}</td>
                  <td>
                    {r.changes.map((c) => (
                      <p>
                        {c.into ? `No.${v.projects.find((p) => p.code === c.into)?.number} に統合。` : ''}
                        {c.note}（{c.source}）
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2>番号の対応</h2>
        <p class="meta">両方の版で番号が資料から分かる事業だけを示します。分からないものは「不明」とし、推測しません。</p>
        <TableScroll label="番号の対応">
          <table>
            <thead>
              <tr>
                <th scope="col">事業</th>
                <th scope="col" class="num">
                  {d.from.label}
                </th>
                <th scope="col" class="num">
                  {d.to.label}
                </th>
                <th scope="col">状態</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr>
                  <th scope="row">{r.project.name}</th>
                  <td class="num">{r.from ?? '不明'}</td>
                  <td class="num">{r.to ?? '不明'}</td>
                  <td>{statusLabels[r.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </>
    ),
  };
}
