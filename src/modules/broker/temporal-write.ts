// Writing to the NGSI-LD temporal API (ETSI GS CIM 009 v1.8, clauses 5.6.11–5.6.15).
//
// How it relates to the current state: a temporal write records every instance it carries in the
// history, at its observedAt, and the entity's current state takes, per attribute and datasetId, the
// latest of them when it is not older than what the entity holds (so an observation sent late does not
// roll the present back, and GET /entities and the temporal queries, which select by the current state,
// find entities that were only ever written here). Deleting or correcting recorded instances changes
// the history only: it corrects the record of the past without unsaying the present.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { RouteDeps } from './route-deps.ts';
import { expand, type TermMap } from './context.ts';
import { instances, isUri, renderInstance, reservedEntityKeys, type Instance, type StoredEntity } from './entity.ts';
import { problem } from './errors.ts';
import * as history from './repository-temporal.ts';
import { checkSameId, idParam, pathSegment, readBody, readContext, tenantOf } from './request.ts';

/** Instances one temporal write may carry. */
const MAX_INSTANCES = 10_000;

const bad = (detail: string) => problem('BadRequestData', detail);
const simplifiedKeys = { values: 'value', objects: 'object', languageMaps: 'languageMap' } as const;

/**
 * The instances of one attribute as a client sends them: an array of instances (4.5.7, 4.5.8), one
 * instance, or the simplified temporal representation (4.5.9: `values`, `objects`, `languageMaps`
 * as [content, observedAt] pairs).
 */
function rawInstances(name: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  const o = v as Record<string, unknown> | null;
  const key = o && typeof o === 'object' ? (Object.keys(simplifiedKeys) as (keyof typeof simplifiedKeys)[]).find((k) => k in o) : undefined;
  if (!o || !key || 'value' in o || 'object' in o || 'languageMap' in o) return [v];
  const pairs = o[key];
  if (!Array.isArray(pairs)) throw bad(`Attribute ${name}: ${key} must be an array of [content, observedAt] pairs.`);
  return pairs.map((p) => {
    if (!Array.isArray(p) || p.length !== 2) throw bad(`Attribute ${name}: each item of ${key} is a pair [content, observedAt].`);
    return { type: o.type, [simplifiedKeys[key]]: p[0], observedAt: p[1] };
  });
}

/** Every attribute instance of a temporal fragment, validated and expanded (several per datasetId allowed). */
export function temporalAttributes(fragment: Record<string, unknown>, map: TermMap, now: string): Record<string, Instance[]> {
  const out: Record<string, Instance[]> = {};
  let n = 0;
  for (const [k, v] of Object.entries(fragment)) {
    if (reservedEntityKeys.has(k)) continue;
    const list = rawInstances(k, v);
    if (!list.length) throw bad(`Attribute ${k}: give at least one instance.`);
    n += list.length;
    if (n > MAX_INSTANCES) throw bad(`A temporal write carries at most ${MAX_INSTANCES} attribute instances.`);
    out[expand(k, map)] = list.map((raw) => instances(k, raw, map, now)[0]!);
  }
  return out;
}

/** When an instance counts as observed: its observedAt, else when it was written. */
const observed = (i: Instance) => Date.parse(i.observedAt ?? i.modifiedAt);

/** The entity with, per attribute and datasetId, the latest incoming instance unless it holds a later one. */
export function withLatest(e: StoredEntity, incoming: Record<string, Instance[]>, now: string): StoredEntity {
  const attrs = { ...e.attrs };
  let changed = false;
  for (const [name, list] of Object.entries(incoming)) {
    const current = [...(attrs[name] ?? [])];
    for (const i of list) {
      const k = current.findIndex((c) => c.datasetId === i.datasetId);
      if (k >= 0 && observed(i) < observed(current[k]!)) continue;
      if (k < 0) current.push(i);
      else current[k] = { ...i, createdAt: current[k]!.createdAt };
      changed = true;
    }
    attrs[name] = current;
  }
  // Only past observations: the current state, and when it last changed, stay as they are.
  return changed ? { ...e, attrs, modifiedAt: now } : e;
}

const recordedOf = (incoming: Record<string, Instance[]>) =>
  Object.entries(incoming).flatMap(([attr, list]) => list.map((instance) => ({ attr, instance })));

/** The seq behind an instanceId (urn:ngsi-ld:attribute:instance:<seq>, as the temporal representation gives it). */
function instanceSeq(c: Context): number {
  const m = /^urn:ngsi-ld:attribute:instance:(\d{1,15})$/.exec(c.req.param('instanceId') ?? '');
  if (!m) throw problem('ResourceNotFound', `Attribute instance ${c.req.param('instanceId')} was not found.`);
  return Number(m[1]);
}

export function temporalWriteRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { db, store, loadContext } = deps;
  const base = '/ngsi-ld/v1/temporal/entities';

  // Create or update the temporal evolution of an entity (5.6.11): 201 when the broker knew nothing of it.
  app.post(base, async (c) => {
    const tenant = tenantOf(c);
    const { body, map } = await readBody(c, loadContext);
    if (!isUri(body.id)) throw bad('The entity id must be a URI (for example urn:ngsi-ld:SnowObserved:001).');
    const id = body.id;
    const types = (Array.isArray(body.type) ? body.type : [body.type]) as unknown[];
    if (!types.length || !types.every((t) => typeof t === 'string' && t))
      throw bad('The entity type must be a string or a list of strings.');
    const now = new Date().toISOString();
    const incoming = temporalAttributes(body, map, now);
    const expanded = types.map((t) => expand(t as string, map));
    const known = !!(await history.historyTypes(db, tenant, id));
    const created = await store.writeTemporal(tenant, id, (before) => {
      const e = before
        ? { ...before, types: [...new Set([...before.types, ...expanded])] }
        : { id, types: expanded, attrs: {}, createdAt: now, modifiedAt: now };
      return { after: withLatest(e, incoming, now), recorded: recordedOf(incoming) };
    });
    if (!created || known) return c.body(null, 204);
    c.header('Location', `${base}/${pathSegment(id)}`);
    return c.body(null, 201);
  });

  // Add attributes (instances) to the temporal evolution of an entity (5.6.12).
  app.post(`${base}/:id/attrs`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'entity');
    const { body, map } = await readBody(c, loadContext);
    checkSameId(body, id);
    const now = new Date().toISOString();
    const incoming = temporalAttributes(body, map, now);
    if (!Object.keys(incoming).length) throw bad('Give at least one attribute with its instances.');
    const types = (await store.find(tenant, id))?.types ?? (await history.historyTypes(db, tenant, id));
    if (!types) throw problem('ResourceNotFound', `Entity ${id} has neither a current state nor a history.`);
    await store.writeTemporal(tenant, id, (before) => ({
      after: withLatest(before ?? { id, types, attrs: {}, createdAt: now, modifiedAt: now }, incoming, now),
      recorded: recordedOf(incoming),
    }));
    return c.body(null, 204);
  });

  // Delete an attribute's history (5.6.13): the default instances, one datasetId's, or all (deleteAll=true).
  app.delete(`${base}/:id/attrs/:attr`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'entity');
    const { map } = readContext(c, loadContext);
    const attr = expand(c.req.param('attr'), map);
    const datasetId = c.req.query('datasetId');
    const deleteAll = c.req.query('deleteAll') ?? 'false';
    if (deleteAll !== 'true' && deleteAll !== 'false') throw bad('deleteAll must be true or false.');
    if (datasetId !== undefined && !isUri(datasetId)) throw bad('datasetId must be a URI.');
    if (datasetId !== undefined && deleteAll === 'true') throw bad('Give datasetId or deleteAll=true, not both.');
    const which: history.DatasetChoice = deleteAll === 'true' ? { all: true } : { all: false, datasetId };
    if (!(await history.deleteAttributeHistory(db, tenant, id, attr, which)))
      throw problem(
        'ResourceNotFound',
        `Entity ${id} has no history of ${c.req.param('attr')}${datasetId ? ` with datasetId ${datasetId}` : ''}.`,
      );
    return c.body(null, 204);
  });

  // Modify an attribute instance (5.6.14): the members given replace the instance's; its instanceId stays.
  app.patch(`${base}/:id/attrs/:attr/:instanceId`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'entity');
    const seq = instanceSeq(c);
    const { body, map } = await readBody(c, loadContext);
    const name = c.req.param('attr')!;
    const attr = expand(name, map);
    const { '@context': _, ...rest } = body;
    // The fragment is the instance itself, or the instance under the attribute's name.
    let fragment: unknown = 'type' in rest || !(name in rest) ? rest : rest[name];
    if (Array.isArray(fragment)) {
      if (fragment.length !== 1) throw bad(`Attribute ${name}: give one instance.`);
      fragment = fragment[0];
    }
    if (!fragment || typeof fragment !== 'object') throw bad(`Attribute ${name}: the body must be an attribute instance.`);
    const now = new Date().toISOString();
    await db.transaction(async (tx) => {
      const row = await history.findHistoryInstance(tx, tenant, id, attr, seq);
      if (!row?.instance) throw problem('ResourceNotFound', `Attribute instance ${c.req.param('instanceId')} was not found.`);
      const old = renderInstance(row.instance, map, { keyValues: false, sysAttrs: false }) as Record<string, unknown>;
      const next = instances(name, { ...old, ...fragment }, map, now)[0]!;
      if (next.datasetId !== row.instance.datasetId) throw bad(`Attribute ${name}: an instance keeps its datasetId.`);
      await history.updateHistoryInstance(tx, seq, { ...next, createdAt: row.instance.createdAt });
    });
    return c.body(null, 204);
  });

  // Delete an attribute instance (5.6.15).
  app.delete(`${base}/:id/attrs/:attr/:instanceId`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'entity');
    const seq = instanceSeq(c);
    const { map } = readContext(c, loadContext);
    if (!(await history.deleteHistoryInstance(db, tenant, id, expand(c.req.param('attr'), map), seq)))
      throw problem('ResourceNotFound', `Attribute instance ${c.req.param('instanceId')} was not found.`);
    return c.body(null, 204);
  });

  return app;
}
