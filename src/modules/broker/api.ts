// The NGSI-LD entity API (ETSI GS CIM 009 v1.8, clauses 5.6 and 5.7) at /ngsi-ld/v1.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { compact, expand, termMap, contextFromLink, type TermMap } from './context.ts';
import { attributesOf, instances, isUri, toStored, type Instance, type StoredEntity } from './entity.ts';
import { AppError } from '../../platform/errors.ts';
import { problem, problemDetails } from './errors.ts';
import { sendEntities } from './geojson.ts';
import { isNull, mergeEntity, mergeFragment, splitNulls } from './entity-merge.ts';
import { checkEntityLimits, limitsOf } from './limits.ts';
import { allow, entityParams } from './params.ts';
import { checkSameId, idParam, options, pathSegment, readBody, readContext, readJson, tenantOf, type Options } from './request.ts';
import type { RouteDeps } from './route-deps.ts';

/** Keeps each instance's creation time when an attribute is written again. */
const keepCreated = (old: Instance[] | undefined, list: Instance[]) =>
  list.map((i) => ({ ...i, createdAt: old?.find((x) => x.datasetId === i.datasetId)?.createdAt ?? i.createdAt }));

export function entityRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { store, loadContext, sources } = deps;

  app.post('/ngsi-ld/v1/entities', allow(entityParams.create), async (c) => {
    const tenant = tenantOf(c);
    const { body, map } = await readBody(c, loadContext);
    checkEntityLimits(body, limitsOf(c));
    const entity = toStored(body, map, new Date().toISOString());
    if (!(await store.create(tenant, [entity])).size) throw problem('AlreadyExists', `Entity ${entity.id} already exists.`);
    c.header('Location', `/ngsi-ld/v1/entities/${pathSegment(entity.id)}`);
    return c.body(null, 201);
  });

  app.get('/ngsi-ld/v1/entities/:id', allow(entityParams.retrieve), async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c, loadContext);
    const o = options(c);
    const id = idParam(c, 'entity');
    const local = await store.find(tenant, id);
    const e = sources ? await sources.retrieve(c, tenant, id, local, map) : local;
    if (!e) throw problem('ResourceNotFound', `Entity ${c.req.param('id')} was not found.`);
    const attrs = c.req.query('attrs');
    const ro = { ...o, attrs: attrs ? new Set(attrs.split(',').map((a) => expand(a, map))) : undefined, lang: c.req.query('lang') };
    return sendEntities(c, e, map, ro, link);
  });

  // Replace an entity (5.6.x, PUT): its attributes become the body's; its id and creation time stay.
  app.put('/ngsi-ld/v1/entities/:id', allow(entityParams.replace), async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'entity');
    const { body, map } = await readBody(c, loadContext);
    checkSameId(body, id);
    checkEntityLimits(body, limitsOf(c));
    const next = toStored({ ...body, id }, map, new Date().toISOString());
    await store.modify(tenant, id, (old) => ({ ...next, createdAt: old.createdAt }));
    return c.body(null, 204);
  });

  app.delete('/ngsi-ld/v1/entities/:id', allow(entityParams.delete), async (c) => {
    const tenant = tenantOf(c);
    await store.remove(tenant, idParam(c, 'entity'));
    return c.body(null, 204);
  });

  /** Append (POST) adds or replaces attributes; update (PATCH) changes only existing ones. */
  const changeAttrs = (mode: 'append' | 'update') => async (c: Context) => {
    const tenant = tenantOf(c);
    const o = options(c);
    const { body, map } = await readBody(c, loadContext);
    checkEntityLimits(body, limitsOf(c));
    const now = new Date().toISOString();
    // An update may delete with the NGSI-LD Null (5.6.2), as merge does.
    const { nulls, rest } = mode === 'update' ? splitNulls(body) : { nulls: {}, rest: body };
    const incoming = attributesOf(rest, map, now);
    for (const term of Object.keys(nulls)) incoming[expand(term, map)] = [];
    if (!Object.keys(incoming).length) throw problem('BadRequestData', 'The body names no attribute to append or update.');
    const notUpdated: { attributeName: string; reason: string }[] = [];
    await store.modify(tenant, idParam(c, 'entity'), (e) => {
      const attrs = { ...mergeFragment(e, nulls, map, now).attrs };
      for (const [name, list] of Object.entries(incoming)) {
        const exists = name in e.attrs;
        if ((mode === 'update' && !exists) || (mode === 'append' && exists && o.noOverwrite)) {
          notUpdated.push({
            attributeName: compact(name, map),
            reason: exists ? 'the attribute exists and noOverwrite was given' : 'the attribute does not exist',
          });
          continue;
        }
        if (list.length) attrs[name] = keepCreated(e.attrs[name], list);
      }
      return { ...e, attrs, modifiedAt: now };
    });
    if (!notUpdated.length) return c.body(null, 204);
    const updated = Object.keys(incoming)
      .map((n) => compact(n, map))
      .filter((n) => !notUpdated.some((x) => x.attributeName === n));
    return c.json({ updated, notUpdated }, 207);
  };
  app.post('/ngsi-ld/v1/entities/:id/attrs', allow(entityParams.appendAttrs), changeAttrs('append'));
  app.patch('/ngsi-ld/v1/entities/:id/attrs', allow(entityParams.updateAttrs), changeAttrs('update'));

  /** The body of a single-attribute request: the attribute itself, under its name from the path. */
  const oneAttribute = async (c: Context) => {
    const { body, map } = await readBody(c, loadContext);
    const name = expand(c.req.param('attr')!, map);
    const { '@context': _, ...fragment } = body;
    return { name, fragment, map, now: new Date().toISOString() };
  };

  // Partial attribute update (PATCH …/attrs/{attr}): the given members change, the others stay.
  app.patch('/ngsi-ld/v1/entities/:id/attrs/:attr', allow(entityParams.attr), async (c) => {
    const tenant = tenantOf(c);
    const { name, fragment, map, now } = await oneAttribute(c);
    await store.modify(tenant, idParam(c, 'entity'), (e) => {
      const old = e.attrs[name];
      if (!old) throw problem('ResourceNotFound', `Attribute ${c.req.param('attr')} was not found.`);
      const datasetId = fragment.datasetId as string | undefined;
      const target = old.find((i) => i.datasetId === datasetId);
      if (!target) throw problem('ResourceNotFound', `Attribute ${c.req.param('attr')} has no instance with that datasetId.`);
      // The NGSI-LD Null as the value deletes the instance (5.6.4).
      if (isNull(fragment)) return mergeFragment(e, { [c.req.param('attr')!]: fragment }, map, now);
      const { createdAt, modifiedAt, sub, ...current } = target;
      const merged = { ...current, ...Object.fromEntries(Object.entries(sub ?? {}).map(([k, v]) => [compact(k, map), v])), ...fragment };
      const [next] = instances(c.req.param('attr')!, merged, map, now);
      return {
        ...e,
        attrs: { ...e.attrs, [name]: old.map((i) => (i === target ? { ...next!, createdAt: target.createdAt } : i)) },
        modifiedAt: now,
      };
    });
    return c.body(null, 204);
  });

  // Replace an attribute (PUT …/attrs/{attr}).
  app.put('/ngsi-ld/v1/entities/:id/attrs/:attr', allow(entityParams.attr), async (c) => {
    const tenant = tenantOf(c);
    const { name, fragment, map, now } = await oneAttribute(c);
    const list = instances(c.req.param('attr')!, fragment, map, now);
    await store.modify(tenant, idParam(c, 'entity'), (e) => {
      if (!e.attrs[name]) throw problem('ResourceNotFound', `Attribute ${c.req.param('attr')} was not found.`);
      return { ...e, attrs: { ...e.attrs, [name]: keepCreated(e.attrs[name], list) }, modifiedAt: now };
    });
    return c.body(null, 204);
  });

  app.delete('/ngsi-ld/v1/entities/:id/attrs/:attr', allow(entityParams.deleteAttr), async (c) => {
    const tenant = tenantOf(c);
    const { map } = readContext(c, loadContext);
    const name = expand(c.req.param('attr'), map);
    // 5.6.5: the instance of datasetId, all of them with deleteAll=true, else the default instance.
    const datasetId = c.req.query('datasetId');
    const all = c.req.query('deleteAll') === 'true';
    if (datasetId !== undefined && all) throw problem('BadRequestData', 'Give datasetId or deleteAll=true, not both.');
    await store.modify(tenant, idParam(c, 'entity'), (e) => {
      const list = e.attrs[name];
      const keep = all ? [] : list?.filter((i) => i.datasetId !== datasetId);
      if (!list || keep!.length === list.length)
        throw problem(
          'ResourceNotFound',
          `Attribute ${c.req.param('attr')}${datasetId ? ` with datasetId ${datasetId}` : ''} was not found.`,
        );
      const attrs = { ...e.attrs, [name]: keep! };
      if (!keep!.length) delete attrs[name];
      return { ...e, attrs, modifiedAt: new Date().toISOString() };
    });
    return c.body(null, 204);
  });

  // Batch operations (5.6.7–5.6.10): each entity on its own; 207 lists what failed and why.
  type Failure = { entityId: string; error: object };
  const batchItems = async (c: Context) => {
    const { json, ld } = await readJson(c);
    if (!Array.isArray(json) || json.length === 0) throw problem('BadRequestData', 'A batch is a non-empty JSON array.');
    const limits = limitsOf(c);
    if (json.length > limits.batchEntities)
      throw problem('BadRequestData', `A batch has at most ${limits.batchEntities} entities here; this one has ${json.length}.`);
    json.forEach((item) => checkEntityLimits(item, limits));
    const linkMap = ld ? null : termMap(contextFromLink(c.req.header('Link')), loadContext);
    return {
      items: json as unknown[],
      mapOf: (item: unknown) => linkMap ?? termMap((item as Record<string, unknown>)?.['@context'], loadContext),
    };
  };
  const idOf = (item: unknown) => (typeof item === 'string' ? item : String((item as { id?: unknown })?.id ?? ''));
  const failure = (item: unknown, err: unknown): Failure => {
    if (!(err instanceof AppError)) throw err;
    return { entityId: idOf(item), error: problemDetails(err) };
  };
  const answer = (c: Context, success: string[], created: string[], errors: Failure[]) => {
    if (errors.length) return c.json({ success, errors }, 207);
    return created.length ? c.json(created, 201) : c.body(null, 204);
  };

  /** Batch create: every valid entity in one statement; those that exist are AlreadyExists. */
  app.post('/ngsi-ld/v1/entityOperations/create', allow(entityParams.batch), async (c) => {
    const tenant = tenantOf(c);
    const { items, mapOf } = await batchItems(c);
    const now = new Date().toISOString();
    const parsed = items.map((item) => {
      try {
        return toStored(item, mapOf(item), now);
      } catch (err) {
        return failure(item, err);
      }
    });
    const created = await store.create(
      tenant,
      parsed.filter((p): p is StoredEntity => !('error' in p)),
    );
    const seen = new Set<string>();
    const errors = parsed.flatMap((p) => {
      if ('error' in p) return [p];
      if (created.has(p.id) && !seen.has(p.id)) return (seen.add(p.id), []);
      return [{ entityId: p.id, error: problemDetails(problem('AlreadyExists', `Entity ${p.id} already exists.`)) }];
    });
    return answer(c, [...seen], [...seen], errors);
  });

  /** The other batch operations, one entity (and one transaction) at a time. */
  const batch =
    (run: (tenant: string, item: unknown, map: TermMap, now: string, o: Options) => Promise<'created' | 'done'>) => async (c: Context) => {
      const tenant = tenantOf(c);
      const o = options(c);
      const { items, mapOf } = await batchItems(c);
      const success: string[] = [];
      const created: string[] = [];
      const errors: Failure[] = [];
      const now = new Date().toISOString();
      for (const item of items) {
        try {
          if ((await run(tenant, item, mapOf(item), now, o)) === 'created') created.push(idOf(item));
          success.push(idOf(item));
        } catch (err) {
          errors.push(failure(item, err));
        }
      }
      return answer(c, success, created, errors);
    };

  app.post(
    '/ngsi-ld/v1/entityOperations/upsert',
    allow(entityParams.batch),
    batch(async (tenant, item, map, now, o) => {
      const e = toStored(item, map, now);
      if ((await store.create(tenant, [e])).size) return 'created';
      // options=update merges attributes; the default (replace) replaces the entity's attributes.
      await store.modify(tenant, e.id, (old) => ({
        ...e,
        attrs: o.update ? { ...old.attrs, ...e.attrs } : e.attrs,
        createdAt: old.createdAt,
      }));
      return 'done';
    }),
  );

  app.post(
    '/ngsi-ld/v1/entityOperations/update',
    allow(entityParams.batch),
    batch(async (tenant, item, map, now, o) => {
      const e = toStored(item, map, now);
      await store.modify(tenant, e.id, (old) => {
        const attrs = { ...old.attrs };
        for (const [k, v] of Object.entries(e.attrs)) if (!(o.noOverwrite && k in attrs)) attrs[k] = keepCreated(old.attrs[k], v);
        return { ...old, attrs, modifiedAt: now };
      });
      return 'done';
    }),
  );

  // Batch merge (5.6.20): each entity merged as PATCH /entities/{id} does (5.6.17).
  app.post(
    '/ngsi-ld/v1/entityOperations/merge',
    allow(entityParams.batch),
    batch(async (tenant, item, map, now) => {
      if (!item || typeof item !== 'object' || !isUri((item as { id?: unknown }).id))
        throw problem('BadRequestData', 'Each item of a merge batch is an entity fragment with its id.');
      await mergeEntity(store, tenant, (item as { id: string }).id, item as Record<string, unknown>, map, now);
      return 'done';
    }),
  );

  app.post(
    '/ngsi-ld/v1/entityOperations/delete',
    allow(entityParams.batch),
    batch(async (tenant, item) => {
      if (!isUri(item)) throw problem('BadRequestData', 'Each item of a delete batch is an entity id (a URI).');
      await store.remove(tenant, item);
      return 'done';
    }),
  );

  return app;
}
