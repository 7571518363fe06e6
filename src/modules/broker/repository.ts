// The broker's SQL for entities and their geo index.
import { and, arrayOverlaps, asc, count, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { StoredEntity } from './entity.ts';
import { brokerEntities, brokerGeo } from './schema.ts';

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
