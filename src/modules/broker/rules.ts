// Who may do what on the broker: pure functions, table-tested in rules.test.ts.
// Scopes of the common ID's access tokens: ngsi-ld:read[:tenant] and ngsi-ld:write[:tenant]
// (no suffix: the default tenant, '' here); write includes read.

/** The scope a request needs, or null when it is public (reads of open data). */
export function neededScope(method: string, path: string, tenant: string): string | null {
  const read = method === 'GET' || method === 'HEAD';
  // Subscriptions name their receivers' endpoints: reading them is not public even on open data.
  if (read && tenant === '' && !path.startsWith('/ngsi-ld/v1/subscriptions')) return null;
  return `ngsi-ld:${read ? 'read' : 'write'}${tenant ? `:${tenant}` : ''}`;
}

/** Whether a token's scopes cover the needed one. */
export function allows(scopes: Set<string>, needed: string): boolean {
  return scopes.has(needed) || scopes.has(needed.replace(/^ngsi-ld:read/, 'ngsi-ld:write'));
}
