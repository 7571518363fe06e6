// Public pages of a comprehensive plan (総合計画): the policy tree, each policy's sections and
// its measures' indicators. The document leaves every indicator table blank: what it does not give
// is said in words (資料に目標値の記載なし); indicators the city adds are reported in rounds, and their
// published values are shown with their period and the round that published them.
import { notFound } from '../../platform/errors.ts';
import { formatNumber } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, Name, nameText, Paren, Period } from '../../web/lang.tsx';
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
const related: Record<string, { kind: string; name: string; about: Record<Lang, string> }[]> = {
  '3-1-2': [
    {
      kind: 'vision',
      name: '青森圏域連携中枢都市圏ビジョン',
      about: {
        ja: '青森市と平内町・今別町・外ヶ浜町・蓬田村の連携事業',
        en: 'joint projects of Aomori City and the towns of Hiranai, Imabetsu and Sotogahama and the village of Yomogita',
      },
    },
  ],
};

const text = {
  ja: {
    noChapterName: 'この章の名称は資料に記載されていません。',
    structure: '施策の体系',
    relatedBadge: '関連計画あり',
    situation: '現状と課題',
    direction: '基本方向',
    initiatives: '主な取組',
    indicators: '目標とする指標',
    columns: ['指標とその説明', '基準値', '目標値'],
    published: '公表された値（期間・時点）',
    /** What the document does not give, in words (never blank, never 0). */
    notInDocument: { indicator: '資料に指標の記載なし', baseline: '資料に基準値の記載なし', target: '資料に目標値の記載なし' },
    targetYear: (y: number) => `（${y}年）`,
    relatedPlans: '関連する計画',
  },
  en: {
    noChapterName: 'The document gives no name for this chapter.',
    structure: 'Policy structure',
    relatedBadge: 'related plan',
    situation: 'Current situation and issues',
    direction: 'Basic direction',
    initiatives: 'Main initiatives',
    indicators: 'Target indicators',
    columns: ['Indicator and description', 'Baseline', 'Target'],
    published: 'Published value (period, as of)',
    notInDocument: {
      indicator: 'No indicator in the document',
      baseline: 'No baseline in the document',
      target: 'No target in the document',
    },
    targetYear: (y: number) => ` (${y})`,
    relatedPlans: 'Related plan',
  },
} satisfies Record<Lang, unknown>;

const Groups = (props: { groups: Group[]; lang: Lang }) => (
  <>
    {props.groups.map((g) => (
      <>
        <h4 lang={ja(props.lang)}>《{g.heading}》</h4>
        <ul lang={ja(props.lang)}>
          {g.items.map((i) => (
            <li>{i}</li>
          ))}
        </ul>
      </>
    ))}
  </>
);

const nameKnown = (n: { details: unknown }) => (n.details as { nameKnown: boolean }).nameKnown;

/** A number with its unit; in English a unit the city writes in Japanese (人) is data. */
const Amount = (props: { value: number; unit: string; lang: Lang }) => (
  <>
    {formatNumber(props.value)}
    {/\P{ASCII}/u.test(props.unit) ? <Ja lang={props.lang}>{props.unit}</Ja> : props.unit}
  </>
);

/** The indicators the document lists (`transcribed`), then those added by staff with their published values. */
function IndicatorRows(props: { tree: PlanTree; measureId: number; transcribed: MeasureDetails['indicators']; lang: Lang }) {
  const { tree, lang } = props;
  const none = text[lang].notInDocument;
  const rows = tree.nodes.filter((n) => n.parentId === props.measureId && n.kind === 'indicator');
  if (!rows.length && !props.transcribed.length) {
    return (
      <tr>
        <td>{none.indicator}</td>
        <td>{none.baseline}</td>
        <td>{none.target}</td>
        <td>－</td>
      </tr>
    );
  }
  return (
    <>
      {props.transcribed.map((i) => (
        <tr>
          <th scope="row" lang={ja(lang)}>
            {i.name}
          </th>
          <td lang={i.baseline ? ja(lang) : undefined}>{i.baseline ?? none.baseline}</td>
          <td lang={i.target ? ja(lang) : undefined}>{i.target ?? none.target}</td>
          <td>－</td>
        </tr>
      ))}
      {rows.map((n) => {
        const ind = tree.indicators.get(n.id);
        const latest = tree.observations.get(n.id)?.at(-1);
        const amount = (v: number | null | undefined) =>
          v === null || v === undefined ? null : <Amount value={v} unit={ind?.unit ?? ''} lang={lang} />;
        return (
          <tr>
            <th scope="row" lang={ja(lang)}>
              {n.name}
            </th>
            <td>{amount(ind?.baseValue) ?? none.baseline}</td>
            <td>
              {amount(ind?.targetValue) ?? none.target}
              {ind?.targetValue !== null && ind?.targetYear ? text[lang].targetYear(ind.targetYear) : ''}
            </td>
            <td>
              {latest ? (
                <>
                  {amount(latest.value) ?? '－'}
                  <Paren lang={lang}>
                    <Period label={latest.periodLabel} lang={lang} />
                  </Paren>
                  <span class="period" lang={ja(lang)}>
                    {latest.provenance}
                  </span>
                  {latest.dataSource && (
                    <span class="period">
                      {messages[lang].dataSource}: <Ja lang={lang}>{latest.dataSource}</Ja>
                    </span>
                  )}
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
  const t = text[lang];
  return {
    title: nameText(lang, tree.plan.name, tree.plan.nameEn).label,
    crumbs: [{ href: '/', label: messages[lang].home }, nameText(lang, tree.plan.name, tree.plan.nameEn)],
    body: (
      <>
        <h1>
          <Name lang={lang} name={tree.plan.name} en={tree.plan.nameEn} />
          <Paren lang={lang}>{t.structure}</Paren>
        </h1>
        <p class="meta">
          {messages[lang].source}: <Ja lang={lang}>{tree.plan.provenance}</Ja>
        </p>
        <nav class="tree" aria-label={t.structure}>
          <ul>
            {kids(null, 'chapter').map((c) => (
              <li>
                <h2>{nameKnown(c) ? [c.code, ' ', <Ja lang={lang}>{c.name}</Ja>] : c.code}</h2>
                {!nameKnown(c) && <p class="meta">{t.noChapterName}</p>}
                <ul>
                  {kids(c.id, 'policy').map((p) => (
                    <li>
                      <h3>
                        <a href={href(`${base}/policies/${p.code}`, lang)}>
                          {p.code} <Ja lang={lang}>{p.name}</Ja>
                        </a>
                      </h3>
                      <ul>
                        {kids(p.id, 'measure').map((m) => (
                          <li>
                            <a href={href(`${base}/policies/${p.code}#m-${m.code}`, lang)}>
                              {m.code} <Ja lang={lang}>{m.name}</Ja>
                            </a>
                            {related[m.code] && <span class="badge">{t.relatedBadge}</span>}
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
export function policyPage(tree: PlanTree, code: string, lang: Lang, plans: { id: string; kind: string; nameEn: string | null }[]): Page {
  const p = tree.nodes.find((n) => n.kind === 'policy' && n.code === code);
  if (!p) throw notFound('施策');
  const base = `/plans/${tree.plan.id}`;
  const d = p.details as PolicyDetails;
  const measures = tree.nodes.filter((n) => n.parentId === p.id && n.kind === 'measure');
  const t = text[lang];
  return {
    title: `${p.code} ${p.name} | ${nameText(lang, tree.plan.name, tree.plan.nameEn).label}`,
    crumbs: [
      { href: '/', label: messages[lang].home },
      { href: base, ...nameText(lang, tree.plan.name, tree.plan.nameEn) },
      { label: `${p.code} ${p.name}`, ja: true },
    ],
    body: (
      <>
        <h1>
          {p.code} <Ja lang={lang}>{p.name}</Ja>
        </h1>
        <h2>{t.situation}</h2>
        <Groups groups={d.situation} lang={lang} />
        <h2>{t.direction}</h2>
        {d.direction.map((x) => (
          <p lang={ja(lang)}>{x}</p>
        ))}
        {measures.map((m) => {
          const md = m.details as MeasureDetails;
          return (
            <section aria-labelledby={`m-${m.code}`}>
              <h2 id={`m-${m.code}`}>
                {m.code} <Ja lang={lang}>{m.name}</Ja>
              </h2>
              {md.summary.map((x) => (
                <p lang={ja(lang)}>{x}</p>
              ))}
              <h3>{t.initiatives}</h3>
              <Groups groups={md.initiatives} lang={lang} />
              {md.footnotes.map((f) => (
                <p class="meta" lang={ja(lang)}>
                  {f}
                </p>
              ))}
              <h3>{t.indicators}</h3>
              <TableScroll label={`${m.code} ${t.indicators}`}>
                <table>
                  <thead>
                    <tr>
                      {/* Column names the document prints are data, unless they are the usual three (ours, translated). */}
                      {md.indicatorColumns && md.indicatorColumns.join() !== text.ja.columns.join()
                        ? md.indicatorColumns.map((c) => (
                            <th scope="col" lang={ja(lang)}>
                              {c}
                            </th>
                          ))
                        : t.columns.map((c) => <th scope="col">{c}</th>)}
                      <th scope="col">{t.published}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <IndicatorRows tree={tree} measureId={m.id} transcribed={md.indicators} lang={lang} />
                  </tbody>
                </table>
              </TableScroll>
              {related[m.code] && (
                <p>
                  {t.relatedPlans}:{' '}
                  {related[m.code]!.flatMap((r) =>
                    plans
                      .filter((x) => x.kind === r.kind)
                      .map((x) => (
                        <a href={href(`/plans/${x.id}`, lang)}>
                          <Name lang={lang} name={r.name} en={x.nameEn} />
                          <Paren lang={lang}>{r.about[lang]}</Paren>
                        </a>
                      )),
                  )}
                </p>
              )}
              <p class="meta">
                {messages[lang].source}: <Ja lang={lang}>{m.provenance}</Ja>
              </p>
            </section>
          );
        })}
      </>
    ),
  };
}
