// The broker's only SQL.
import { and, arrayOverlaps, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { StoredEntity } from './entity.ts';
import { brokerEntities } from './schema.ts';

type Row = typeof brokerEntities.$inferSelect;
const iso = (s: string) => new Date(s).toISOString();
const toEntity = (r: Row): StoredEntity => ({
  id: r.id,
  types: r.types,
  attrs: r.attrs,
  createdAt: iso(r.createdAt),
  modifiedAt: iso(r.modifiedAt),
});

/** false when an entity with this id already exists in the tenant. */
export async function insertEntity(db: Db, tenant: string, e: StoredEntity): Promise<boolean> {
  const rows = await db
    .insert(brokerEntities)
    .values({ tenant, id: e.id, types: e.types, attrs: e.attrs, createdAt: e.createdAt, modifiedAt: e.modifiedAt })
    .onConflictDoNothing()
    .returning({ id: brokerEntities.id });
  return rows.length === 1;
}

export async function findEntity(db: Db, tenant: string, id: string): Promise<StoredEntity | undefined> {
  const [r] = await db
    .select()
    .from(brokerEntities)
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, id)));
  return r && toEntity(r);
}

export async function saveAttrs(db: Db, tenant: string, e: StoredEntity) {
  await db
    .update(brokerEntities)
    .set({ attrs: e.attrs, modifiedAt: e.modifiedAt })
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, e.id)));
}

export async function deleteEntity(db: Db, tenant: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(brokerEntities)
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, id)))
    .returning({ id: brokerEntities.id });
  return rows.length === 1;
}

export interface EntityQuery {
  types?: string[];
  ids?: string[];
  idPattern?: string;
  /** Entities that have at least one of these attributes (expanded names). */
  attrs?: string[];
  limit: number;
  offset: number;
}

function where(tenant: string, q: EntityQuery): SQL {
  const conds: SQL[] = [eq(brokerEntities.tenant, tenant)];
  if (q.types?.length) conds.push(arrayOverlaps(brokerEntities.types, q.types));
  if (q.ids?.length) conds.push(inArray(brokerEntities.id, q.ids));
  if (q.idPattern) conds.push(sql`${brokerEntities.id} ~ ${q.idPattern}`);
  if (q.attrs?.length)
    conds.push(
      sql`${brokerEntities.attrs} ?| array[${sql.join(
        q.attrs.map((a) => sql`${a}`),
        sql`, `,
      )}]::text[]`,
    );
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

/** Replaces an entity's types and attributes (upsert with replace), keeping its creation time. */
export async function replaceEntity(db: Db, tenant: string, e: StoredEntity) {
  await db
    .update(brokerEntities)
    .set({ types: e.types, attrs: e.attrs, modifiedAt: e.modifiedAt })
    .where(and(eq(brokerEntities.tenant, tenant), eq(brokerEntities.id, e.id)));
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

export async function insertEntities(db: Db, tenant: string, list: StoredEntity[]) {
  for (let i = 0; i < list.length; i += 500) {
    await db
      .insert(brokerEntities)
      .values(
        list
          .slice(i, i + 500)
          .map((e) => ({ tenant, id: e.id, types: e.types, attrs: e.attrs, createdAt: e.createdAt, modifiedAt: e.modifiedAt })),
      );
  }
}

export async function countEntities(db: Db, tenant: string): Promise<number> {
  const [r] = await db.select({ n: count() }).from(brokerEntities).where(eq(brokerEntities.tenant, tenant));
  return r?.n ?? 0;
}
