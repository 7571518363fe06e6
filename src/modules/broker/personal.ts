// The personal tenant (NGSILD-Tenant: personal): residents' data released to one organisation for one
// purpose, read through the residents module's consent gate and never stored in the broker's tables.
// Only the two reads are served (5.7.1 retrieve entity, 5.7.2 query entities); every other operation
// on this tenant is refused before any route can store anything.
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from './errors.ts';
import { tenantOf } from './request.ts';
import { scopeOf } from './rules.ts';

export const PERSONAL_TENANT = 'personal';
const PERSON = 'Person';
const PREFIX = `urn:ngsi-ld:${PERSON}:`;
/** The most ids one query may name: each is one read through the gate. */
const MAX_IDS = 100;

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
  /** What the token's organisation may read for its purpose, per pairwise id (`only`: that one); each logged. */
  released(claims: PersonalClaims, only?: string): Promise<{ pairwiseId: string; data: Record<string, unknown> }[]>;
}

const asEntity = (r: { pairwiseId: string; data: Record<string, unknown> }) => ({
  id: `${PREFIX}${r.pairwiseId}`,
  type: PERSON,
  ...Object.fromEntries(Object.entries(r.data).map(([k, value]) => [k, { type: 'Property', value }])),
});

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

/** The pairwise id of a Person entity id, or undefined when the id is not one. */
const pairwiseOf = (id: string) => (id.startsWith(PREFIX) && id.length > PREFIX.length ? id.slice(PREFIX.length) : undefined);

async function query(c: Context, source: PersonalSource, claims: PersonalClaims) {
  const known = new Set(['type', 'id']);
  const other = Object.keys(c.req.queries()).find((k) => !known.has(k));
  if (other) throw problem('BadRequestData', `The parameter ${other} is not supported on the personal tenant: query by type=Person or id.`);
  const type = c.req.query('type');
  const ids = c.req.query('id');
  if (type === undefined && ids === undefined) throw problem('BadRequestData', 'A query needs type or id (6.4.3.2).');
  if (type !== undefined && type !== PERSON) return [];
  if (ids === undefined) return (await source.released(claims)).map(asEntity);
  const list = [...new Set(ids.split(',').map((s) => s.trim()))];
  if (list.length > MAX_IDS) throw problem('TooManyResults', `id names more than ${MAX_IDS} entities.`);
  const out = [];
  for (const id of list) {
    const pairwise = pairwiseOf(id);
    if (pairwise) out.push(...(await source.released(claims, pairwise)).map(asEntity));
  }
  return out;
}

/** Answers every request on the personal tenant; other tenants pass through untouched. */
export function personalTenant(source: PersonalSource | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (tenantOf(c) !== PERSONAL_TENANT) return next();
    if (!source) throw problem('NonexistentTenant', 'This broker does not serve the personal tenant.');
    const claims = await claimsOf(c, source);
    // A trailing slash names the same resource (brokerPath); c.req.path is the path as sent.
    const path = c.req.path.replace(/(.)\/$/, '$1');
    const read = c.req.method === 'GET';
    if (read && path === '/ngsi-ld/v1/entities') return c.json(await query(c, source, claims));
    const entity = /^\/ngsi-ld\/v1\/entities\/([^/]+)$/.exec(path)?.[1];
    if (read && entity) {
      const id = decodeURIComponent(entity);
      const pairwise = pairwiseOf(id);
      const [found] = pairwise ? await source.released(claims, pairwise) : [];
      if (!found) throw problem('ResourceNotFound', `No entity ${id} is released to this client.`);
      return c.json(asEntity(found));
    }
    throw problem(
      'OperationNotSupported',
      'The personal tenant is read-only: only GET /entities and GET /entities/{entityId} are served, from residents’ consents.',
    );
  };
}
