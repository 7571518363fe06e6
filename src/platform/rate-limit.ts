import { lt, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { rateLimits } from './schema.ts';

/**
 * Counts attempts per key in a fixed window, in the database: every server process shares the count,
 * and the database's clock decides when a window ends. One statement per attempt, so it is meant for
 * costly requests (sign-in), not for every page.
 */
export function rateLimiter(db: Db, name: string, max: number, windowMs: number) {
  let calls = 0;
  return async (key: string): Promise<boolean> => {
    // Ended windows are swept now and then, so odd keys cannot pile up.
    if (++calls % 100 === 0) await db.delete(rateLimits).where(lt(rateLimits.windowEnds, sql`now()`));
    const ends = sql`now() + make_interval(secs => ${windowMs / 1000})`;
    const [row] = await db
      .insert(rateLimits)
      .values({ key: `${name}:${key}`, count: 1, windowEnds: ends })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowEnds} <= now() then 1 else ${rateLimits.count} + 1 end`,
          windowEnds: sql`case when ${rateLimits.windowEnds} <= now() then excluded.window_ends else ${rateLimits.windowEnds} end`,
        },
      })
      .returning({ count: rateLimits.count });
    return row!.count <= max;
  };
}
