// The broker's SQL for entities, their geo index and the context store. The rest of its SQL: the attribute
// history in repository-temporal.ts, subscriptions and the notification queue in
// repository-subscriptions.ts, context source registrations in repository-registrations.ts.
import { and, arrayOverlaps, asc, count, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { StoredEntity } from './entity.ts';
import { tooComplex } from './limits.ts';
import { brokerContexts, brokerEntities } from './schema.ts';

type Row = typeof brokerEntities.$inferSelect;
/** A timestamp as the broker gives times: ISO 8601 in UTC with milliseconds. */
export const iso = (s: string) => new Date(s).toISOString();
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
  const inserted = await rows<{ id: string }>(
    db,
    sql`insert into broker_entities (tenant, id, types, attrs, scopes, created_at, modified_at)
    select ${tenant}, id, types, attrs, scope, "createdAt", "modifiedAt"
    from jsonb_to_recordset(${JSON.stringify(list)}::jsonb)
      as r(id text, types text[], attrs jsonb, scope text[], "createdAt" timestamptz, "modifiedAt" timestamptz)
    on conflict do nothing returning id`,
  );
  return new Set(inserted.map((r) => r.id));
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

/** Wider than about half a degree square (a city): the box index may then hand back most of a tenant. */
const isWide = ([x1, y1, x2, y2]: BoxFilter['box']) => (x2 - x1) * (y2 - y1) > 0.25;

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

/** A list of strings as one text[] parameter. */
export const textArray = (list: string[]) =>
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
  // A page by type or id walks an index and stops, and so does a local geo-query on the box index: only
  // what may read a whole tenant (a count, a JSON path, a wide box, a far offset) pays the transaction
  // (three more round trips) that the time budget needs.
  const mayBeLong = withCount || q.jsonPath !== undefined || (q.box !== undefined && isWide(q.box.box)) || q.offset > 0;
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
  const types = await rows<{ t: string }>(
    db,
    sql`select distinct unnest(types) as t from broker_entities where tenant = ${tenant} order by 1`,
  );
  return types.map((r) => r.t);
}

export async function attributeNames(db: Db, tenant: string): Promise<string[]> {
  const names = await rows<{ a: string }>(
    db,
    sql`select distinct jsonb_object_keys(attrs) as a from broker_entities where tenant = ${tenant} order by 1`,
  );
  return names.map((r) => r.a);
}

/**
 * What discovery with details reports (5.7.5–5.7.8): per entity type and attribute, the attribute's kinds
 * (Property, Relationship…) and how many entities have it; a type without attributes has attr null.
 */
export async function typeAttributeCounts(db: Db, tenant: string) {
  return rows<{ type: string; attr: string | null; kind: string | null; entities: number }>(
    db,
    sql`select t.type, a.key as attr, i.value->>'type' as kind, count(distinct e.id)::int as entities
    from broker_entities e
      cross join unnest(e.types) as t(type)
      left join lateral jsonb_each(e.attrs) as a(key, value) on true
      left join lateral jsonb_array_elements(a.value) as i(value) on true
    where e.tenant = ${tenant}
    group by 1, 2, 3 order by 1, 2, 3`,
  );
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
  const counts = await rows<{ type: string; n: number }>(
    db,
    sql`select t.type, count(*)::int as n from broker_entities e cross join unnest(e.types) as t(type) where e.tenant = ${tenant} group by 1`,
  );
  return new Map(counts.map((r) => [r.type, r.n]));
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
