// One OpenID Connect authorization-code flow at デジタル認証アプリ (mynumber.tsx has the sources): PKCE
// (S256), state and nonce kept in a signed short-lived cookie, scope `openid` only. マイページ's sign-in
// and the shelter reception's マイナンバーカードで受付 (disaster module) each run it with their own
// redirect URI and cookie path; both must be registered redirect URIs of the RP at the provider.
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { isAbandonedSignIn } from '../identity/interrupted.tsx';
import { AppError } from '../../platform/errors.ts';
import type { Assurance } from './repository-mynumber.ts';

const UNREACHABLE = 'デジタル認証アプリに接続できません。しばらくしてからもう一度お試しください。';

export const mynumberProvider = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  acr: z.string().min(1).max(200).optional(),
});
export type MynumberProvider = z.infer<typeof mynumberProvider>;

/** Where one flow returns to: the callback URL, and the cookie that carries the flow there. */
export interface FlowPlace {
  redirectUri: string;
  cookie: string;
  path: string;
  /** OIDC Core §3.1.2.1 prompt=login: the card is read again even if the provider still has a session (a shared reception device). */
  fresh?: boolean;
}
/** Why a callback did not identify a card holder: cancelled or expired, or not a card sign-in (acr); `extra` when the flow was known. */
export type FlowFailure = 'interrupted' | 'other-acr';
export type FlowResult =
  | { ok: true; subjectHmac: string; assurance: Assurance; extra: Record<string, string> }
  | { ok: false; reason: FlowFailure; extra?: Record<string, string> };

const flowShape = z.object({ verifier: z.string(), state: z.string(), nonce: z.string(), extra: z.record(z.string(), z.string()) });

/** The key the upstream subject is stored under: an HMAC, so the subject is never stored in clear. */
export const subjectLookup = (secret: string, issuer: string, sub: string) =>
  createHmac('sha256', secret).update(`${issuer}\n${sub}`).digest('base64url');

export function mynumberFlow(deps: { provider: MynumberProvider; cookieSecret: string; linkSecret: string; secure: boolean }) {
  let config: Promise<oidc.Configuration> | undefined;
  let resolved: oidc.Configuration | undefined;
  // Discovery waits at most 10 s (openid-client's default is 30): a reception must not hang on an outage.
  const configOf = () => {
    if (!config) {
      const p = deps.provider;
      const options = { timeout: 10, ...(p.issuer.startsWith('http://') && { execute: [oidc.allowInsecureRequests] }) };
      config = oidc.discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined, options);
      config.then((c) => (resolved = c)).catch(() => (config = undefined));
    }
    return config.catch(() => {
      throw new AppError(503, 'provider_unreachable', UNREACHABLE);
    });
  };

  return {
    /**
     * The origins a form that starts this flow redirects to (CSP form-action): the issuer's, and the
     * authorization endpoint's once discovery has answered. Never waits: discovery is started, not awaited.
     */
    authorizationOrigins(): string[] {
      const issuer = new URL(deps.provider.issuer).origin;
      if (!resolved) void configOf().catch(() => undefined);
      const endpoint = resolved?.serverMetadata().authorization_endpoint;
      return [...new Set([issuer, ...(endpoint ? [new URL(endpoint).origin] : [])])];
    },
    /** Sets the flow cookie (10 minutes) and returns the provider's authorization URL. */
    async begin(c: Context, at: FlowPlace, extra: Record<string, string> = {}): Promise<URL> {
      const verifier = oidc.randomPKCECodeVerifier();
      const flow = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce(), extra };
      await setSignedCookie(c, at.cookie, JSON.stringify(flow), deps.cookieSecret, {
        httpOnly: true,
        secure: deps.secure,
        sameSite: 'Lax',
        path: at.path,
        maxAge: 600,
      });
      return oidc.buildAuthorizationUrl(await configOf(), {
        redirect_uri: at.redirectUri,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
        ...(at.fresh && { prompt: 'login' }),
      });
    },
    /** Checks the callback against the flow cookie (before the code is exchanged: a callback that cannot finish spends nothing upstream). */
    async finish(c: Context, at: FlowPlace): Promise<FlowResult> {
      const raw = await getSignedCookie(c, deps.cookieSecret, at.cookie);
      let parsed: ReturnType<typeof flowShape.safeParse> | undefined;
      try {
        parsed = raw ? flowShape.safeParse(JSON.parse(raw)) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) return { ok: false, reason: 'interrupted' };
      const flow = parsed.data;
      deleteCookie(c, at.cookie, { path: at.path });
      const tokens = await oidc
        .authorizationCodeGrant(await configOf(), new URL(`${at.redirectUri}${new URL(c.req.url).search}`), {
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
      if (!claims) return { ok: false, reason: 'interrupted', extra: flow.extra };
      if (deps.provider.acr && claims.acr !== deps.provider.acr) return { ok: false, reason: 'other-acr', extra: flow.extra };
      const assurance: Assurance = {
        issuer: claims.iss,
        acr: typeof claims.acr === 'string' ? claims.acr : null,
        amr: Array.isArray(claims.amr) ? claims.amr.filter((x): x is string => typeof x === 'string') : null,
        authTime: typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000) : null,
      };
      return { ok: true, subjectHmac: subjectLookup(deps.linkSecret, claims.iss, claims.sub), assurance, extra: flow.extra };
    },
  };
}
