// The per-process view of each tenant's live context source registrations, which distributed
// queries (forward.ts) read on every entity query.
import type { Db } from '../../platform/db.ts';
import type { StoredRegistration } from './registration.ts';
import * as repo from './repository-registrations.ts';

/** How long a process may use its copy of a tenant's registrations before reading them again. */
const CACHE_MS = 1000;

/**
 * Each tenant's live registrations, read at most once a second per process: every entity query
 * consults them, and a database round trip per query would cost the broker's reads. A change made
 * through this process is seen at once; one made through another process within a second.
 */
export function registrationCache(db: Db) {
  const cache = new Map<string, { at: number; list: Promise<StoredRegistration[]> }>();
  return {
    async live(tenant: string): Promise<StoredRegistration[]> {
      const now = Date.now();
      let hit = cache.get(tenant);
      if (!hit || now - hit.at > CACHE_MS) {
        hit = { at: now, list: repo.liveRegistrations(db, tenant, new Date(now).toISOString()) };
        if (cache.size > 1000) cache.clear();
        cache.set(tenant, hit);
        hit.list.catch(() => cache.delete(tenant));
      }
      const iso = new Date(now).toISOString();
      return (await hit.list).filter((r) => !r.expiresAt || r.expiresAt > iso);
    },
    changed: (tenant: string) => cache.delete(tenant),
  };
}
export type RegistrationCache = ReturnType<typeof registrationCache>;
