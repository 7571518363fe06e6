// Staff page for the data linkage platform's machine clients: a prefecture administrator registers
// a municipality's system or sensor gateway for the tenants it may write, sees its secret once, and
// revokes it after a confirmation. Registering answers 303 to /staff/broker-clients/created, which
// shows the secret from the staff session row exactly once (never in a URL or a log). Works while the server runs, whatever the database (the CLI needs the server stopped
// on the embedded one).
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { Db } from '../../platform/db.ts';
import { z } from 'zod';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { submitForm } from './form.ts';
import { parse } from '../../platform/http.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { CreatedBrokerClient, IdentityModule, NewBrokerClient } from '../identity/index.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import * as repo from './repository.ts';
import { canManageBrokerClients } from './rules.ts';

const optionalText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);

const clientInput = z
  .object({
    name: z.string().trim().min(1, 'クライアント名を入力してください。').max(100, 'クライアント名は100文字以内です。'),
    tenants: z
      .string()
      .trim()
      .optional()
      .transform((s) => (s ?? '').split(/[,、\s]+/).filter(Boolean)),
    readOnly: z
      .literal('on')
      .optional()
      .transform((v) => v === 'on'),
    // The personal tenant: the registry unit and the purpose the client reads residents' data for.
    organisation: optionalText,
    purpose: optionalText,
  })
  .refine((v) => v.tenants.length > 0 || v.purpose, {
    message: 'テナントを1つ以上入力してください（既定テナントは default）。',
    path: ['tenants'],
  }) satisfies z.ZodType<NewBrokerClient>;

const tenantsOf = (scope: string) => [...new Set(scope.split(' ').map((s) => s.split(':')[2] ?? '既定（オープンデータ）'))].join('、');

const SHOWN_ONCE = 'broker-client-created';

export function brokerClientRoutes({ db, identity }: { db: Db; identity: IdentityModule }) {
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
                      <details class="confirm">
                        <summary aria-label={`${cl.name}（${cl.clientId}）を取り消す`}>取り消す</summary>
                        <p>「{cl.name}」は新しいトークンを受け取れなくなります。元に戻せません。</p>
                        <form method="post" action={`/staff/broker-clients/${encodeURIComponent(cl.clientId)}/revoke`}>
                          <Csrf c={c} />
                          <button type="submit" name="confirm" value="yes" aria-label={`${cl.name}（${cl.clientId}）の取り消しを確定する`}>
                            取り消しを確定する
                          </button>
                        </form>
                      </details>
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
            <input name="tenants" placeholder="aomori, default" />
          </label>
          <label>
            組織ID（住民の同意データを読む場合。組織レジストリのID）
            <input name="organisation" maxlength={100} placeholder="kiki-kanri.bosai-kiki-kanri" />
          </label>
          <label>
            利用目的ID（組織IDと一緒に指定）
            <input name="purpose" maxlength={100} placeholder="disaster-supporter" />
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
      async (created) => {
        await repo.keepShownOnce(db, c.get('sessionId'), { kind: SHOWN_ONCE, ...created });
        return c.redirect('/staff/broker-clients/created', 303);
      },
    );
  });

  // The secret once; a reload, the back button or a second tab find it gone.
  app.get('/staff/broker-clients/created', async (c) => {
    const kept = (await repo.takeShownOnce(db, c.get('sessionId'))) as ({ kind?: string } & CreatedBrokerClient) | undefined;
    if (kept?.kind !== SHOWN_ONCE) {
      return page(c, {
        notice: 'client_secret は登録の直後に一度だけ表示しました。控えがない場合は、取り消してから登録し直してください。',
      });
    }
    return page(c, { created: { clientId: kept.clientId, clientSecret: kept.clientSecret, scope: kept.scope } });
  });

  app.post('/staff/broker-clients/:id/revoke', async (c) => {
    const body = await c.req.parseBody();
    // Only the confirmation's button sends confirm=yes; anything else changes nothing.
    if (body.confirm !== 'yes') return c.redirect('/staff/broker-clients', 303);
    await identity.commands.revokeBrokerClient(c.req.param('id'), c.get('actor').id);
    return c.redirect('/staff/broker-clients?revoked=1', 303);
  });

  return app;
}
