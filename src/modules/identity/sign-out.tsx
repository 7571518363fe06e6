// The common ID's sign-out pages (OpenID Connect RP-Initiated Logout 1.0), rendered by Renkei in the
// platform layout instead of oidc-provider's English defaults.
//
// oidc-provider always asks before ending its session (the spec's §2 "the OP SHOULD ask the End-User
// whether to log out of the OP as well"; it MUST ask when no valid id_token_hint came). Its only way
// round the question is a self-submitting form, which needs a script, and our pages have none
// (CSP script-src 'none'). So the question is one plain form POST with one button: it sends
// `logout=yes`, which ends the whole common-ID session (§2 "If the End-User says 'yes', then the OP
// MUST log out the End-User") and redirects to the client's registered post_logout_redirect_uri.
// There is deliberately no 「サインアウトしない」: the staff session is already gone by now, and
// staying signed in to the common ID is exactly what would sign the person straight back in.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { raw } from 'hono/html';
import type { Db } from '../../platform/db.ts';
import { securityHeaders } from '../../platform/http.ts';
import { Layout } from '../../web/layout.tsx';
import { findAccountById } from './repository.ts';

export const SIGN_OUT_TITLE = '共通IDからサインアウトします';
export const SIGNED_OUT_TITLE = 'サインアウトしました';

/** oidc-provider's `form` is `<form id="op.logoutForm" …><input type="hidden" name="xsrf" …/></form>`. */
export function logoutSource(db: Db) {
  return async (ctx: KoaContextWithOIDC, form: string) => {
    const accountId = ctx.oidc.session?.accountId;
    const account = accountId ? await findAccountById(db, accountId) : undefined;
    const doc = (
      <Layout lang="ja" title={SIGN_OUT_TITLE} path="/id/session/end">
        <h1>{SIGN_OUT_TITLE}</h1>
        {account && (
          <p>
            {account.name}（{account.email}）としてサインインしています。
          </p>
        )}
        <p>
          この端末の共通IDのサインインを終えます。次に職員ページを開くときは、パスワードと確認コードをもう一度入力します。共有のパソコンでは、必ずこのボタンを押してから離れてください。
        </p>
        {raw(form)}
        <p>
          <button type="submit" form="op.logoutForm" name="logout" value="yes">
            サインアウトする
          </button>
        </p>
      </Layout>
    );
    page(ctx, `<!DOCTYPE html>${await doc.toString()}`);
  };
}

/** Where the provider lands when the client named no post_logout_redirect_uri. */
export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  const doc = (
    <Layout lang="ja" title={SIGNED_OUT_TITLE} path="/id/session/end/success">
      <h1>{SIGNED_OUT_TITLE}</h1>
      <p>共通IDからサインアウトしました。</p>
      <p>
        <a href="/staff/login">もう一度サインインする</a>
      </p>
    </Layout>
  );
  page(ctx, `<!DOCTYPE html>${await doc.toString()}`);
}

function page(ctx: KoaContextWithOIDC, html: string) {
  ctx.type = 'html';
  // Our own page: the platform's CSP as on every page Renkei renders (app.ts leaves it off /id/*).
  ctx.set('content-security-policy', securityHeaders['content-security-policy']);
  ctx.body = html;
}
