// Discovery of what a tenant holds (ETSI GS CIM 009 v1.8, 5.7.5–5.7.8): the entity types and attributes,
// as lists of names, with details=true as EntityType / Attribute objects, and one type or attribute by name.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { RouteDeps } from './route-deps.ts';
import { compact, expand, type TermMap } from './context.ts';
import { problem } from './errors.ts';
import { allow, entityParams } from './params.ts';
import * as repo from './repository.ts';
import { readContext, send, tenantOf } from './request.ts';

type Counts = Awaited<ReturnType<typeof repo.typeAttributeCounts>>;
/** Distinct, in code-point order of the IRIs (the database's collation may order differently). */
const unique = (list: (string | null)[]) => [...new Set(list.filter((x): x is string => x !== null))].sort();

/** One attribute across the tenant: its name, the types that have it and (with `count`) its kinds and count. */
function attribute(rows: Counts, iri: string, map: TermMap, count?: number) {
  const mine = rows.filter((r) => r.attr === iri);
  const base = { id: iri, type: 'Attribute', attributeName: compact(iri, map) };
  const typeNames = unique(mine.map((r) => r.type)).map((t) => compact(t, map));
  if (count === undefined) return { ...base, typeNames };
  return { ...base, attributeCount: count, attributeTypes: unique(mine.map((r) => r.kind)), typeNames };
}

export function discoveryRoutes({ db, loadContext }: RouteDeps) {
  const app = new Hono();
  const details = (c: Context) => {
    const d = c.req.query('details');
    if (d !== undefined && d !== 'true' && d !== 'false') throw problem('BadRequestData', 'details must be true or false.');
    return d === 'true';
  };

  app.get('/ngsi-ld/v1/types', allow(entityParams.discovery), async (c) => {
    const { link, map } = readContext(c, loadContext);
    if (!details(c)) {
      const types = (await repo.entityTypes(db, tenantOf(c))).map((t) => compact(t, map));
      return send(c, { id: `urn:ngsi-ld:EntityTypeList:${randomUUID()}`, type: 'EntityTypeList', typeList: types }, link);
    }
    const rows = await repo.typeAttributeCounts(db, tenantOf(c));
    const types = unique(rows.map((r) => r.type));
    const list = types.map((t) => ({
      id: t,
      type: 'EntityType',
      typeName: compact(t, map),
      attributeNames: unique(rows.filter((r) => r.type === t).map((r) => r.attr)).map((a) => compact(a, map)),
    }));
    return send(c, list, link);
  });

  app.get('/ngsi-ld/v1/types/:type', allow(entityParams.discovery), async (c) => {
    const { link, map } = readContext(c, loadContext);
    const iri = expand(c.req.param('type'), map);
    const [rows, counts] = await Promise.all([repo.typeAttributeCounts(db, tenantOf(c)), repo.typeCounts(db, tenantOf(c))]);
    if (!counts.has(iri)) throw problem('ResourceNotFound', `No entity has the type ${c.req.param('type')}.`);
    const mine = rows.filter((r) => r.type === iri);
    const attributeDetails = unique(mine.map((r) => r.attr)).map((a) => ({
      id: a,
      type: 'Attribute',
      attributeName: compact(a, map),
      attributeTypes: unique(mine.filter((r) => r.attr === a).map((r) => r.kind)),
    }));
    return send(c, { id: iri, type: 'EntityTypeInfo', typeName: compact(iri, map), entityCount: counts.get(iri), attributeDetails }, link);
  });

  app.get('/ngsi-ld/v1/attributes', allow(entityParams.discovery), async (c) => {
    const { link, map } = readContext(c, loadContext);
    if (!details(c)) {
      const names = (await repo.attributeNames(db, tenantOf(c))).map((a) => compact(a, map));
      return send(c, { id: `urn:ngsi-ld:AttributeList:${randomUUID()}`, type: 'AttributeList', attributeList: names }, link);
    }
    const rows = await repo.typeAttributeCounts(db, tenantOf(c));
    return send(
      c,
      unique(rows.map((r) => r.attr)).map((a) => attribute(rows, a, map)),
      link,
    );
  });

  app.get('/ngsi-ld/v1/attributes/:attr', allow(entityParams.discovery), async (c) => {
    const { link, map } = readContext(c, loadContext);
    const iri = expand(c.req.param('attr'), map);
    const [rows, n] = await Promise.all([repo.typeAttributeCounts(db, tenantOf(c)), repo.attributeCount(db, tenantOf(c), iri)]);
    if (!n) throw problem('ResourceNotFound', `No entity has the attribute ${c.req.param('attr')}.`);
    return send(c, attribute(rows, iri, map, n), link);
  });

  return app;
}
