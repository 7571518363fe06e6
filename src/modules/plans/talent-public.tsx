// The public page of a development policy (kind `development_policy`, the デジタル人財育成方針): its two pillars
// with their figures, each yearly target against what was reached and the cumulative totals (a chart
// and a table), the stage table (育成計画) and the measures as text. Unknown is "－", never 0.
import { formatDate, UNKNOWN } from '../../web/format.ts';
import { TableScroll } from '../../web/layout.tsx';
import { ja, Ja, Name, nameText, Paren, paren, Period } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { Page } from './page.ts';
import type { Talent, TalentIndicator, TalentPillar } from './talent.ts';
import { Amount, StageTable, text, Yearly } from './talent-components.tsx';

function FigureRows(props: { indicators: TalentIndicator[]; lang: Lang }) {
  const { lang } = props;
  const m = messages[lang];
  return (
    <>
      {props.indicators.map((i) => {
        const latest = i.values.at(-1);
        const next = i.years.find((y) => y.target !== null && y.reached === null);
        return (
          <tr>
            <th scope="row" lang={ja(lang)}>
              {i.name}
            </th>
            <td>
              {latest ? (
                <>
                  <Amount value={latest.value} unit={i.unit} lang={lang} />
                  <Paren lang={lang}>
                    <Period label={latest.period} lang={lang} />
                  </Paren>
                  {latest.provenance.startsWith('報告ラウンド') && (
                    <span class="period" lang={ja(lang)}>
                      {latest.provenance}
                    </span>
                  )}
                  {latest.source && (
                    <span class="period">
                      {m.dataSource}: <Ja lang={lang}>{latest.source}</Ja>
                    </span>
                  )}
                </>
              ) : (
                UNKNOWN
              )}
            </td>
            <td>
              {i.target !== null ? (
                <>
                  <Amount value={i.target} unit={i.unit} lang={lang} />
                  {i.targetYear && paren(lang, lang === 'ja' ? `${i.targetYear}年度まで` : `by FY${i.targetYear}`)}
                </>
              ) : next ? (
                <>
                  <Amount value={next.target} unit={i.unit} lang={lang} />
                  <Paren lang={lang}>
                    <Period label={next.period} lang={lang} />
                  </Paren>
                  {next.targetNote && (
                    <span class="period" lang={ja(lang)}>
                      {next.targetNote}
                    </span>
                  )}
                </>
              ) : (
                UNKNOWN
              )}
            </td>
          </tr>
        );
      })}
    </>
  );
}

function Pillar(props: { pillar: TalentPillar; n: number; lang: Lang }) {
  const { pillar: p, lang } = props;
  const t = text[lang];
  const d = p.details;
  return (
    <section aria-labelledby={`${p.code}-heading`}>
      <h2 id={`${p.code}-heading`} lang={ja(lang)}>
        {d.label} {p.name}
      </h2>
      {d.summary && <p lang={ja(lang)}>{d.summary}</p>}
      {d.items.length > 0 && (
        <ul lang={ja(lang)}>
          {d.items.map((x) => (
            <li>{x}</li>
          ))}
        </ul>
      )}
      {d.measures.length > 0 && (
        <>
          <h3>{t.measures}</h3>
          <dl lang={ja(lang)}>
            {d.measures.map((x) => (
              <>
                <dt>{x.name}</dt>
                <dd>{x.text}</dd>
              </>
            ))}
          </dl>
        </>
      )}
      {d.next.length > 0 && (
        <>
          <h3>{t.next}</h3>
          <ul lang={ja(lang)}>
            {d.next.map((x) => (
              <li>{x}</li>
            ))}
          </ul>
        </>
      )}
      <TableScroll label={t.pillarFigures(d.label, props.n)}>
        <table>
          <caption class="meta">{t.figures}</caption>
          <thead>
            <tr>
              {t.columns.map((c) => (
                <th scope="col">{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <FigureRows indicators={p.indicators} lang={lang} />
          </tbody>
        </table>
      </TableScroll>
      <p class="meta">
        {messages[lang].source}: <Ja lang={lang}>{p.provenance}</Ja>
      </p>
    </section>
  );
}

export function talentPage(talent: Talent, publications: { asOf: string; label: string }[], lang: Lang): Page {
  const m = messages[lang];
  const t = text[lang];
  const latest = publications[0];
  const id = talent.planId;
  const yearly = talent.pillars.flatMap((p) => p.indicators).filter((i) => i.years.length > 0);
  return {
    title: nameText(lang, talent.name, talent.nameEn).label,
    crumbs: [{ href: '/', label: m.home }, nameText(lang, talent.name, talent.nameEn)],
    body: (
      <>
        <h1>
          <Name lang={lang} name={talent.name} en={talent.nameEn} />
        </h1>
        <p class="meta">
          {latest ? (
            <>
              {t.publicationLabel}: <Ja lang={lang}>{latest.label}</Ja>
              <Paren lang={lang}>{t.asOf(formatDate(latest.asOf, lang))}</Paren>
            </>
          ) : (
            t.noPublication
          )}
        </p>
        <p class="meta">
          {m.source}: <Ja lang={lang}>{talent.provenance}</Ja>
        </p>
        {talent.pillars.map((p, n) => (
          <Pillar pillar={p} n={n + 1} lang={lang} />
        ))}
        {yearly.map((i) => (
          <Yearly indicator={i} lang={lang} />
        ))}
        {talent.stages && <StageTable talent={talent} lang={lang} />}
        <section aria-labelledby="data-heading">
          <h2 id="data-heading">{t.data}</h2>
          <ul>
            <li>
              {m.openData}: <a href={`/opendata/${id}/indicators.csv`}>{t.indicatorsFile} (CSV)</a>
              {' / '}
              <a href={`/opendata/${id}/indicators.json`}>{t.indicatorsFile} (JSON)</a>
              {' / '}
              <a href={`/opendata/${id}/targets.csv`}>{t.targetsFile} (CSV)</a>
              {' / '}
              <a href={`/opendata/${id}/targets.json`}>{t.targetsFile} (JSON)</a>
            </li>
            <li>
              API: <a href={`/api/v1/plans/${id}/targets`}>{`/api/v1/plans/${id}/targets`}</a>
              {' / '}
              <a href={`/api/v1/plans/${id}/kpis`}>{`/api/v1/plans/${id}/kpis`}</a>
            </li>
          </ul>
        </section>
      </>
    ),
  };
}
