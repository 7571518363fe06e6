// Official vs recomputed figures, with the arithmetic.
import { formatNumber, formatRate, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { AsOf } from './dashboard-components.tsx';
import type { Page } from './page.ts';
import { reconcile, roundingNames } from './reconciliation.ts';
import { ja, Ja, nameText, paren } from '../../web/lang.tsx';
import type { Dashboard } from './snapshot.ts';

const text = {
  ja: {
    intro: (clip: string, digits: number, rounding: string, averaging: string) =>
      `公表された達成率・KPI指数と、公表された値からシステムが再計算した結果を比べ、異なるものを一覧にしています。計算の設定: 達成率＝値÷目標値×100（方向に応じて計算）、${clip}、小数第${digits}位に${rounding}、KPI指数は${averaging}の単純平均。`,
    clip: (min: number, max: number) => `${min}〜${max}の範囲に収める`,
    noClip: '範囲の制限なし',
    roundedRates: '丸めた達成率',
    rawRates: '丸める前の達成率',
    count: (n: number) => `${n}件`,
    countRest: 'の相違があります。',
    target: '対象',
    published: '公表値',
    computed: '再計算値',
    difference: '差',
    arithmetic: '計算',
    explanation: '説明',
    previous: '前期の達成率 C',
    latest: '直近の達成率 E',
    kpiIndex: 'KPI指数',
  },
  en: {
    intro: (clip: string, digits: number, rounding: string, averaging: string) =>
      `The published achievement rates and KPI indices compared with the system's recomputation from the published values; the list shows those that differ. Settings: rate = value ÷ target × 100 (by the indicator's direction), ${clip}, ${rounding} to ${digits} decimal place${digits === 1 ? '' : 's'}, a KPI index is the simple mean of the ${averaging}.`,
    clip: (min: number, max: number) => `kept within ${min}–${max}`,
    noClip: 'not limited to a range',
    roundedRates: 'rounded rates',
    rawRates: 'rates before rounding',
    count: (n: number) => `${n} difference${n === 1 ? '' : 's'}`,
    countRest: '.',
    target: 'Item',
    published: 'Published',
    computed: 'Recomputed',
    difference: 'Difference',
    arithmetic: 'Calculation',
    explanation: 'Explanation',
    previous: 'previous achievement rate C',
    latest: 'latest achievement rate E',
    kpiIndex: 'KPI index',
  },
} satisfies Record<Lang, unknown>;

export function reconciliationPage(d: Dashboard, lang: Lang): Page {
  const m = messages[lang];
  const s = d.snapshot;
  const t = text[lang];
  const items = reconcile(d, lang);
  const st = s.settings;
  return {
    title: `${m.reconciliation} | ${nameText(lang, s.plan.name, d.planNameEn).label}`,
    crumbs: [
      { href: '/', label: m.home },
      { href: `/plans/${s.plan.id}`, ...nameText(lang, s.plan.name, d.planNameEn) },
      { label: m.reconciliation },
    ],
    body: (
      <>
        <h1>{m.reconciliation}</h1>
        <AsOf d={d} lang={lang} />
        <p>
          {t.intro(
            st.clip ? t.clip(st.clip.min, st.clip.max) : t.noClip,
            st.rounding.digits,
            roundingNames[lang][st.rounding.mode],
            st.averaging === 'rounded-rates' ? t.roundedRates : t.rawRates,
          )}
        </p>
        <p>
          <strong>{t.count(items.length)}</strong>
          {t.countRest}
        </p>
        <TableScroll label={m.reconciliation}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.target}</th>
                <th scope="col" class="num">
                  {t.published}
                </th>
                <th scope="col" class="num">
                  {t.computed}
                </th>
                <th scope="col" class="num">
                  {t.difference}
                </th>
                <th scope="col">{t.arithmetic}</th>
                <th scope="col">{t.explanation}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr>
                  <th scope="row">
                    <a href={href(`/plans/${s.plan.id}/kpis/${x.kpiCode}`, lang)} lang={ja(lang)}>
                      {x.kpiName}
                    </a>
                    {x.indicatorName ? (
                      <>
                        <br />
                        <Ja lang={lang}>{x.indicatorName}</Ja>
                        {paren(lang, x.which === 'previous' ? t.previous : t.latest)}
                      </>
                    ) : (
                      <>
                        <br />
                        {t.kpiIndex}
                      </>
                    )}
                  </th>
                  <td class="num">{formatRate(x.published)}</td>
                  <td class="num">{formatRate(x.computed)}</td>
                  <td class="num">{x.difference === null ? UNKNOWN : formatNumber(x.difference, st.rounding.digits)}</td>
                  <td>{x.arithmetic}</td>
                  <td>{x.explanation ?? UNKNOWN}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <p>
          API: <a href={`/api/v1/plans/${s.plan.id}/reconciliation`}>{`/api/v1/plans/${s.plan.id}/reconciliation`}</a>
        </p>
      </>
    ),
  };
}
