// The GeoJSON representation of entities (ETSI GS CIM 009 v1.8, 4.5.16–4.5.17, 6.3.15): what map clients
// get with Accept: application/geo+json from GET /entities and GET /entities/{id}; sendEntities answers
// those reads in whichever representation was asked for.
import type { Context } from 'hono';
import { CORE_CONTEXT_URL, expand, type TermMap } from './context.ts';
import { checkGeometry, render, type RenderOptions, type StoredEntity } from './entity.ts';
import { representationOf } from './media.ts';
import { send } from './request.ts';

/**
 * The geometry of a Feature: the value of the entity's `geometryProperty` (default `location`), its
 * default instance (no datasetId) when it has several; null when missing or not a GeoJSON geometry.
 */
function geometryOf(e: StoredEntity, attr: string) {
  const list = e.attrs[attr];
  const chosen = list?.find((i) => i.datasetId === undefined) ?? list?.[0];
  try {
    checkGeometry(chosen?.value, attr);
    return chosen!.value;
  } catch {
    return null;
  }
}

/** One entity as a Feature: its id, the geometry, and the entity's type and attributes as `properties`. */
function feature(e: StoredEntity, attr: string, map: TermMap, o: RenderOptions) {
  const { id, ...properties } = render(e, map, o);
  return { id, type: 'Feature', geometry: geometryOf(e, attr), properties };
}

/**
 * Answers with a Feature (one entity) or a FeatureCollection (a query), the @context as a member at the
 * top only (the features of a collection carry none, 4.5.17).
 */
export function sendGeoJson(c: Context, data: StoredEntity | StoredEntity[], map: TermMap, o: RenderOptions, link: string | undefined) {
  const attr = expand(c.req.query('geometryProperty') ?? 'location', map);
  const context = link ?? CORE_CONTEXT_URL;
  const body = Array.isArray(data)
    ? { type: 'FeatureCollection', features: data.map((e) => feature(e, attr, map, o)), '@context': context }
    : { ...feature(data, attr, map, o), '@context': context };
  return c.json(body, 200, { 'Content-Type': 'application/geo+json' });
}

/** An entity (a retrieval) or a page of them (a query) as JSON, JSON-LD or GeoJSON, as the Accept header asks. */
export function sendEntities(c: Context, data: StoredEntity | StoredEntity[], map: TermMap, o: RenderOptions, link: string | undefined) {
  if (representationOf(c, ['json', 'ld', 'geo']) === 'geo') return sendGeoJson(c, data, map, o, link);
  return send(c, Array.isArray(data) ? data.map((e) => render(e, map, o)) : render(data, map, o), link);
}
