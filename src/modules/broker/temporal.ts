// The NGSI-LD temporal API (ETSI GS CIM 009 v1.8: clauses 5.7.3–5.7.4, the temporal representations
// of 4.5, the temporal query of 4.11): the history that record-history.ts keeps of every attribute
// change, served at /ngsi-ld/v1/temporal/entities.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { RouteDeps } from './route-deps.ts';
import { entityFilter, selectEntities } from './select.ts';
import { compact, expand, type TermMap } from './context.ts';
import { isDateTime, NGSI_LD_NULL, renderInstance } from './entity.ts';
import { problem } from './errors.ts';
import * as history from './repository-temporal.ts';
import { limitsOf } from './limits.ts';
import { idParam, options, paging, readContext, send, tenantOf } from './request.ts';

/** Attribute instances one response may hold; more is TooManyResults (narrow with timerel, attrs or lastN). */
const MAX_INSTANCES = 100_000;
const MAX_PERIODS = 10_000;
const timeProperties = ['observedAt', 'createdAt', 'modifiedAt'] as const;
const aggrMethods = ['totalCount', 'distinctCount', 'sum', 'avg', 'min', 'max'] as const;
type AggrMethod = (typeof aggrMethods)[number];

const bad = (detail: string) => problem('BadRequestData', detail);
const dateTimeHelp = 'an ISO 8601 date-time with a time zone, for example 2025-01-31T09:00:00Z';

/** An ISO 8601 duration (P1Y2M3W4DT5H6M7.5S); null when it is zero, which means the whole interval. */
export function parseDuration(text: string): history.Duration | null {
  const m =
    /^P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,4})M)?(?:(\d{1,4}(?:\.\d+)?)S)?)?$/.exec(
      text,
    );
  if (!m || text === 'P' || text.endsWith('T'))
    throw bad(`aggrPeriodDuration ${text} is not an ISO 8601 duration such as PT1H, P1D, P1W or P1M (each number at most 4 digits).`);
  const [years, months, weeks, days, hours, mins, secs] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const d = { years: years!, months: months!, weeks: weeks!, days: days!, hours: hours!, mins: mins!, secs: secs! };
  return Object.values(d).some((n) => n > 0) ? d : null;
}

/** timerel, timeAt, endTimeAt, timeproperty, lastN and the aggregation parameters, checked. */
function temporalQuery(c: Context) {
  const timerel = c.req.query('timerel');
  const timeAt = c.req.query('timeAt');
  const endTimeAt = c.req.query('endTimeAt');
  if (timerel === undefined) {
    if (timeAt !== undefined || endTimeAt !== undefined) throw bad('timeAt and endTimeAt need timerel (before, after or between).');
  } else {
    if (!['before', 'after', 'between'].includes(timerel)) throw bad(`timerel must be before, after or between, not ${timerel}.`);
    if (!timeAt) throw bad(`timerel=${timerel} needs timeAt.`);
    if (!isDateTime(timeAt)) throw bad(`timeAt must be ${dateTimeHelp}.`);
    if (timerel === 'between') {
      if (!endTimeAt) throw bad('timerel=between needs endTimeAt.');
      if (!isDateTime(endTimeAt)) throw bad(`endTimeAt must be ${dateTimeHelp}.`);
      if (Date.parse(endTimeAt) <= Date.parse(timeAt)) throw bad('endTimeAt must be later than timeAt.');
    } else if (endTimeAt !== undefined) throw bad('endTimeAt goes only with timerel=between.');
  }
  const timeproperty = (c.req.query('timeproperty') ?? 'observedAt') as history.TimeProperty;
  if (!timeProperties.includes(timeproperty)) throw bad(`timeproperty must be one of ${timeProperties.join(', ')}.`);
  const lastNText = c.req.query('lastN');
  const lastN = lastNText === undefined ? undefined : Number(lastNText);
  if (lastN !== undefined && (!/^\d+$/.test(lastNText!) || lastN < 1 || lastN > MAX_INSTANCES))
    throw bad(`lastN must be a whole number from 1 to ${MAX_INSTANCES}.`);

  const o = options(c);
  // keyValues (format=simplified) asks for the simplified temporal representation, which is temporalValues.
  const temporalValues = o.temporalValues || o.keyValues;
  if (temporalValues && o.aggregatedValues) throw bad('Ask for temporalValues or aggregatedValues, not both.');
  const methodsText = c.req.query('aggrMethods');
  const durationText = c.req.query('aggrPeriodDuration');
  let aggregation: { methods: AggrMethod[]; duration: history.Duration | null } | undefined;
  if (o.aggregatedValues) {
    const methods = (methodsText ?? '').split(',').filter(Boolean);
    if (!methods.length) throw bad(`aggregatedValues needs aggrMethods (any of ${aggrMethods.join(', ')}).`);
    const unknown = methods.find((m) => !aggrMethods.includes(m as AggrMethod));
    if (unknown) throw bad(`Unknown aggrMethod ${unknown}: use ${aggrMethods.join(', ')}.`);
    if (lastN !== undefined) throw bad('lastN does not go with aggregatedValues.');
    aggregation = { methods: methods as AggrMethod[], duration: durationText === undefined ? null : parseDuration(durationText) };
  } else if (methodsText !== undefined || durationText !== undefined)
    throw bad('aggrMethods and aggrPeriodDuration go with options=aggregatedValues.');

  return {
    timeproperty,
    from: timerel === 'before' ? undefined : timeAt,
    to: timerel === 'before' ? timeAt : timerel === 'between' ? endTimeAt : undefined,
    lastN,
    temporalValues,
    sysAttrs: o.sysAttrs,
    aggregation,
  };
}
type TemporalQuery = ReturnType<typeof temporalQuery>;

interface Target {
  id: string;
  types: string[];
}

/** The temporal representations (4.5.x) of the targets: normalized, temporalValues or aggregatedValues. */
async function represent(db: Db, tenant: string, targets: Target[], attrs: string[] | undefined, tq: TemporalQuery, map: TermMap) {
  const q: history.HistoryQuery = { ids: targets.map((t) => t.id), attrs, timeproperty: tq.timeproperty, from: tq.from, to: tq.to };
  const byEntity = new Map<string, Record<string, unknown>>(
    targets.map((t) => {
      const types = t.types.map((x) => compact(x, map));
      return [t.id, { id: t.id, type: types.length === 1 ? types[0] : types }];
    }),
  );
  const attribute = (entityId: string, attr: string, empty: () => unknown) => {
    const e = byEntity.get(entityId)!;
    const name = compact(attr, map);
    return (e[name] ??= empty());
  };

  if (tq.aggregation) {
    const { methods, duration } = tq.aggregation;
    const periods = await history.aggregationPeriods(db, tenant, q, duration, MAX_PERIODS);
    if (periods.length > MAX_PERIODS)
      throw problem(
        'TooManyResults',
        `More than ${MAX_PERIODS} aggregation periods: give a longer aggrPeriodDuration or a shorter interval.`,
      );
    for (const a of await history.aggregate(
      db,
      tenant,
      q,
      periods.map((p) => p.start),
    )) {
      const out = attribute(a.entityId, a.attr, () => ({ type: a.type })) as Record<string, unknown[]>;
      const { start, end } = periods[a.period - 1]!;
      for (const m of methods) if (a[m] !== null) (out[m] ??= []).push([a[m], start, end]);
    }
    return [...byEntity.values()];
  }

  const rows = await history.historyInstances(db, tenant, q, tq.lastN, MAX_INSTANCES + 1);
  if (rows.length > MAX_INSTANCES)
    throw problem('TooManyResults', `More than ${MAX_INSTANCES} attribute instances match: narrow with timerel, attrs or lastN.`);
  for (const r of rows) {
    if (tq.temporalValues) {
      if (!r.instance) continue;
      const i = r.instance;
      const [key, value] =
        i.type === 'Relationship'
          ? ['objects', i.object]
          : i.type === 'LanguageProperty'
            ? ['languageMaps', i.languageMap]
            : ['values', i.value];
      const out = attribute(r.entityId, r.attr, () => ({ type: i.type })) as Record<string, unknown[]>;
      (out[key] ??= []).push([value, r.t]);
    } else {
      (attribute(r.entityId, r.attr, () => []) as unknown[]).push(normalized(r, map, tq.sysAttrs));
    }
  }
  return [...byEntity.values()];
}

/** One instance as in the normalized temporal representation; a deletion as urn:ngsi-ld:null with deletedAt. */
function normalized(r: history.HistoryInstance, map: TermMap, sysAttrs: boolean) {
  const instanceId = `urn:ngsi-ld:attribute:instance:${r.seq}`;
  if (r.instance) return { ...(renderInstance(r.instance, map, { keyValues: false, sysAttrs }) as object), instanceId };
  const type = r.prevType ?? 'Property';
  const key = type === 'Relationship' ? 'object' : type === 'LanguageProperty' ? 'languageMap' : 'value';
  return { type, [key]: key === 'languageMap' ? { '@none': NGSI_LD_NULL } : NGSI_LD_NULL, deletedAt: r.t, instanceId };
}

export function temporalRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { db, loadContext } = deps;

  // Retrieve the temporal evolution of an entity (5.7.3); it outlives the entity itself.
  app.get('/ngsi-ld/v1/temporal/entities/:id', async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c, loadContext);
    const tq = temporalQuery(c);
    const id = idParam(c, 'entity');
    const types = (await deps.store.find(tenant, id))?.types ?? (await history.historyTypes(db, tenant, id));
    if (!types) throw problem('ResourceNotFound', `Entity ${id} has neither a current state nor a history.`);
    const attrs = c.req
      .query('attrs')
      ?.split(',')
      .filter(Boolean)
      .map((a) => expand(a, map));
    const [entity] = await represent(db, tenant, [{ id, types }], attrs, tq, map);
    return send(c, entity, link);
  });

  // Query temporal evolution (5.7.4): the entities are selected by their current state, as GET /entities does.
  app.get('/ngsi-ld/v1/temporal/entities', async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c, loadContext);
    const f = entityFilter(c, map);
    if (f.empty) throw bad('Give at least one of type, id, idPattern, attrs, q or georel.');
    const tq = temporalQuery(c);
    const page = paging(c);
    const { entities, total } = await selectEntities(db, tenant, f, map, page, limitsOf(c).queryMs);
    if (total !== null) c.header('NGSILD-Results-Count', String(total));
    return send(c, await represent(db, tenant, entities, f.attrs, tq, map), link);
  });

  // Delete the temporal representation of an entity: its history only; the entity stays if it exists.
  app.delete('/ngsi-ld/v1/temporal/entities/:id', async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'entity');
    if (!(await history.deleteHistory(db, tenant, id))) throw problem('ResourceNotFound', `Entity ${id} has no history.`);
    return c.body(null, 204);
  });

  return app;
}
