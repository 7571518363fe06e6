/**
 * Memoizes computed values (dashboards, rendered pages) until the data behind them changes.
 * Publications are immutable, so only a new publication or a data load clears it. One process
 * holds one cache; see docs/adr/0002-in-process-page-cache.md for running several.
 */
export function createCache<T>(limit = 1000) {
  const entries = new Map<string, Promise<T>>();
  return {
    get(key: string, compute: () => Promise<T>): Promise<T> {
      let hit = entries.get(key);
      if (!hit) {
        if (entries.size >= limit) entries.clear();
        hit = compute();
        entries.set(key, hit);
        // A failure is not remembered: the next request tries again.
        hit.catch(() => entries.delete(key));
      }
      return hit;
    },
    clear: () => entries.clear(),
  };
}

export type Cache<T> = ReturnType<typeof createCache<T>>;
