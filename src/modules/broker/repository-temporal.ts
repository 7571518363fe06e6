// SQL of the attribute history (the temporal API, temporal.ts and temporal-write.ts): recording, reading
// and aggregating instances, and the corrections of 5.6.13–5.6.15 (deleting an attribute's instances,
// changing or deleting one instance).
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { Instance } from './entity.ts';
import { textArray } from './repository.ts';
import { brokerHistory } from './schema.ts';

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

export type HistoryInstance = {
  seq: number;
  entityId: string;
  attr: string;
  /** null for a deletion. */
  instance: Instance | null;
  /** The time property's value (ISO 8601, UTC). */
  t: string;
  /** For a deletion: the type of the attribute's instance before it. */
  prevType: string | null;
};

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
  return rows<HistoryInstance>(
    db,
    sql`select seq::float8 as seq, entity_id as "entityId", attr, instance, prev_type as "prevType",
      ${utcText(sql`t`)} as t
    from (${ranked}) y where ${lastN ? sql`rn <= ${lastN}` : sql`true`}
    order by entity_id, attr, y.t, seq limit ${max}`,
  );
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
  return rows<{ start: string; end: string }>(db, query);
}

export type Aggregates = {
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
};

/**
 * Per entity, attribute and period: totalCount counts instances, distinctCount their distinct values
 * (value, object or languageMap); sum, avg, min and max take the numeric values only.
 */
export async function aggregate(db: Db, tenant: string, q: HistoryQuery, starts: string[]): Promise<Aggregates[]> {
  if (!q.ids.length || !starts.length) return [];
  return rows<Aggregates>(
    db,
    sql`select entity_id as "entityId", attr, width_bucket(t, ${`{${starts.join(',')}}`}::timestamptz[]) as period,
      (array_agg(instance->>'type' order by t desc))[1] as type,
      count(*)::int as "totalCount",
      count(distinct coalesce(instance->'value', instance->'object', instance->'languageMap'))::int as "distinctCount",
      sum(num)::float8 as sum, avg(num)::float8 as avg, min(num)::float8 as min, max(num)::float8 as max
    from (select s.*, case when jsonb_typeof(instance->'value') = 'number' then (instance->>'value')::numeric end as num
      from (${selected(tenant, q)}) s) n
    group by 1, 2, 3 order by 1, 2, 3`,
  );
}

/** The types an entity last had in its history (for an entity deleted since), or undefined when it has none. */
export async function historyTypes(db: Db, tenant: string, id: string): Promise<string[] | undefined> {
  const [last] = await rows<{ types: string[] }>(
    db,
    sql`select types from broker_history where tenant = ${tenant} and entity_id = ${id} order by seq desc limit 1`,
  );
  return last?.types;
}

/** Deletes an entity's history; returns how many rows there were. */
export async function deleteHistory(db: Db, tenant: string, id: string): Promise<number> {
  const rows = await db
    .delete(brokerHistory)
    .where(and(eq(brokerHistory.tenant, tenant), eq(brokerHistory.entityId, id)))
    .returning({ seq: brokerHistory.seq });
  return rows.length;
}

/** Which of an attribute's instances: those without a datasetId (default), of one datasetId, or all. */
export type DatasetChoice = { all: true } | { all: false; datasetId?: string };

/**
 * Deletes an attribute's history: the chosen instances, and with the default instances the
 * attribute's deletion rows (they carry no datasetId). Returns how many rows went.
 */
export async function deleteAttributeHistory(db: Db, tenant: string, id: string, attr: string, which: DatasetChoice): Promise<number> {
  const dataset = which.all
    ? sql`true`
    : which.datasetId === undefined
      ? sql`(instance is null or instance->>'datasetId' is null)`
      : sql`instance->>'datasetId' = ${which.datasetId}`;
  const deleted = await rows(
    db,
    sql`delete from broker_history where tenant = ${tenant} and entity_id = ${id} and attr = ${attr} and ${dataset} returning seq`,
  );
  return deleted.length;
}

export type HistoryRecord = {
  seq: number;
  /** null for a deletion row. */
  instance: Instance | null;
};

/** One recorded instance of an entity's attribute, locked for a change; undefined when there is none. */
export async function findHistoryInstance(
  db: Db,
  tenant: string,
  id: string,
  attr: string,
  seq: number,
): Promise<HistoryRecord | undefined> {
  const [found] = await rows<HistoryRecord>(
    db,
    sql`select seq::float8 as seq, instance from broker_history
      where tenant = ${tenant} and entity_id = ${id} and attr = ${attr} and seq = ${seq} for update`,
  );
  return found;
}

/** Replaces a recorded instance; it then counts at its observedAt, else where it was. Its seq (the instanceId) stays. */
export async function updateHistoryInstance(db: Db, seq: number, instance: Instance) {
  await db.execute(
    sql`update broker_history set instance = ${JSON.stringify(instance)}::jsonb,
      at = coalesce(${instance.observedAt ?? null}::timestamptz, at) where seq = ${seq}`,
  );
}

/** Deletes one recorded instance; false when the entity's attribute has none with that seq. */
export async function deleteHistoryInstance(db: Db, tenant: string, id: string, attr: string, seq: number): Promise<boolean> {
  const deleted = await rows(
    db,
    sql`delete from broker_history where tenant = ${tenant} and entity_id = ${id} and attr = ${attr} and seq = ${seq} returning seq`,
  );
  return deleted.length > 0;
}
