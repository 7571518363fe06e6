// A stand-in for デジタル認証アプリ: a real OpenID Connect provider (oidc-provider) on 127.0.0.1:0
// that signs in whoever the test names, with the acr/amr a card + PIN sign-in would carry, or
// answers access_denied when the test says the resident refused.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const CARD_ACR = 'urn:digital.go.jp:mynumbercard';
export const CARD_AMR = ['hwk', 'pin'];
/** An acr another kind of sign-in could carry: the test sets `state.acr` to it. */
export const OTHER_ACR = 'urn:example:password';

/** `redirectUris`: the RP's registered callbacks (マイページ's sign-in, the shelter reception's). */
export async function mynumberStandIn(...redirectUris: string[]) {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const clientId = 'RP00000001';
  const clientSecret = 'a stand-in client secret';
  const state = { subject: 'card-holder-1', deny: false, acr: CARD_ACR };
  const provider: Provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    acrValues: [CARD_ACR, OTHER_ACR],
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    // デジタル認証アプリ sends these in every ID token; here the openid scope carries them.
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], iss: null, sid: null },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The resident agrees to 'openid' inside the app: no separate consent step here.
    loadExistingGrant: async (ctx) => {
      const grant = new provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid');
      await grant.save();
      return grant;
    },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  });
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    const result = state.deny
      ? { error: 'access_denied', error_description: 'the resident cancelled' }
      : { login: { accountId: state.subject, acr: state.acr, amr: CARD_AMR } };
    provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false }).catch(() => res.end());
  });
  return {
    config: { issuer, clientId, clientSecret },
    state,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A browser's cookie jar without paths (the two servers' cookie names differ), following redirects by hand. */
export class CookieClient {
  cookies = new Map<string, string>();
  /** `form`: a urlencoded POST body, as a browser sends a form. */
  async fetch(url: string, form?: Record<string, string>) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie, ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form && { method: 'POST', body: new URLSearchParams(form).toString() }),
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  /** Follows redirects until `stop` matches the next location, or a page that is not a redirect (`form`: the first request POSTs it). */
  async follow(url: string, stop = /$^/, form?: Record<string, string>) {
    let res = await this.fetch(url, form);
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url).href;
      if (stop.test(next)) return { url: next, res };
      res = await this.fetch((url = next));
    }
    return { url, res };
  }
}
