// One account for prefecture administrators: its details, roles and scope, and the actions that
// change who may sign in — disable/enable, reset (a new invitation link) and TOTP re-enrolment —
// each behind a confirmation. A missing account and another module's id both answer 404.
import { Hono, type Context } from 'hono';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import type { AccountRouteDeps } from './accounts.tsx';
import {
  afterLink,
  formMessage,
  lastSignIn,
  mailedNotice,
  roleFields,
  RoleFields,
  rolesForm,
  rolesText,
  scopeText,
  statusText,
  takeLink,
  type Refused,
  type Typed,
} from './accounts-form.tsx';
import { refusedField } from './entry-form.tsx';
import { submitForm } from './form.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';

function Confirm(props: { c: Context<Env>; action: string; summary: string; explain: string; confirm: string }) {
  return (
    <details class="confirm">
      <summary>{props.summary}</summary>
      <p>{props.explain}</p>
      <form method="post" action={props.action}>
        <Csrf c={props.c} />
        <button type="submit" name="confirm" value="yes">
          {props.confirm}
        </button>
      </form>
    </details>
  );
}

export async function accountPage(
  deps: AccountRouteDeps,
  c: Context<Env>,
  id: string,
  refused?: Refused,
  status: 200 | FormStatus = 200,
  typed?: Typed,
) {
  const [account, choices] = await Promise.all([deps.identity.queries.findAccount(id), deps.units()]);
  if (!account) throw notFound('アカウント');
  const shown = status === 200 && c.req.query('link') === 'shown' ? await takeLink(deps.db, c, id) : undefined;
  const notice =
    c.req.query('done') === 'roles'
      ? '役割と担当を変更しました。'
      : c.req.query('done') === 'status'
        ? '状態を変更しました。'
        : mailedNotice(c.req.query('mailed'));
  const base = `/staff/accounts/${account.id}`;
  return staffPage(
    c,
    account.name,
    <>
      <h1>{account.name}</h1>
      <p>
        <a href="/staff/accounts">アカウントの一覧へ戻る</a>
      </p>
      {notice && <p role="status">{notice}</p>}
      {shown && (
        <section aria-labelledby="link" role="status">
          <h2 id="link">{shown.kind}のリンク</h2>
          <p>
            メールの送信先が設定されていないため、メールを送っていません。このリンクは一度だけ表示します。本人に安全な方法で伝えてください。
          </p>
          <p>
            <code class="wrap-anywhere">{shown.link}</code>
          </p>
        </section>
      )}
      {c.req.query('link') === 'shown' && !shown && status === 200 && (
        <p role="status">
          リンクは発行の直後に一度だけ表示しました。控えがない場合は、もう一度発行してください（前のリンクは使えなくなります）。
        </p>
      )}
      <Alert message={formMessage(refused, roleFields)} />
      <dl>
        <dt>メールアドレス</dt>
        <dd>{account.email}</dd>
        <dt>状態</dt>
        <dd>{statusText(account.status)}</dd>
        <dt>役割</dt>
        <dd>{rolesText(account.roles)}</dd>
        <dt>担当</dt>
        <dd>{scopeText(account, choices)}</dd>
        <dt>最終サインイン</dt>
        <dd>{lastSignIn(account)}</dd>
      </dl>
      <h2 id="roles">役割と担当</h2>
      <form method="post" action={`${base}/roles`} class="stack" aria-labelledby="roles">
        <Csrf c={c} />
        <RoleFields typed={typed ?? account} units={choices} refused={refused} />
        <button type="submit">変更する</button>
      </form>
      <h2>サインイン</h2>
      {account.status === 'disabled' ? (
        <Confirm
          c={c}
          action={`${base}/enable`}
          summary="有効にする"
          explain="このアカウントは再びサインインできるようになります。"
          confirm="有効にするを確定する"
        />
      ) : (
        <Confirm
          c={c}
          action={`${base}/disable`}
          summary="停止する"
          explain="このアカウントはサインインできなくなり、サインイン中の画面もすぐに使えなくなります。"
          confirm="停止を確定する"
        />
      )}
      {account.status !== 'disabled' && (
        <Confirm
          c={c}
          action={`${base}/reset`}
          summary="パスワードを再設定する"
          explain="今のパスワード・認証アプリ・リカバリーコードはすぐに使えなくなり、新しい招待リンクを発行します。"
          confirm="再設定を確定する"
        />
      )}
      {account.status === 'active' && (
        <Confirm
          c={c}
          action={`${base}/reenrol`}
          summary="認証アプリを再登録する"
          explain="今の認証アプリはすぐに使えなくなります。本人はリンクを開き、パスワードを入力して新しい認証アプリを登録します。"
          confirm="再登録の依頼を確定する"
        />
      )}
    </>,
    status,
  );
}

export function accountActionRoutes(deps: AccountRouteDeps) {
  const { identity } = deps;
  const app = new Hono<Env>();

  app.post('/staff/accounts/:id/roles', async (c) => {
    const id = c.req.param('id');
    const typed = rolesForm(await c.req.parseBody({ all: true }));
    return submitForm(
      c,
      () => identity.commands.changeRoles(id, typed, c.get('actor').id),
      (message, status, details) => accountPage(deps, c, id, { message, field: refusedField(details) }, status, typed),
      `/staff/accounts/${id}?done=roles`,
    );
  });

  // Only the confirmation's button sends confirm=yes; anything else changes nothing.
  const confirmed = async (c: Context<Env>) => (await c.req.parseBody()).confirm === 'yes';

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/staff/accounts/:id/${path}`, async (c) => {
      const id = c.req.param('id');
      if (!(await confirmed(c))) return c.redirect(`/staff/accounts/${id}`, 303);
      return submitForm(
        c,
        () => identity.commands.setDisabled(id, disabled, c.get('actor').id),
        (message, status) => accountPage(deps, c, id, { message }, status),
        `/staff/accounts/${id}?done=status`,
      );
    });
  }

  for (const kind of ['reset', 'reenrol'] as const) {
    app.post(`/staff/accounts/:id/${kind}`, async (c) => {
      const id = c.req.param('id');
      if (!(await confirmed(c))) return c.redirect(`/staff/accounts/${id}`, 303);
      const actorId = c.get('actor').id;
      return submitForm(
        c,
        () => (kind === 'reset' ? identity.commands.resetAccount(id, actorId) : identity.commands.reenrolTotp(id, actorId)),
        (message, status) => accountPage(deps, c, id, { message }, status),
        (delivered) => afterLink(deps.db, c, id, kind, delivered),
      );
    });
  }

  return app;
}
