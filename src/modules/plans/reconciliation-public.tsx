// Official vs recomputed figures, with the arithmetic.
import { formatNumber, formatRate, UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { AsOf } from './dashboard-components.tsx';
import type { Page } from './page.ts';
import { reconcile, roundingLabels } from './reconciliation.ts';
import type { Dashboard } from './snapshot.ts';

export function reconciliationPage(d: Dashboard, lang: Lang): Page {
  const m = messages[lang];
  const s = d.snapshot;
  const items = reconcile(d);
  const st = s.settings;
  return {
    title: `${m.reconciliation} | ${s.plan.name}`,
    crumbs: [{ href: '/', label: m.home }, { href: `/plans/${s.plan.id}`, label: s.plan.name }, { label: m.reconciliation }],
    body: (
      <>
        <h1>{m.reconciliation}</h1>
        <AsOf d={d} lang={lang} />
        <p>
          公表された達成率・KPI指数と、公表された値からシステムが再計算した結果を比べ、異なるものを一覧にしています。計算の設定:
          達成率＝値÷目標値×100（方向に応じて計算）、{st.clip ? `${st.clip.min}〜${st.clip.max}の範囲に収める` : '範囲の制限なし'}、小数第
          {st.rounding.digits}位に
          {roundingLabels[st.rounding.mode]}、KPI指数は{st.averaging === 'rounded-rates' ? '丸めた達成率' : '丸める前の達成率'}の単純平均。
        </p>
        <p>
          <strong>{items.length}件</strong>の相違があります。
        </p>
        <TableScroll label={m.reconciliation}>
          <table>
            <thead>
              <tr>
                <th scope="col">対象</th>
                <th scope="col" class="num">
                  公表値
                </th>
                <th scope="col" class="num">
                  再計算値
                </th>
                <th scope="col" class="num">
                  差
                </th>
                <th scope="col">計算</th>
                <th scope="col">説明</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr>
                  <th scope="row">
                    <a href={href(`/plans/${s.plan.id}/kpis/${x.kpiCode}`, lang)}>{x.kpiName}</a>
                    {x.indicatorName ? (
                      <>
                        <br />
                        {x.indicatorName}（{x.which === 'previous' ? '前期の達成率 C' : '直近の達成率 E'}）
                      </>
                    ) : (
                      <>
                        <br />
                        KPI指数
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
