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
import { checkGeometry } from './entity.ts';
import { BrokerError } from './errors.ts';

export type GeoRel =
  { rel: 'near'; maxDistance?: number; minDistance?: number } | { rel: 'within' | 'contains' | 'intersects' | 'disjoint' | 'equals' };

export interface GeoQuery {
  georel: GeoRel;
  geometry: Geometry;
}

const bad = (detail: string): never => {
  throw new BrokerError('BadRequestData', detail);
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

export function geoMatches(entityGeometry: Geometry, q: GeoQuery): boolean {
  const r = q.georel;
  if (r.rel === 'near') {
    const d = distanceTo((q.geometry as { coordinates: Position }).coordinates, entityGeometry);
    return (r.maxDistance === undefined || d <= r.maxDistance) && (r.minDistance === undefined || d >= r.minDistance);
  }
  const a = feature(entityGeometry);
  const b = feature(q.geometry);
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
}
