// The broker's SQL: entities and their geo index, subscriptions and the notification queue.
import { and, arrayOverlaps, asc, count, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { StoredEntity } from './entity.ts';
import { brokerEntities, brokerGeo, brokerNotifications, brokerSubscriptions } from './schema.ts';
import type { SubscriptionBody, SubscriptionState } from './subscription.ts';

type Row = typeof brokerEntities.$inferSelect;
const iso = (s: string) => new Date(s).toISOString();
const toEntity = (r: Row): StoredEntity => ({
  id: r.id,
  types: r.types,
  attrs: r.attrs,
  createdAt: iso(r.createdAt),
  modifiedAt: iso(r.modifiedAt),
});
const toRow = (tenant: string, e: StoredEntity) => ({
  tenant,
  id: e.id,
  types: e.types,
  attrs: e.attrs,
  createdAt: e.createdAt,
  modifiedAt: e.modifiedAt,
});

const CHUNK = 500;

/** Inserts the entities that do not exist yet (the first of equal ids wins); returns their ids. */
export async function insertEntities(db: Db, tenant: string, list: StoredEntity[]): Promise<Set<string>> {
  const created = new Set<string>();
  for (let i = 0; i < list.length; i += CHUNK) {
    const rows = await db
      .insert(brokerEntities)
      .values(list.slice(i, i + CHUNK).map((e) => toRow(tenant, e)))
      .onConflictDoNothing()
      .returning({ id: brokerEntities.id });
    for (const r of rows) created.add(r.id);
  }
  return created;
}

export async function findEntity(db: Db, tenant: string, id: string, forUpdate = false): Promise<StoredEntity | undefined> {
  const q = db
    .select()
    .from(brokerEntities)
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, id)));
  const [r] = await (forUpdate ? q.for('update') : q);
  return r && toEntity(r);
}

/** Writes an entity's types, attributes and modification time. */
export async function saveEntity(db: Db, tenant: string, e: StoredEntity) {
  await db
    .update(brokerEntities)
    .set({ types: e.types, attrs: e.attrs, modifiedAt: e.modifiedAt })
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, e.id)));
}

/** Deletes an entity; returns it as it was, or undefined when there was none. */
export async function deleteEntity(db: Db, tenant: string, id: string): Promise<StoredEntity | undefined> {
  const [r] = await db
    .delete(brokerEntities)
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, id)))
    .returning();
  return r && toEntity(r);
}

/** Which geo-index boxes a geo-query's candidates must have: && overlaps, <@ lies inside, @> holds. */
export interface BoxFilter {
  attr: string;
  op: '&&' | '<@' | '@>';
  /** [minLon, minLat, maxLon, maxLat] */
  box: [number, number, number, number];
}

export interface EntityQuery {
  types?: string[];
  ids?: string[];
  idPattern?: string;
  /** Entities that have at least one of these attributes (expanded names). */
  attrs?: string[];
  /** Entities that have all of these attributes (expanded names). */
  required?: string[];
  box?: BoxFilter;
  /** Only ids after this one (to page through candidates). */
  afterId?: string;
  limit: number;
  offset: number;
}

const textArray = (list: string[]) =>
  sql`array[${sql.join(
    list.map((a) => sql`${a}`),
    sql`, `,
  )}]::text[]`;
export const boxLiteral = ([x1, y1, x2, y2]: number[]) => `((${x1},${y1}),(${x2},${y2}))`;

function where(tenant: string, q: EntityQuery): SQL {
  const conds: SQL[] = [eq(brokerEntities.tenant, tenant)];
  if (q.types?.length) conds.push(arrayOverlaps(brokerEntities.types, q.types));
  if (q.ids?.length) conds.push(inArray(brokerEntities.id, q.ids));
  if (q.idPattern) conds.push(sql`${brokerEntities.id} ~ ${q.idPattern}`);
  if (q.attrs?.length) conds.push(sql`${brokerEntities.attrs} ?| ${textArray(q.attrs)}`);
  if (q.required?.length) conds.push(sql`${brokerEntities.attrs} ?& ${textArray(q.required)}`);
  if (q.afterId !== undefined) conds.push(gt(brokerEntities.id, q.afterId));
  if (q.box) {
    const b = sql.raw(`'${boxLiteral(q.box.box)}'::box`);
    conds.push(
      sql`${brokerEntities.id} in (select entity_id from broker_geo where tenant = ${tenant} and attr = ${q.box.attr} and bbox ${sql.raw(q.box.op)} ${b})`,
    );
  }
  return and(...conds)!;
}

export async function queryEntities(db: Db, tenant: string, q: EntityQuery, withCount: boolean) {
  const rows = await db
    .select()
    .from(brokerEntities)
    .where(where(tenant, q))
    .orderBy(asc(brokerEntities.id))
    .limit(q.limit)
    .offset(q.offset);
  const total = withCount ? ((await db.select({ n: count() }).from(brokerEntities).where(where(tenant, q)))[0]?.n ?? 0) : null;
  return { entities: rows.map(toEntity), total };
}

export async function entityTypes(db: Db, tenant: string): Promise<string[]> {
  const rows = (await db.execute(
    sql`select distinct unnest(types) as t from broker_entities where tenant = ${tenant} order by 1`,
  )) as unknown as { rows: { t: string }[] };
  return rows.rows.map((r) => r.t);
}

export async function attributeNames(db: Db, tenant: string): Promise<string[]> {
  const rows = (await db.execute(
    sql`select distinct jsonb_object_keys(attrs) as a from broker_entities where tenant = ${tenant} order by 1`,
  )) as unknown as {
    rows: { a: string }[];
  };
  return rows.rows.map((r) => r.a);
}

export async function countEntities(db: Db, tenant: string): Promise<number> {
  const [r] = await db.select({ n: count() }).from(brokerEntities).where(eq(brokerEntities.tenant, tenant));
  return r?.n ?? 0;
}

/** Replaces the geo-index boxes of the given entities. */
export async function indexGeo(db: Db, tenant: string, removed: string[], boxes: { entityId: string; attr: string; box: number[] }[]) {
  for (let i = 0; i < removed.length; i += CHUNK)
    await db.delete(brokerGeo).where(and(eq(brokerGeo.tenant, tenant), inArray(brokerGeo.entityId, removed.slice(i, i + CHUNK))));
  for (let i = 0; i < boxes.length; i += CHUNK)
    await db
      .insert(brokerGeo)
      .values(boxes.slice(i, i + CHUNK).map((b) => ({ tenant, entityId: b.entityId, attr: b.attr, bbox: boxLiteral(b.box) })));
}

type SubscriptionRow = typeof brokerSubscriptions.$inferSelect;
const isoOrNull = (s: string | null) => s && iso(s);
const toSubscription = (r: SubscriptionRow) => ({
  body: r.body as unknown as SubscriptionBody,
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

/** false when the tenant has a subscription with that id already. */
export async function insertSubscription(db: Db, tenant: string, s: SubscriptionWrite, at: string): Promise<boolean> {
  const rows = await db
    .insert(brokerSubscriptions)
    .values({ tenant, id: s.body.id, ...s, body: s.body as unknown as Record<string, unknown>, createdAt: at, modifiedAt: at })
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
    .set({ ...s, body: s.body as unknown as Record<string, unknown>, modifiedAt: at })
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
  const result = (await db.execute(sql`
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
      s.body -> 'notification' -> 'endpoint' as endpoint, s.context`)) as unknown as {
    rows: {
      seq: string | number;
      tenant: string;
      subscription_id: string;
      payload: Record<string, unknown>;
      attempts: number;
      created_ms: number | string;
      endpoint: QueuedNotification['endpoint'];
      context: unknown;
    }[];
  };
  return result.rows
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

export async function notificationSent(db: Db, n: QueuedNotification, at: string) {
  await db.transaction(async (tx) => {
    await tx.delete(brokerNotifications).where(eq(brokerNotifications.seq, n.seq));
    await tx
      .update(brokerSubscriptions)
      .set({ timesSent: sql`${brokerSubscriptions.timesSent} + 1`, lastSuccess: at })
      .where(subscriptionKey(n.tenant, n.subscriptionId));
  });
}

/** Records a failed attempt: the notification is tried again in `retryInMs`, or dropped when that is null. */
export async function notificationFailed(db: Db, n: QueuedNotification, error: string, at: string, retryInMs: number | null) {
  await db.transaction(async (tx) => {
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
    await tx.update(brokerSubscriptions).set({ lastFailure: at }).where(subscriptionKey(n.tenant, n.subscriptionId));
  });
}
