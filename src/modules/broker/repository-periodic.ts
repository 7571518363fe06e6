// SQL of periodic notifications (subscriptions with timeInterval, 5.2.12): which are due, claimed by
// one server at a time.
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { toSubscription, type StoredSubscription } from './repository.ts';
import { brokerSubscriptions } from './schema.ts';

/**
 * Claims up to `limit` periodic subscriptions that are due, active and unexpired, and moves each one's
 * next time a timeInterval on from now (a server that was down sends one notification, not a burst).
 * FOR UPDATE SKIP LOCKED: with several servers on one database each due subscription is claimed by
 * one of them; run it in the transaction that queues the notifications, so a crash claims nothing.
 */
export async function claimPeriodic(db: Db, limit: number): Promise<(StoredSubscription & { tenant: string })[]> {
  const rows = await db
    .update(brokerSubscriptions)
    .set({
      nextAt: sql`now() + make_interval(secs => (${brokerSubscriptions.body} ->> 'timeInterval')::float8)`,
    })
    .where(
      sql`(${brokerSubscriptions.tenant}, ${brokerSubscriptions.id}) in (
        select tenant, id from broker_subscriptions
        where next_at <= now() and active and (expires_at is null or expires_at > now())
        order by next_at limit ${limit} for update skip locked)`,
    )
    .returning();
  return rows.map((r) => ({ ...toSubscription(r), tenant: r.tenant }));
}
