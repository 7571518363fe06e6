// The push subscriptions (マイエリア) and the push queue: the SQL of push/ (schema.ts).
import { createHash } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { disasterPushDeliveries, disasterPushJobs, disasterPushPoints, disasterPushSubscriptions } from './schema.ts';
import type { Box } from './push/geo.ts';

export interface StoredPushSubscription {
  id: number;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  areas: ({ municipality: string } | { point: [number, number]; radius: number })[];
}

/** Creates or replaces (same endpoint) a subscription with its areas; says whether it was new. */
export async function saveSubscription(
  db: Db,
  endpointHash: string,
  s: Omit<StoredPushSubscription, 'id'>,
  boxes: Box[],
): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    const municipalities = s.areas.flatMap((a) => ('municipality' in a ? [a.municipality] : []));
    const [row] = await tx
      .insert(disasterPushSubscriptions)
      .values({ endpointHash, subscription: s.subscription, areas: s.areas, municipalities })
      .onConflictDoUpdate({
        target: disasterPushSubscriptions.endpointHash,
        set: { subscription: s.subscription, areas: s.areas, municipalities, updatedAt: sql`now()` },
      })
      .returning({ id: disasterPushSubscriptions.id, created: sql<boolean>`xmax = 0` });
    await tx.delete(disasterPushPoints).where(eq(disasterPushPoints.subscriptionId, row!.id));
    if (boxes.length) await tx.insert(disasterPushPoints).values(boxes.map((b) => ({ subscriptionId: row!.id, ...b })));
    return { created: row!.created };
  });
}

/** Many subscriptions with the same municipality areas at once (the bench's setup). */
export async function insertSubscriptions(
  db: Db,
  subscriptions: StoredPushSubscription['subscription'][],
  areas: { municipality: string }[],
) {
  const municipalities = areas.map((a) => a.municipality);
  await db.insert(disasterPushSubscriptions).values(
    subscriptions.map((subscription) => ({
      endpointHash: createHash('sha256').update(subscription.endpoint).digest('base64url'),
      subscription,
      areas,
      municipalities,
    })),
  );
}

/** Says whether there was one. */
export async function deleteSubscription(db: Db, endpointHash: string): Promise<boolean> {
  const rows = await db
    .delete(disasterPushSubscriptions)
    .where(eq(disasterPushSubscriptions.endpointHash, endpointHash))
    .returning({ id: disasterPushSubscriptions.id });
  return rows.length > 0;
}

/** Moves a registration to a renewed endpoint (same row: its areas, points and account link stay). */
export async function renewSubscription(
  db: Db,
  oldHash: string,
  newHash: string,
  subscription: StoredPushSubscription['subscription'],
): Promise<'renewed' | 'unknown' | 'taken'> {
  return db.transaction(async (tx) => {
    const id = async (hash: string) =>
      (
        await tx
          .select({ id: disasterPushSubscriptions.id })
          .from(disasterPushSubscriptions)
          .where(eq(disasterPushSubscriptions.endpointHash, hash))
      )[0]?.id;
    const old = await id(oldHash);
    if (old === undefined) return 'unknown';
    if (newHash !== oldHash && (await id(newHash)) !== undefined) return 'taken';
    await tx
      .update(disasterPushSubscriptions)
      .set({ endpointHash: newHash, subscription, updatedAt: sql`now()` })
      .where(eq(disasterPushSubscriptions.id, old));
    return 'renewed';
  });
}

export async function deleteSubscriptionsById(db: Db, ids: number[]) {
  if (ids.length) await db.delete(disasterPushSubscriptions).where(inArray(disasterPushSubscriptions.id, ids));
}

/** An area of the account a device is linked to (schema-my-areas.ts): a municipality, or a sealed point and its coarse box. */
export interface AccountArea {
  residentId: string;
  municipality: string | null;
  pointId: string | null;
  point: string | null;
  radius: number | null;
  box: [number, number, number, number] | null;
}
export interface Candidate extends StoredPushSubscription {
  account: AccountArea[];
}

/**
 * The prefilter: subscriptions with one of the municipalities, or a point area whose box meets `box`
 * (the exact test is the caller's). `after` pages through them by id.
 */
export async function candidates(
  db: Db,
  municipalities: string[],
  box: Box | undefined,
  after: number,
  limit: number,
): Promise<Candidate[]> {
  const codes = sql`${`{${municipalities.join(',')}}`}::text[]`;
  const meets = (p: string) =>
    box
      ? sql.raw(
          `${p}.min_lon <= ${+box.maxLon} and ${p}.max_lon >= ${+box.minLon} and ${p}.min_lat <= ${+box.maxLat} and ${p}.max_lat >= ${+box.minLat}`,
        )
      : sql`false`;
  // A device's own areas, and (a device linked to an account: schema-my-areas.ts) the account's.
  const rows = await db.execute<{
    id: number | string;
    subscription: Candidate['subscription'];
    areas: Candidate['areas'];
    account: AccountArea[];
  }>(
    sql`select s.id, s.subscription, s.areas, coalesce((select jsonb_agg(jsonb_build_object('residentId', a.resident_id,
          'municipality', a.municipality, 'pointId', a.point_id, 'point', a.point, 'radius', a.radius,
          'box', case when a.point is null then null else jsonb_build_array(a.min_lon, a.min_lat, a.max_lon, a.max_lat) end) order by a.id)
        from disaster_push_links l join disaster_my_areas a on a.resident_id = l.resident_id where l.subscription_id = s.id), '[]'::jsonb) as account
      from disaster_push_subscriptions s
      where s.id > ${after} and (s.municipalities && ${codes}
        or s.id in (select p.subscription_id from disaster_push_points p where ${meets('p')})
        or s.id in (select l.subscription_id from disaster_push_links l join disaster_my_areas a on a.resident_id = l.resident_id
          where a.municipality = any(${codes}) or (a.point is not null and ${meets('a')})))
      order by s.id limit ${limit}`,
  );
  return rows.rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Queues an alert version; nothing when that version was queued before (pushed once per version). */
export async function queueJob(db: Db, alertVersion: string, alert: unknown) {
  await db.insert(disasterPushJobs).values({ alertVersion, alert }).onConflictDoNothing();
}

/** Takes one job not yet matched (SKIP LOCKED: each is taken by one process); run in the transaction that records its deliveries. */
export async function claimJob(tx: Db): Promise<{ id: number; alert: unknown } | undefined> {
  const rows = await tx.execute<{ id: number | string; alert: unknown }>(
    sql`select id, alert from disaster_push_jobs where expanded_at is null order by id limit 1 for update skip locked`,
  );
  const r = rows.rows[0];
  return r && { id: Number(r.id), alert: r.alert };
}

export async function addDeliveries(tx: Db, jobId: number, subscriptionIds: number[]) {
  if (subscriptionIds.length)
    await tx
      .insert(disasterPushDeliveries)
      .values(subscriptionIds.map((subscriptionId) => ({ jobId, subscriptionId })))
      .onConflictDoNothing();
}

export async function jobExpanded(tx: Db, jobId: number) {
  await tx
    .update(disasterPushJobs)
    .set({ expandedAt: sql`now()` })
    .where(eq(disasterPushJobs.id, jobId));
}

export interface DueDelivery extends StoredPushSubscription {
  jobId: number;
  attempts: number;
  alert: unknown;
}

/** Leases up to `limit` due deliveries for `leaseMs` (another process skips them meanwhile). */
export async function leaseDeliveries(db: Db, limit: number, leaseMs: number): Promise<DueDelivery[]> {
  const rows = await db.execute<{
    job_id: number | string;
    subscription_id: number | string;
    attempts: number;
    alert: unknown;
    subscription: DueDelivery['subscription'];
    areas: DueDelivery['areas'];
  }>(
    sql`with due as (
        select job_id, subscription_id from disaster_push_deliveries where next_at <= now()
        order by next_at limit ${limit} for update skip locked)
      update disaster_push_deliveries d set next_at = now() + make_interval(secs => ${leaseMs / 1000})
      from due, disaster_push_jobs j, disaster_push_subscriptions s
      where d.job_id = due.job_id and d.subscription_id = due.subscription_id and j.id = d.job_id and s.id = d.subscription_id
      returning d.job_id, d.subscription_id, d.attempts, j.alert, s.subscription, s.areas`,
  );
  return rows.rows.map((r) => ({
    jobId: Number(r.job_id),
    id: Number(r.subscription_id),
    attempts: r.attempts,
    alert: r.alert,
    subscription: r.subscription,
    areas: r.areas,
  }));
}

/** Removes the deliveries in one statement. */
export async function deliveriesDone(db: Db, done: { jobId: number; id: number }[]) {
  if (!done.length) return;
  await db.execute(
    sql`delete from disaster_push_deliveries d using unnest(${pgArray(done.map((x) => x.jobId))}::bigint[], ${pgArray(done.map((x) => x.id))}::bigint[]) as t(job_id, subscription_id)
      where d.job_id = t.job_id and d.subscription_id = t.subscription_id`,
  );
}

/** Schedules each delivery again, `inMs(attempts)` from now, in one statement. */
export async function deliveriesRetry(db: Db, due: { jobId: number; id: number; attempts: number }[], inMs: (attempts: number) => number) {
  if (!due.length) return;
  await db.execute(
    sql`update disaster_push_deliveries d set attempts = t.attempts + 1, next_at = now() + make_interval(secs => t.wait)
      from unnest(${pgArray(due.map((x) => x.jobId))}::bigint[], ${pgArray(due.map((x) => x.id))}::bigint[],
        ${pgArray(due.map((x) => x.attempts))}::int[], ${pgArray(due.map((x) => inMs(x.attempts) / 1000))}::float8[]) as t(job_id, subscription_id, attempts, wait)
      where d.job_id = t.job_id and d.subscription_id = t.subscription_id`,
  );
}

/** A number array as one Postgres array literal (one parameter, whatever its length). */
const pgArray = (xs: number[]) => `{${xs.join(',')}}`;

export async function pendingDeliveries(db: Db): Promise<number> {
  const r = await db.execute<{ n: number | string }>(sql`select count(*) as n from disaster_push_deliveries`);
  return Number(r.rows[0]!.n);
}
