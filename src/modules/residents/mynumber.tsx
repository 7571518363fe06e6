// マイナンバーカードでのサインイン through the Digital Agency's デジタル認証アプリ, an OpenID Connect
// provider: authorization code flow only, state required, scope `openid` (name/address/birthdate/gender
// only for 基本4情報, which Renkei does not ask for). Source: developers.digital.go.jp/documents/auth-and-sign/
// (実装ガイドライン and APIリファレンス(民間事業者向け), 認可エンドポイント). PKCE (S256) and nonce are added
// as OpenID Connect allows; acr, amr and auth_time are recorded as the provider sends them.
import { createHmac, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { isAbandonedSignIn } from '../identity/interrupted.tsx';
import { myPage } from './page.tsx';
import { completeSignIn } from './session.ts';
import { findLink, insertAccountWithLink, latestVerification, recordAssurance, type Assurance } from './repository-mynumber.ts';

/**
 * RESIDENT_MYNUMBER_PROVIDER: the client registration at デジタル認証アプリ, and optionally the `acr` a
 * card sign-in must carry (the value is in the provider's documentation for registered RPs).
 */
export const mynumberProvider = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  acr: z.string().min(1).max(200).optional(),
});
export type MynumberProvider = z.infer<typeof mynumberProvider>;

export interface MynumberDeps {
  db: Db;
  provider: MynumberProvider;
  baseUrl: string;
  cookieSecret: string;
  /** The key of the HMAC that stands for the upstream subject (a platform secret). */
  linkSecret: string;
}

const PROVIDER = 'digital-auth-app';
const FLOW = 'renkei_my_mynumber';
const flowShape = z.object({ verifier: z.string(), state: z.string(), nonce: z.string(), next: z.string().optional() });

export const subjectLookup = (secret: string, issuer: string, sub: string) =>
  createHmac('sha256', secret).update(`${issuer}\n${sub}`).digest('base64url');

const INTERRUPTED = 'マイナンバーカードでのサインインが中断されたか、有効期限が切れました。何も登録されていません。';
const OTHER_ACR = '本人確認の方法が、この基盤が求めるもの（マイナンバーカード）と一致しませんでした。何も登録されていません。';

function failedPage(c: Context, reason = INTERRUPTED) {
  return myPage(
    c,
    'サインインできませんでした',
    <>
      <h1>サインインできませんでした</h1>
      <p>{reason}</p>
      <p>
        <a href="/my/sign-in/mynumber">もう一度マイナンバーカードでサインインする</a>
      </p>
      <p>
        <a href="/my/sign-in">サインインの方法を選ぶ</a>
      </p>
    </>,
    400,
  );
}

export function mynumberRoutes(deps: MynumberDeps) {
  const app = new Hono();
  const redirectUri = `${deps.baseUrl}/my/sign-in/mynumber/callback`;
  const secure = deps.baseUrl.startsWith('https://');
  let config: Promise<oidc.Configuration> | undefined;
  const configOf = () => {
    if (!config) {
      const p = deps.provider;
      const insecure = p.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : {};
      config = oidc.discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined, insecure);
      config.catch(() => (config = undefined));
    }
    return config;
  };

  app.get('/my/sign-in/mynumber', async (c) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const flow = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce(), next: c.req.query('next') };
    await setSignedCookie(c, FLOW, JSON.stringify(flow), deps.cookieSecret, {
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      path: '/my',
      maxAge: 600,
    });
    const url = oidc.buildAuthorizationUrl(await configOf(), {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return c.redirect(url.href, 302);
  });

  app.get('/my/sign-in/mynumber/callback', async (c) => {
    // Checked before the code is exchanged: a callback that cannot finish spends nothing upstream.
    const raw = await getSignedCookie(c, deps.cookieSecret, FLOW);
    const parsed = raw ? flowShape.safeParse(JSON.parse(raw)) : undefined;
    if (!parsed?.success) return failedPage(c);
    const flow = parsed.data;
    deleteCookie(c, FLOW, { path: '/my' });
    const tokens = await oidc
      .authorizationCodeGrant(await configOf(), new URL(`${redirectUri}${new URL(c.req.url).search}`), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      })
      .catch((err: unknown) => {
        if (isAbandonedSignIn(err)) return undefined;
        throw err;
      });
    const claims = tokens?.claims();
    if (!claims) return failedPage(c);
    if (deps.provider.acr && claims.acr !== deps.provider.acr) return failedPage(c, OTHER_ACR);
    const assurance: Assurance = {
      issuer: claims.iss,
      acr: typeof claims.acr === 'string' ? claims.acr : null,
      amr: Array.isArray(claims.amr) ? claims.amr.filter((x): x is string => typeof x === 'string') : null,
      authTime: typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000) : null,
    };
    const hmac = subjectLookup(deps.linkSecret, claims.iss, claims.sub);
    const link = await findLink(deps.db, PROVIDER, hmac);
    let residentId = link?.residentId;
    if (residentId) await recordAssurance(deps.db, PROVIDER, hmac, assurance);
    else {
      residentId = `r_${randomBytes(12).toString('base64url')}`;
      await insertAccountWithLink(deps.db, residentId, PROVIDER, hmac, assurance);
    }
    return completeSignIn(c, deps.db, residentId, 'mynumber', flow.next);
  });
  return app;
}

/** The sign-in page's entry (shown only when RESIDENT_MYNUMBER_PROVIDER is set). */
export const MynumberSignIn = (props: { next?: string }) => (
  <p>
    <a href={`/my/sign-in/mynumber${props.next ? `?next=${encodeURIComponent(props.next)}` : ''}`}>マイナンバーカードでサインイン</a>
  </p>
);

const jst = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' });

/** マイページ's line on identity assurance; nothing when the resident never used the card. */
export async function AssuranceSection(props: { db: Db; residentId: string }) {
  const v = await latestVerification(props.db, props.residentId);
  if (!v) return null;
  return (
    <section aria-labelledby="assurance">
      <h2 id="assurance">本人確認</h2>
      <p>マイナンバーカードで本人確認済み（{jst.format(v.verifiedAt)}）</p>
    </section>
  );
}
