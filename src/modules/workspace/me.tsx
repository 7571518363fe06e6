// Each signed-in person's own page: who they are, changing the password (the current one first),
// the recovery codes left and a new set (shown once), and their last sign-ins in JST.
import { Hono, type Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { FormStatus } from '../../platform/errors.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { IdentityModule, SignInMethod } from '../identity/index.ts';
import { FieldMessage, formMessage, invalid, rolesText, type Refused } from './accounts-form.tsx';
import { refusedField } from './entry-form.tsx';
import { formatJst } from './audit-format.ts';
import { submitForm } from './form.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import * as repo from './repository.ts';

const methods: Record<SignInMethod, string> = {
  password: 'パスワード',
  password_totp: 'パスワード＋確認コード',
  recovery_code: 'パスワード＋リカバリーコード',
  federated: '所属団体のID',
};

const CODES_ONCE = 'recovery-codes';

export function meRoutes({ db, identity }: { db: Db; identity: Pick<IdentityModule, 'commands' | 'queries'> }) {
  const app = new Hono<Env>();

  async function page(
    c: Context<Env>,
    opts: { refused?: Refused; codes?: string[]; notice?: string } = {},
    status: 200 | FormStatus = 200,
  ) {
    const actor = c.get('actor');
    const [account, events, remaining] = await Promise.all([
      identity.queries.findAccount(actor.id),
      identity.queries.recentSignIns(actor.id),
      identity.queries.remainingRecoveryCodes(actor.id),
    ]);
    const { refused, codes, notice } = opts;
    const password = (name: string, label: string, autocomplete: string) => (
      <label>
        {label}
        <input name={name} type="password" required autocomplete={autocomplete} {...invalid(refused, name)} />
        <FieldMessage field={name} refused={refused} />
      </label>
    );
    return staffPage(
      c,
      'アカウント設定',
      <>
        <h1>アカウント設定</h1>
        {notice && <p role="status">{notice}</p>}
        <dl>
          <dt>氏名</dt>
          <dd>{account?.name}</dd>
          <dt>メールアドレス</dt>
          <dd>{account?.email}</dd>
          <dt>役割</dt>
          <dd>{rolesText(actor.roles)}</dd>
        </dl>
        <h2 id="password">パスワードの変更</h2>
        <Alert message={formMessage(refused, ['current', 'password', 'password2'])} />
        <form method="post" action="/staff/me/password" class="stack" aria-labelledby="password">
          <Csrf c={c} />
          {password('current', '現在のパスワード', 'current-password')}
          {password('password', '新しいパスワード（12文字以上）', 'new-password')}
          {password('password2', '新しいパスワード（確認）', 'new-password')}
          <button type="submit">変更する</button>
        </form>
        <h2 id="recovery">リカバリーコード</h2>
        {codes ? (
          <section role="status" aria-label="新しいリカバリーコード">
            <p>
              新しいリカバリーコードです。<strong>この画面でしか表示しません。</strong>前のコードはもう使えません。
            </p>
            <ul class="recovery-codes" aria-label="リカバリーコード">
              {codes.map((code) => (
                <li>
                  <code>{code}</code>
                </li>
              ))}
            </ul>
          </section>
        ) : (
          <p>使えるリカバリーコード: 残り{remaining}個</p>
        )}
        <form method="post" action="/staff/me/recovery-codes" aria-labelledby="recovery">
          <Csrf c={c} />
          <button type="submit">リカバリーコードを作り直す</button>
        </form>
        <h2>最近のサインイン</h2>
        {events.length ? (
          <TableScroll label="最近のサインイン">
            <table>
              <caption>最近のサインイン（新しい順に{events.length}件）</caption>
              <thead>
                <tr>
                  <th scope="col">日時</th>
                  <th scope="col">方法</th>
                  <th scope="col">結果</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr>
                    <td>{formatJst(e.at)}</td>
                    <td>{methods[e.method] ?? e.method}</td>
                    <td>{e.success ? '成功' : '失敗'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <p>まだありません。</p>
        )}
      </>,
      status,
    );
  }

  app.get('/staff/me', (c) => page(c, c.req.query('changed') ? { notice: 'パスワードを変更しました。' } : {}));

  app.post('/staff/me/password', async (c) => {
    const body = await c.req.parseBody();
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return submitForm(
      c,
      () =>
        identity.commands.changePassword(c.get('actor').id, {
          current: str(body.current),
          password: str(body.password),
          password2: str(body.password2),
        }),
      (message, status, details) => page(c, { refused: { message, field: refusedField(details) } }, status),
      '/staff/me?changed=1',
    );
  });

  app.post('/staff/me/recovery-codes', async (c) => {
    const codes = await identity.commands.regenerateRecoveryCodes(c.get('actor').id);
    await repo.keepShownOnce(db, c.get('sessionId'), { kind: CODES_ONCE, codes });
    return c.redirect('/staff/me/recovery-codes', 303);
  });

  // The codes once; a reload or the back button find them gone.
  app.get('/staff/me/recovery-codes', async (c) => {
    const kept = (await repo.takeShownOnce(db, c.get('sessionId'))) as { kind?: string; codes?: string[] } | undefined;
    if (kept?.kind !== CODES_ONCE || !kept.codes) return c.redirect('/staff/me', 303);
    return page(c, { codes: kept.codes });
  });

  return app;
}
