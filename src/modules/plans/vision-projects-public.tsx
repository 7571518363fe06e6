// The regional vision's project list (filtered by a form that works without JavaScript) and a project's page.
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { base, BudgetCells, crumbsOf, EvaluationBody, ProjectTable, Source, targetKindLabels, YearHeads } from './vision-components.tsx';
import { filterProjects, type ProjectFilter, type Vision } from './vision.ts';

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
        <Source>{v.provenance}</Source>
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
                <YearHeads v={v} />
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
        <Source>{p.provenance}</Source>
      </>
    ),
  };
}
