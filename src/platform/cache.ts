import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { cacheVersions } from './schema.ts';

/**
 * Memoizes computed values (dashboards, rendered pages) until the data behind them changes.
 * Publications are immutable, so only a change to the data clears it: at once in the process that
 * made the change, and through `fresh` (a data version in the database) in every other process.
 */
export function createCache<T>(limit = 1000, fresh?: Freshness) {
  const entries = new Map<string, Promise<T>>();
  const lookup = (key: string, compute: () => Promise<T>): Promise<T> => {
    let hit = entries.get(key);
    if (!hit) {
      if (entries.size >= limit) entries.clear();
      hit = compute();
      entries.set(key, hit);
      // A failure is not remembered: the next request tries again.
      hit.catch(() => entries.delete(key));
    }
    return hit;
  };
  const cache = {
    get(key: string, compute: () => Promise<T>): Promise<T> {
      const checking = fresh?.check();
      return checking ? checking.then(() => lookup(key, compute)) : lookup(key, compute);
    },
    clear: () => entries.clear(),
  };
  fresh?.onChange(cache.clear);
  return cache;
}

export type Cache<T> = ReturnType<typeof createCache<T>>;

/**
 * Tells caches when a version number kept elsewhere (the database) has moved. The number is read
 * at most once per `everyMs`, when a cache is used: a hit costs no round trip, a burst of requests
 * shares one read, an idle process reads nothing, and what a process serves is at most `everyMs`
 * (plus one read) behind the database. While the read fails (database unreachable) the caches keep
 * serving what they hold: in a disaster, a page from memory beats an error page.
 */
export function freshness(read: () => Promise<number>, everyMs = 250) {
  let seen: number | undefined;
  let checkedAt = -Infinity;
  let checking: Promise<void> | undefined;
  const listeners: (() => void)[] = [];
  return {
    onChange: (listener: () => void) => void listeners.push(listener),
    /** Undefined when the last read is recent enough; otherwise a promise that settles once it is read. */
    check(): Promise<void> | undefined {
      if (performance.now() - checkedAt < everyMs) return undefined;
      checking ??= (async () => {
        const started = performance.now();
        try {
          const version = await read();
          if (seen !== undefined && version !== seen) for (const l of listeners) l();
          seen = version;
        } catch {
          // kept: see above; the next check after everyMs tries again
        }
        checkedAt = started;
      })().finally(() => {
        checking = undefined;
      });
      return checking;
    },
  };
}

export type Freshness = ReturnType<typeof freshness>;

/** The freshness of a data set whose tables bump `cache_versions(name)` (see the plans-cache-version migration). */
export const dataVersion = (db: Db, name: string, everyMs?: number) =>
  freshness(async () => {
    const [row] = await db.select({ version: cacheVersions.version }).from(cacheVersions).where(eq(cacheVersions.name, name));
    return row?.version ?? 0;
  }, everyMs);
