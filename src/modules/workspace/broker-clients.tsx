// Staff page for the data linkage platform's machine clients: a prefecture administrator registers
// a municipality's system or sensor gateway for the tenants it may write, sees its secret once, and
// revokes it. Works while the server runs, whatever the database (the CLI needs the server stopped
// on the embedded one).
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { submitForm } from './form.ts';
import { parse } from '../../platform/http.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { CreatedBrokerClient, IdentityModule, NewBrokerClient } from '../identity/index.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import { canManageBrokerClients } from './rules.ts';

const clientInput = z.object({
  name: z.string().trim().min(1, 'クライアント名を入力してください。').max(100, 'クライアント名は100文字以内です。'),
  tenants: z
    .string()
    .trim()
    .min(1, 'テナントを1つ以上入力してください（既定テナントは default）。')
    .transform((s) => s.split(/[,、\s]+/).filter(Boolean)),
  readOnly: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
}) satisfies z.ZodType<NewBrokerClient>;

const tenantsOf = (scope: string) => [...new Set(scope.split(' ').map((s) => s.split(':')[2] ?? '既定（オープンデータ）'))].join('、');

export function brokerClientRoutes({ identity }: { identity: IdentityModule }) {
  const app = new Hono<Env>();
  const adminOnly: MiddlewareHandler<Env> = async (c, next) => {
    if (!canManageBrokerClients(c.get('actor'))) throw notFound('ページ');
    await next();
  };
  app.use('/staff/broker-clients', adminOnly);
  app.use('/staff/broker-clients/*', adminOnly);

  async function page(
    c: Context<Env>,
    result?: { error?: string; notice?: string; created?: CreatedBrokerClient },
    status: 200 | FormStatus = 200,
  ) {
    const clients = await identity.queries.listBrokerClients();
    const created = result?.created;
    return staffPage(
      c,
      'データ連携基盤のクライアント',
      <>
        <h1>データ連携基盤のクライアント</h1>
        <p>
          市町村のシステムやセンサーのゲートウェイが、データ連携基盤（NGSI-LD）に書き込むためのクライアントです。クライアントは共通IDの
          <code>/id/token</code> からアクセストークンを受け取ります（client credentials）。
        </p>
        <Alert message={result?.error} />
        {result?.notice && <p role="status">{result.notice}</p>}
        {created && (
          <section aria-labelledby="created" role="status">
            <h2 id="created">登録しました</h2>
            <p>client_secret はこの画面でしか表示しません。控えてから閉じてください。</p>
            <dl>
              <dt>client_id</dt>
              <dd>
                <code>{created.clientId}</code>
              </dd>
              <dt>client_secret</dt>
              <dd>
                <code>{created.clientSecret}</code>
              </dd>
              <dt>要求できるスコープ</dt>
              <dd>
                <code>{created.scope}</code>
              </dd>
            </dl>
          </section>
        )}
        <h2>登録済みのクライアント</h2>
        {clients.length ? (
          <TableScroll label="登録済みのクライアント">
            <table>
              <caption>登録済みのクライアント（{clients.length}件）</caption>
              <thead>
                <tr>
                  <th scope="col">名称</th>
                  <th scope="col">client_id</th>
                  <th scope="col">テナント</th>
                  <th scope="col">スコープ</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {clients.map((cl) => (
                  <tr>
                    <th scope="row">{cl.name}</th>
                    <td>
                      <code>{cl.clientId}</code>
                    </td>
                    <td>{tenantsOf(cl.scope)}</td>
                    <td>
                      <code>{cl.scope}</code>
                    </td>
                    <td>
                      <form method="post" action={`/staff/broker-clients/${encodeURIComponent(cl.clientId)}/revoke`}>
                        <Csrf c={c} />
                        <button type="submit" aria-label={`${cl.name}（${cl.clientId}）を取り消す`}>
                          取り消す
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <p>まだありません。</p>
        )}
        <p>取り消したクライアントは新しいトークンを受け取れず、発行済みのトークンも1分以内に使えなくなります。</p>
        <h2>クライアントを登録する</h2>
        <form method="post" action="/staff/broker-clients" class="filters">
          <Csrf c={c} />
          <label>
            名称
            <input name="name" required maxlength={100} placeholder="青森市 防災システム" />
          </label>
          <label>
            テナント（カンマ区切り。オープンデータの既定テナントは default）
            <input name="tenants" required placeholder="aomori, default" />
          </label>
          <label>
            <input type="checkbox" name="readOnly" /> 読み取りのみ
          </label>
          <button type="submit">登録する</button>
        </form>
      </>,
      status,
    );
  }

  app.get('/staff/broker-clients', (c) => page(c, c.req.query('revoked') ? { notice: 'クライアントを取り消しました。' } : undefined));

  app.post('/staff/broker-clients', async (c) => {
    const body = await c.req.parseBody();
    return submitForm(
      c,
      () => identity.commands.createBrokerClient(parse(clientInput, body, 'クライアント'), c.get('actor').id),
      (error, status) => page(c, { error }, status),
      (created) => page(c, { created }),
    );
  });

  app.post('/staff/broker-clients/:id/revoke', async (c) => {
    await identity.commands.revokeBrokerClient(c.req.param('id'), c.get('actor').id);
    return c.redirect('/staff/broker-clients?revoked=1', 303);
  });

  return app;
}
