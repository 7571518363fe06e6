// The regional vision's revision history and the diff of two versions.
import type { Child } from 'hono/jsx';
import { UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, nameText, Paren, paren, Period } from '../../web/lang.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { base, crumbsOf } from './vision-components.tsx';
import { diffVersions, type DiffRow, type Version, type Vision } from './vision.ts';

const statusLabels: Record<Lang, Record<string, string>> = {
  ja: {
    added: '追加',
    ended: '終了',
    merged: '統合',
    changed: '変更',
    renumbered: '番号変更',
    unchanged_number: '同じ番号',
    unknown: UNKNOWN,
  },
  en: {
    added: 'added',
    ended: 'ended',
    merged: 'merged',
    changed: 'changed',
    renumbered: 'renumbered',
    unchanged_number: 'same number',
    unknown: UNKNOWN,
  },
};

const projects = (n: number) => `${n} project${n === 1 ? '' : 's'}`;

const text = {
  ja: {
    history: 'ビジョンの変更履歴',
    undated: '各版の日付は資料に記載がありません。',
    versions: '版の一覧',
    version: '版',
    date: '日付',
    projects: '事業数',
    known: '番号が分かる事業',
    sourceNotes: '出典・注記',
    current: '現行',
    compare: '版の比較',
    documented: '資料に記載された変更',
    documentedCount: (n: number) => `（${n}事業）`,
    project: '事業',
    numberIn: (label: Child) => <>{label}の番号</>,
    change: '変更',
    details: '内容（出典）',
    mergedInto: (n: number | undefined) => `No.${n} に統合。`,
    numbers: '番号の対応',
    numbersNote: (shown: number, hidden: number) =>
      `事業番号が資料から分かる事業（${shown}事業）を示します。番号が分からないものは推測せず「${UNKNOWN}」とします。` +
      (hidden ? `どちらの版の番号も資料に記載がない${hidden}事業は示していません。` : ''),
    versionList: '・',
    gap: '',
    dropped: (labels: Child) => <>{labels}の事業番号は資料に記載がないため示していません。</>,
    status: '状態',
  },
  en: {
    history: 'Revision history of the vision',
    undated: 'The documents give no date for the versions.',
    versions: 'Versions',
    version: 'Version',
    date: 'Date',
    projects: 'Projects',
    known: 'Projects with a known number',
    sourceNotes: 'Source and notes',
    current: 'current',
    compare: 'Compare two versions',
    documented: 'Changes the documents record',
    documentedCount: (n: number) => ` (${projects(n)})`,
    project: 'Project',
    numberIn: (label: Child) => <>No. in {label}</>,
    change: 'Change',
    details: 'Details (source)',
    mergedInto: (n: number | undefined) => `Merged into No.${n}. `,
    numbers: 'Numbers across the versions',
    numbersNote: (shown: number, hidden: number) =>
      `The projects whose number the documents give (${projects(shown)}). A number the documents do not give is not guessed: it is shown as "${UNKNOWN}".` +
      (hidden ? ` The ${projects(hidden)} numbered in neither version's documents are not shown.` : ''),
    versionList: ' and ',
    /** Between two sentences. */
    gap: ' ',
    dropped: (labels: Child) => <>The project numbers of {labels} are not shown: the documents do not give them.</>,
    status: 'Status',
  },
} satisfies Record<Lang, unknown>;

export function versionsPage(v: Vision, lang: Lang): Page {
  const t = text[lang];
  // The documents date no version: then the column goes, and one sentence says so.
  const dated = v.versions.some((x) => x.date !== null);
  return {
    title: `${t.history} | ${nameText(lang, v.name, v.nameEn).label}`,
    crumbs: crumbsOf(v, lang, { label: t.history }),
    body: (
      <>
        <h1>{t.history}</h1>
        {!dated && <p class="meta">{t.undated}</p>}
        <TableScroll label={t.versions}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.version}</th>
                {dated && <th scope="col">{t.date}</th>}
                <th scope="col" class="num">
                  {t.projects}
                </th>
                <th scope="col" class="num">
                  {t.known}
                </th>
                <th scope="col">{t.sourceNotes}</th>
              </tr>
            </thead>
            <tbody>
              {v.versions.map((x) => (
                <tr>
                  <th scope="row">
                    <Ja lang={lang}>{x.label}</Ja>
                    {x.isCurrent ? <span class="badge">{t.current}</span> : ''}
                  </th>
                  {dated && <td>{x.date ? <Period label={x.date} lang={lang} /> : UNKNOWN}</td>}
                  <td class="num">{x.projectCount ?? UNKNOWN}</td>
                  <td class="num">{x.knownProjects}</td>
                  <td lang={ja(lang)}>
                    {x.provenance}
                    {x.note ? `。${x.note}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2>{t.compare}</h2>
        <ul>
          {v.versions.flatMap((a, i) =>
            v.versions.slice(i + 1).map((b) => (
              <li>
                <a href={href(`${base(v)}/versions/${a.code}/${b.code}`, lang)}>
                  <Ja lang={lang}>{a.label}</Ja> → <Ja lang={lang}>{b.label}</Ja>
                </a>
              </li>
            )),
          )}
        </ul>
      </>
    ),
  };
}

/** A version's number column: shown when the documents give at least one of its numbers. */
interface NumberColumn {
  label: string;
  of: (r: DiffRow) => number | null;
}

/** The columns with a known number in `rows`, and one sentence for those left out. */
function numberColumns(rows: DiffRow[], d: { from: Version; to: Version }, lang: Lang) {
  const all: NumberColumn[] = [
    { label: d.from.label, of: (r) => r.from },
    { label: d.to.label, of: (r) => r.to },
  ];
  const shown = all.filter((c) => rows.some((r) => c.of(r) !== null));
  const dropped = all.filter((c) => !shown.includes(c));
  const t = text[lang];
  const note = dropped.length ? t.dropped(<Ja lang={lang}>{dropped.map((c) => c.label).join(t.versionList)}</Ja>) : null;
  return { shown, note };
}

const NumberHeads = (props: { columns: NumberColumn[]; lang: Lang; numberIn?: boolean }) => (
  <>
    {props.columns.map((c) => {
      const label = <Ja lang={props.lang}>{c.label}</Ja>;
      return (
        <th scope="col" class="num">
          {props.numberIn ? text[props.lang].numberIn(label) : label}
        </th>
      );
    })}
  </>
);
const NumberCells = (props: { columns: NumberColumn[]; row: DiffRow }) => (
  <>
    {props.columns.map((c) => (
      <td class="num">{c.of(props.row) ?? UNKNOWN}</td>
    ))}
  </>
);

export function diffPage(v: Vision, from: string, to: string, lang: Lang): Page {
  const d = diffVersions(v, from, to);
  if (!d) throw notFound('比較する版');
  const documented = d.rows.filter((r) => r.status !== 'unknown' && r.status !== 'unchanged_number');
  const numbered = d.rows.filter((r) => r.from !== null || r.to !== null);
  const changeColumns = numberColumns(documented, d, lang);
  const pairColumns = numberColumns(numbered, d, lang);
  const t = text[lang];
  const labels = { from: <Ja lang={lang}>{d.from.label}</Ja>, to: <Ja lang={lang}>{d.to.label}</Ja> };
  return {
    title: `${d.from.label} → ${d.to.label} | ${nameText(lang, v.name, v.nameEn).label}`,
    crumbs: crumbsOf(v, lang, { href: `${base(v)}/versions`, label: t.history }, { label: `${d.from.label} → ${d.to.label}`, ja: true }),
    body: (
      <>
        <h1>
          {labels.from} → {labels.to}
        </h1>
        <p>
          {t.projects}: {d.from.projectCount ?? UNKNOWN} → {d.to.projectCount ?? UNKNOWN}
          {d.from.projectCount !== null &&
            d.to.projectCount !== null &&
            paren(lang, `${d.to.projectCount - d.from.projectCount >= 0 ? '+' : ''}${d.to.projectCount - d.from.projectCount}`)}
        </p>
        <h2>
          {t.documented}
          {t.documentedCount(documented.length)}
        </h2>
        {changeColumns.note && <p class="meta">{changeColumns.note}</p>}
        <TableScroll label={t.documented}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.project}</th>
                <NumberHeads columns={changeColumns.shown} lang={lang} numberIn />
                <th scope="col">{t.change}</th>
                <th scope="col">{t.details}</th>
              </tr>
            </thead>
            <tbody>
              {documented.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={href(`${base(v)}/projects/${r.project.number}`, lang)} lang={ja(lang)}>
                      {r.project.name}
                    </a>
                  </th>
                  <NumberCells columns={changeColumns.shown} row={r} />
                  <td>{statusLabels[lang][r.status]}</td>
                  <td>
                    {r.changes.map((c) => (
                      <p>
                        {c.into ? t.mergedInto(v.projects.find((p) => p.code === c.into)?.number) : ''}
                        <Ja lang={lang}>{c.note}</Ja>
                        <Paren lang={lang}>
                          <Ja lang={lang}>{c.provenance}</Ja>
                        </Paren>
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2>{t.numbers}</h2>
        <p class="meta">
          {t.numbersNote(numbered.length, d.rows.length - numbered.length)}
          {pairColumns.note && [t.gap, pairColumns.note]}
        </p>
        <TableScroll label={t.numbers}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.project}</th>
                <NumberHeads columns={pairColumns.shown} lang={lang} />
                <th scope="col">{t.status}</th>
              </tr>
            </thead>
            <tbody>
              {numbered.map((r) => (
                <tr>
                  <th scope="row" lang={ja(lang)}>
                    {r.project.name}
                  </th>
                  <NumberCells columns={pairColumns.shown} row={r} />
                  <td>{statusLabels[lang][r.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </>
    ),
  };
}
