// The personal tenant (NGSILD-Tenant: personal): residents' data released to one organisation for one
// purpose, read through the residents module's consent gate and never stored in the broker's tables.
// Only the two reads are served (5.7.1 retrieve entity, 5.7.2 query entities, personal-read.ts); every
// other operation on this tenant is refused before any route can store anything.
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from './errors.ts';
import { queryPersons, retrievePerson, type PersonalContexts, type Released } from './personal-read.ts';
import { tenantOf } from './request.ts';
import { scopeOf } from './rules.ts';

export const PERSONAL_TENANT = 'personal';
/** The local id of the personal tenant's @context in the context store. */
export const PERSONAL_CONTEXT_ID = 'urn:ngsi-ld:context:personal';
export { personalContext } from './personal-read.ts';

/** Who reads: a checked common-ID access token (identity's brokerToken). */
export interface PersonalClaims {
  scopes: Set<string>;
  clientId: string;
  organisationId?: string;
  purposeId?: string;
}

export interface PersonalSource {
  /** The claims of a common-ID access token; rejects when it is not valid. */
  token(token: string): Promise<PersonalClaims>;
  /**
   * What the token's organisation may read for its purpose, per pairwise id (`only`: the ids it accepts,
   * asked before anything is read); each resident released is logged.
   */
  released(claims: PersonalClaims, only?: (pairwiseId: string) => boolean): Promise<Released[]>;
  /** The JSON-LD terms of the released attributes (category id → IRI or compact IRI, with its prefixes). */
  terms: Record<string, string>;
}

async function claimsOf(c: Context, source: PersonalSource): Promise<PersonalClaims> {
  const needed = scopeOf('read', PERSONAL_TENANT);
  const token = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
  if (!token) throw problem('Unauthorized', `This request needs an access token from the common ID (/id/token) with the scope ${needed}.`);
  const claims = await source.token(token).catch(() => {
    throw problem('Unauthorized', 'The access token is not valid or has expired.');
  });
  if (!claims.scopes.has(needed)) throw problem('Forbidden', `The access token does not have the scope ${needed}.`);
  if (!claims.organisationId || !claims.purposeId)
    throw problem('Forbidden', 'The access token names no organisation and purpose: its client is not registered for personal data.');
  return claims;
}

/**
 * Answers every request on the personal tenant; other tenants pass through untouched. `contexts.prepare`
 * loads the hosted @contexts a request names, once its token has been checked.
 */
export function personalTenant(
  source: PersonalSource | undefined,
  contexts: PersonalContexts & { prepare(c: Context): Promise<void> },
): MiddlewareHandler {
  return async (c, next) => {
    if (tenantOf(c) !== PERSONAL_TENANT) return next();
    if (!source) throw problem('NonexistentTenant', 'This broker does not serve the personal tenant.');
    const claims = await claimsOf(c, source);
    await contexts.prepare(c);
    const read = (only?: (pairwiseId: string) => boolean) => source.released(claims, only);
    // A trailing slash names the same resource (brokerPath); c.req.path is the path as sent.
    const path = c.req.path.replace(/(.)\/$/, '$1');
    const get = c.req.method === 'GET';
    if (get && path === '/ngsi-ld/v1/entities') return queryPersons(c, read, contexts);
    const entity = /^\/ngsi-ld\/v1\/entities\/([^/]+)$/.exec(path)?.[1];
    if (get && entity) return retrievePerson(c, decodeURIComponent(entity), read, contexts);
    throw problem(
      'OperationNotSupported',
      'The personal tenant is read-only: only GET /entities and GET /entities/{entityId} are served, from residents’ consents.',
    );
  };
}
