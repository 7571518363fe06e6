// SQL of subscriptions (subscriptions.ts, csource-subscriptions.ts), periodic notifications (periodic.ts)
// and the notification queue (notifier.ts).
import { and, asc, count, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { iso } from './repository.ts';
import { brokerNotifications, brokerSubscriptions } from './schema.ts';
import type { SubscriptionBody, SubscriptionState } from './subscription.ts';
type SubscriptionRow = typeof brokerSubscriptions.$inferSelect;
const isoOrNull = (s: string | null) => s && iso(s);
export const toSubscription = (r: SubscriptionRow) => ({
  body: r.body,
  /** The @context it was written with: notifications are compacted with it. */
  context: r.context,
  active: r.active,
  expiresAt: isoOrNull(r.expiresAt),
  timesSent: r.timesSent,
  lastNotification: isoOrNull(r.lastNotification),
  lastSuccess: isoOrNull(r.lastSuccess),
  lastFailure: isoOrNull(r.lastFailure),
  createdAt: iso(r.createdAt),
  modifiedAt: iso(r.modifiedAt),
});
export type StoredSubscription = SubscriptionState & { context: unknown };

const subscriptionKey = (tenant: string, id: string) => and(eq(brokerSubscriptions.tenant, tenant), eq(brokerSubscriptions.id, id));
interface SubscriptionWrite {
  body: SubscriptionBody;
  context: unknown;
  active: boolean;
  expiresAt: string | null;
}

/** A periodic subscription's first notification is due one timeInterval after it is written. */
const nextAt = (s: SubscriptionWrite, at: string) =>
  s.body.timeInterval === undefined ? null : new Date(Date.parse(at) + s.body.timeInterval * 1000).toISOString();

/** false when the tenant has a subscription with that id already. */
export async function insertSubscription(db: Db, tenant: string, s: SubscriptionWrite, at: string): Promise<boolean> {
  const rows = await db
    .insert(brokerSubscriptions)
    .values({
      tenant,
      id: s.body.id,
      ...s,
      createdAt: at,
      modifiedAt: at,
      nextAt: nextAt(s, at),
    })
    .onConflictDoNothing()
    .returning({ id: brokerSubscriptions.id });
  return rows.length > 0;
}

export async function findSubscription(db: Db, tenant: string, id: string, forUpdate = false): Promise<StoredSubscription | undefined> {
  const q = db.select().from(brokerSubscriptions).where(subscriptionKey(tenant, id));
  const [r] = await (forUpdate ? q.for('update') : q);
  return r && toSubscription(r);
}

export async function listSubscriptions(db: Db, tenant: string, page: { limit: number; offset: number; count: boolean }) {
  const rows = await db
    .select()
    .from(brokerSubscriptions)
    .where(eq(brokerSubscriptions.tenant, tenant))
    .orderBy(asc(brokerSubscriptions.createdAt), asc(brokerSubscriptions.id))
    .limit(page.limit)
    .offset(page.offset);
  const total = page.count
    ? ((await db.select({ n: count() }).from(brokerSubscriptions).where(eq(brokerSubscriptions.tenant, tenant)))[0]?.n ?? 0)
    : null;
  return { subscriptions: rows.map(toSubscription), total };
}

export async function updateSubscription(db: Db, tenant: string, s: SubscriptionWrite, at: string) {
  await db
    .update(brokerSubscriptions)
    .set({ ...s, modifiedAt: at, nextAt: nextAt(s, at) })
    .where(subscriptionKey(tenant, s.body.id));
}

/** Deletes a subscription and the notifications still queued for it; false when there was none. */
export async function deleteSubscription(db: Db, tenant: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.delete(brokerSubscriptions).where(subscriptionKey(tenant, id)).returning({ id: brokerSubscriptions.id });
    await tx.delete(brokerNotifications).where(and(eq(brokerNotifications.tenant, tenant), eq(brokerNotifications.subscriptionId, id)));
    return rows.length > 0;
  });
}

/** The tenant's subscriptions that are active and unexpired at `at`, ordered by id (the order they are locked in). */
export async function activeSubscriptions(db: Db, tenant: string, at: string): Promise<StoredSubscription[]> {
  const rows = await db
    .select()
    .from(brokerSubscriptions)
    .where(
      and(
        eq(brokerSubscriptions.tenant, tenant),
        eq(brokerSubscriptions.active, true),
        or(isNull(brokerSubscriptions.expiresAt), gt(brokerSubscriptions.expiresAt, at)),
      ),
    )
    .orderBy(asc(brokerSubscriptions.id));
  return rows.map(toSubscription);
}

/**
 * Records that the subscription notifies at `at`, unless it has become inactive or expired, or it
 * notified less than `throttling` seconds before; true when it may notify. The row lock this takes
 * also orders concurrent notifications of one subscription as their transactions commit.
 */
export async function takeNotificationTurn(db: Db, tenant: string, id: string, at: string, throttling = 0): Promise<boolean> {
  const rows = await db
    .update(brokerSubscriptions)
    .set({ lastNotification: at })
    .where(
      and(
        subscriptionKey(tenant, id),
        eq(brokerSubscriptions.active, true),
        or(isNull(brokerSubscriptions.expiresAt), gt(brokerSubscriptions.expiresAt, at)),
        throttling > 0
          ? or(
              isNull(brokerSubscriptions.lastNotification),
              lte(brokerSubscriptions.lastNotification, new Date(Date.parse(at) - throttling * 1000).toISOString()),
            )
          : undefined,
      ),
    )
    .returning({ id: brokerSubscriptions.id });
  return rows.length > 0;
}

export async function queueNotification(db: Db, tenant: string, subscriptionId: string, payload: Record<string, unknown>, at: string) {
  await db.insert(brokerNotifications).values({ tenant, subscriptionId, payload, createdAt: at, nextAttemptAt: sql`now()` });
}

export interface QueuedNotification {
  seq: number;
  tenant: string;
  subscriptionId: string;
  payload: Record<string, unknown>;
  attempts: number;
  /** When it was queued, in milliseconds since the epoch. */
  createdMs: number;
  endpoint: SubscriptionBody['notification']['endpoint'];
  /** The @context notifications are compacted with: the subscription's jsonldContext, else its own. */
  context: unknown;
}

/**
 * Leases up to `limit` due notifications, at most one per subscription and only the oldest one it
 * has (so a subscription's notifications go out in order), by moving their next attempt `leaseMs`
 * ahead: a worker that dies mid-delivery leaves them to be sent again once the lease ends. Each
 * subscription's oldest notification is found through an index, so a long backlog costs nothing
 * here. SKIP LOCKED, and checking again once a row is locked that it is still due, lets several
 * workers share the queue.
 */
export async function leaseNotifications(db: Db, limit: number, leaseMs: number): Promise<QueuedNotification[]> {
  const leased = await rows<{
    seq: string | number;
    tenant: string;
    subscription_id: string;
    payload: Record<string, unknown>;
    attempts: number;
    created_ms: number | string;
    endpoint: QueuedNotification['endpoint'];
    context: unknown;
  }>(
    db,
    sql`
    update broker_notifications n
    set next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
    from broker_subscriptions s
    where s.tenant = n.tenant and s.id = n.subscription_id and n.seq in (
      select q.seq from broker_notifications q
      where q.next_attempt_at <= now() and q.seq in (
        select head.seq from broker_subscriptions h cross join lateral (
          select p.seq, p.next_attempt_at from broker_notifications p
          where p.tenant = h.tenant and p.subscription_id = h.id order by p.seq limit 1
        ) head
        where head.next_attempt_at <= now()
      )
      order by q.seq
      limit ${limit}
      for update of q skip locked
    )
    returning n.seq, n.tenant, n.subscription_id, n.payload, n.attempts, extract(epoch from n.created_at)::float8 * 1000 as created_ms,
      s.body -> 'notification' -> 'endpoint' as endpoint, coalesce(to_jsonb(s.body ->> 'jsonldContext'), s.context) as context`,
  );
  return leased
    .map((r) => ({
      seq: Number(r.seq),
      tenant: r.tenant,
      subscriptionId: r.subscription_id,
      payload: r.payload,
      attempts: r.attempts,
      createdMs: Number(r.created_ms),
      endpoint: r.endpoint,
      context: r.context,
    }))
    .sort((a, b) => a.seq - b.seq);
}

// Every transaction that writes both takes the subscription's row before its notifications' rows
// (deleting a subscription, queueing, recording a delivery), so that they cannot deadlock.
export async function notificationSent(db: Db, n: QueuedNotification, at: string) {
  await db.transaction(async (tx) => {
    await tx
      .update(brokerSubscriptions)
      .set({ timesSent: sql`${brokerSubscriptions.timesSent} + 1`, lastSuccess: at })
      .where(subscriptionKey(n.tenant, n.subscriptionId));
    await tx.delete(brokerNotifications).where(eq(brokerNotifications.seq, n.seq));
  });
}

/** Records a failed attempt: the notification is tried again in `retryInMs`, or dropped when that is null. */
export async function notificationFailed(db: Db, n: QueuedNotification, error: string, at: string, retryInMs: number | null) {
  await db.transaction(async (tx) => {
    await tx.update(brokerSubscriptions).set({ lastFailure: at }).where(subscriptionKey(n.tenant, n.subscriptionId));
    if (retryInMs === null) await tx.delete(brokerNotifications).where(eq(brokerNotifications.seq, n.seq));
    else
      await tx
        .update(brokerNotifications)
        .set({
          attempts: n.attempts + 1,
          lastError: error,
          nextAttemptAt: sql`now() + make_interval(secs => ${retryInMs / 1000})`,
        })
        .where(eq(brokerNotifications.seq, n.seq));
  });
}

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
