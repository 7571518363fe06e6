// What every plans command runs with: the database, the registry owners are chosen from, and the
// one way to drop this process's plans caches once its transaction has committed (other processes
// follow the data version, ADR 0006).
import type { Db } from '../../../platform/db.ts';
import type { OrganisationsModule } from '../../organisations/index.ts';

export interface PlansContext {
  db: Db;
  organisations: Pick<OrganisationsModule, 'queries'>;
  changed: () => void;
}

/** Runs `work` in one transaction, then drops the caches it made stale. */
export async function write<T>(ctx: PlansContext, work: (tx: Db) => Promise<T>): Promise<T> {
  const result = await ctx.db.transaction(work);
  ctx.changed();
  return result;
}
