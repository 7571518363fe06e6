// The staff session: sign-in through the common ID (an OIDC client with PKCE), the session cookie
// (HttpOnly, SameSite=Lax, Secure on https), the CSRF check on every POST, and sign-out.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { isAbandonedSignIn, STAFF_CLIENT_ID, type IdentityModule, type Role } from '../identity/index.ts';
import { staffPage, type Env } from './page.tsx';
import * as repo from './repository.ts';

const SESSION_COOKIE = 'renkei_staff';
const FLOW_COOKIE = 'renkei_oidc';
/** Set by sign-out until the next sign-in: that sign-in asks for credentials even if the common ID's session lives on. */
const SIGNED_OUT_COOKIE = 'renkei_signed_out';
const SESSION_HOURS = 8;

export interface SessionDeps {
  db: Db;
  baseUrl: string;
  identity: IdentityModule;
  cookieSecret: string;
}

/** Sign-in, sign-out, and the middleware that puts the signed-in actor on every other /staff request. */
export function sessionRoutes(deps: SessionDeps) {
  const { db, baseUrl, identity } = deps;
  const app = new Hono<Env>();
  const secure = baseUrl.startsWith('https://');
  const redirectUri = `${baseUrl}/staff/callback`;
  let config: Promise<oidc.Configuration> | undefined;
  const client = () =>
    (config ??= oidc
      .discovery(
        new URL(identity.issuer),
        STAFF_CLIENT_ID,
        identity.staffClientSecret,
        undefined,
        secure ? {} : { execute: [oidc.allowInsecureRequests] },
      )
      .catch((e) => {
        config = undefined;
        throw e;
      }));

  // Sign-in: an ordinary OIDC authorization-code flow with PKCE against the platform's provider.
  app.get('/staff/login', async (c) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    await setSignedCookie(c, FLOW_COOKIE, JSON.stringify({ verifier, state }), deps.cookieSecret, {
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      path: '/staff',
      maxAge: 600,
    });
    const url = oidc.buildAuthorizationUrl(await client(), {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      // Signed out here but the common ID's question left unanswered (the tab closed): still ask
      // for the password and code (OpenID Connect Core 1.0 §3.1.2.1, prompt=login).
      ...(getCookie(c, SIGNED_OUT_COOKIE) ? { prompt: 'login' } : {}),
    });
    return c.redirect(url.href, 302);
  });

  app.get('/staff/callback', async (c) => {
    const flow = await getSignedCookie(c, deps.cookieSecret, FLOW_COOKIE);
    if (!flow) return c.redirect('/staff/login', 302);
    const { verifier, state } = JSON.parse(flow) as { verifier: string; state: string };
    const current = new URL(c.req.url);
    const tokens = await oidc
      .authorizationCodeGrant(await client(), new URL(`${redirectUri}${current.search}`), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      })
      .catch((err: unknown) => {
        if (isAbandonedSignIn(err)) return undefined;
        throw err;
      });
    // A reload or the back button after signing in: sign in again (at once, while the ID's session lasts).
    if (!tokens) return c.redirect('/staff/login', 302);
    const sub = tokens.claims()!.sub;
    const id = randomBytes(32).toString('base64url');
    await repo.insertSession(db, {
      id,
      accountId: sub,
      csrf: randomBytes(24).toString('base64url'),
      idToken: tokens.id_token ?? null,
      expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000),
    });
    deleteCookie(c, FLOW_COOKIE, { path: '/staff' });
    deleteCookie(c, SIGNED_OUT_COOKIE, { path: '/staff' });
    setCookie(c, SESSION_COOKIE, id, { httpOnly: true, secure, sameSite: 'Lax', path: '/', maxAge: SESSION_HOURS * 3600 });
    return c.redirect('/staff', 303);
  });

  app.get('/staff/signed-out', (c) =>
    staffPage(
      c,
      'サインアウトしました',
      <>
        <h1>サインアウトしました</h1>
        <p>職員ページと共通IDの両方からサインアウトしました。</p>
        <p>
          <a href="/staff/login">もう一度サインインする</a>
        </p>
      </>,
    ),
  );

  // Everything else needs a live session; POSTs also a matching CSRF token.
  app.use('/staff/*', async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? await repo.findLiveSession(db, id) : undefined;
    const account = session ? await identity.queries.findAccount(session.accountId) : undefined;
    // A disabled or reset account's sessions end here, on its next request.
    if (!session || !account || account.status !== 'active') {
      if (session) await repo.deleteSession(db, session.id);
      return c.redirect('/staff/login', 302);
    }
    if (c.req.method === 'POST') {
      const body = await c.req.parseBody();
      const token = typeof body.csrf === 'string' ? body.csrf : '';
      const ok = token.length === session.csrf.length && timingSafeEqual(Buffer.from(token), Buffer.from(session.csrf));
      if (!ok) throw new AppError(400, 'csrf', 'フォームの有効期限が切れたか、不正な送信です。ページを開き直してから操作してください。');
    }
    c.set('actor', {
      id: account.id,
      name: account.name,
      roles: account.roles as Role[],
      department: account.department,
      municipalityCode: account.municipalityCode,
    });
    c.set('csrf', session.csrf);
    c.set('sessionId', session.id);
    await next();
  });

  // Sign-out ends the staff session here and then the common ID's session (OpenID Connect
  // RP-Initiated Logout 1.0): the ID token of this sign-in as id_token_hint, back to our page after.
  app.post('/staff/logout', async (c) => {
    const session = await repo.findLiveSession(db, c.get('sessionId'));
    await repo.deleteSession(db, c.get('sessionId'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    setCookie(c, SIGNED_OUT_COOKIE, '1', { httpOnly: true, secure, sameSite: 'Lax', path: '/staff', maxAge: SESSION_HOURS * 3600 });
    const end = oidc.buildEndSessionUrl(await client(), {
      post_logout_redirect_uri: `${baseUrl}/staff/signed-out`,
      ...(session?.idToken ? { id_token_hint: session.idToken } : {}),
    });
    return c.redirect(end.href, 303);
  });

  return app;
}
