// Sign-in pages of the identity service: password, then the TOTP code. Japanese, no JavaScript.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { clientAddress, securityHeaders } from '../../platform/http.ts';
import { rateLimiter } from '../../platform/rate-limit.ts';
import { Layout } from '../../web/layout.tsx';
import { verifyPassword, verifyTotp } from './credentials.ts';
import type { FederatedProvider } from './federation.ts';
import { currentInteraction } from './interrupted.tsx';
import * as repo from './repository.ts';

type Env = { Bindings: { incoming: IncomingMessage; outgoing: ServerResponse } };

const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;
const GENERIC_FAILURE = 'メールアドレスまたはパスワードが正しくありません。';
const LOCKED = `サインインの失敗が続いたため、アカウントを一時的にロックしています。${LOCK_MINUTES}分後に再度お試しください。`;
const isLocked = (a: repo.StaffAccount | undefined) => !!a?.lockedUntil && a.lockedUntil > new Date();

async function page(c: Context, title: string, body: Child, status: 200 | 400 | 423 | 429 = 200) {
  const doc = (
    <Layout lang="ja" title={title} path={c.req.path}>
      <h1>{title}</h1>
      {body}
    </Layout>
  );
  return c.html(`<!DOCTYPE html>${await doc.toString()}`, status);
}

const Alert = (props: { message?: string }) =>
  props.message ? (
    <p class="differs" role="alert">
      {props.message}
    </p>
  ) : null;

function passwordForm(uid: string, message?: string, email = '') {
  return (
    <>
      <Alert message={message} />
      <form method="post" action={`/id/interaction/${uid}/password`} class="filters">
        <label>
          メールアドレス
          <input type="email" name="email" autocomplete="username" required value={email} />
        </label>
        <label>
          パスワード
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit">次へ</button>
      </form>
    </>
  );
}

function totpForm(uid: string, message?: string) {
  return (
    <>
      <p>認証アプリに表示されている6桁の確認コードを入力してください。</p>
      <Alert message={message} />
      <form method="post" action={`/id/interaction/${uid}/totp`} class="filters">
        <label>
          確認コード
          <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required />
        </label>
        <button type="submit">サインイン</button>
      </form>
    </>
  );
}

const passwordInput = z.object({ email: z.string().trim().max(320), password: z.string().max(256) });
const totpInput = z.object({ code: z.string().trim() });

export function interactionRoutes(
  db: Db,
  provider: Provider,
  federation: FederatedProvider[] = [],
  clientOrigins: string[] = [],
  trustProxy = 0,
) {
  const app = new Hono<Env>();
  // A sign-in form's response redirects on to the client that asked (another origin, for federation):
  // the browser checks form-action on every redirect, so those origins are allowed here.
  const csp = securityHeaders['content-security-policy'].replace("form-action 'self'", ["form-action 'self'", ...clientOrigins].join(' '));
  // Sign-in attempts per address: 20 in 5 minutes, on top of the per-account lockout.
  const allow = rateLimiter(db, 'sign-in', 20, 5 * 60_000);
  app.use('/id/interaction/*', async (c, next) => {
    c.header('content-security-policy', csp);
    if (c.req.method === 'POST' && !(await allow(clientAddress(c.env.incoming, trustProxy)))) {
      return page(c, 'しばらくお待ちください', <p>サインインの試行が多すぎます。5分ほど待ってから再度お試しください。</p>, 429);
    }
    await next();
  });
  const details = (c: Context<Env>) => currentInteraction(provider, c);

  app.get('/id/interaction/:uid', async (c) => {
    const d = await details(c);
    if (d instanceof Response) return d;
    if (d.prompt.name !== 'login') return page(c, 'この操作には対応していません', <p>この連携先への同意画面はまだありません。</p>, 400);
    return page(
      c,
      '職員サインイン（共通ID）',
      <>
        {passwordForm(d.uid)}
        {federation.length > 0 && (
          <>
            <h2>所属団体のIDでサインイン</h2>
            <ul>
              {federation.map((f) => (
                <li>
                  <a href={`/id/interaction/${d.uid}/federated/${f.id}`}>{f.name}でサインイン</a>
                </li>
              ))}
            </ul>
          </>
        )}
      </>,
    );
  });

  app.post('/id/interaction/:uid/password', async (c) => {
    const d = await details(c);
    if (d instanceof Response) return d;
    // A body that is not a form (multipart without a boundary, say) is a wrong entry like any other.
    const input = passwordInput.safeParse(await c.req.parseBody().catch(() => ({})));
    if (!input.success) return page(c, '職員サインイン（共通ID）', passwordForm(d.uid, GENERIC_FAILURE), 400);
    const account = await repo.findAccountByEmail(db, input.data.email);
    if (isLocked(account)) {
      return page(c, '職員サインイン（共通ID）', passwordForm(d.uid, LOCKED), 423);
    }
    if (!account || !(await verifyPassword(account.passwordHash, input.data.password))) {
      if (account) await repo.recordFailedLogin(db, account.id, LOCK_AFTER, LOCK_MINUTES);
      return page(c, '職員サインイン（共通ID）', passwordForm(d.uid, GENERIC_FAILURE, input.data.email), 400);
    }
    await repo.savePasswordStep(db, d.uid, account.id, 5);
    return c.redirect(`/id/interaction/${d.uid}/totp`, 303);
  });

  app.get('/id/interaction/:uid/totp', async (c) => {
    const d = await details(c);
    if (d instanceof Response) return d;
    if (!(await repo.findPasswordStep(db, d.uid))) return c.redirect(`/id/interaction/${d.uid}`, 303);
    return page(c, '確認コードの入力', totpForm(d.uid));
  });

  app.post('/id/interaction/:uid/totp', async (c) => {
    const d = await details(c);
    if (d instanceof Response) return d;
    const accountId = await repo.findPasswordStep(db, d.uid);
    if (!accountId) return c.redirect(`/id/interaction/${d.uid}`, 303);
    const account = await repo.findAccountById(db, accountId);
    // Wrong codes count towards the lockout too: once locked, no more guesses on this step.
    if (isLocked(account)) {
      await repo.endPasswordStep(db, d.uid);
      return page(c, '職員サインイン（共通ID）', passwordForm(d.uid, LOCKED), 423);
    }
    const input = totpInput.safeParse(await c.req.parseBody().catch(() => ({})));
    if (!account || !input.success || !verifyTotp(account.totpSecret, input.data.code)) {
      if (account) await repo.recordFailedLogin(db, account.id, LOCK_AFTER, LOCK_MINUTES);
      return page(c, '確認コードの入力', totpForm(d.uid, '確認コードが正しくありません。'), 400);
    }
    await repo.endPasswordStep(db, d.uid);
    await repo.recordSuccessfulLogin(db, account.id);
    const to = await provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
    return c.redirect(to, 303);
  });

  return app;
}
