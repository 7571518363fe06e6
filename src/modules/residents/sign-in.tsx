// /my/sign-in: e-mail and password, then the authenticator's code (two steps, like staff), ending in
// completeSignIn. The other methods (passkey, マイナンバーカード) are links below the form (`methods`).
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../platform/db.ts';
import { securityHeaders } from '../../platform/http.ts';
import { submitForm } from '../workspace/form.ts';
import { checkCode, checkPassword, CODE_STEP_MINUTES, findStep, parseEmail, type AccountDeps } from './accounts.ts';
import { Field, FormError, guarded, refusedOf, text, type PublicEnv, type Refused } from './fields.tsx';
import { Csrf, myPage, type Env } from './page.tsx';
import { completeSignIn, endResidentSession, rememberInteraction } from './session.ts';

/** Another way in, a link below the password form to its own page under /my/sign-in/. */
export interface SignInMethodLink {
  href: string;
  label: string;
}

const STEP_COOKIE = 'renkei_my_step';

/** Only a path of this site, as completeSignIn will check again. */
const nextOf = (v: unknown) => (typeof v === 'string' && /^\/my(\/[A-Za-z0-9/_-]*)?$/.test(v) ? v : undefined);

const PasswordForm = (props: { email?: string; next?: string; refused?: Refused }) => (
  <form method="post" action="/my/sign-in">
    <FormError refused={props.refused} />
    {props.next && <input type="hidden" name="next" value={props.next} />}
    <Field name="email" label="メールアドレス" type="email" autocomplete="username" value={props.email} refused={props.refused} />
    <Field name="password" label="パスワード" type="password" autocomplete="current-password" refused={props.refused} />
    <button type="submit">次へ</button>
  </form>
);

const signInPage = (c: Context, methods: readonly SignInMethodLink[], form: unknown, status?: 400) =>
  myPage(
    c,
    'マイページにサインイン',
    <>
      <h1>マイページにサインイン</h1>
      {form}
      {methods.length > 0 && (
        <ul class="sign-in-methods">
          {methods.map((m) => (
            <li>
              <a href={m.href}>{m.label}</a>
            </li>
          ))}
        </ul>
      )}
      <p>
        はじめての方は <a href="/my/sign-up">マイページの登録</a>
      </p>
    </>,
    status,
  );

const CodeForm = (props: { refused?: Refused }) => (
  <form method="post" action="/my/sign-in/code">
    <FormError refused={props.refused} />
    <Field name="code" label="認証アプリに表示された6桁の確認コード" autocomplete="one-time-code" refused={props.refused} />
    <button type="submit">サインイン</button>
  </form>
);

const codePage = (c: Context, refused?: Refused) =>
  myPage(
    c,
    '確認コードの入力',
    <>
      <h1>確認コードの入力</h1>
      <CodeForm refused={refused} />
      <p>
        <a href="/my/sign-in">最初からやり直す</a>
      </p>
    </>,
    refused ? 400 : 200,
  );

export function signInRoutes(
  deps: AccountDeps & { trustProxy?: number; serviceOrigins?: string[] },
  methods: readonly SignInMethodLink[] = [],
) {
  const app = new Hono<PublicEnv>();
  // The browser checks form-action on every redirect, and the last sign-in step redirects on to the
  // service that asked; other sign-in methods mount under /my/sign-in/ to get the same.
  const formAction = ["form-action 'self'", ...(deps.serviceOrigins ?? [])].join(' ');
  for (const path of ['/my/sign-in', '/my/sign-in/*'])
    app.use(path, async (c, next) => {
      await next();
      // Widened, not replaced: the passkey page's own policy (scripts from 'self') stays.
      const own = c.res.headers.get('content-security-policy') ?? securityHeaders['content-security-policy'];
      c.header('content-security-policy', own.replace("form-action 'self'", formAction));
    });
  const secure = (c: Context) => new URL(c.req.url).protocol === 'https:';

  app.get('/my/sign-in', (c) => {
    rememberInteraction(c, c.req.query('interaction'));
    return signInPage(c, methods, <PasswordForm next={nextOf(c.req.query('next'))} />);
  });
  app.post('/my/sign-in', guarded(deps.db, 'resident-sign-in', deps.trustProxy ?? 0), async (c) => {
    const body = await c.req.parseBody();
    const email = text(body.email);
    const next = nextOf(body.next);
    return submitForm(
      c,
      () => checkPassword(deps, parseEmail(email), text(body.password).slice(0, 1024), next),
      (message, _s, details) =>
        signInPage(c, methods, <PasswordForm email={email.slice(0, 254)} next={next} refused={refusedOf(message, details)} />, 400),
      (token) => {
        setCookie(c, STEP_COOKIE, token, {
          httpOnly: true,
          secure: secure(c),
          sameSite: 'Lax',
          path: '/my/sign-in',
          maxAge: CODE_STEP_MINUTES * 60,
        });
        return c.redirect('/my/sign-in/code', 303);
      },
    );
  });

  app.get('/my/sign-in/code', async (c) =>
    (await findStep(deps, getCookie(c, STEP_COOKIE))) ? codePage(c) : c.redirect('/my/sign-in', 302),
  );
  app.post('/my/sign-in/code', guarded(deps.db, 'resident-sign-in', deps.trustProxy ?? 0), async (c) => {
    const token = getCookie(c, STEP_COOKIE) ?? '';
    const code = text((await c.req.parseBody()).code);
    return submitForm(
      c,
      () => checkCode(deps, token, code),
      (message, _s, details) => codePage(c, refusedOf(message, details)),
      ({ residentId, next }) => {
        deleteCookie(c, STEP_COOKIE, { path: '/my/sign-in' });
        return completeSignIn(c, deps.db, residentId, 'password-totp', next);
      },
    );
  });
  return app;
}

/** Behind requireResident, which checks the CSRF token. */
export function signOutRoutes(db: Db) {
  const app = new Hono<Env>();
  app.post('/my/sign-out', async (c) => {
    await endResidentSession(c, db);
    return c.redirect('/my/sign-in', 303);
  });
  return app;
}

/** The sign-out button マイページ's pages show. */
export const SignOut = (props: { c: Context<Env> }) => (
  <form method="post" action="/my/sign-out">
    <Csrf c={props.c} />
    <button type="submit">サインアウト</button>
  </form>
);
