// The broker's only SQL: entities and their geo index, attribute history, subscriptions and the
// notification queue, the context store.
import { and, arrayOverlaps, asc, count, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { Instance, StoredEntity } from './entity.ts';
import { tooComplex } from './limits.ts';
import { brokerContexts, brokerEntities, brokerHistory, brokerNotifications, brokerSubscriptions } from './schema.ts';
import type { SubscriptionBody, SubscriptionState } from './subscription.ts';

type Row = typeof brokerEntities.$inferSelect;
const iso = (s: string) => new Date(s).toISOString();
const toEntity = (r: Row): StoredEntity => ({
  id: r.id,
  types: r.types,
  attrs: r.attrs,
  ...(r.scopes ? { scope: r.scopes } : {}),
  createdAt: iso(r.createdAt),
  modifiedAt: iso(r.modifiedAt),
});

/** Inserts the entities that do not exist yet (the first of equal ids wins); returns their ids. */
export async function insertEntities(db: Db, tenant: string, list: StoredEntity[]): Promise<Set<string>> {
  if (!list.length) return new Set();
  // The rows travel as one JSON parameter: no bind-parameter limit, and little work to build the statement.
  const result = (await db.execute(sql`insert into broker_entities (tenant, id, types, attrs, scopes, created_at, modified_at)
    select ${tenant}, id, types, attrs, scope, "createdAt", "modifiedAt"
    from jsonb_to_recordset(${JSON.stringify(list)}::jsonb)
      as r(id text, types text[], attrs jsonb, scope text[], "createdAt" timestamptz, "modifiedAt" timestamptz)
    on conflict do nothing returning id`)) as unknown as { rows: { id: string }[] };
  return new Set(result.rows.map((r) => r.id));
}

// The most frequent read, prepared once per database: building the query each time cost more CPU
// than running it. Several keys at once: the store groups concurrent reads.
const findPrepared = new WeakMap<Db, { execute(p: { tenants: string[]; ids: string[] }): Promise<Row[]> }>();
const prepareFind = (db: Db) =>
  db
    .select()
    .from(brokerEntities)
    .where(
      sql`(${brokerEntities.tenant}, ${brokerEntities.id}) in (select * from unnest(${sql.placeholder('tenants')}::text[], ${sql.placeholder('ids')}::text[]))`,
    )
    .prepare('broker_find_entities');

/** The entities with these keys, in the same order (undefined where there is none). */
export async function findEntities(db: Db, keys: { tenant: string; id: string }[]): Promise<(StoredEntity | undefined)[]> {
  let find = findPrepared.get(db);
  if (!find) findPrepared.set(db, (find = prepareFind(db)));
  const rows = await find.execute({ tenants: keys.map((k) => k.tenant), ids: keys.map((k) => k.id) });
  const found = new Map(rows.map((r) => [`${r.tenant}\n${r.id}`, r]));
  return keys.map((k) => {
    const r = found.get(`${k.tenant}\n${k.id}`);
    return r && toEntity(r);
  });
}

/** An entity, locked until the transaction ends (for a change). */
export async function findEntityForUpdate(db: Db, tenant: string, id: string): Promise<StoredEntity | undefined> {
  const [r] = await db
    .select()
    .from(brokerEntities)
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, id)))
    .for('update');
  return r && toEntity(r);
}

/** Writes an entity's types, attributes, scopes and modification time. */
export async function saveEntity(db: Db, tenant: string, e: StoredEntity) {
  await db
    .update(brokerEntities)
    .set({ types: e.types, attrs: e.attrs, scopes: e.scope ?? null, modifiedAt: e.modifiedAt })
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
  /** Entities that have at least one of these attributes (expanded names). */
  attrs?: string[];
  /** A SQL/JSON path predicate on the attributes (see toJsonPath). */
  jsonPath?: string;
  /** Only entities that have a scope (scopeQ is then checked in code). */
  scoped?: boolean;
  box?: BoxFilter;
  /** Only ids after this one (to page through candidates). */
  afterId?: string;
  limit: number;
  offset: number;
  /** The statements' time budget (statement_timeout); a query that needs more is TooComplexQuery. */
  timeoutMs?: number;
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
  if (q.attrs?.length) conds.push(sql`${brokerEntities.attrs} ?| ${textArray(q.attrs)}`);
  // jsonb_path_match means what @@ does, but the planner estimates a function as unselective, so
  // with `order by id limit n` it walks the primary key and stops at the page instead of reading all.
  if (q.jsonPath) conds.push(sql`jsonb_path_match(${brokerEntities.attrs}, ${q.jsonPath}::jsonpath, '{}', true)`);
  if (q.scoped) conds.push(sql`${brokerEntities.scopes} is not null`);
  if (q.afterId !== undefined) conds.push(gt(brokerEntities.id, q.afterId));
  if (q.box) {
    // The geo index's matches are looked up first (= any(array(…)) runs the subquery once): the planner
    // cannot estimate box overlaps and would otherwise walk the whole tenant in id order.
    const b = sql.raw(`'${boxLiteral(q.box.box)}'::box`);
    conds.push(
      sql`${brokerEntities.id} = any(array(select entity_id from broker_geo where tenant = ${tenant} and attr = ${q.box.attr} and bbox ${sql.raw(q.box.op)} ${b}))`,
    );
  }
  return and(...conds)!;
}

export async function queryEntities(db: Db, tenant: string, q: EntityQuery, withCount: boolean) {
  const run = async (tx: Db) => {
    const rows = await tx
      .select()
      .from(brokerEntities)
      .where(where(tenant, q))
      .orderBy(asc(brokerEntities.id))
      .limit(q.limit)
      .offset(q.offset);
    const total = withCount ? ((await tx.select({ n: count() }).from(brokerEntities).where(where(tenant, q)))[0]?.n ?? 0) : null;
    return { entities: rows.map(toEntity), total };
  };
  // A page by type or id walks an index and stops: only what may read a whole tenant (a count, a
  // JSON path, the geo index, a far offset) pays the transaction the time budget needs.
  const mayBeLong = withCount || q.jsonPath !== undefined || q.box !== undefined || q.offset > 0;
  if (q.timeoutMs === undefined || !mayBeLong) return run(db);
  const ms = q.timeoutMs;
  try {
    return await db.transaction(async (tx) => {
      // Local to this transaction: the connection goes back to the pool without it.
      await tx.execute(sql`select set_config('statement_timeout', ${String(ms)}, true)`);
      return run(tx);
    });
  } catch (err) {
    // 57014 query_canceled: the budget ran out (PostgreSQL; PGlite has no timer to cancel with).
    if ((err as { code?: string }).code === '57014' || (err as { cause?: { code?: string } }).cause?.code === '57014') throw tooComplex(ms);
    throw err;
  }
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

/**
 * What discovery with details reports (5.7.5–5.7.8): per entity type and attribute, the attribute's kinds
 * (Property, Relationship…) and how many entities have it; a type without attributes has attr null.
 */
export async function typeAttributeCounts(db: Db, tenant: string) {
  const result = (await db.execute(sql`select t.type, a.key as attr, i.value->>'type' as kind, count(distinct e.id)::int as entities
    from broker_entities e
      cross join unnest(e.types) as t(type)
      left join lateral jsonb_each(e.attrs) as a(key, value) on true
      left join lateral jsonb_array_elements(a.value) as i(value) on true
    where e.tenant = ${tenant}
    group by 1, 2, 3 order by 1, 2, 3`)) as unknown as {
    rows: { type: string; attr: string | null; kind: string | null; entities: number }[];
  };
  return result.rows;
}

/** How many entities of the tenant have the attribute. */
export async function attributeCount(db: Db, tenant: string, attr: string): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(brokerEntities)
    .where(and(eq(brokerEntities.tenant, tenant), sql`${brokerEntities.attrs} ? ${attr}`));
  return r?.n ?? 0;
}

/** How many entities of the tenant have each type. */
export async function typeCounts(db: Db, tenant: string): Promise<Map<string, number>> {
  const result = (await db.execute(
    sql`select t.type, count(*)::int as n from broker_entities e cross join unnest(e.types) as t(type) where e.tenant = ${tenant} group by 1`,
  )) as unknown as { rows: { type: string; n: number }[] };
  return new Map(result.rows.map((r) => [r.type, r.n]));
}

export async function countEntities(db: Db, tenant: string): Promise<number> {
  const [r] = await db.select({ n: count() }).from(brokerEntities).where(eq(brokerEntities.tenant, tenant));
  return r?.n ?? 0;
}

/** Replaces the geo-index boxes of the given entities. */
export async function indexGeo(db: Db, tenant: string, removed: string[], boxes: { entityId: string; attr: string; box: number[] }[]) {
  if (removed.length) await db.execute(sql`delete from broker_geo where tenant = ${tenant} and entity_id = any(${textArray(removed)})`);
  if (!boxes.length) return;
  await db.execute(sql`insert into broker_geo (tenant, entity_id, attr, bbox)
    select ${tenant}, "entityId", attr, box(point(x1, y1), point(x2, y2))
    from jsonb_to_recordset(${JSON.stringify(boxes.map(({ entityId, attr, box: [x1, y1, x2, y2] }) => ({ entityId, attr, x1, y1, x2, y2 })))}::jsonb)
      as r("entityId" text, attr text, x1 float8, y1 float8, x2 float8, y2 float8)`);
}

// Attribute history (the temporal API, temporal.ts).

export interface HistoryRow {
  tenant: string;
  entityId: string;
  types: string[];
  attr: string;
  /** Absent when the attribute was deleted. */
  instance?: Instance;
  at: string;
}

/** One statement however many rows: they travel as one JSON parameter, so no bind-parameter limit applies. */
export async function insertHistory(db: Db, list: HistoryRow[]) {
  if (!list.length) return;
  await db.execute(sql`insert into broker_history (tenant, entity_id, types, attr, instance, at)
    select tenant, "entityId", types, attr, instance, at
    from jsonb_to_recordset(${JSON.stringify(list)}::jsonb)
      as r(tenant text, "entityId" text, types text[], attr text, instance jsonb, at timestamptz)`);
}

export type TimeProperty = 'observedAt' | 'createdAt' | 'modifiedAt';

export interface HistoryQuery {
  ids: string[];
  /** Expanded attribute names; all when undefined. */
  attrs?: string[];
  timeproperty: TimeProperty;
  /** The interval [from, to) of the time property; either end may be open. */
  from?: string;
  to?: string;
}

/** An ISO 8601 duration, as make_interval's arguments. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  mins: number;
  secs: number;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const utcText = (t: SQL) => sql`to_char(${t} at time zone 'UTC', ${sql.raw(ISO)})`;

/**
 * The time a row counts at: `at` (observedAt, else the change time) or the instance's own createdAt or
 * modifiedAt; a deletion row has neither, so it counts at its change time.
 */
const timeOf = (p: TimeProperty) => sql.raw(p === 'observedAt' ? 'at' : `coalesce((instance->>'${p}')::timestamptz, at)`);

function historyWhere(tenant: string, q: HistoryQuery): SQL {
  const conds = [sql`tenant = ${tenant}`, sql`entity_id = any(${textArray(q.ids)})`];
  if (q.attrs) conds.push(sql`attr = any(${textArray(q.attrs)})`);
  return sql.join(conds, sql` and `);
}
function timeWhere(t: SQL, q: HistoryQuery): SQL {
  const conds = [sql`true`];
  if (q.from) conds.push(sql`${t} >= ${q.from}::timestamptz`);
  if (q.to) conds.push(sql`${t} < ${q.to}::timestamptz`);
  return sql.join(conds, sql` and `);
}

export interface HistoryInstance {
  seq: number;
  entityId: string;
  attr: string;
  /** null for a deletion. */
  instance: Instance | null;
  /** The time property's value (ISO 8601, UTC). */
  t: string;
  /** For a deletion: the type of the attribute's instance before it. */
  prevType: string | null;
}

/**
 * The history of the entities' attributes within the interval, ascending by time per attribute; with
 * lastN only the last N of each attribute. At most `max` rows.
 */
export async function historyInstances(db: Db, tenant: string, q: HistoryQuery, lastN: number | undefined, max: number) {
  if (!q.ids.length) return [];
  const inner = sql`select seq, entity_id, attr, instance, ${timeOf(q.timeproperty)} as t,
      lag(instance->>'type') over (partition by entity_id, attr order by seq) as prev_type
    from broker_history where ${historyWhere(tenant, q)}`;
  const ranked = sql`select x.*, row_number() over (partition by entity_id, attr order by t desc, seq desc) as rn
    from (${inner}) x where ${timeWhere(sql`t`, q)}`;
  const result = (await db.execute(sql`select seq::float8 as seq, entity_id as "entityId", attr, instance, prev_type as "prevType",
      ${utcText(sql`t`)} as t
    from (${ranked}) y where ${lastN ? sql`rn <= ${lastN}` : sql`true`}
    order by entity_id, attr, y.t, seq limit ${max}`)) as unknown as { rows: HistoryInstance[] };
  return result.rows;
}

/** The selected instances (deletions left out) and their times, as a subquery for aggregation. */
const selected = (tenant: string, q: HistoryQuery) => {
  const t = timeOf(q.timeproperty);
  return sql`select entity_id, attr, instance, ${t} as t from broker_history
    where ${historyWhere(tenant, q)} and instance is not null and ${timeWhere(t, q)}`;
};
const interval = (d: Duration) =>
  sql`make_interval(${d.years}::int, ${d.months}::int, ${d.weeks}::int, ${d.days}::int, ${d.hours}::int, ${d.mins}::int, ${d.secs}::float8)`;

/**
 * The aggregation periods [start, end): from `from` (else the first selected instance) in steps of
 * `duration` (in UTC, so P1D is 24 hours and P1M a calendar month) until `to` (else the last instance);
 * without a duration, one period over it all. At most `max` + 1 are generated (the caller refuses more).
 */
export async function aggregationPeriods(db: Db, tenant: string, q: HistoryQuery, duration: Duration | null, max: number) {
  const bounds = sql`select coalesce(${q.from ?? null}::timestamptz, min(t)) as lo, coalesce(${q.to ?? null}::timestamptz, max(t)) as hi
    from (${selected(tenant, q)}) s`;
  const to = sql`${q.to ?? null}::timestamptz`;
  // generate_series steps in UTC wall time (timestamp without time zone), whatever the session's TimeZone.
  const query = duration
    ? sql`select ${utcText(sql`g`)} as "start", ${utcText(sql`least(next, coalesce(${to}, 'infinity'))`)} as "end"
      from (select w at time zone 'UTC' as g, (w + ${interval(duration)}) at time zone 'UTC' as next from (
        select generate_series(lo at time zone 'UTC', hi at time zone 'UTC', ${interval(duration)}) as w from (${bounds}) b limit ${max + 1}
      ) s) p where ${to} is null or g < ${to} order by g`
    : sql`select ${utcText(sql`lo`)} as "start", ${utcText(sql`hi`)} as "end" from (${bounds}) b where lo is not null and hi is not null`;
  return ((await db.execute(query)) as unknown as { rows: { start: string; end: string }[] }).rows;
}

export interface Aggregates {
  entityId: string;
  attr: string;
  /** 1-based index into the periods. */
  period: number;
  type: string;
  totalCount: number;
  distinctCount: number;
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
}

/**
 * Per entity, attribute and period: totalCount counts instances, distinctCount their distinct values
 * (value, object or languageMap); sum, avg, min and max take the numeric values only.
 */
export async function aggregate(db: Db, tenant: string, q: HistoryQuery, starts: string[]): Promise<Aggregates[]> {
  if (!q.ids.length || !starts.length) return [];
  const result =
    (await db.execute(sql`select entity_id as "entityId", attr, width_bucket(t, ${`{${starts.join(',')}}`}::timestamptz[]) as period,
      (array_agg(instance->>'type' order by t desc))[1] as type,
      count(*)::int as "totalCount",
      count(distinct coalesce(instance->'value', instance->'object', instance->'languageMap'))::int as "distinctCount",
      sum(num)::float8 as sum, avg(num)::float8 as avg, min(num)::float8 as min, max(num)::float8 as max
    from (select s.*, case when jsonb_typeof(instance->'value') = 'number' then (instance->>'value')::numeric end as num
      from (${selected(tenant, q)}) s) n
    group by 1, 2, 3 order by 1, 2, 3`)) as unknown as { rows: Aggregates[] };
  return result.rows;
}

/** The types an entity last had in its history (for an entity deleted since), or undefined when it has none. */
export async function historyTypes(db: Db, tenant: string, id: string): Promise<string[] | undefined> {
  const result = (await db.execute(
    sql`select types from broker_history where tenant = ${tenant} and entity_id = ${id} order by seq desc limit 1`,
  )) as unknown as { rows: { types: string[] }[] };
  return result.rows[0]?.types;
}

/** Deletes an entity's history; returns how many rows there were. */
export async function deleteHistory(db: Db, tenant: string, id: string): Promise<number> {
  const rows = await db
    .delete(brokerHistory)
    .where(and(eq(brokerHistory.tenant, tenant), eq(brokerHistory.entityId, id)))
    .returning({ seq: brokerHistory.seq });
  return rows.length;
}

type SubscriptionRow = typeof brokerSubscriptions.$inferSelect;
const isoOrNull = (s: string | null) => s && iso(s);
export const toSubscription = (r: SubscriptionRow) => ({
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
      body: s.body as unknown as Record<string, unknown>,
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
    .set({ ...s, body: s.body as unknown as Record<string, unknown>, modifiedAt: at, nextAt: nextAt(s, at) })
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
      s.body -> 'notification' -> 'endpoint' as endpoint, coalesce(to_jsonb(s.body ->> 'jsonldContext'), s.context) as context`)) as unknown as {
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

// The context store (contexts.ts).

export async function hostedContexts(db: Db) {
  return (await db.select().from(brokerContexts)).map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

export async function insertContext(db: Db, c: { id: string; url: string; document: unknown }) {
  await db.insert(brokerContexts).values({ ...c, kind: 'Hosted' });
}

export async function deleteContext(db: Db, id: string) {
  await db.delete(brokerContexts).where(eq(brokerContexts.id, id));
}
