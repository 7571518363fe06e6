// What every plans command runs with: the database, and the one way to drop this process's plans
// caches once its transaction has committed (other processes follow the data version, ADR 0006).
import type { Db } from '../../../platform/db.ts';

export interface PlansContext {
  db: Db;
  changed: () => void;
}

/** Runs `work` in one transaction, then drops the caches it made stale. */
export async function write<T>(ctx: PlansContext, work: (tx: Db) => Promise<T>): Promise<T> {
  const result = await ctx.db.transaction(work);
  ctx.changed();
  return result;
}
