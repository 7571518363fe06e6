// What the applicant's and the staff's pages both show of a 罹災証明書 application: where it stands, the
// list, and what it says.
import { TableScroll } from '../../../web/layout.tsx';
import { when } from '../reports-public.tsx';
import { certificateStatusLabels, damageGrades, damageTypes, type Opened } from './certificates.ts';
import { warekiDate } from './pdf.ts';
import type { CertificateRow } from './repository.ts';

const steps = ['received', 'scheduled', 'decided', 'issued'] as const;

export function StatusSteps(props: { status: string }) {
  const at = steps.indexOf(props.status as (typeof steps)[number]);
  return (
    <ol class="steps" aria-label="手続きの状況">
      {steps.map((s, i) => (
        <li
          aria-current={i === at ? 'step' : undefined}
        >{`${certificateStatusLabels[s]}${i < at ? '（済）' : i === at ? '（現在）' : ''}`}</li>
      ))}
    </ol>
  );
}

/** Applications as a table, each linking to its page under `base` (the applicant's or staff's). */
export function ApplicationsTable(props: {
  rows: CertificateRow[];
  base: string;
  label: string;
  names: ReadonlyMap<string, { name: string }>;
}) {
  return (
    <TableScroll label={props.label}>
      <table>
        <thead>
          <tr>
            <th scope="col">申請日時</th>
            <th scope="col">市町村</th>
            <th scope="col">被害の原因</th>
            <th scope="col">状況</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>
                <a href={`${props.base}/${r.id}`}>{when(r.createdAt)}</a>
              </td>
              <td>{props.names.get(r.municipality)?.name ?? r.municipality}</td>
              <td>{damageTypes[r.damageType as keyof typeof damageTypes]}</td>
              <td>{certificateStatusLabels[r.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** What the application says and where it stands, for the applicant and for staff alike. */
export function ApplicationFacts(props: { row: CertificateRow; opened: Opened; municipality: string | undefined }) {
  const { row, opened } = props;
  return (
    <dl>
      <dt>市町村</dt>
      <dd>{props.municipality ?? row.municipality}</dd>
      <dt>世帯主の氏名</dt>
      <dd>{opened.name}</dd>
      <dt>被災した住家の所在地</dt>
      <dd>{opened.address}</dd>
      <dt>被害の原因</dt>
      <dd>{damageTypes[row.damageType as keyof typeof damageTypes]}</dd>
      <dt>被災した日</dt>
      <dd>{warekiDate(row.damagedOn)}</dd>
      <dt>被害の状況</dt>
      <dd>{opened.description}</dd>
      <dt>申請日時</dt>
      <dd>{when(row.createdAt)}</dd>
      <dt>調査日</dt>
      <dd>{row.surveyOn ? warekiDate(row.surveyOn) : '未定'}</dd>
      <dt>被害の程度</dt>
      <dd>{row.grade ? damageGrades[row.grade as keyof typeof damageGrades].label : '調査のあと判定します'}</dd>
    </dl>
  );
}
