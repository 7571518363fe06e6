// Sign-in pages of the identity service: password, then the TOTP code. Japanese, no JavaScript.
// The handlers parse, call the sign-in commands and present their outcome; the decisions are in
// rules.ts, the steps in commands/.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { clientAddress, securityHeaders } from '../../platform/http.ts';
import { rateLimiter } from '../../platform/rate-limit.ts';
import { Layout } from '../../web/layout.tsx';
import type { IdentityCommands } from './index.ts';
import type { FederatedProvider } from './federation.ts';
import { currentInteraction } from './interrupted.tsx';
import { findPasswordStep } from './repository.ts';
import { lockout, signInRateLimit } from './rules.ts';

type Env = { Bindings: { incoming: IncomingMessage; outgoing: ServerResponse } };

const GENERIC_FAILURE = 'メールアドレスまたはパスワードが正しくありません。';
const LOCKED = `サインインの失敗が続いたため、アカウントを一時的にロックしています。${lockout.minutes}分後に再度お試しください。`;

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
      <p>認証アプリに表示されている6桁の確認コードを入力してください。認証アプリが使えないときは、リカバリーコードを1つ入力できます。</p>
      <Alert message={message} />
      <form method="post" action={`/id/interaction/${uid}/totp`} class="filters">
        <label>
          確認コード（またはリカバリーコード）
          {/* No numeric pattern: a recovery code has letters. */}
          <input type="text" name="code" autocomplete="one-time-code" maxlength={20} required />
        </label>
        <button type="submit">サインイン</button>
      </form>
    </>
  );
}

const passwordInput = z.object({ email: z.string().trim().max(320), password: z.string().max(256) });
// A missing code is a wrong code: it counts towards the lockout like any other.
const totpInput = z.object({ code: z.string().trim().max(40).catch('') });

export interface InteractionDeps {
  db: Db;
  provider: Provider;
  commands: Pick<IdentityCommands, 'signInWithPassword' | 'verifyTotp'>;
  federation: FederatedProvider[];
  /** Origins of the further clients, which a sign-in form's response may redirect to. */
  clientOrigins: string[];
  trustProxy?: number;
}

export function interactionRoutes({ db, provider, commands, federation, clientOrigins, trustProxy = 0 }: InteractionDeps) {
  const app = new Hono<Env>();
  // A sign-in form's response redirects on to the client that asked (another origin, for federation):
  // the browser checks form-action on every redirect, so those origins are allowed here.
  const csp = securityHeaders['content-security-policy'].replace("form-action 'self'", ["form-action 'self'", ...clientOrigins].join(' '));
  // Counted before the interaction is even looked up, so a flood of made-up interactions is slowed too.
  const allow = rateLimiter(db, 'sign-in', signInRateLimit.max, signInRateLimit.windowMs);
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
    const outcome = await commands.signInWithPassword({ uid: d.uid, ...input.data });
    if (outcome === 'locked') return page(c, '職員サインイン（共通ID）', passwordForm(d.uid, LOCKED), 423);
    if (outcome === 'refused') return page(c, '職員サインイン（共通ID）', passwordForm(d.uid, GENERIC_FAILURE, input.data.email), 400);
    return c.redirect(`/id/interaction/${d.uid}/totp`, 303);
  });

  app.get('/id/interaction/:uid/totp', async (c) => {
    const d = await details(c);
    if (d instanceof Response) return d;
    if (!(await findPasswordStep(db, d.uid))) return c.redirect(`/id/interaction/${d.uid}`, 303);
    return page(c, '確認コードの入力', totpForm(d.uid));
  });

  app.post('/id/interaction/:uid/totp', async (c) => {
    const d = await details(c);
    if (d instanceof Response) return d;
    const input = totpInput.parse(await c.req.parseBody().catch(() => ({})));
    const result = await commands.verifyTotp({ uid: d.uid, code: input.code });
    if (result.outcome === 'no_step') return c.redirect(`/id/interaction/${d.uid}`, 303);
    if (result.outcome === 'locked') return page(c, '職員サインイン（共通ID）', passwordForm(d.uid, LOCKED), 423);
    if (result.outcome === 'refused') return page(c, '確認コードの入力', totpForm(d.uid, '確認コードが正しくありません。'), 400);
    const to = await provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { login: { accountId: result.accountId } },
      { mergeWithLastSubmission: false },
    );
    return c.redirect(to, 303);
  });

  return app;
}
