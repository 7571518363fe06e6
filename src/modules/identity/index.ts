/**
 * identity — the platform's common ID (共通ID): an OpenID Connect provider at /id with staff
 * accounts (argon2id passwords and TOTP), sign-in pages, and the CLI to create the first administrator.
 */
import type { Db } from '../../platform/db.ts';
import type { ClientMetadata } from 'oidc-provider';
import { federationRoutes, type FederatedProvider } from './federation.ts';
import { interactionRoutes } from './interaction.tsx';
import { importJWK, jwtVerify } from 'jose';
import { brokerAudience, createProvider, STAFF_CLIENT_ID } from './provider.ts';
import { findAccountById, findPayload, type StaffAccount } from './repository.ts';

export { STAFF_CLIENT_ID };
export { federatedProvider, type FederatedProvider } from './federation.ts';
export type { StaffAccount };
export { createAccount } from './commands/create-account.ts';
export { createBrokerClient, listBrokerClients, revokeBrokerClient } from './commands/create-broker-client.ts';
export { secret as platformSecret, listAccounts } from './repository.ts';
export { currentTotp } from './credentials.ts';
export { isAbandonedSignIn } from './interrupted.tsx';
export type { Actor, Role } from './actor.ts';
export { roleLabels } from './actor.ts';

export interface IdentityDeps {
  db: Db;
  baseUrl: string;
  cookieSecret: string;
  /** Organisations' own OpenID Connect providers their staff may sign in with. */
  federation?: FederatedProvider[];
  /** Further trusted clients of this provider. */
  clients?: ClientMetadata[];
  /** Reverse proxies in front (TRUST_PROXY): the sign-in rate limit counts the address they report. */
  trustProxy?: number;
}

export async function identityModule(deps: IdentityDeps) {
  const { provider, staffClientSecret, publicJwk } = await createProvider(deps);
  const signingKey = await importJWK(publicJwk, 'ES256');
  const verified = new Map<string, { scopes: Set<string>; until: number }>();
  const federation = deps.federation ?? [];
  const clientOrigins = [...new Set((deps.clients ?? []).flatMap((c) => (c.redirect_uris ?? []).map((u) => new URL(u).origin)))];
  const routes = interactionRoutes(deps.db, provider, federation, clientOrigins, deps.trustProxy);
  routes.route('/', federationRoutes(deps.db, provider, { baseUrl: deps.baseUrl, providers: federation, cookieSecret: deps.cookieSecret }));
  return {
    provider,
    staffClientSecret,
    issuer: `${deps.baseUrl}/id`,
    routes,
    findAccount: (id: string) => findAccountById(deps.db, id),
    /**
     * The scopes of a valid broker access token from this provider whose client is still registered;
     * throws when it is not one. A checked token is remembered for a minute at most (a sensor sends
     * many writes with one token), so revoking a client takes effect within a minute everywhere.
     */
    async brokerTokenScopes(token: string): Promise<Set<string>> {
      const now = Date.now() / 1000;
      const known = verified.get(token);
      if (known && known.until > now) return known.scopes;
      const { payload } = await jwtVerify(token, signingKey, { issuer: `${deps.baseUrl}/id`, audience: brokerAudience(deps.baseUrl) });
      if (!(await findPayload(deps.db, 'Client', { id: String(payload.client_id) }))) throw new Error('the client was revoked');
      const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
      if (verified.size >= 10_000) verified.clear();
      verified.set(token, { scopes, until: Math.min(payload.exp ?? 0, now + 60) });
      return scopes;
    },
    /** Forgets checked tokens at once (after a client is revoked in this process). */
    forgetBrokerTokens: () => verified.clear(),
  };
}

export type IdentityModule = Awaited<ReturnType<typeof identityModule>>;
