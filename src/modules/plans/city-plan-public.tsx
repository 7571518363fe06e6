// Public pages of a comprehensive plan (総合計画): the policy tree, each policy's sections and
// its measures' indicators. The document leaves every indicator table blank: what it does not give
// is said in words (資料に目標値の記載なし); indicators the city adds are reported in rounds, and their
// published values are shown with their period and the round that published them.
import { notFound } from '../../platform/errors.ts';
import { formatNumber } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { PlanTree } from './repository.ts';
import type { Page } from './page.ts';

interface Group {
  heading: string;
  items: string[];
}
interface PolicyDetails {
  situation: Group[];
  direction: string[];
}
interface MeasureDetails {
  summary: string[];
  initiatives: Group[];
  indicators: { name: string; baseline: string | null; target: string | null }[];
  indicatorColumns: string[] | null;
  footnotes: string[];
}

/** Where a measure concerns another plan, by the plan's kind (the plan itself is the one of that kind the data holds). */
const related: Record<string, { kind: string; label: string }[]> = {
  '3-1-2': [{ kind: 'vision', label: '青森圏域連携中枢都市圏ビジョン（青森市と平内町・今別町・外ヶ浜町・蓬田村の連携事業）' }],
};

const Groups = (props: { groups: Group[] }) => (
  <>
    {props.groups.map((g) => (
      <>
        <h4>《{g.heading}》</h4>
        <ul>
          {g.items.map((i) => (
            <li>{i}</li>
          ))}
        </ul>
      </>
    ))}
  </>
);

const nameKnown = (n: { details: unknown }) => (n.details as { nameKnown: boolean }).nameKnown;

/** What the document does not give, in words (never blank, never 0). */
const notInDocument = { indicator: '資料に指標の記載なし', baseline: '資料に基準値の記載なし', target: '資料に目標値の記載なし' };

/** The indicators the document lists (`transcribed`), then those added by staff with their published values. */
function IndicatorRows(props: { tree: PlanTree; measureId: number; transcribed: MeasureDetails['indicators'] }) {
  const { tree } = props;
  const rows = tree.nodes.filter((n) => n.parentId === props.measureId && n.kind === 'indicator');
  if (!rows.length && !props.transcribed.length) {
    return (
      <tr>
        <td>{notInDocument.indicator}</td>
        <td>{notInDocument.baseline}</td>
        <td>{notInDocument.target}</td>
        <td>－</td>
      </tr>
    );
  }
  return (
    <>
      {props.transcribed.map((i) => (
        <tr>
          <th scope="row">{i.name}</th>
          <td>{i.baseline ?? notInDocument.baseline}</td>
          <td>{i.target ?? notInDocument.target}</td>
          <td>－</td>
        </tr>
      ))}
      {rows.map((n) => {
        const ind = tree.indicators.get(n.id);
        const latest = tree.observations.get(n.id)?.at(-1);
        const amount = (v: number | null | undefined) => (v === null || v === undefined ? null : `${formatNumber(v)}${ind?.unit ?? ''}`);
        return (
          <tr>
            <th scope="row">{n.name}</th>
            <td>{amount(ind?.baseValue) ?? notInDocument.baseline}</td>
            <td>
              {amount(ind?.targetValue) ?? notInDocument.target}
              {ind?.targetValue !== null && ind?.targetYear ? `（${ind.targetYear}年）` : ''}
            </td>
            <td>
              {latest ? (
                <>
                  {amount(latest.value) ?? '－'}（{latest.periodLabel}）<span class="period">{latest.provenance}</span>
                  {latest.dataSource && <span class="period">データの出所: {latest.dataSource}</span>}
                </>
              ) : (
                '－'
              )}
            </td>
          </tr>
        );
      })}
    </>
  );
}

export function cityPlanTreePage(tree: PlanTree, lang: Lang): Page {
  const base = `/plans/${tree.plan.id}`;
  const kids = (id: number | null, kind: string) => tree.nodes.filter((n) => n.parentId === id && n.kind === kind);
  return {
    title: tree.plan.name,
    crumbs: [{ href: '/', label: messages[lang].home }, { label: tree.plan.name }],
    body: (
      <>
        <h1>{tree.plan.name}（施策の体系）</h1>
        <p class="meta">出典: {tree.plan.provenance}</p>
        <nav class="tree" aria-label="施策の体系">
          <ul>
            {kids(null, 'chapter').map((c) => (
              <li>
                <h2>{nameKnown(c) ? `${c.code} ${c.name}` : c.code}</h2>
                {!nameKnown(c) && <p class="meta">この章の名称は資料に記載されていません。</p>}
                <ul>
                  {kids(c.id, 'policy').map((p) => (
                    <li>
                      <h3>
                        <a href={href(`${base}/policies/${p.code}`, lang)}>
                          {p.code} {p.name}
                        </a>
                      </h3>
                      <ul>
                        {kids(p.id, 'measure').map((m) => (
                          <li>
                            <a href={href(`${base}/policies/${p.code}#m-${m.code}`, lang)}>
                              {m.code} {m.name}
                            </a>
                            {related[m.code] && <span class="badge">関連計画あり</span>}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </nav>
      </>
    ),
  };
}

/** `plans`: the plans the data holds, for the links to related ones. */
export function policyPage(tree: PlanTree, code: string, lang: Lang, plans: { id: string; kind: string }[]): Page {
  const p = tree.nodes.find((n) => n.kind === 'policy' && n.code === code);
  if (!p) throw notFound('施策');
  const base = `/plans/${tree.plan.id}`;
  const d = p.details as PolicyDetails;
  const measures = tree.nodes.filter((n) => n.parentId === p.id && n.kind === 'measure');
  return {
    title: `${p.code} ${p.name} | ${tree.plan.name}`,
    crumbs: [{ href: '/', label: messages[lang].home }, { href: base, label: tree.plan.name }, { label: `${p.code} ${p.name}` }],
    body: (
      <>
        <h1>
          {p.code} {p.name}
        </h1>
        <h2>現状と課題</h2>
        <Groups groups={d.situation} />
        <h2>基本方向</h2>
        {d.direction.map((t) => (
          <p>{t}</p>
        ))}
        {measures.map((m) => {
          const md = m.details as MeasureDetails;
          return (
            <section aria-labelledby={`m-${m.code}`}>
              <h2 id={`m-${m.code}`}>
                {m.code} {m.name}
              </h2>
              {md.summary.map((t) => (
                <p>{t}</p>
              ))}
              <h3>主な取組</h3>
              <Groups groups={md.initiatives} />
              {md.footnotes.map((f) => (
                <p class="meta">{f}</p>
              ))}
              <h3>目標とする指標</h3>
              <TableScroll label={`${m.code} 目標とする指標`}>
                <table>
                  <thead>
                    <tr>
                      {(md.indicatorColumns ?? ['指標とその説明', '基準値', '目標値']).map((c) => (
                        <th scope="col">{c}</th>
                      ))}
                      <th scope="col">公表された値（期間・時点）</th>
                    </tr>
                  </thead>
                  <tbody>
                    <IndicatorRows tree={tree} measureId={m.id} transcribed={md.indicators} />
                  </tbody>
                </table>
              </TableScroll>
              {related[m.code] && (
                <p>
                  関連する計画:{' '}
                  {related[m.code]!.flatMap((r) =>
                    plans.filter((x) => x.kind === r.kind).map((x) => <a href={href(`/plans/${x.id}`, lang)}>{r.label}</a>),
                  )}
                </p>
              )}
              <p class="meta">出典: {m.provenance}</p>
            </section>
          );
        })}
      </>
    ),
  };
}
