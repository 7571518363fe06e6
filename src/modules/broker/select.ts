// Which entities a query selects (ETSI GS CIM 009 v1.8, clause 5.7.2 and 4.9–4.10, 4.19): the filter read
// from the query parameters (or a Query body), and the page of entities it selects; shared by the entity
// query, the temporal query and periodic notifications.
import type { Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import { expand, type TermMap } from './context.ts';
import { isUri, type StoredEntity } from './entity.ts';
import { problem } from './errors.ts';
import { candidateBox, geoHolds, parseGeoQuery } from './geo.ts';
import { workBudget } from './limits.ts';
import { compilePattern } from './pattern.ts';
import { matches, parseQ, toJsonPath } from './q.ts';
import * as repo from './repository.ts';
import { parseScopeQ, scopeHolds } from './scope.ts';

/** The most candidates read in one round when q or a geo-query is checked in code. */
const MAX_ROUND = 2000;

/** Where a query's parameters come from: the URL, or the Query in a POST body. */
export type Params = (name: string) => string | undefined;

/** Entity filters from query parameters, shared by the entity and temporal queries. */
export function entityFilter(source: Context | Params, map: TermMap) {
  const get: Params = typeof source === 'function' ? source : (name) => source.req.query(name);
  const list = (name: string) => get(name)?.split(',').filter(Boolean);
  const types = list('type')?.map((t) => expand(t, map));
  const ids = list('id');
  const idPattern = get('idPattern');
  const attrs = list('attrs')?.map((a) => expand(a, map));
  const qText = get('q');
  const q = qText ? parseQ(qText) : undefined;
  const georel = get('georel');
  if (!georel && (get('geometry') !== undefined || get('coordinates') !== undefined))
    throw problem('BadRequestData', 'geometry and coordinates need georel (near, within, contains, intersects, disjoint or equals).');
  const geo = georel !== undefined ? parseGeoQuery(georel, get('geometry'), get('coordinates')) : undefined;
  const geoproperty = expand(get('geoproperty') ?? 'location', map);
  const scopeText = get('scopeQ');
  const scopeQ = scopeText ? parseScopeQ(scopeText) : undefined;
  if (ids?.some((id) => !isUri(id))) throw problem('BadRequestData', 'Each id must be a URI.');
  if (idPattern !== undefined) compilePattern(idPattern, 'idPattern');
  return {
    types,
    ids,
    idPattern,
    attrs,
    q,
    geo,
    geoproperty,
    scopeQ,
    empty: !types && !ids && !idPattern && !attrs && !q && !geo && !scopeQ,
  };
}
export type EntityFilter = ReturnType<typeof entityFilter>;

/**
 * The entities a filter selects, ordered by id and paged. The database narrows the candidates (type,
 * id, attributes, the geo index's boxes, q as a SQL/JSON path); idPattern (in linear time, pattern.ts),
 * q and the exact geo relation are then checked in code, a round of candidates at a time, stopping
 * once the page is full unless the total is wanted. The whole takes at most `queryMs` (TooComplexQuery).
 */
export async function selectEntities(
  db: Db,
  tenant: string,
  f: EntityFilter,
  map: TermMap,
  page: { limit: number; offset: number; count: boolean },
  queryMs: number,
) {
  const base: repo.EntityQuery = {
    types: f.types,
    ids: f.ids,
    attrs: f.attrs,
    limit: page.limit,
    offset: page.offset,
    timeoutMs: queryMs,
  };
  if (!f.q && !f.geo && !f.scopeQ && f.idPattern === undefined) return repo.queryEntities(db, tenant, base, page.count);
  const budget = workBudget(queryMs);
  const idRe = f.idPattern === undefined ? undefined : compilePattern(f.idPattern, 'idPattern');
  const geoBox = f.geo && candidateBox(f.geo);
  const narrowed: repo.EntityQuery = {
    ...base,
    jsonPath: f.q ? (toJsonPath(f.q, map) ?? undefined) : undefined,
    box: geoBox && { attr: f.geoproperty, ...geoBox },
    scoped: !!f.scopeQ,
  };
  const keep = (e: StoredEntity) =>
    (!idRe || idRe.test(e.id)) &&
    (!f.q || matches(e, f.q, map)) &&
    (!f.geo || geoHolds(e, f.geoproperty, f.geo)) &&
    (!f.scopeQ || scopeHolds(f.scopeQ, e.scope));
  const found: StoredEntity[] = [];
  let total = 0;
  let afterId: string | undefined;
  // The database's narrowing is often exact, so the first round asks for just the page; later rounds grow.
  let round = page.count ? MAX_ROUND : Math.min(MAX_ROUND, Math.max(page.offset + page.limit, 20));
  for (;;) {
    const { entities } = await repo.queryEntities(db, tenant, { ...narrowed, afterId, limit: round, offset: 0 }, false);
    for (const e of entities) {
      await budget.step();
      if (!keep(e)) continue;
      if (total >= page.offset && found.length < page.limit) found.push(e);
      total++;
    }
    if (entities.length < round || (!page.count && found.length >= page.limit)) break;
    afterId = entities.at(-1)!.id;
    round = Math.min(MAX_ROUND, round * 4);
  }
  return { entities: found, total: page.count ? total : null };
}
