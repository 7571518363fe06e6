// Staff accounts for prefecture administrators: the list (name, e-mail, roles, scope, state, last
// sign-in in JST) and the invitation form. An invitation makes the account 招待中 and a one-time
// link, mailed when SMTP_URL is set, otherwise shown once to the administrator (accounts-form.tsx).
import { Hono, type MiddlewareHandler } from 'hono';
import type { Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { IdentityModule } from '../identity/index.ts';
import { accountPage, accountActionRoutes } from './accounts-edit.tsx';
import {
  afterLink,
  FieldMessage,
  formMessage,
  invalid,
  lastSignIn,
  roleFields,
  RoleFields,
  rolesForm,
  rolesText,
  scopeText,
  statusText,
  type Refused,
  type Typed,
  type Units,
} from './accounts-form.tsx';
import { refusedField } from './entry-form.tsx';
import { submitForm } from './form.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import { canManageAccounts } from './rules.ts';

export interface AccountRouteDeps {
  db: Db;
  identity: Pick<IdentityModule, 'commands' | 'queries'>;
  units: Units;
}

export function accountRoutes(deps: AccountRouteDeps) {
  const { identity, units } = deps;
  const app = new Hono<Env>();
  const adminOnly: MiddlewareHandler<Env> = async (c, next) => {
    if (!canManageAccounts(c.get('actor'))) throw notFound('ページ');
    await next();
  };
  app.use('/staff/accounts', adminOnly);
  app.use('/staff/accounts/*', adminOnly);

  async function listPage(
    c: Context<Env>,
    typed?: Typed & { email: string; name: string },
    refused?: Refused,
    status: 200 | FormStatus = 200,
  ) {
    const [accounts, choices] = await Promise.all([identity.queries.listAccounts(), units()]);
    return staffPage(
      c,
      'アカウント管理',
      <>
        <h1>アカウント管理</h1>
        <TableScroll label="アカウントの一覧">
          <table>
            <caption>アカウント（{accounts.length}件）</caption>
            <thead>
              <tr>
                <th scope="col">氏名</th>
                <th scope="col">メールアドレス</th>
                <th scope="col">役割</th>
                <th scope="col">担当</th>
                <th scope="col">状態</th>
                <th scope="col">最終サインイン</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr>
                  <th scope="row">
                    <a href={`/staff/accounts/${a.id}`}>{a.name}</a>
                  </th>
                  <td>{a.email}</td>
                  <td>{rolesText(a.roles)}</td>
                  <td>{scopeText(a, choices)}</td>
                  <td>{statusText(a.status)}</td>
                  <td>{lastSignIn(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2 id="invite">アカウントを招待する</h2>
        <p>招待された人は、メールのリンクからパスワードを決めて認証アプリを登録します。リンクは一度だけ使えます。</p>
        <Alert message={formMessage(refused, ['email', 'name', ...roleFields])} />
        <form method="post" action="/staff/accounts" class="stack" aria-labelledby="invite">
          <Csrf c={c} />
          <label>
            氏名
            <input name="name" required maxlength={100} value={typed?.name} autocomplete="off" {...invalid(refused, 'name')} />
            <FieldMessage field="name" refused={refused} />
          </label>
          <label>
            メールアドレス
            <input
              name="email"
              type="email"
              required
              maxlength={320}
              value={typed?.email}
              autocomplete="off"
              {...invalid(refused, 'email')}
            />
            <FieldMessage field="email" refused={refused} />
          </label>
          <RoleFields typed={typed} units={choices} refused={refused} />
          <button type="submit">招待する</button>
        </form>
      </>,
      status,
    );
  }

  app.get('/staff/accounts', (c) => listPage(c));

  app.post('/staff/accounts', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const typed = { ...rolesForm(body), email: str(body.email), name: str(body.name) };
    return submitForm(
      c,
      () => identity.commands.inviteAccount(typed, c.get('actor').id),
      (message, status, details) => listPage(c, typed, { message, field: refusedField(details) }, status),
      (invited) => afterLink(deps.db, c, invited.id, 'invite', invited),
    );
  });

  app.route('/', accountActionRoutes(deps));
  app.get('/staff/accounts/:id', (c) => accountPage(deps, c, c.req.param('id')));
  return app;
}
