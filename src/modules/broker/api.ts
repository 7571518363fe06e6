// The NGSI-LD API (ETSI GS CIM 009 v1.8) at /ngsi-ld/v1: entities and their attributes.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import { randomUUID } from 'node:crypto';
import { compact, contextFromLink, CORE_CONTEXT_URL, expand, termMap, type ContextLoader, type TermMap } from './context.ts';
import { attributesOf, isUri, render, toStored, type StoredEntity } from './entity.ts';
import { BrokerError } from './errors.ts';
import type { Geometry } from 'geojson';
import { geoMatches, parseGeoQuery } from './geo.ts';
import { matches, parseQ } from './q.ts';
import * as repo from './repository.ts';

export interface BrokerDeps {
  db: Db;
  loadContext: ContextLoader;
  /** Tenant -> API key for writes; null turns the write check off (NGSI_LD_AUTH=off). */
  apiKeys: Record<string, string> | null;
}

const MAX_LIMIT = 1000;
/** Entities a q query looks at, at most; beyond that the query must be narrowed. */
const Q_CANDIDATES = 100_000;

export function brokerRoutes(deps: BrokerDeps) {
  const app = new Hono();
  const { db } = deps;

  const tenantOf = (c: Context) => {
    const t = c.req.header('NGSILD-Tenant') ?? '';
    if (t && !/^[A-Za-z0-9_-]{1,64}$/.test(t))
      throw new BrokerError('BadRequestData', 'NGSILD-Tenant must be 1–64 letters, digits, "_" or "-".');
    return t;
  };

  const authorize = (c: Context, tenant: string) => {
    if (!deps.apiKeys) return;
    const key = deps.apiKeys[tenant];
    const given = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (!key || given !== key)
      throw new BrokerError('Unauthorized', 'Writing to this tenant needs its access token (Authorization: Bearer …).');
  };

  /** The request's body and its @context: from the body (application/ld+json) or the Link header. */
  const readBody = async (c: Context): Promise<{ body: Record<string, unknown>; map: TermMap }> => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
    if (type !== 'application/json' && type !== 'application/ld+json')
      throw new BrokerError('InvalidRequest', 'Content-Type must be application/json or application/ld+json.');
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new BrokerError('InvalidRequest', 'The body is not valid JSON.');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new BrokerError('BadRequestData', 'The body must be a JSON object.');
    const b = body as Record<string, unknown>;
    if (type === 'application/ld+json') {
      if (!('@context' in b)) throw new BrokerError('BadRequestData', 'With application/ld+json the body must have an @context.');
      if (c.req.header('Link'))
        throw new BrokerError('BadRequestData', 'Give the @context either in the body or in a Link header, not both.');
      return { body: b, map: termMap(b['@context'], deps.loadContext) };
    }
    if ('@context' in b) throw new BrokerError('BadRequestData', 'With application/json the @context goes in a Link header.');
    return { body: b, map: termMap(contextFromLink(c.req.header('Link')), deps.loadContext) };
  };

  const readContext = (c: Context) => {
    const link = contextFromLink(c.req.header('Link'));
    return { link, map: termMap(link, deps.loadContext) };
  };

  const options = (c: Context) => {
    const opts = new Set((c.req.query('options') ?? '').split(',').filter(Boolean));
    const format = c.req.query('format');
    for (const o of opts) {
      if (!['keyValues', 'sysAttrs', 'normalized', 'noOverwrite', 'update', 'replace'].includes(o))
        throw new BrokerError('BadRequestData', `Unknown option ${o}.`);
    }
    return {
      keyValues: opts.has('keyValues') || format === 'simplified' || format === 'keyValues',
      sysAttrs: opts.has('sysAttrs'),
      noOverwrite: opts.has('noOverwrite'),
      update: opts.has('update'),
    };
  };

  /** Sends entities compacted with the request's @context, as JSON with a Link header or as JSON-LD. */
  const send = (c: Context, data: unknown, link: string | undefined, status: 200 = 200) => {
    const context = link ?? CORE_CONTEXT_URL;
    if ((c.req.header('Accept') ?? '').includes('application/ld+json')) {
      const withContext = (e: unknown) => ({ '@context': context, ...(e as object) });
      return c.json(Array.isArray(data) ? data.map(withContext) : withContext(data), status, { 'Content-Type': 'application/ld+json' });
    }
    return c.json(data, status, { Link: `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` });
  };

  const entityOr404 = async (tenant: string, id: string) => {
    if (!isUri(id)) throw new BrokerError('BadRequestData', 'The entity id must be a URI.');
    const e = await repo.findEntity(db, tenant, id);
    if (!e) throw new BrokerError('ResourceNotFound', `Entity ${id} was not found.`);
    return e;
  };

  app.post('/ngsi-ld/v1/entities', async (c) => {
    const tenant = tenantOf(c);
    authorize(c, tenant);
    const { body, map } = await readBody(c);
    const entity = toStored(body, map, new Date().toISOString());
    if (!(await repo.insertEntity(db, tenant, entity))) throw new BrokerError('AlreadyExists', `Entity ${entity.id} already exists.`);
    c.header('Location', `/ngsi-ld/v1/entities/${encodeURIComponent(entity.id)}`);
    return c.body(null, 201);
  });

  app.get('/ngsi-ld/v1/entities/:id', async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c);
    const o = options(c);
    const e = await entityOr404(tenant, c.req.param('id'));
    const attrs = c.req.query('attrs');
    return send(c, render(e, map, { ...o, attrs: attrs ? new Set(attrs.split(',').map((a) => expand(a, map))) : undefined }), link);
  });

  app.get('/ngsi-ld/v1/entities', async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c);
    const o = options(c);
    const list = (name: string) => c.req.query(name)?.split(',').filter(Boolean);
    const types = list('type')?.map((t) => expand(t, map));
    const ids = list('id');
    const idPattern = c.req.query('idPattern');
    const attrs = list('attrs')?.map((a) => expand(a, map));
    const qText = c.req.query('q');
    const q = qText ? parseQ(qText) : undefined;
    const georel = c.req.query('georel');
    const geo = georel ? parseGeoQuery(georel, c.req.query('geometry'), c.req.query('coordinates')) : undefined;
    const geoproperty = expand(c.req.query('geoproperty') ?? 'location', map);
    if (!types && !ids && !idPattern && !attrs && !q && !geo) {
      throw new BrokerError('BadRequestData', 'Give at least one of type, id, idPattern, attrs, q or georel.');
    }
    if (ids?.some((id) => !isUri(id))) throw new BrokerError('BadRequestData', 'Each id must be a URI.');
    if (idPattern) {
      try {
        new RegExp(idPattern);
      } catch {
        throw new BrokerError('BadRequestData', 'idPattern is not a valid regular expression.');
      }
    }
    const limit = Number(c.req.query('limit') ?? 20);
    const offset = Number(c.req.query('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT)
      throw new BrokerError('BadRequestData', `limit must be an integer from 0 to ${MAX_LIMIT}.`);
    if (!Number.isInteger(offset) || offset < 0) throw new BrokerError('BadRequestData', 'offset must be a non-negative integer.');
    const withCount = c.req.query('count') === 'true';
    const filter = { types, ids, idPattern, attrs };
    // q and geo-queries are evaluated on the candidates the other restrictions select, then paged
    // (see docs/ngsi-ld.md).
    const keep = (e: StoredEntity) =>
      (!q || matches(e, q, map)) &&
      (!geo || (e.attrs[geoproperty] ?? []).some((i) => i.type === 'GeoProperty' && geoMatches(i.value as Geometry, geo)));
    const { entities, total } =
      q || geo
        ? await (async () => {
            const all = (await repo.queryEntities(db, tenant, { ...filter, limit: Q_CANDIDATES, offset: 0 }, false)).entities.filter(keep);
            return { entities: all.slice(offset, offset + limit), total: withCount ? all.length : null };
          })()
        : await repo.queryEntities(db, tenant, { ...filter, limit, offset }, withCount);
    if (total !== null) c.header('NGSILD-Results-Count', String(total));
    return send(
      c,
      entities.map((e) => render(e, map, { ...o, attrs: attrs ? new Set(attrs) : undefined })),
      link,
    );
  });

  app.delete('/ngsi-ld/v1/entities/:id', async (c) => {
    const tenant = tenantOf(c);
    authorize(c, tenant);
    await entityOr404(tenant, c.req.param('id'));
    await repo.deleteEntity(db, tenant, c.req.param('id'));
    return c.body(null, 204);
  });

  /** Append (POST) adds or replaces attributes; update (PATCH) changes only existing ones. */
  const changeAttrs = (mode: 'append' | 'update') => async (c: Context) => {
    const tenant = tenantOf(c);
    authorize(c, tenant);
    const o = options(c);
    const { body, map } = await readBody(c);
    const e = await entityOr404(tenant, c.req.param('id')!);
    const now = new Date().toISOString();
    const incoming = attributesOf(body, map, now);
    const notUpdated: { attributeName: string; reason: string }[] = [];
    const next: StoredEntity = { ...e, attrs: { ...e.attrs }, modifiedAt: now };
    for (const [name, list] of Object.entries(incoming)) {
      const exists = name in e.attrs;
      if ((mode === 'update' && !exists) || (mode === 'append' && exists && o.noOverwrite)) {
        notUpdated.push({
          attributeName: name,
          reason: exists ? 'the attribute exists and noOverwrite was given' : 'the attribute does not exist',
        });
        continue;
      }
      next.attrs[name] = list.map((i) => ({ ...i, createdAt: e.attrs[name]?.find((x) => x.datasetId === i.datasetId)?.createdAt ?? now }));
    }
    await repo.saveAttrs(db, tenant, next);
    if (!notUpdated.length) return c.body(null, 204);
    return c.json({ updated: Object.keys(incoming).filter((n) => !notUpdated.some((x) => x.attributeName === n)), notUpdated }, 207);
  };
  app.post('/ngsi-ld/v1/entities/:id/attrs', changeAttrs('append'));
  app.patch('/ngsi-ld/v1/entities/:id/attrs', changeAttrs('update'));

  app.delete('/ngsi-ld/v1/entities/:id/attrs/:attr', async (c) => {
    const tenant = tenantOf(c);
    authorize(c, tenant);
    const { map } = readContext(c);
    const e = await entityOr404(tenant, c.req.param('id'));
    const name = expand(c.req.param('attr'), map);
    if (!(name in e.attrs)) throw new BrokerError('ResourceNotFound', `Attribute ${c.req.param('attr')} was not found.`);
    const attrs = { ...e.attrs };
    delete attrs[name];
    await repo.saveAttrs(db, tenant, { ...e, attrs, modifiedAt: new Date().toISOString() });
    return c.body(null, 204);
  });

  // Batch operations (5.6.7–5.6.10): each entity on its own; 207 lists what failed and why.
  const batch =
    (run: (tenant: string, item: unknown, map: TermMap, now: string, opts: ReturnType<typeof options>) => Promise<'created' | 'done'>) =>
    async (c: Context) => {
      const tenant = tenantOf(c);
      authorize(c, tenant);
      const o = options(c);
      const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
      if (type !== 'application/json' && type !== 'application/ld+json')
        throw new BrokerError('InvalidRequest', 'Content-Type must be application/json or application/ld+json.');
      let items: unknown;
      try {
        items = JSON.parse(await c.req.text());
      } catch {
        throw new BrokerError('InvalidRequest', 'The body is not valid JSON.');
      }
      if (!Array.isArray(items) || items.length === 0) throw new BrokerError('BadRequestData', 'A batch is a non-empty JSON array.');
      const linkMap = type === 'application/json' ? termMap(contextFromLink(c.req.header('Link')), deps.loadContext) : null;
      const success: string[] = [];
      const created: string[] = [];
      const errors: { entityId: string; error: object }[] = [];
      const now = new Date().toISOString();
      for (const item of items) {
        const entityId = typeof item === 'string' ? item : String((item as { id?: unknown })?.id ?? '');
        try {
          const map = linkMap ?? termMap((item as Record<string, unknown>)?.['@context'], deps.loadContext);
          const result = await run(tenant, item, map, now, o);
          success.push(entityId);
          if (result === 'created') created.push(entityId);
        } catch (err) {
          if (!(err instanceof BrokerError)) throw err;
          errors.push({ entityId, error: err.toJSON() });
        }
      }
      if (errors.length) return c.json({ success, errors }, 207);
      return created.length ? c.json(created, 201) : c.body(null, 204);
    };

  app.post(
    '/ngsi-ld/v1/entityOperations/create',
    batch(async (tenant, item, map, now) => {
      const e = toStored(item, map, now);
      if (!(await repo.insertEntity(db, tenant, e))) throw new BrokerError('AlreadyExists', `Entity ${e.id} already exists.`);
      return 'created';
    }),
  );

  app.post(
    '/ngsi-ld/v1/entityOperations/upsert',
    batch(async (tenant, item, map, now, o) => {
      const e = toStored(item, map, now);
      if (await repo.insertEntity(db, tenant, e)) return 'created';
      const old = (await repo.findEntity(db, tenant, e.id))!;
      // options=update merges attributes; the default (replace) replaces the entity's attributes.
      const attrs = o.update ? { ...old.attrs, ...e.attrs } : e.attrs;
      await repo.replaceEntity(db, tenant, { ...e, attrs, createdAt: old.createdAt });
      return 'done';
    }),
  );

  app.post(
    '/ngsi-ld/v1/entityOperations/update',
    batch(async (tenant, item, map, now, o) => {
      const e = toStored(item, map, now);
      const old = await repo.findEntity(db, tenant, e.id);
      if (!old) throw new BrokerError('ResourceNotFound', `Entity ${e.id} was not found.`);
      const attrs = { ...old.attrs };
      for (const [k, v] of Object.entries(e.attrs)) if (!(o.noOverwrite && k in attrs)) attrs[k] = v;
      await repo.saveAttrs(db, tenant, { ...old, attrs, modifiedAt: now });
      return 'done';
    }),
  );

  app.post(
    '/ngsi-ld/v1/entityOperations/delete',
    batch(async (tenant, item) => {
      if (!isUri(item)) throw new BrokerError('BadRequestData', 'Each item of a delete batch is an entity id (a URI).');
      if (!(await repo.deleteEntity(db, tenant, item))) throw new BrokerError('ResourceNotFound', `Entity ${item} was not found.`);
      return 'done';
    }),
  );

  // Discovery (5.7.5–5.7.8).
  app.get('/ngsi-ld/v1/types', async (c) => {
    const { link, map } = readContext(c);
    const types = (await repo.entityTypes(db, tenantOf(c))).map((t) => compact(t, map));
    return send(c, { id: `urn:ngsi-ld:EntityTypeList:${randomUUID()}`, type: 'EntityTypeList', typeList: types }, link);
  });
  app.get('/ngsi-ld/v1/attributes', async (c) => {
    const { link, map } = readContext(c);
    const names = (await repo.attributeNames(db, tenantOf(c))).map((a) => compact(a, map));
    return send(c, { id: `urn:ngsi-ld:AttributeList:${randomUUID()}`, type: 'AttributeList', attributeList: names }, link);
  });

  app.onError((err, c) => {
    const e = err instanceof BrokerError ? err : new BrokerError('InternalError', 'The broker could not complete the request.');
    if (!(err instanceof BrokerError)) console.error(err);
    return c.json(e.toJSON(), e.status as 400);
  });

  return app;
}
