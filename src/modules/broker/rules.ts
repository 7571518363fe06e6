// Who may do what on the broker: pure functions, table-tested in rules.test.ts.
// Scopes of the common ID's access tokens: ngsi-ld:read[:tenant] and ngsi-ld:write[:tenant]
// (no suffix: the default tenant, '' here); write includes read.

/** An NGSILD-Tenant name ('' is the default tenant and needs no header). */
export const isTenantName = (t: string) => /^[A-Za-z0-9_-]{1,64}$/.test(t);

/** The scope that lets a token read or write a tenant. */
export const scopeOf = (access: 'read' | 'write', tenant: string) => `ngsi-ld:${access}${tenant ? `:${tenant}` : ''}`;

const privateReads = ['/ngsi-ld/v1/subscriptions', '/ngsi-ld/v1/csourceRegistrations', '/ngsi-ld/v1/csourceSubscriptions'];

/** The scope a request needs, or null when it is public (reads of open data). */
export function neededScope(method: string, path: string, tenant: string): string | null {
  // A query sent in a POST body (entityOperations/query) reads as GET /entities does.
  const read = method === 'GET' || method === 'HEAD' || (method === 'POST' && path === '/ngsi-ld/v1/entityOperations/query');
  // Subscriptions and registrations name endpoints (and registrations the headers sent to them):
  // reading them is not public even on open data.
  if (read && tenant === '' && !privateReads.some((p) => path.startsWith(p))) return null;
  return scopeOf(read ? 'read' : 'write', tenant);
}

/** Whether a token's scopes cover the needed one. */
export function allows(scopes: Set<string>, needed: string): boolean {
  return scopes.has(needed) || scopes.has(needed.replace(/^ngsi-ld:read/, 'ngsi-ld:write'));
}
