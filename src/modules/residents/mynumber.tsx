// マイナンバーカードでのサインイン through the Digital Agency's デジタル認証アプリ, an OpenID Connect
// provider: authorization code flow only, state required, scope `openid` (name/address/birthdate/gender
// only for 基本4情報, which Renkei does not ask for). Source: developers.digital.go.jp/documents/auth-and-sign/
// (実装ガイドライン and APIリファレンス(民間事業者向け), 認可エンドポイント). PKCE (S256) and nonce are added
// as OpenID Connect allows; acr, amr and auth_time are recorded as the provider sends them.
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import { myPage } from './page.tsx';
import { mynumberFlow, type FlowFailure, type MynumberProvider } from './mynumber-flow.ts';
import { completeSignIn } from './session.ts';
import { findLink, insertAccountWithLink, latestVerification, recordAssurance } from './repository-mynumber.ts';

export interface MynumberDeps {
  db: Db;
  /** RESIDENT_MYNUMBER_PROVIDER: the client registration at デジタル認証アプリ, and optionally the `acr` a card sign-in must carry. */
  provider: MynumberProvider;
  baseUrl: string;
  cookieSecret: string;
  /** The key of the HMAC that stands for the upstream subject (a platform secret). */
  linkSecret: string;
}

const MYNUMBER_PROVIDER = 'digital-auth-app';

const INTERRUPTED = 'マイナンバーカードでのサインインが中断されたか、有効期限が切れました。何も登録されていません。';
const OTHER_ACR = '本人確認の方法が、この基盤が求めるもの（マイナンバーカード）と一致しませんでした。何も登録されていません。';

const reasons: Record<FlowFailure, string> = { interrupted: INTERRUPTED, 'other-acr': OTHER_ACR };

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
  const flow = mynumberFlow({ ...deps, secure: deps.baseUrl.startsWith('https://') });
  const at = { redirectUri: `${deps.baseUrl}/my/sign-in/mynumber/callback`, cookie: 'renkei_my_mynumber', path: '/my' };

  app.get('/my/sign-in/mynumber', async (c) => {
    const next = c.req.query('next');
    return c.redirect((await flow.begin(c, at, next ? { next } : {})).href, 302);
  });

  app.get('/my/sign-in/mynumber/callback', async (c) => {
    const result = await flow.finish(c, at);
    if (!result.ok) return failedPage(c, reasons[result.reason]);
    const { subjectHmac, assurance } = result;
    const link = await findLink(deps.db, MYNUMBER_PROVIDER, subjectHmac);
    let residentId = link?.residentId;
    if (residentId) await recordAssurance(deps.db, MYNUMBER_PROVIDER, subjectHmac, assurance);
    else {
      residentId = `r_${randomBytes(12).toString('base64url')}`;
      await insertAccountWithLink(deps.db, residentId, MYNUMBER_PROVIDER, subjectHmac, assurance);
    }
    return completeSignIn(c, deps.db, residentId, 'mynumber', result.extra.next);
  });
  return app;
}

/**
 * マイナンバーカードで受付 at a shelter (the disaster module's reception): the same flow with the reception's
 * redirect URI, ending in the staff screen. It finds the account the card is linked to and never makes one
 * (a card with no account is `residentId: null`); the verification time is recorded as at sign-in.
 */
export function mynumberReception(deps: MynumberDeps) {
  const flow = mynumberFlow({ ...deps, secure: deps.baseUrl.startsWith('https://') });
  const at = (callbackPath: string, cookiePath: string) => ({
    redirectUri: `${deps.baseUrl}${callbackPath}`,
    cookie: 'renkei_reception_mynumber',
    path: cookiePath,
    // One device signs in one person after another: never the previous person's provider session.
    fresh: true,
  });
  return {
    authorizationOrigins: flow.authorizationOrigins,
    begin: (c: Context, callbackPath: string, cookiePath: string, extra: Record<string, string>) =>
      flow.begin(c, at(callbackPath, cookiePath), extra),
    async identify(c: Context, callbackPath: string, cookiePath: string) {
      const result = await flow.finish(c, at(callbackPath, cookiePath));
      if (!result.ok) return result;
      const link = await findLink(deps.db, MYNUMBER_PROVIDER, result.subjectHmac);
      if (link) await recordAssurance(deps.db, MYNUMBER_PROVIDER, result.subjectHmac, result.assurance);
      return { ok: true as const, residentId: link?.residentId ?? null, extra: result.extra };
    },
  };
}
export type MynumberReception = ReturnType<typeof mynumberReception>;

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
