// Geo-queries (ETSI GS CIM 009, clause 4.10): georel between an entity's GeoProperty and the query
// geometry, tested exactly in code (PGlite has no PostGIS). Distances are in metres on the sphere.
import booleanContains from '@turf/boolean-contains';
import booleanDisjoint from '@turf/boolean-disjoint';
import booleanEqual from '@turf/boolean-equal';
import booleanIntersects from '@turf/boolean-intersects';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import booleanWithin from '@turf/boolean-within';
import distance from '@turf/distance';
import { lineString, point, polygon } from '@turf/helpers';
import pointToLineDistance from '@turf/point-to-line-distance';
import type { Geometry, Position } from 'geojson';
import { checkGeometry, type StoredEntity } from './entity.ts';
import { problem } from './errors.ts';
import { indexGeo } from './repository.ts';
import type { ChangeListener, EntityChange } from './store.ts';

export type GeoRel =
  { rel: 'near'; maxDistance?: number; minDistance?: number } | { rel: 'within' | 'contains' | 'intersects' | 'disjoint' | 'equals' };

export interface GeoQuery {
  georel: GeoRel;
  geometry: Geometry;
}

const bad = (detail: string): never => {
  throw problem('BadRequestData', detail);
};

export function parseGeoQuery(georel: string, geometry: string | undefined, coordinates: string | undefined): GeoQuery {
  const [rel, ...mods] = georel.split(';');
  let g: GeoRel;
  if (rel === 'near') {
    const near: { rel: 'near'; maxDistance?: number; minDistance?: number } = { rel: 'near' };
    for (const m of mods) {
      const x = /^(maxDistance|minDistance)==(\d+(\.\d+)?)$/.exec(m);
      if (!x) bad('georel near takes maxDistance==<metres> and/or minDistance==<metres>.');
      near[x![1] as 'maxDistance' | 'minDistance'] = Number(x![2]);
    }
    if (near.maxDistance === undefined && near.minDistance === undefined) bad('georel near needs maxDistance or minDistance.');
    g = near;
  } else if (['within', 'contains', 'intersects', 'disjoint', 'equals'].includes(rel!) && mods.length === 0) {
    g = { rel: rel as 'within' };
  } else {
    return bad('georel must be near;maxDistance==…, within, contains, intersects, disjoint or equals.');
  }
  if (!geometry || !coordinates) bad('A geo-query needs georel, geometry and coordinates.');
  let coords: unknown;
  try {
    coords = JSON.parse(coordinates!);
  } catch {
    bad('coordinates must be a JSON array, for example [140.74,40.82].');
  }
  const geom = { type: geometry, coordinates: coords } as Geometry;
  checkGeometry(geom, 'The query geometry');
  if (g.rel === 'near' && geometry !== 'Point') bad('georel near needs a Point.');
  return { georel: g, geometry: geom };
}

const feature = (g: Geometry) => ({ type: 'Feature' as const, properties: {}, geometry: g });

/** Shortest distance in metres from a point to a geometry (0 inside a polygon). */
function distanceTo(p: Position, g: Geometry): number {
  const from = point(p);
  switch (g.type) {
    case 'Point':
      return distance(from, point(g.coordinates), { units: 'meters' });
    case 'MultiPoint':
      return Math.min(...g.coordinates.map((c) => distance(from, point(c), { units: 'meters' })));
    case 'LineString':
      return pointToLineDistance(from, lineString(g.coordinates), { units: 'meters' });
    case 'MultiLineString':
      return Math.min(...g.coordinates.map((l) => pointToLineDistance(from, lineString(l), { units: 'meters' })));
    case 'Polygon':
      return booleanPointInPolygon(from, polygon(g.coordinates))
        ? 0
        : Math.min(...g.coordinates.map((r) => pointToLineDistance(from, lineString(r), { units: 'meters' })));
    case 'MultiPolygon':
      return Math.min(...g.coordinates.map((poly) => distanceTo(p, { type: 'Polygon', coordinates: poly })));
    default:
      return Infinity;
  }
}

/** The most position pairs within or contains may compare (about 150 ms of turf). */
const MAX_PAIRS = 200_000;
function positions(g: Geometry) {
  let n = 0;
  const walk = (c: unknown): void => void (typeof (c as unknown[])[0] === 'number' ? n++ : (c as unknown[]).forEach(walk));
  walk((g as { coordinates: unknown }).coordinates);
  return n;
}

export function geoMatches(entityGeometry: Geometry, q: GeoQuery): boolean {
  const r = q.georel;
  if (r.rel === 'near') {
    const d = distanceTo((q.geometry as { coordinates: Position }).coordinates, entityGeometry);
    return (r.maxDistance === undefined || d <= r.maxDistance) && (r.minDistance === undefined || d >= r.minDistance);
  }
  // turf's within and contains compare every position of one with every edge of the other, and worse
  // (a minute for two polygons of a few thousand positions): past a bound the query is too complex.
  if ((r.rel === 'within' || r.rel === 'contains') && positions(entityGeometry) * positions(q.geometry) > MAX_PAIRS)
    throw problem('TooComplexQuery', `georel ${r.rel}: the geometries are too detailed to compare here; simplify the query geometry.`);
  const a = feature(entityGeometry);
  const b = feature(q.geometry);
  try {
    switch (r.rel) {
      case 'within':
        return booleanWithin(a, b);
      case 'contains':
        return booleanContains(a, b);
      case 'intersects':
        return booleanIntersects(a, b);
      case 'disjoint':
        return booleanDisjoint(a, b);
      case 'equals':
        return booleanEqual(a, b);
    }
  } catch (err) {
    // turf leaves some pairs out (a MultiLineString within a Polygon): the entity does not match.
    if (err instanceof Error && /not supported/.test(err.message)) return false;
    throw err;
  }
}

/** Whether one of the entity's instances of the GeoProperty is in the relation the query asks for. */
export const geoHolds = (e: StoredEntity, geoproperty: string, q: GeoQuery) =>
  (e.attrs[geoproperty] ?? []).some((i) => i.type === 'GeoProperty' && geoMatches(i.value as Geometry, q));

/** [minLon, minLat, maxLon, maxLat] of a geometry. */
export function bbox(g: Geometry): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    } else (c as unknown[]).forEach(walk);
  };
  walk((g as { coordinates: unknown }).coordinates);
  return b;
}

const METRES_PER_DEGREE = 111_320;

/**
 * The box an entity's geometry box must overlap (&&), lie in (<@) or hold (@>) to possibly match,
 * for the geo index; undefined when the box says nothing (disjoint, or near with only minDistance).
 */
export function candidateBox(q: GeoQuery): { op: '&&' | '<@' | '@>'; box: [number, number, number, number] } | undefined {
  const r = q.georel;
  const b = bbox(q.geometry);
  if (r.rel === 'near') {
    if (r.maxDistance === undefined) return undefined;
    // A little wider than the circle: the sphere is not quite what the degrees say.
    const dLat = (r.maxDistance * 1.01) / METRES_PER_DEGREE + 1e-6;
    const dLon = Math.min(180, dLat / Math.max(Math.cos((Math.min(89, Math.abs(b[1]) + dLat) * Math.PI) / 180), 1e-6));
    return { op: '&&', box: [b[0] - dLon, b[1] - dLat, b[2] + dLon, b[3] + dLat] };
  }
  if (r.rel === 'disjoint') return undefined;
  if (r.rel === 'within') return { op: '<@', box: b };
  if (r.rel === 'contains') return { op: '@>', box: b };
  return { op: '&&', box: b };
}

/** Keeps the geo index (broker_geo) in step with every entity change. */
export const indexGeoProperties: ChangeListener = async (tx, changes) => {
  const byTenant = new Map<string, EntityChange[]>();
  for (const ch of changes) byTenant.set(ch.tenant, [...(byTenant.get(ch.tenant) ?? []), ch]);
  for (const [tenant, list] of byTenant) {
    const hasGeo = (e?: StoredEntity) => !!e && Object.values(e.attrs).some((l) => l.some((i) => i.type === 'GeoProperty'));
    const removed = list.filter((ch) => hasGeo(ch.before)).map((ch) => ch.before!.id);
    const boxes = list.flatMap(({ after }) =>
      after
        ? Object.entries(after.attrs).flatMap(([attr, l]) =>
            l.filter((i) => i.type === 'GeoProperty').map((i) => ({ entityId: after.id, attr, box: bbox(i.value as Geometry) })),
          )
        : [],
    );
    await indexGeo(tx, tenant, removed, boxes);
  }
};
