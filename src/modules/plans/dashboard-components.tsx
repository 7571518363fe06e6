// Pieces the dashboard's pages share: the as-of line with the publication picker, the 出典 line, KPI
// cards and the KPI chart.
import { barChart } from '../../web/charts.ts';
import { formatChange, formatDate, formatRate } from '../../web/format.ts';
import { Figure, href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, list, Name, Paren, paren, Period } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import { englishPeriod } from '../../web/format.ts';
import type { Dashboard, DashboardKpi } from './snapshot.ts';

/** Which publication a page shows: `asOf` as the URL asked for it (undefined: the latest), and all of the plan's, newest first. */
export interface Shown {
  asOf: string | undefined;
  publications: { asOf: string; label: string }[];
}

/** A page's path at the publication it shows: an older publication keeps its `?asOf=` in every link. */
export const at = (path: string, shown: Shown) => (shown.asOf ? `${path}?asOf=${shown.asOf}` : path);

const pickerText = {
  ja: {
    label: '公表版',
    show: '表示する',
    shown: '表示中の公表版',
    older: 'これは過去の公表版です。',
    latest: '最新の公表版',
    differs: '公表値と差あり',
  },
  en: {
    label: 'Publication',
    show: 'Show',
    shown: 'Publication shown',
    older: 'This is an earlier publication.',
    latest: 'Latest publication',
    differs: 'differs from the published figure',
  },
} satisfies Record<Lang, Record<string, string>>;

/** The publication shown and, given `shown`, a plain GET form to pick another (works without JavaScript). */
/** The publication's label and its 時点, as the page heading's line shows them. */
function SnapshotAsOf(props: { d: Dashboard; lang: Lang }) {
  const s = props.d.snapshot;
  return (
    <>
      <span class="as-of">
        <Period label={s.label} lang={props.lang} />
      </span>{' '}
      <span class="meta">
        <Paren lang={props.lang}>
          {messages[props.lang].asOf}: <time datetime={s.asOf}>{formatDate(s.asOf, props.lang)}</time>
        </Paren>
      </span>
    </>
  );
}

export function AsOf(props: { d: Dashboard; lang: Lang; shown?: Shown; path?: string }) {
  const s = props.d.snapshot;
  const t = pickerText[props.lang];
  const { shown, path } = props;
  if (!shown || !path) {
    return (
      <p>
        <SnapshotAsOf d={props.d} lang={props.lang} />
      </p>
    );
  }
  const latest = shown.publications[0];
  return (
    <div class="publication">
      <p>
        {t.shown}: <SnapshotAsOf d={props.d} lang={props.lang} />
      </p>
      {latest && latest.asOf !== s.asOf && (
        <p class="older-publication">
          {t.older} {t.latest}:{' '}
          <a href={href(path, props.lang)}>
            <Period label={latest.label} lang={props.lang} />
          </a>
        </p>
      )}
      <form method="get" action={path} class="publication-picker">
        <label for="publication-as-of">{t.label}</label>{' '}
        <select id="publication-as-of" name="asOf">
          {shown.publications.map((p) => (
            <option value={p.asOf} selected={p.asOf === s.asOf} lang={props.lang === 'ja' || englishPeriod(p.label) ? undefined : 'ja'}>
              {(props.lang === 'ja' ? p.label : (englishPeriod(p.label) ?? p.label)) + paren(props.lang, p.asOf)}
            </option>
          ))}
        </select>
        {props.lang !== 'ja' && <input type="hidden" name="lang" value={props.lang} />} <button type="submit">{t.show}</button>
      </form>
    </div>
  );
}

export function Sources(props: { d: Dashboard; lang: Lang; extra?: string }) {
  return (
    <p class="meta">
      {messages[props.lang].source}: <Ja lang={props.lang}>{props.d.snapshot.plan.provenance}</Ja>
      {props.extra ? (
        <>
          {props.lang === 'ja' ? ' ／ ' : ' / '}
          <Ja lang={props.lang}>{props.extra}</Ja>
        </>
      ) : (
        ''
      )}
    </p>
  );
}

export function KpiCard(props: { kpi: DashboardKpi; planId: string; lang: Lang; shown: Shown; withComponents?: boolean }) {
  const { kpi, lang } = props;
  const m = messages[lang];
  return (
    <li class="card">
      <h4>
        <a href={href(at(`/plans/${props.planId}/kpis/${kpi.code}`, props.shown), lang)} lang={ja(lang)}>
          {kpi.name}
        </a>
      </h4>
      <p class="figure-big">
        {formatRate(kpi.index)}{' '}
        <small>
          <Paren lang={lang}>{m.indexNote}</Paren>
        </small>
      </p>
      <div class="bar" aria-hidden="true">
        <span style={`width:${Math.max(0, Math.min(100, kpi.index ?? 0))}%`} />
      </div>
      <dl class="facts">
        <dt>{m.change}</dt>
        <dd>{formatChange(kpi.change, 1, lang)}</dd>
        <dt>{m.computedIndex}</dt>
        <dd class={kpi.computedIndex !== kpi.index ? 'differs' : undefined}>
          {formatRate(kpi.computedIndex)}
          {kpi.computedIndex !== kpi.index ? paren(lang, pickerText[lang].differs) : ''}
        </dd>
      </dl>
      {props.withComponents && kpi.components && (
        <p>
          <strong>{lang === 'ja' ? `【${m.components}】` : m.components}</strong>
          <br />
          <Ja lang={lang}>{kpi.components}</Ja>
        </p>
      )}
    </li>
  );
}

const FieldName = (props: { d: Dashboard; code: string; lang: Lang }) => {
  const f = props.d.snapshot.fields.find((x) => x.code === props.code);
  return f ? <Name lang={props.lang} name={f.name} en={f.nameEn} /> : <></>;
};

export function KpiChart(props: { id: string; caption: string; kpis: DashboardKpi[]; d: Dashboard; lang: Lang }) {
  const m = messages[props.lang];
  const svg = barChart({
    label: `${props.caption}${paren(
      props.lang,
      list(
        props.lang,
        props.kpis.map((k) => `${k.name} ${formatRate(k.index)}`),
      ),
    )}`,
    categories: props.kpis.map((k) => k.name),
    series: [{ name: m.index, values: props.kpis.map((k) => k.index) }],
    lang: props.lang,
  });
  return (
    <Figure id={props.id} caption={props.caption} svg={svg} tableLabel={m.showTable}>
      <TableScroll label={props.caption}>
        <table>
          <caption class="meta">
            {props.caption}
            <Paren lang={props.lang}>
              <Period label={props.d.snapshot.label} lang={props.lang} />
            </Paren>
          </caption>
          <thead>
            <tr>
              <th scope="col">{m.field}</th>
              <th scope="col">{m.kpi}</th>
              <th scope="col" class="num">
                {m.index}
              </th>
              <th scope="col" class="num">
                {m.change}
              </th>
              <th scope="col" class="num">
                {m.computedIndex}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.kpis.map((k) => (
              <tr>
                <td>
                  <FieldName d={props.d} code={k.field} lang={props.lang} />
                </td>
                <th scope="row" lang={ja(props.lang)}>
                  {k.name}
                </th>
                <td class="num">{formatRate(k.index)}</td>
                <td class="num">{formatChange(k.change, 1, props.lang)}</td>
                <td class="num">{formatRate(k.computedIndex)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </Figure>
  );
}
