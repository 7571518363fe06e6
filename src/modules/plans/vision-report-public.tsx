// A year's progress report of the regional vision (printable): every project's evaluation, with
// the grades recomputed.
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { crumbsOf, EvaluationBody, Source } from './vision-components.tsx';
import type { Vision } from './vision.ts';

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
        <Source>{items[0]!.e.provenance}</Source>
      </>
    ),
  };
}
