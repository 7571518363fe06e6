// The regional vision's revision history and the diff of two versions.
import { UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { base, crumbsOf } from './vision-components.tsx';
import { diffVersions, type DiffRow, type Version, type Vision } from './vision.ts';

const statusLabels: Record<string, string> = {
  added: '追加',
  ended: '終了',
  merged: '統合',
  changed: '変更',
  renumbered: '番号変更',
  unchanged_number: '同じ番号',
  unknown: UNKNOWN,
};

export function versionsPage(v: Vision, lang: Lang): Page {
  // The documents date no version: then the column goes, and one sentence says so.
  const dated = v.versions.some((x) => x.date !== null);
  return {
    title: `ビジョンの変更履歴 | ${v.name}`,
    crumbs: crumbsOf(v, lang, { label: 'ビジョンの変更履歴' }),
    body: (
      <>
        <h1>ビジョンの変更履歴</h1>
        {!dated && <p class="meta">各版の日付は資料に記載がありません。</p>}
        <TableScroll label="版の一覧">
          <table>
            <thead>
              <tr>
                <th scope="col">版</th>
                {dated && <th scope="col">日付</th>}
                <th scope="col" class="num">
                  事業数
                </th>
                <th scope="col" class="num">
                  番号が分かる事業
                </th>
                <th scope="col">出典・注記</th>
              </tr>
            </thead>
            <tbody>
              {v.versions.map((x) => (
                <tr>
                  <th scope="row">
                    {x.label}
                    {x.isCurrent ? <span class="badge">現行</span> : ''}
                  </th>
                  {dated && <td>{x.date ?? UNKNOWN}</td>}
                  <td class="num">{x.projectCount ?? UNKNOWN}</td>
                  <td class="num">{x.knownProjects}</td>
                  <td>
                    {x.provenance}
                    {x.note ? `。${x.note}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2>版の比較</h2>
        <ul>
          {v.versions.flatMap((a, i) =>
            v.versions.slice(i + 1).map((b) => (
              <li>
                <a href={href(`${base(v)}/versions/${a.code}/${b.code}`, lang)}>
                  {a.label} → {b.label}
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
function numberColumns(rows: DiffRow[], d: { from: Version; to: Version }) {
  const all: NumberColumn[] = [
    { label: d.from.label, of: (r) => r.from },
    { label: d.to.label, of: (r) => r.to },
  ];
  const shown = all.filter((c) => rows.some((r) => c.of(r) !== null));
  const dropped = all.filter((c) => !shown.includes(c));
  const note = dropped.length ? `${dropped.map((c) => c.label).join('・')}の事業番号は資料に記載がないため示していません。` : null;
  return { shown, note };
}

const NumberHeads = (props: { columns: NumberColumn[]; suffix?: string }) => (
  <>
    {props.columns.map((c) => (
      <th scope="col" class="num">
        {c.label}
        {props.suffix}
      </th>
    ))}
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
  const changeColumns = numberColumns(documented, d);
  const pairColumns = numberColumns(numbered, d);
  return {
    title: `${d.from.label} → ${d.to.label} | ${v.name}`,
    crumbs: crumbsOf(v, lang, { href: `${base(v)}/versions`, label: 'ビジョンの変更履歴' }, { label: `${d.from.label} → ${d.to.label}` }),
    body: (
      <>
        <h1>
          {d.from.label} → {d.to.label}
        </h1>
        <p>
          事業数: {d.from.projectCount ?? UNKNOWN} → {d.to.projectCount ?? UNKNOWN}
          {d.from.projectCount !== null &&
            d.to.projectCount !== null &&
            `（${d.to.projectCount - d.from.projectCount >= 0 ? '+' : ''}${d.to.projectCount - d.from.projectCount}）`}
        </p>
        <h2>資料に記載された変更（{documented.length}事業）</h2>
        {changeColumns.note && <p class="meta">{changeColumns.note}</p>}
        <TableScroll label="資料に記載された変更">
          <table>
            <thead>
              <tr>
                <th scope="col">事業</th>
                <NumberHeads columns={changeColumns.shown} suffix="の番号" />
                <th scope="col">変更</th>
                <th scope="col">内容（出典）</th>
              </tr>
            </thead>
            <tbody>
              {documented.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={href(`${base(v)}/projects/${r.project.number}`, lang)}>{r.project.name}</a>
                  </th>
                  <NumberCells columns={changeColumns.shown} row={r} />
                  <td>{statusLabels[r.status]}</td>
                  <td>
                    {r.changes.map((c) => (
                      <p>
                        {c.into ? `No.${v.projects.find((p) => p.code === c.into)?.number} に統合。` : ''}
                        {c.note}（{c.provenance}）
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2>番号の対応</h2>
        <p class="meta">
          事業番号が資料から分かる事業（{numbered.length}事業）を示します。番号が分からないものは推測せず「{UNKNOWN}」とします。
          {d.rows.length > numbered.length && `どちらの版の番号も資料に記載がない${d.rows.length - numbered.length}事業は示していません。`}
          {pairColumns.note}
        </p>
        <TableScroll label="番号の対応">
          <table>
            <thead>
              <tr>
                <th scope="col">事業</th>
                <NumberHeads columns={pairColumns.shown} />
                <th scope="col">状態</th>
              </tr>
            </thead>
            <tbody>
              {numbered.map((r) => (
                <tr>
                  <th scope="row">{r.project.name}</th>
                  <NumberCells columns={pairColumns.shown} row={r} />
                  <td>{statusLabels[r.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </>
    ),
  };
}
