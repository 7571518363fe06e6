// The one-time links' pages under /id (no session: the token in the URL is the credential):
// /id/link/<token> for an invitation, a reset or a TOTP re-enrolment, /id/setup/<token> for the
// first administrator. Japanese, no JavaScript; the QR code is drawn on the server as SVG. A used,
// expired or unknown link answers a page that says so, never an error.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Child } from 'hono/jsx';
import type { Db } from '../../platform/db.ts';
import { isFormError, toAppError } from '../../platform/errors.ts';
import { clientAddress } from '../../platform/http.ts';
import { rateLimiter } from '../../platform/rate-limit.ts';
import { Layout } from '../../web/layout.tsx';
import { TotpEnrolment } from '../../web/totp-enrolment.tsx';
import { TextField } from '../../web/text-field.tsx';
import { totpUri } from './credentials.ts';
import type { IdentityCommands } from './index.ts';
import type { LinkState } from './commands/use-link.ts';
import { signInRateLimit } from './rules.ts';
import type { IncomingMessage } from 'node:http';

type Env = { Bindings: { incoming: IncomingMessage } };
type Status = 200 | 400 | 404 | 409 | 410 | 413 | 429;

async function page(c: Context, title: string, body: Child, status: Status = 200) {
  const doc = (
    <Layout lang="ja" title={title} path={c.req.path}>
      <h1>{title}</h1>
      {body}
    </Layout>
  );
  // Secrets and recovery codes are on these pages: never kept by a cache.
  c.header('Cache-Control', 'no-store');
  return c.html(`<!DOCTYPE html>${await doc.toString()}`, status);
}

const gone = (c: Context, state: 'used' | 'expired' | 'closed' | 'unknown') =>
  page(
    c,
    'このリンクは使えません',
    <>
      <p>
        {state === 'expired'
          ? 'このリンクは有効期限が切れています。'
          : state === 'used'
            ? 'このリンクはすでに使用されています。'
            : state === 'closed'
              ? 'このリンクは使えなくなりました（アカウントが停止されたか、すでに設定が済んでいます）。'
              : 'このリンクは正しくありません。URLを最後まで貼り付けたかご確認ください。'}
      </p>
      <p>新しいリンクが必要な場合は、県の管理者に再発行を依頼してください。</p>
      <p>
        <a href="/staff/login">サインインへ</a>
      </p>
    </>,
    state === 'unknown' ? 404 : 410,
  );

const FieldError = (props: { id: string; message?: string }) =>
  props.message ? (
    <span class="differs" id={props.id} role="alert">
      {props.message}
    </span>
  ) : null;

interface Refused {
  message: string;
  field?: string;
}

const errorOf = (r: Refused | undefined, field: string) => (r && (r.field === field || (!r.field && field === '')) ? r.message : undefined);

const Field = (props: {
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  value?: string;
  refused?: Refused;
  hint?: string;
}) => {
  const { refused, ...rest } = props;
  return <TextField {...rest} required message={errorOf(refused, props.name)} />;
};

/** The authenticator step, with this page's confirmation field. */
const Enrolment = (props: { secret: string; label: string; refused?: Refused }) => (
  <TotpEnrolment uri={totpUri(props.secret, props.label)} secret={props.secret}>
    <Field name="code" label="認証アプリに表示された6桁の確認コード" autocomplete="one-time-code" refused={props.refused} />
  </TotpEnrolment>
);

const NewPasswordFields = (props: { refused?: Refused }) => (
  <>
    <Field
      name="password"
      label="新しいパスワード"
      hint="（12文字以上）"
      type="password"
      autocomplete="new-password"
      refused={props.refused}
    />
    <Field name="password2" label="新しいパスワード（確認）" type="password" autocomplete="new-password" refused={props.refused} />
  </>
);

const RecoveryCodes = (props: { codes: string[] }) => (
  <>
    <p>サインインの準備ができました。</p>
    <h2>リカバリーコード</h2>
    <p>
      認証アプリが使えなくなったときに、確認コードの代わりに1回ずつ使えるコードです。
      <strong>この画面でしか表示しません。</strong>印刷するか安全な場所に控えてください。
    </p>
    <ul class="recovery-codes" aria-label="リカバリーコード">
      {props.codes.map((code) => (
        <li>
          <code>{code}</code>
        </li>
      ))}
    </ul>
    <p>
      <a href="/staff/login">サインインへ</a>
    </p>
  </>
);

export interface LinkRouteDeps {
  db: Db;
  commands: Pick<IdentityCommands, 'acceptInvitation' | 'completeReenrolment' | 'completeSetup' | 'linkState'>;
  trustProxy?: number;
}

export function linkRoutes({ db, commands, trustProxy = 0 }: LinkRouteDeps) {
  const app = new Hono<Env>();
  const allow = rateLimiter(db, 'account-link', signInRateLimit.max, signInRateLimit.windowMs);
  for (const path of ['/id/link/*', '/id/setup/*']) {
    app.post(
      path,
      bodyLimit({
        maxSize: 16 * 1024,
        onError: (c) => page(c, '送信内容が大きすぎます', <p>入力内容を確認して、もう一度送信してください。</p>, 413),
      }),
      async (c, next) => {
        // Each try is a guess at a code or a password: slowed per address like sign-in.
        if (!(await allow(clientAddress(c.env?.incoming, trustProxy))))
          return page(c, 'しばらくお待ちください', <p>試行が多すぎます。5分ほど待ってから再度お試しください。</p>, 429);
        await next();
      },
    );
  }
  const form = async (c: Context) => {
    const body = await c.req.parseBody().catch(() => ({}));
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
  };
  /** A refusal shows the form again (with what was typed, never a password); a gone link its page. */
  const attempt = async <T,>(c: Context, run: () => Promise<T>, again: (r: Refused, status: 400 | 409) => Promise<Response>) => {
    try {
      return { done: await run() };
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'link_gone') return { response: await gone(c, 'used') };
      if (!isFormError(e)) throw err;
      const field = (e.details as { field?: string } | undefined)?.field;
      return { response: await again({ message: e.message, field }, e.status === 409 ? 409 : 400) };
    }
  };

  /** The link in the URL when it is open and for this page (the first administrator's setup, or an
   * account's invitation or re-enrolment); otherwise the page saying it cannot be used. */
  const openLink = async (c: Context, setup: boolean) => {
    const token = c.req.param('token') ?? '';
    const link = await commands.linkState(token);
    if (link.state !== 'open' || (link.purpose === 'setup') !== setup)
      return { gone: await gone(c, link.state === 'open' ? 'unknown' : link.state) };
    return { token, link };
  };

  const linkPage = async (c: Context, token: string, link: LinkState & { state: 'open' }, refused?: Refused, status: Status = 200) => {
    const label = link.account?.email ?? 'staff';
    const action = `/id/link/${token}`;
    if (link.purpose === 'reenrol')
      return page(
        c,
        '認証アプリの再登録',
        <form method="post" action={action} class="stack">
          <p>{link.account?.name} さんの新しい認証アプリを登録します。まず現在のパスワードを入力してください。</p>
          <FieldError id="form-error" message={errorOf(refused, '')} />
          <Field name="password" label="現在のパスワード" type="password" autocomplete="current-password" refused={refused} />
          {await Enrolment({ secret: link.totpSecret, label, refused })}
          <button type="submit">登録する</button>
        </form>,
        status,
      );
    return page(
      c,
      'パスワードと認証アプリの設定',
      <form method="post" action={action} class="stack">
        <p>
          {link.account?.name} さん（{link.account?.email}）の職員アカウントです。パスワードを決め、認証アプリを登録してください。
        </p>
        <FieldError id="form-error" message={errorOf(refused, '')} />
        <NewPasswordFields refused={refused} />
        {await Enrolment({ secret: link.totpSecret, label, refused })}
        <button type="submit">設定する</button>
      </form>,
      status,
    );
  };

  app.get('/id/link/:token', async (c) => {
    const open = await openLink(c, false);
    return open.gone ?? linkPage(c, open.token, open.link);
  });

  app.post('/id/link/:token', async (c) => {
    const open = await openLink(c, false);
    if (open.gone) return open.gone;
    const { token, link } = open;
    const input = await form(c);
    const again = (r: Refused, status: 400 | 409) => linkPage(c, token, link, r, status);
    if (link.purpose === 'reenrol') {
      const r = await attempt(
        c,
        () => commands.completeReenrolment(token, { password: input.password ?? '', code: input.code ?? '' }),
        again,
      );
      if (r.response) return r.response;
      return page(
        c,
        '認証アプリを登録しました',
        <>
          <p>新しい認証アプリの確認コードでサインインできます。</p>
          <p>
            <a href="/staff/login">サインインへ</a>
          </p>
        </>,
      );
    }
    const r = await attempt(
      c,
      () => commands.acceptInvitation(token, { password: input.password ?? '', password2: input.password2 ?? '', code: input.code ?? '' }),
      again,
    );
    return r.response ?? page(c, '設定が完了しました', <RecoveryCodes codes={r.done!.recoveryCodes} />);
  });

  const setupPage = async (
    c: Context,
    token: string,
    secret: string,
    typed: Record<string, string> = {},
    refused?: Refused,
    status: Status = 200,
  ) =>
    page(
      c,
      '最初の管理者の登録',
      <form method="post" action={`/id/setup/${token}`} class="stack">
        <p>Renkei にはまだアカウントがありません。県の管理者（県管理者・計画管理者・承認者）を1人登録します。</p>
        <FieldError id="form-error" message={errorOf(refused, '')} />
        <Field name="name" label="氏名" autocomplete="name" value={typed.name} refused={refused} />
        <Field name="email" label="メールアドレス" type="email" autocomplete="email" value={typed.email} refused={refused} />
        <NewPasswordFields refused={refused} />
        {await Enrolment({ secret, label: typed.email || 'admin', refused })}
        <button type="submit">登録する</button>
      </form>,
      status,
    );

  app.get('/id/setup/:token', async (c) => {
    const open = await openLink(c, true);
    return open.gone ?? setupPage(c, open.token, open.link.totpSecret);
  });

  app.post('/id/setup/:token', async (c) => {
    const open = await openLink(c, true);
    if (open.gone) return open.gone;
    const { token, link } = open;
    const input = await form(c);
    const typed = { name: input.name ?? '', email: input.email ?? '' };
    const r = await attempt(
      c,
      () =>
        commands.completeSetup(token, {
          ...typed,
          password: input.password ?? '',
          password2: input.password2 ?? '',
          code: input.code ?? '',
        }),
      (refused, status) => setupPage(c, token, link.totpSecret, typed, refused, status),
    );
    return r.response ?? page(c, '最初の管理者を登録しました', <RecoveryCodes codes={r.done!.recoveryCodes} />);
  });

  return app;
}
