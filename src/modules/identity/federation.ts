// Federated sign-in: an organisation signs its staff in with its own OpenID Connect provider.
// Renkei is then that provider's client; the sign-in itself is the command sign-in-federated.ts.
import { Hono, type Context } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import type { IdentityCommands } from './index.ts';
import { currentInteraction, interruptedPage, isAbandonedSignIn, restartUrl } from './interrupted.tsx';

export const federatedProvider = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** Shown on the sign-in page: 「{name}でサインイン」 */
  name: z.string(),
  issuer: z.string().url(),
  clientId: z.string(),
  clientSecret: z.string(),
});
export type FederatedProvider = z.infer<typeof federatedProvider>;

type Env = { Bindings: { incoming: IncomingMessage; outgoing: ServerResponse } };
const FLOW = 'renkei_federation';

export interface FederationDeps {
  provider: Provider;
  commands: Pick<IdentityCommands, 'signInFederated'>;
  baseUrl: string;
  providers: FederatedProvider[];
  cookieSecret: string;
}

export function federationRoutes(deps: FederationDeps) {
  const { provider } = deps;
  const app = new Hono<Env>();
  const redirectUri = `${deps.baseUrl}/id/federated/callback`;
  const configs = new Map<string, Promise<oidc.Configuration>>();
  const configOf = (p: FederatedProvider) => {
    let c = configs.get(p.id);
    if (!c) {
      const insecure = p.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : {};
      c = oidc.discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined, insecure);
      c.catch(() => configs.delete(p.id));
      configs.set(p.id, c);
    }
    return c;
  };
  const secure = deps.baseUrl.startsWith('https://');

  app.get('/id/interaction/:uid/federated/:idp', async (c) => {
    const p = deps.providers.find((x) => x.id === c.req.param('idp'));
    if (!p) throw notFound('連携先');
    const details = await currentInteraction(provider, c);
    if (details instanceof Response) return details;
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    await setSignedCookie(c, FLOW, JSON.stringify({ idp: p.id, uid: details.uid, verifier, state }), deps.cookieSecret, {
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      path: '/id',
      maxAge: 600,
    });
    const url = oidc.buildAuthorizationUrl(await configOf(p), {
      redirect_uri: redirectUri,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    return c.redirect(url.href, 302);
  });

  app.get('/id/federated/callback', async (c: Context<Env>) => {
    // Checked before the code is exchanged: a sign-in that cannot finish here spends nothing upstream.
    const raw = await getSignedCookie(c, deps.cookieSecret, FLOW);
    const flow = raw ? (JSON.parse(raw) as { idp: string; uid: string; verifier: string; state: string }) : undefined;
    const p = flow && deps.providers.find((x) => x.id === flow.idp);
    // The interaction cookie is scoped to its own path: finish through the stored uid.
    const interaction = flow && (await provider.Interaction.find(flow.uid));
    if (!flow || !p || !interaction) return interruptedPage(c, await restartUrl(provider, flow?.uid));
    const current = new URL(c.req.url);
    const tokens = await oidc
      .authorizationCodeGrant(await configOf(p), new URL(`${redirectUri}${current.search}`), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
      })
      .catch((err: unknown) => {
        if (isAbandonedSignIn(err)) return undefined;
        throw err;
      });
    if (!tokens) return interruptedPage(c, await restartUrl(provider, flow.uid));
    // Scope claims such as e-mail come from the userinfo endpoint, not necessarily the ID token.
    const sub = tokens.claims()!.sub;
    const email = (await oidc.fetchUserInfo(await configOf(p), tokens.access_token, sub)).email;
    const { accountId } = await deps.commands.signInFederated({ email: typeof email === 'string' ? email : '', providerName: p.name });
    interaction.result = { login: { accountId, amr: ['fed'] } };
    await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
    return c.redirect(interaction.returnTo, 303);
  });

  return app;
}
