/** Counts attempts per key in a fixed window; in memory, per process (enough against one guesser). */
export function rateLimiter(max: number, windowMs: number) {
  const hits = new Map<string, { count: number; until: number }>();
  return (key: string, now = Date.now()): boolean => {
    const h = hits.get(key);
    if (!h || h.until <= now) {
      if (hits.size > 10_000) hits.clear();
      hits.set(key, { count: 1, until: now + windowMs });
      return true;
    }
    h.count++;
    return h.count <= max;
  };
}
