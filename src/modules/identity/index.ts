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
import { findAccountById, type StaffAccount } from './repository.ts';

export { STAFF_CLIENT_ID };
export { federatedProvider, type FederatedProvider } from './federation.ts';
export type { StaffAccount };
export { createAccount } from './commands/create-account.ts';
export { createBrokerClient } from './commands/create-broker-client.ts';
export { secret as platformSecret, listAccounts } from './repository.ts';
export { currentTotp } from './credentials.ts';

export interface IdentityDeps {
  db: Db;
  baseUrl: string;
  cookieSecret: string;
  /** Organisations' own OpenID Connect providers their staff may sign in with. */
  federation?: FederatedProvider[];
  /** Further trusted clients of this provider. */
  clients?: ClientMetadata[];
}

export async function identityModule(deps: IdentityDeps) {
  const { provider, staffClientSecret, publicJwk } = await createProvider(deps);
  const signingKey = await importJWK(publicJwk, 'ES256');
  const verified = new Map<string, { scopes: Set<string>; exp: number }>();
  const federation = deps.federation ?? [];
  const clientOrigins = [...new Set((deps.clients ?? []).flatMap((c) => (c.redirect_uris ?? []).map((u) => new URL(u).origin)))];
  const routes = interactionRoutes(deps.db, provider, federation, clientOrigins);
  routes.route('/', federationRoutes(deps.db, provider, { baseUrl: deps.baseUrl, providers: federation, cookieSecret: deps.cookieSecret }));
  return {
    provider,
    staffClientSecret,
    issuer: `${deps.baseUrl}/id`,
    routes,
    findAccount: (id: string) => findAccountById(deps.db, id),
    /** The scopes of a valid broker access token from this provider; throws when it is not one. */
    async brokerTokenScopes(token: string): Promise<Set<string>> {
      // A verified token is remembered until it expires: a sensor sends many writes with one token.
      const known = verified.get(token);
      if (known && known.exp > Date.now() / 1000) return known.scopes;
      const { payload } = await jwtVerify(token, signingKey, { issuer: `${deps.baseUrl}/id`, audience: brokerAudience(deps.baseUrl) });
      const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
      if (verified.size >= 10_000) verified.clear();
      verified.set(token, { scopes, exp: payload.exp ?? 0 });
      return scopes;
    },
  };
}

export type IdentityModule = Awaited<ReturnType<typeof identityModule>>;
