// The audit trail as people read it: who (name and organisation), what (in Japanese), the fields
// that changed, and when (JST, with the instant in <time datetime>). Shared by the list and one
// record's history; audit.tsx decides what rows an actor may see.
import type { AuditRow, ChainReport } from '../../platform/audit.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { StaffAccount } from '../identity/index.ts';
import { actionLabel, changes, entityLabel, formatJst } from './audit-format.ts';

export interface Who {
  name: string;
  organisation: string;
}

/** Names a unit id (registry's full name; an unknown id as it is). */
export type UnitName = (id: string) => string;

/** The organisation an account belongs to: its department or section, or its municipality, by name. */
export const organisationOf = (a: Pick<StaffAccount, 'department' | 'municipalityCode'>, unitName: UnitName) =>
  a.department ? unitName(a.department) : a.municipalityCode ? unitName(a.municipalityCode) : '';

export function whoMap(accounts: StaffAccount[], unitName: UnitName) {
  const byId = new Map(accounts.map((a) => [a.id, { name: a.name, organisation: organisationOf(a, unitName) }]));
  return (actorId: string | null): Who =>
    actorId === null
      ? { name: 'システム', organisation: '' }
      : (byId.get(actorId) ?? { name: `不明なアカウント（${actorId}）`, organisation: '' });
}

export function ChainStatus(props: { chain: ChainReport }) {
  return (
    <p role="status">
      ハッシュチェーンの検証:{' '}
      {props.chain.ok ? (
        <strong>正常（{props.chain.checked}件）</strong>
      ) : (
        <strong class="differs">{`不整合があります（${props.chain.brokenAt}番）`}</strong>
      )}
    </p>
  );
}

/** What an entry is about, as people name it: an account by its name, a unit by its full name. */
const target = (r: AuditRow, who: (id: string | null) => Who, unitName: UnitName) =>
  r.entity === 'staff_account' ? who(r.entityId).name : r.entity === 'organisation_unit' ? unitName(r.entityId) : r.entityId;

export function AuditTable(props: {
  label: string;
  rows: AuditRow[];
  who: (id: string | null) => Who;
  unitName: UnitName;
  showHash: boolean;
}) {
  if (props.rows.length === 0) return <p>該当する記録はありません。</p>;
  return (
    <TableScroll label={props.label}>
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">日時</th>
            <th scope="col">操作者</th>
            <th scope="col">操作</th>
            <th scope="col">対象</th>
            <th scope="col">変更前 → 変更後</th>
            <th scope="col">理由</th>
            {props.showHash ? <th scope="col">ハッシュ</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const who = props.who(r.actorId);
            const changed = changes(r.before, r.after, props.unitName);
            return (
              <tr>
                <td>
                  <time datetime={r.at}>{formatJst(r.at)}</time>
                </td>
                <td>
                  {who.name}
                  {who.organisation ? (
                    <>
                      <br />
                      <small>{who.organisation}</small>
                    </>
                  ) : null}
                </td>
                <th scope="row">{actionLabel(r.action)}</th>
                <td>
                  <a href={`/staff/audit/${encodeURIComponent(r.entity)}/${encodeURIComponent(r.entityId)}`}>
                    {entityLabel(r.entity)} {target(r, props.who, props.unitName)}
                  </a>
                </td>
                <td>
                  {changed.length === 0 ? (
                    '－'
                  ) : (
                    <ul class="changes">
                      {changed.map((ch) => (
                        <li>
                          {ch.field}: {ch.before} → {ch.after}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{r.reason ?? ''}</td>
                {props.showHash ? (
                  <td>
                    <code>{r.hash.slice(0, 12)}</code>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** One entry as a CSV row (the same words as the page). */
export const csvHeader = ['日時', '日時（ISO 8601）', '操作者', '所属', '操作', '対象', '対象ID', '変更前 → 変更後', '理由'];
export function csvRow(r: AuditRow, who: (id: string | null) => Who, unitName: UnitName): string[] {
  const w = who(r.actorId);
  return [
    formatJst(r.at),
    r.at,
    w.name,
    w.organisation,
    actionLabel(r.action),
    entityLabel(r.entity),
    r.entityId,
    changes(r.before, r.after, unitName)
      .map((ch) => `${ch.field}: ${ch.before} → ${ch.after}`)
      .join('\n'),
    r.reason ?? '',
  ];
}
