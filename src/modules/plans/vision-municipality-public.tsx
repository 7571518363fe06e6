// A municipality's projects and roles in the regional vision.
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { ja, nameText } from '../../web/lang.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { base, crumbsOf, Source, visionText, YearHeads } from './vision-components.tsx';
import { filterProjects, sumOf, type Vision } from './vision.ts';

const text = {
  ja: {
    joins: (role: string) => `${role}として `,
    count: (n: number) => `${n}事業`,
    ofAll: (n: number) => `に参加しています（全${n}事業）。`,
    budgetNote:
      '事業費見込額は事業全体の額で、市町村ごとの負担額は資料に記載がありません（市町村別の内訳は不明）。下表の合計はこの市町村が参加する事業の事業費見込額の合計です。',
    totals: '参加事業の事業費見込額の合計',
    projects: '参加事業と役割',
    role: (name: string) => `${name}の役割`,
    aomori: '青森市',
  },
  en: {
    joins: (role: string) => `As a ${role}, it takes part in `,
    count: (n: number) => `${n} project${n === 1 ? '' : 's'}`,
    ofAll: (n: number) => ` (of ${n}).`,
    budgetNote:
      'Budget estimates are for a project as a whole: the document does not say what each municipality bears (the breakdown by municipality is unknown). The table sums the budget estimates of the projects this municipality takes part in.',
    totals: 'Sum of the budget estimates of the projects it takes part in',
    projects: 'Projects and roles',
    role: () => 'Role',
    aomori: 'Aomori City',
  },
} satisfies Record<Lang, unknown>;

export function municipalityPage(v: Vision, code: string, lang: Lang): Page {
  const mun = v.municipalities.find((x) => x.code === code);
  if (!mun) throw notFound('市町村');
  const projects = filterProjects(v, { municipality: code });
  const isCenter = mun.role === 'center';
  const yearTotals = v.fiscalYears.map((_, i) => sumOf(projects.map((p) => p.budgets[i]!.amount)));
  const t = text[lang];
  const vt = visionText[lang];
  return {
    title: `${mun.name} | ${nameText(lang, v.name, v.nameEn).label}`,
    crumbs: crumbsOf(v, lang, { label: mun.name, ja: true }),
    body: (
      <>
        <h1 lang={ja(lang)}>{mun.name}</h1>
        <p>
          {t.joins(isCenter ? vt.center : vt.partner)}
          <strong>{t.count(projects.length)}</strong>
          {t.ofAll(v.projects.length)}
        </p>
        <p class="meta">{t.budgetNote}</p>
        <TableScroll label={t.totals}>
          <table>
            <thead>
              <tr>
                <YearHeads v={v} lang={lang} />
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
        <h2>{t.projects}</h2>
        <TableScroll label={t.projects}>
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {vt.no}
                </th>
                <th scope="col">{vt.name}</th>
                <th scope="col">
                  {t.role(mun.name)}
                  {lang === 'ja' ? `（${isCenter ? t.aomori : vt.partner}）` : ` (${isCenter ? t.aomori : vt.partner})`}
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr>
                  <td class="num">{p.number}</td>
                  <th scope="row">
                    <a href={href(`${base(v)}/projects/${p.number}`, lang)} lang={ja(lang)}>
                      {p.name}
                    </a>
                  </th>
                  <td lang={ja(lang)}>{isCenter ? p.roles.aomori : p.roles.partners}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <Source lang={lang}>{v.provenance}</Source>
      </>
    ),
  };
}
