// A year's progress report of the regional vision (printable): every project's evaluation, with
// the grades recomputed.
import { Ja, Name, nameText } from '../../web/lang.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { crumbsOf, EvaluationBody, Source } from './vision-components.tsx';
import type { Vision } from './vision.ts';

const text = {
  ja: {
    title: (y: number) => `${y}年度の取組実績`,
    print: 'このページは印刷に対応しています（ブラウザの印刷機能をお使いください）。',
    counts: (projects: number, indicators: number) =>
      `${projects}事業・${indicators}指標。資料の進捗評価と、評価基準（A: 100%以上、B: 80%以上、C: 50%以上、D: 50%未満、評価できないものは「－」）による再計算は`,
    allAgree: 'すべて一致',
    disagree: (n: number) => `${n}指標で不一致`,
    end: 'しています。',
    numberInReport: (n: number) => `（実績報告での番号 ${n}）`,
  },
  en: {
    title: (y: number) => `FY${y} results`,
    print: "This page can be printed (use the browser's print command).",
    counts: (projects: number, indicators: number) =>
      `${projects} project${projects === 1 ? '' : 's'}, ${indicators} indicator${indicators === 1 ? '' : 's'}. The document's progress grades and their recomputation by the grading rule (A: 100% or more, B: 80% or more, C: 50% or more, D: under 50%, "－" where no grade can be given): `,
    allAgree: 'all agree',
    disagree: (n: number) => `${n} indicator${n === 1 ? '' : 's'} disagree`,
    end: '.',
    numberInReport: (n: number) => ` (No. ${n} in the results report)`,
  },
} satisfies Record<Lang, unknown>;

export function reportPage(v: Vision, year: number, lang: Lang): Page {
  const items = v.projects.flatMap((p) => p.evaluations.filter((e) => e.fiscalYear === year).map((e) => ({ p, e })));
  if (!items.length) throw notFound(`${year}年度の取組実績`);
  const grades = items.flatMap(({ e }) => e.indicators);
  const agree = grades.filter((g) => g.computedGrade === g.publishedGrade).length;
  const t = text[lang];
  return {
    title: `${t.title(year)} | ${nameText(lang, v.name, v.nameEn).label}`,
    crumbs: crumbsOf(v, lang, { label: t.title(year) }),
    body: (
      <>
        <h1>
          <Name lang={lang} name={v.name} en={v.nameEn} /> {t.title(year)}
        </h1>
        <p class="no-print">{t.print}</p>
        <p>
          {t.counts(items.length, grades.length)}
          {agree === grades.length ? <strong>{t.allAgree}</strong> : <strong class="differs">{t.disagree(grades.length - agree)}</strong>}
          {t.end}
        </p>
        {items.map(({ p, e }) => (
          <section class="report-project" aria-labelledby={`r-${p.code}`}>
            <h2 id={`r-${p.code}`}>
              No.{p.number} <Ja lang={lang}>{p.name}</Ja>
              {e.numberInReport !== null && e.numberInReport !== p.number && <span class="meta">{t.numberInReport(e.numberInReport)}</span>}
            </h2>
            <EvaluationBody e={e} lang={lang} />
          </section>
        ))}
        <Source lang={lang}>{items[0]!.e.provenance}</Source>
      </>
    ),
  };
}
