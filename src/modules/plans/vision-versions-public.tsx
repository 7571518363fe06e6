// The regional vision's revision history and the diff of two versions.
import { UNKNOWN } from '../../web/format.ts';
import { href, TableScroll } from '../../web/layout.tsx';
import { ja, Ja, nameText, Paren, paren, Period } from '../../web/lang.tsx';
import type { Lang } from '../../web/messages.ts';
import { notFound } from '../../platform/errors.ts';
import type { Page } from './page.ts';
import { base, crumbsOf } from './vision-components.tsx';
import { diffVersions, type Vision } from './vision.ts';

const statusLabels: Record<Lang, Record<string, string>> = {
  ja: {
    added: '追加',
    ended: '終了',
    merged: '統合',
    changed: '変更',
    renumbered: '番号変更',
    unchanged_number: '同じ番号',
    unknown: '資料に記載なし（不明）',
  },
  en: {
    added: 'added',
    ended: 'ended',
    merged: 'merged',
    changed: 'changed',
    renumbered: 'renumbered',
    unchanged_number: 'same number',
    unknown: 'not in the documents (unknown)',
  },
};

const text = {
  ja: {
    history: 'ビジョンの変更履歴',
    versions: '版の一覧',
    version: '版',
    date: '日付',
    projects: '事業数',
    known: '番号が分かる事業',
    sourceNotes: '出典・注記',
    current: '現行',
    unknown: '不明',
    compare: '版の比較',
    documented: '資料に記載された変更',
    documentedCount: (n: number) => `（${n}事業）`,
    project: '事業',
    numberIn: (label: string) => `${label}の番号`,
    change: '変更',
    details: '内容（出典）',
    mergedInto: (n: number | undefined) => `No.${n} に統合。`,
    numbers: '番号の対応',
    numbersNote: '両方の版で番号が資料から分かる事業だけを示します。分からないものは「不明」とし、推測しません。',
    status: '状態',
  },
  en: {
    history: 'Revision history of the vision',
    versions: 'Versions',
    version: 'Version',
    date: 'Date',
    projects: 'Projects',
    known: 'Projects with a known number',
    sourceNotes: 'Source and notes',
    current: 'current',
    unknown: 'unknown',
    compare: 'Compare two versions',
    documented: 'Changes the documents record',
    documentedCount: (n: number) => ` (${n} project${n === 1 ? '' : 's'})`,
    project: 'Project',
    numberIn: () => 'No. in ',
    change: 'Change',
    details: 'Details (source)',
    mergedInto: (n: number | undefined) => `Merged into No.${n}. `,
    numbers: 'Numbers across the versions',
    numbersNote: 'A number is shown only where the documents give it for a version; otherwise it says "unknown" and is not guessed.',
    status: 'Status',
  },
} satisfies Record<Lang, unknown>;

export function versionsPage(v: Vision, lang: Lang): Page {
  const t = text[lang];
  return {
    title: `${t.history} | ${nameText(lang, v.name, v.nameEn).label}`,
    crumbs: crumbsOf(v, lang, { label: t.history }),
    body: (
      <>
        <h1>{t.history}</h1>
        <TableScroll label={t.versions}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.version}</th>
                <th scope="col">{t.date}</th>
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
                  <td>{x.date ? <Period label={x.date} lang={lang} /> : t.unknown}</td>
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

export function diffPage(v: Vision, from: string, to: string, lang: Lang): Page {
  const d = diffVersions(v, from, to);
  if (!d) throw notFound('比較する版');
  const documented = d.rows.filter((r) => r.status !== 'unknown' && r.status !== 'unchanged_number');
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
        <TableScroll label={t.documented}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.project}</th>
                <th scope="col" class="num">
                  {lang === 'ja' ? t.numberIn(d.from.label) : [t.numberIn(d.from.label), labels.from]}
                </th>
                <th scope="col" class="num">
                  {lang === 'ja' ? t.numberIn(d.to.label) : [t.numberIn(d.to.label), labels.to]}
                </th>
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
                  <td class="num">{r.from ?? t.unknown}</td>
                  <td class="num">{r.to ?? t.unknown}</td>
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
        <p class="meta">{t.numbersNote}</p>
        <TableScroll label={t.numbers}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.project}</th>
                <th scope="col" class="num">
                  {labels.from}
                </th>
                <th scope="col" class="num">
                  {labels.to}
                </th>
                <th scope="col">{t.status}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr>
                  <th scope="row" lang={ja(lang)}>
                    {r.project.name}
                  </th>
                  <td class="num">{r.from ?? t.unknown}</td>
                  <td class="num">{r.to ?? t.unknown}</td>
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
