// The regional vision's project list (filtered by a form that works without JavaScript) and a project's page.
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, nameText } from '../../web/lang.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import {
  base,
  BudgetCells,
  crumbsOf,
  EvaluationBody,
  ProjectTable,
  Source,
  targetKindLabels,
  visionText,
  YearHeads,
  yen,
} from './vision-components.tsx';
import { filterProjects, type ProjectFilter, type Vision } from './vision.ts';

const text = {
  ja: {
    filter: '事業の絞り込み',
    all: 'すべて',
    municipality: '市町村',
    keyword: 'キーワード',
    submit: '絞り込む',
    found: (n: number) => `${n}件`,
    ofAll: (n: number) => `の事業（全${n}事業）`,
    caption: '具体的取組',
    otherNumbers: '他の版での番号',
    involved: '関係市町村',
    description: '内容',
    effect: '連携効果',
    budgets: '事業費見込額',
    thousands: '単位：千円',
    computedTotal: '年度の合計（集計）',
    differs: (x: string) => `資料の「計」と年度の合計が ${x} 異なります。`,
    roles: '連携市町村の役割分担',
    partners: '連携町村',
    outcomes: '成果指標',
    baseline: '現状値（調査時点）',
    finalTarget: '目標値（2024年度）',
    targetKind: '目標の種類',
    evaluation: (y: number) => `${y}年度の進捗評価`,
    report: (y: number) => `${y}年度の取組実績の一覧`,
  },
  en: {
    filter: 'Filter the projects',
    all: 'All',
    municipality: 'Municipality',
    keyword: 'Keyword',
    submit: 'Filter',
    found: (n: number) => `${n} project${n === 1 ? '' : 's'}`,
    ofAll: (n: number) => ` (of ${n})`,
    caption: 'Projects',
    otherNumbers: 'Numbers in other versions',
    involved: 'Municipalities involved',
    description: 'Description',
    effect: 'Effects of the partnership',
    budgets: 'Budget estimates',
    thousands: 'Thousands of yen',
    computedTotal: 'Sum of the years (counted)',
    differs: (x: string) => `The document's total and the sum of the years differ by ${x}.`,
    roles: 'Roles of the partner municipalities',
    partners: 'Partner towns and villages',
    outcomes: 'Outcome indicators',
    baseline: 'Baseline (as surveyed)',
    finalTarget: 'Target (FY2024)',
    targetKind: 'Kind of target',
    evaluation: (y: number) => `FY${y} progress evaluation`,
    report: (y: number) => `All FY${y} results`,
  },
} satisfies Record<Lang, unknown>;

export function projectListPage(v: Vision, filter: ProjectFilter, lang: Lang): Page {
  const projects = filterProjects(v, filter);
  const leaves = v.categories;
  const t = text[lang];
  const vt = visionText[lang];
  return {
    title: `${vt.projectList} | ${nameText(lang, v.name, v.nameEn).label}`,
    crumbs: crumbsOf(v, lang, { label: vt.projectList }),
    body: (
      <>
        <h1>{vt.projectList}</h1>
        <form class="filters no-print" method="get" action={`${base(v)}/projects`} role="search" aria-label={t.filter}>
          {lang !== 'ja' && <input type="hidden" name="lang" value={lang} />}
          <label>
            {vt.category}
            <select name="category">
              <option value="">{t.all}</option>
              {leaves.map((c) => (
                <option value={c.code} selected={filter.category === c.code} lang={ja(lang)}>
                  {'　'.repeat(c.depth)}
                  {c.number} {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.municipality}
            <select name="municipality">
              <option value="">{t.all}</option>
              {v.municipalities.map((x) => (
                <option value={x.code} selected={filter.municipality === x.code} lang={ja(lang)}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.keyword}
            <input type="search" name="q" value={filter.q ?? ''} />
          </label>
          <button type="submit">{t.submit}</button>
        </form>
        <p role="status">
          <strong>{t.found(projects.length)}</strong>
          {t.ofAll(v.projects.length)}
        </p>
        <ProjectTable v={v} projects={projects} lang={lang} caption={t.caption} />
        <Source lang={lang}>{v.provenance}</Source>
      </>
    ),
  };
}

export function projectPage(v: Vision, number: number, lang: Lang): Page {
  const p = v.projects.find((x) => x.number === number);
  if (!p) throw notFound(`事業番号 ${number} の事業`);
  const otherNumbers = v.versions.filter((x) => !x.isCurrent && p.numbers[x.code] !== null);
  const t = text[lang];
  const vt = visionText[lang];
  return {
    title: `${p.name} | ${nameText(lang, v.name, v.nameEn).label}`,
    crumbs: crumbsOf(v, lang, { href: `${base(v)}/projects`, label: vt.projectList }, { label: p.name, ja: true }),
    body: (
      <>
        <p class="meta" lang={ja(lang)}>
          {p.category.map((c) => `${c.number} ${c.name}`).join(' ＞ ')}
        </p>
        <h1>
          No.{p.number} <Ja lang={lang}>{p.name}</Ja>
          {p.flags.map((f) => (
            <span class="badge" lang={ja(lang)}>
              {f}
            </span>
          ))}
        </h1>
        {otherNumbers.length > 0 && (
          <p class="meta">
            {t.otherNumbers}:{' '}
            {otherNumbers.map((x, i) => (
              <>
                {i > 0 && (lang === 'ja' ? '、' : ', ')}
                <Ja lang={lang}>{x.label}</Ja> No.{p.numbers[x.code]}
              </>
            ))}
          </p>
        )}
        <dl class="facts">
          <dt>{t.involved}</dt>
          <dd lang={ja(lang)}>
            {p.partnersText}（{v.municipalities.filter((x) => x.role === 'center').map((x) => x.name)}、
            {p.partners.map((x) => x.name).join('・')}）
          </dd>
        </dl>
        <h2>{t.description}</h2>
        {p.description.split('\n').map((line) => (
          <p lang={ja(lang)}>{line}</p>
        ))}
        <h2>{t.effect}</h2>
        {p.effect.split('\n').map((line) => (
          <p lang={ja(lang)}>{line}</p>
        ))}
        <h2>{t.budgets}</h2>
        <TableScroll label={t.budgets}>
          <table>
            <caption class="meta">{t.thousands}</caption>
            <thead>
              <tr>
                <YearHeads v={v} lang={lang} />
                <th scope="col" class="num">
                  {vt.statedTotal}
                </th>
                <th scope="col" class="num">
                  {t.computedTotal}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <BudgetCells p={p} lang={lang} />
                <td class={`num${p.totals.difference ? ' differs' : ''}`}>
                  {p.totals.computed === null ? UNKNOWN : formatNumber(p.totals.computed)}
                </td>
              </tr>
            </tbody>
          </table>
        </TableScroll>
        {p.totals.difference !== null && p.totals.difference !== 0 && <p class="differs">{t.differs(yen(p.totals.difference, lang))}</p>}
        <h2>{t.roles}</h2>
        <dl class="facts">
          <dt lang={ja(lang)}>青森市</dt>
          <dd lang={ja(lang)}>{p.roles.aomori}</dd>
          <dt>{t.partners}</dt>
          <dd lang={ja(lang)}>{p.roles.partners}</dd>
        </dl>
        <h2>{t.outcomes}</h2>
        <TableScroll label={t.outcomes}>
          <table>
            <thead>
              <tr>
                <th scope="col">{vt.indicator}</th>
                <th scope="col">{t.baseline}</th>
                <th scope="col">{t.finalTarget}</th>
                <th scope="col">{t.targetKind}</th>
              </tr>
            </thead>
            <tbody>
              {p.indicators.map((i) => (
                <tr>
                  <th scope="row" lang={ja(lang)}>
                    {i.name}
                    {i.mark ?? ''}
                  </th>
                  <td lang={i.baselineText ? ja(lang) : undefined}>{i.baselineText || UNKNOWN}</td>
                  <td lang={i.targetText ? ja(lang) : undefined}>{i.targetText || UNKNOWN}</td>
                  <td>{targetKindLabels[lang][i.target.kind]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {p.footnotes.map((f) => (
          <p class="meta" lang={ja(lang)}>
            {f}
          </p>
        ))}
        {p.evaluations.map((e) => (
          <section aria-labelledby={`eval-${e.fiscalYear}`}>
            <h2 id={`eval-${e.fiscalYear}`}>{t.evaluation(e.fiscalYear)}</h2>
            <EvaluationBody e={e} lang={lang} />
            <p>
              <a href={href(`${base(v)}/reports/${e.fiscalYear}`, lang)}>{t.report(e.fiscalYear)}</a>
            </p>
          </section>
        ))}
        <Source lang={lang}>{p.provenance}</Source>
      </>
    ),
  };
}
