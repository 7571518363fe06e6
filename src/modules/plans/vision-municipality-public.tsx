// A municipality's projects and roles in the regional vision.
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { base, crumbsOf, Source, YearHeads } from './vision-components.tsx';
import { filterProjects, sumOf, type Vision } from './vision.ts';

export function municipalityPage(v: Vision, code: string, lang: Lang): Page {
  const mun = v.municipalities.find((x) => x.code === code);
  if (!mun) throw notFound('市町村');
  const projects = filterProjects(v, { municipality: code });
  const isCenter = mun.role === 'center';
  const yearTotals = v.fiscalYears.map((_, i) => sumOf(projects.map((p) => p.budgets[i]!.amount)));
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
                <YearHeads v={v} />
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
        <Source>{v.provenance}</Source>
      </>
    ),
  };
}
