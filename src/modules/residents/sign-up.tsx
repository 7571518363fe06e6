// /my/sign-up → mailed link → /my/verify/<token>: password twice and an authenticator, then signed in.
import { Hono, type Context } from 'hono';
import { submitForm } from '../workspace/form.ts';
import { totpUri } from '../identity/index.ts';
import { TotpEnrolment } from '../../web/totp-enrolment.tsx';
import { completeSignUp, openSignUpLink, parseEmail, requestSignUp, type AccountDeps, type LinkState } from './accounts.ts';
import { Field, FormError, guarded, refusedOf, text, type PublicEnv, type Refused } from './fields.tsx';
import { myPage } from './page.tsx';
import { completeSignIn } from './session.ts';

const SignUpForm = (props: { email?: string; refused?: Refused }) => (
  <form method="post" action="/my/sign-up">
    <FormError refused={props.refused} />
    <Field name="email" label="メールアドレス" type="email" autocomplete="email" value={props.email} refused={props.refused} />
    <button type="submit">登録用のリンクを送る</button>
  </form>
);

const signUpPage = (c: Context, body: unknown, status?: 400) =>
  myPage(
    c,
    'マイページの登録',
    <>
      <h1>マイページの登録</h1>
      {body}
      <p>
        登録済みの方は <a href="/my/sign-in">サインイン</a>
      </p>
    </>,
    status,
  );

const Enrolment = (props: { secret: string; refused?: Refused }) => (
  <TotpEnrolment uri={totpUri(props.secret, 'マイページ')} secret={props.secret}>
    <Field name="code" label="認証アプリに表示された6桁の確認コード" autocomplete="one-time-code" refused={props.refused} />
  </TotpEnrolment>
);

const gone = (c: Context, state: 'used' | 'expired' | 'unknown') =>
  myPage(
    c,
    'このリンクは使えません',
    <>
      <h1>このリンクは使えません</h1>
      <p>
        {state === 'expired'
          ? 'このリンクは有効期限が切れています。'
          : state === 'used'
            ? 'このリンクはすでに使用されています。'
            : 'このリンクは正しくありません。URLを最後まで貼り付けたかご確認ください。'}
      </p>
      <p>
        <a href="/my/sign-up">登録をやり直す</a> / <a href="/my/sign-in">サインイン</a>
      </p>
    </>,
    state === 'unknown' ? 404 : 410,
  );

const verifyPage = async (c: Context, link: LinkState & { state: 'open' }, refused?: Refused) =>
  myPage(
    c,
    'パスワードと認証アプリの設定',
    <>
      <h1>パスワードと認証アプリの設定</h1>
      <form method="post">
        <FormError refused={refused} />
        <Field name="password" label="パスワード（12文字以上）" type="password" autocomplete="new-password" refused={refused} />
        <Field name="password2" label="パスワード（確認）" type="password" autocomplete="new-password" refused={refused} />
        {await Enrolment({ secret: link.totpSecret, refused })}
        <button type="submit">登録する</button>
      </form>
    </>,
    refused ? 400 : 200,
  );

export function signUpRoutes(deps: AccountDeps & { trustProxy?: number }) {
  const app = new Hono<PublicEnv>();
  const noMail = <p>この環境ではメールによる登録を受け付けていません。窓口またはマイナンバーカードでの登録をご利用ください。</p>;

  app.get('/my/sign-up', (c) => signUpPage(c, deps.mailer ? <SignUpForm /> : noMail));
  app.post('/my/sign-up', guarded(deps.db, 'resident-sign-up', deps.trustProxy ?? 0), async (c) => {
    if (!deps.mailer) return signUpPage(c, noMail);
    const email = text((await c.req.parseBody()).email);
    return submitForm(
      c,
      () => requestSignUp(deps, parseEmail(email)),
      (message, _status, details) => signUpPage(c, <SignUpForm email={email.slice(0, 254)} refused={refusedOf(message, details)} />, 400),
      '/my/sign-up/sent',
    );
  });
  app.get('/my/sign-up/sent', (c) =>
    signUpPage(
      c,
      <p>
        入力されたメールアドレスに案内を送りました。メールのリンクから登録を続けてください（すでに登録済みの場合は、サインインの案内が届きます）。
      </p>,
    ),
  );

  app.get('/my/verify/:token', async (c) => {
    const link = await openSignUpLink(deps, c.req.param('token') ?? '');
    return link.state === 'open' ? verifyPage(c, link) : gone(c, link.state);
  });
  app.post('/my/verify/:token', guarded(deps.db, 'resident-verify', deps.trustProxy ?? 0), async (c) => {
    const link = await openSignUpLink(deps, c.req.param('token') ?? '');
    if (link.state !== 'open') return gone(c, link.state);
    const body = await c.req.parseBody();
    const input = { password: text(body.password), password2: text(body.password2), code: text(body.code) };
    return submitForm(
      c,
      () => completeSignUp(deps, link, input),
      (message, _status, details) => verifyPage(c, link, refusedOf(message, details)),
      (id) => completeSignIn(c, deps.db, id, 'password-totp'),
    );
  });
  return app;
}
