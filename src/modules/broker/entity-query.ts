// Querying and purging entities (ETSI GS CIM 009 v1.8): GET /entities (5.7.2), the same query sent as a
// Query in the body of POST /entityOperations/query (5.7.2, 6.23), and purge, DELETE /entities (5.6.21).
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { RouteDeps } from './route-deps.ts';
import { entityFilter, selectEntities, type EntityFilter, type Params } from './select.ts';
import type { TermMap } from './context.ts';
import { isProblem, problem } from './errors.ts';
import { sendEntities } from './geojson.ts';
import { representationOf } from './media.ts';
import { limitsOf } from './limits.ts';
import { allow, entityParams } from './params.ts';
import { options, paging, readBody, readContext, tenantOf } from './request.ts';

const bad = (detail: string) => problem('BadRequestData', detail);

/** The Query members this broker evaluates; the others (temporalQ, csf…) are refused by name. */
const queryMembers = new Set(['type', 'entities', 'attrs', 'q', 'geoQ', 'scopeQ', 'lang', '@context']);

/**
 * A Query (5.2.23) as the query parameters it means. Several entity selectors are one filter when they
 * differ only in type, or name ids of one type; other mixes cannot be one filter and are refused.
 */
export function paramsOfQuery(body: Record<string, unknown>): Params {
  if (body.type !== 'Query') throw bad('The body must be a Query: {"type": "Query", …}.');
  for (const k of Object.keys(body)) if (!queryMembers.has(k)) throw bad(`The Query member ${k} is not supported here.`);
  const p: Record<string, string | undefined> = {};
  const text = (name: string, v: unknown) => {
    if (v === undefined) return;
    if (typeof v !== 'string') throw bad(`The Query member ${name} must be a string.`);
    p[name] = v;
  };
  if (body.entities !== undefined) {
    const sel = body.entities as { type?: unknown; id?: unknown; idPattern?: unknown }[];
    if (!Array.isArray(sel) || !sel.length || !sel.every((s) => s && typeof s === 'object' && typeof s.type === 'string'))
      throw bad('entities must be a non-empty list of selectors, each with a type.');
    const types = [...new Set(sel.map((s) => s.type as string))];
    if (sel.length === 1) Object.assign(p, { type: types[0], id: sel[0]!.id, idPattern: sel[0]!.idPattern });
    else if (sel.every((s) => s.id === undefined && s.idPattern === undefined)) p.type = types.join(',');
    else if (types.length === 1 && sel.every((s) => typeof s.id === 'string' && s.idPattern === undefined))
      Object.assign(p, { type: types[0], id: sel.map((s) => s.id).join(',') });
    else throw problem('OperationNotSupported', 'Several entity selectors must differ only in type, or all name an id of one type.');
    for (const k of ['id', 'idPattern'] as const)
      if (p[k] !== undefined && typeof p[k] !== 'string') throw bad(`entities[].${k} must be a string.`);
  }
  if (body.attrs !== undefined) {
    if (!Array.isArray(body.attrs) || !body.attrs.every((a) => typeof a === 'string')) throw bad('attrs must be a list of names.');
    p.attrs = body.attrs.join(',');
  }
  text('q', body.q);
  text('scopeQ', body.scopeQ);
  text('lang', body.lang);
  if (body.geoQ !== undefined) {
    const g = body.geoQ as Record<string, unknown>;
    if (!g || typeof g !== 'object') throw bad('geoQ must be an object with geometry, coordinates and georel.');
    text('georel', g.georel);
    text('geometry', g.geometry);
    text('geoproperty', g.geoproperty);
    p.coordinates = typeof g.coordinates === 'string' ? g.coordinates : JSON.stringify(g.coordinates);
  }
  return (name) => p[name];
}

/** Answers a query: the page of entities the filter selects, as JSON, JSON-LD or GeoJSON. */
async function answer(c: Context, deps: RouteDeps, f: EntityFilter, map: TermMap, link: string | undefined, lang: string | undefined) {
  if (f.empty) throw bad('Give at least one of type, id, idPattern, attrs, q or georel.');
  // An Accept the broker cannot answer is refused before the query runs.
  representationOf(c, ['json', 'ld', 'geo']);
  const tenant = tenantOf(c);
  const page = paging(c);
  const local = (p: typeof page) => selectEntities(deps.db, tenant, f, map, p, limitsOf(c).queryMs);
  // Registered context sources are asked for GET /entities (forward.ts reads its query parameters);
  // a query in a POST body is answered from local entities only.
  const { sources } = deps;
  const { entities, total } = sources && c.req.method === 'GET' ? await sources.query(c, tenant, f, map, page, local) : await local(page);
  if (total !== null) c.header('NGSILD-Results-Count', String(total));
  const ro = { ...options(c), attrs: f.attrs ? new Set(f.attrs) : undefined, lang };
  return sendEntities(c, entities, map, ro, link);
}

/** How many entities purge selects and deletes at a time. */
const PURGE_ROUND = 500;

export function entityQueryRoutes(deps: RouteDeps) {
  const app = new Hono();

  app.get('/ngsi-ld/v1/entities', allow(entityParams.query), async (c) => {
    const { link, map } = readContext(c, deps.loadContext);
    return answer(c, deps, entityFilter(c, map), map, link, c.req.query('lang'));
  });

  app.post('/ngsi-ld/v1/entityOperations/query', allow(entityParams.postQuery), async (c) => {
    const { body, map, context } = await readBody(c, deps.loadContext);
    const params = paramsOfQuery(body);
    // A JSON-LD body's @context answers as the Link header's would (5.7.2, 6.3.5).
    const link = typeof context === 'string' ? context : undefined;
    return answer(c, deps, entityFilter(params, map), map, link, params('lang'));
  });

  // Purge entities (5.6.21): deletes every entity the filter selects, each in its own transaction.
  app.delete('/ngsi-ld/v1/entities', allow(entityParams.purge), async (c) => {
    const tenant = tenantOf(c);
    const { map } = readContext(c, deps.loadContext);
    const f = entityFilter(c, map);
    if (!f.types && !f.ids && !f.idPattern && !f.q) throw bad('Give at least one of type, id, idPattern or q.');
    for (;;) {
      const { entities } = await selectEntities(
        deps.db,
        tenant,
        f,
        map,
        { limit: PURGE_ROUND, offset: 0, count: false },
        limitsOf(c).queryMs,
      );
      let removed = 0;
      for (const e of entities) {
        // One deleted meanwhile by another request is gone all the same.
        await deps.store.remove(tenant, e.id).then(
          () => removed++,
          (err) => isProblem(err, 'ResourceNotFound') || Promise.reject(err),
        );
      }
      if (entities.length < PURGE_ROUND || !removed) break;
    }
    return c.body(null, 204);
  });

  return app;
}
