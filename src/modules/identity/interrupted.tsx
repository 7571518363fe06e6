// A sign-in that cannot go on: its interaction cookie is missing, tampered with or expired, or the
// interaction itself is gone (the person waited too long, used the back button, a second tab, a
// browser that dropped the cookie). oidc-provider signals it with SessionNotFound. It is an expected
// case, so a 400 page that starts again and nothing in the log — not an error.
import type { Context } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type default as Provider, type Interaction } from 'oidc-provider';
import * as oidc from 'openid-client';
import { Layout } from '../../web/layout.tsx';

type Env = { Bindings: { incoming: IncomingMessage; outgoing: ServerResponse } };

export const INTERRUPTED_TITLE = 'サインインを最初からやり直してください';

/**
 * Where 「最初からやり直す」 leads: the client's registered `initiate_login_uri` (trusted configuration,
 * https only) when the interaction is still known, else the staff area, which starts a new sign-in.
 * Never a URL from the request.
 */
export async function restartUrl(provider: Provider, uid: string | undefined): Promise<string> {
  const interaction = uid ? await provider.Interaction.find(uid) : undefined;
  const clientId = interaction?.params.client_id;
  const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
  return client?.initiateLoginUri ?? '/staff';
}

/**
 * An authorization response that ends a sign-in as the person left it, seen by a client of a provider
 * (the staff screens, federated sign-in): cancelled there (an error response), another attempt's
 * state, or a code already used (the back button, a reload).
 */
export const isAbandonedSignIn = (err: unknown) =>
  err instanceof oidc.AuthorizationResponseError ||
  err instanceof oidc.ResponseBodyError ||
  (err instanceof oidc.ClientError && err.code === 'OAUTH_INVALID_RESPONSE');

export async function interruptedHtml(path: string, restart: string): Promise<string> {
  const doc = (
    <Layout lang="ja" title={INTERRUPTED_TITLE} path={path}>
      <h1>{INTERRUPTED_TITLE}</h1>
      <p>サインインに時間がかかりすぎたか、途中で中断されたため、この画面からは続けられません。</p>
      <p>
        <a href={restart}>最初からやり直す</a>
      </p>
    </Layout>
  );
  return `<!DOCTYPE html>${await doc.toString()}`;
}

export const interruptedPage = async (c: Context, restart: string) => c.html(await interruptedHtml(c.req.path, restart), 400);

/** The interaction named in the URL and carried by its cookie; without one, the page above. */
export async function currentInteraction(provider: Provider, c: Context<Env>): Promise<Interaction | Response> {
  const uid = c.req.param('uid');
  const interaction = await provider.interactionDetails(c.env.incoming, c.env.outgoing).catch((err: unknown) => {
    if (err instanceof errors.SessionNotFound) return undefined;
    throw err;
  });
  // The cookie's path is the interaction's own URL, so another uid here is a hand-made URL.
  if (!interaction || interaction.uid !== uid) return interruptedPage(c, await restartUrl(provider, uid));
  return interaction;
}
