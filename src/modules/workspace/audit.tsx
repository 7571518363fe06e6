// The audit trail on the staff screens: the latest entries, one record's history, and whether the
// hash chain holds.
import { Hono } from 'hono';
import { auditHistory, recentAudit, verifyAuditChain } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { TableScroll } from '../../web/layout.tsx';
import { staffPage, type Env } from './page.tsx';
import { canReadAudit } from './rules.ts';

export function auditRoutes(deps: { db: Db }) {
  const { db } = deps;
  const app = new Hono<Env>();
  app.get('/staff/audit', async (c) => {
    if (!canReadAudit(c.get('actor'))) throw notFound('ページ');
    const [rows, chain] = await Promise.all([recentAudit(db), verifyAuditChain(db)]);
    return staffPage(c, '監査ログ', <AuditTable title="監査ログ（新しい順）" rows={rows} chain={chain} />);
  });
  app.get('/staff/audit/:entity/:id', async (c) => {
    if (!canReadAudit(c.get('actor'))) throw notFound('ページ');
    const rows = await auditHistory(db, c.req.param('entity'), c.req.param('id'));
    return staffPage(
      c,
      '変更履歴',
      <AuditTable title={`変更履歴: ${c.req.param('entity')} ${c.req.param('id')}`} rows={rows} chain={await verifyAuditChain(db)} />,
    );
  });
  return app;
}

function AuditTable(props: {
  title: string;
  rows: Awaited<ReturnType<typeof recentAudit>>;
  chain: Awaited<ReturnType<typeof verifyAuditChain>>;
}) {
  return (
    <>
      <h1>{props.title}</h1>
      <p role="status">
        ハッシュチェーンの検証:{' '}
        {props.chain.ok ? (
          <strong>正常（{props.chain.checked}件）</strong>
        ) : (
          <strong class="differs">{`不整合があります（${props.chain.brokenAt}番）`}</strong>
        )}
      </p>
      <TableScroll label={props.title}>
        <table>
          <thead>
            <tr>
              <th scope="col">日時</th>
              <th scope="col">操作者</th>
              <th scope="col">操作</th>
              <th scope="col">対象</th>
              <th scope="col">変更前 → 変更後</th>
              <th scope="col">理由</th>
              <th scope="col">ハッシュ</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td>{r.at}</td>
                <td>{r.actorId ?? 'システム'}</td>
                <th scope="row">{r.action}</th>
                <td>
                  <a href={`/staff/audit/${r.entity}/${encodeURIComponent(r.entityId)}`}>
                    {r.entity} {r.entityId}
                  </a>
                </td>
                <td>
                  <code>{JSON.stringify(r.before)}</code> → <code>{JSON.stringify(r.after)}</code>
                </td>
                <td>{r.reason ?? ''}</td>
                <td>
                  <code>{r.hash.slice(0, 12)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
