// What the data-protection page shows: consent counts, the bulk-read alert and the access log (the
// same words in the table and the CSV).
import type { AccessLogRow } from '../residents/index.ts';
import { categoryOf, purposeLabel } from '../residents/index.ts';
import { DISCLOSURE } from '../residents/index.ts';
import { TableScroll } from '../../web/layout.tsx';
import { formatJst } from './audit-format.ts';

type Name = (id: string) => string;

const basisLabels: Record<string, string> = {
  consent: '同意',
  'legal-basis': '法令に基づく提供',
  self: '本人',
  held: '預かった情報（利用目的内）',
  none: 'なし（拒否）',
  [DISCLOSURE]: '開示の請求',
};
const channelLabels: Record<string, string> = { page: '画面', broker: 'データ連携基盤', export: '書き出し' };
const categories = (ids: string[]) => ids.map((c) => categoryOf(c)?.label ?? c).join('、');

export interface ConsentCount {
  purposeId: string;
  recipientId: string;
  given: number;
  withdrawn: number;
  expired: number;
}

export function ConsentTable(props: { rows: ConsentCount[]; unitName: Name }) {
  if (props.rows.length === 0) return <p>同意の記録はまだありません。</p>;
  return (
    <TableScroll label="利用目的と提供先ごとの同意">
      <table>
        <thead>
          <tr>
            <th scope="col">利用目的</th>
            <th scope="col">提供先</th>
            <th scope="col">有効</th>
            <th scope="col">撤回</th>
            <th scope="col">期限切れ</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">{purposeLabel(r.purposeId, 'consent')}</th>
              <td>{props.unitName(r.recipientId)}</td>
              <td>{r.given}</td>
              <td>{r.withdrawn}</td>
              <td>{r.expired}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export interface BulkRead {
  actorKind: string;
  actorId: string;
  organisationId: string | null;
  started: string;
  residents: number;
}

export function BulkReadAlert(props: { rows: BulkRead[]; who: Name; unitName: Name; threshold: number }) {
  if (props.rows.length === 0) return null;
  return (
    <div role="alert" class="differs">
      <h2>大量の閲覧があります</h2>
      <p>1時間に{props.threshold}人を超える住民の個人データを閲覧した利用者です。理由を確かめてください。</p>
      <ul>
        {props.rows.map((r) => (
          <li>
            {props.who(r.actorId)}
            {r.organisationId ? `（${props.unitName(r.organisationId)}）` : ''}: <time datetime={r.started}>{formatJst(r.started)}</time>{' '}
            からの1時間に {r.residents}人
          </li>
        ))}
      </ul>
    </div>
  );
}

export const accessCsvHeader = [
  '日時',
  '日時（ISO 8601）',
  '閲覧者',
  '所属',
  '利用目的',
  'データの区分',
  '根拠',
  '結果',
  '経路',
  '受付番号',
];
export function accessCsvRow(r: AccessLogRow, who: Name, unitName: Name): string[] {
  const at = r.at.toISOString();
  return [
    formatJst(at),
    at,
    who(r.actorId),
    r.organisationId ? unitName(r.organisationId) : '',
    purposeLabel(r.purposeId, r.basis),
    categories(r.categories),
    basisLabels[r.basis] ?? r.basis,
    r.allowed ? '許可' : '拒否',
    channelLabels[r.channel] ?? r.channel,
    r.residentId,
  ];
}

export function AccessLogTable(props: { rows: AccessLogRow[]; who: Name; unitName: Name; label: string }) {
  if (props.rows.length === 0) return <p>該当する記録はありません。</p>;
  return (
    <TableScroll label={props.label}>
      <table class="audit">
        <thead>
          <tr>
            {accessCsvHeader
              .filter((h) => h !== '日時（ISO 8601）')
              .map((h) => (
                <th scope="col">{h}</th>
              ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const [when, , ...rest] = accessCsvRow(r, props.who, props.unitName);
            return (
              <tr>
                <td>
                  <time datetime={r.at.toISOString()}>{when}</time>
                </td>
                {rest.map((cell) => (
                  <td>{cell}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
