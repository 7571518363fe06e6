// The map data API: shelters as GeoJSON (RFC 7946) and the N03 boundaries, for the map and for other
// systems. A disaster peak is everyone asking for the same few answers, so each answer is serialised
// once per map version (memo below, dropped with the MapData it was made from) and then costs a Map
// lookup; ETags are the bytes' hash, so a client re-asking gets 304 until the data really changes.
import { Hono, type Context } from 'hono';
import { AppError, badRequest } from '../../platform/errors.ts';
import { encode, securityHeaders, sendEncoded, type Encoded } from '../../platform/http.ts';
import { distanceM, parsePoint } from './geo.ts';
import { isHazardType, type HazardType } from './hazards.ts';
import type { MapData, MapDataSource, Shelter, ShelterKind } from './shelters.ts';

const GEOJSON = 'application/geo+json';
/** Seconds a client or shared cache may reuse the shelters (status and occupancy change in a disaster). */
const SHELTERS_MAX_AGE = 60;
const BOUNDARY_MAX_AGE = 3600;
export const NEAR_DEFAULT = 10;
export const NEAR_MAX = 100;
/** Near-me answers kept per map version: distinct points are unbounded, memory is not. */
const NEAR_MEMO = 2000;

export interface ShelterQuery {
  municipality?: string;
  near?: [number, number];
  limit: number;
  hazard?: HazardType;
  kind?: ShelterKind;
}

const unknownMunicipality = () => new AppError(404, 'not_found', '指定された市町村は見つかりません。');

/** Checks the query of /api/v1/disaster/shelters (also used by the near-me page). */
export function shelterQuery(q: Record<string, string | undefined>): ShelterQuery {
  const { municipality, near, limit, hazard, kind } = q;
  if (municipality !== undefined && !/^\d{5}$/.test(municipality)) throw badRequest('municipality は5桁の市町村コードで指定してください。');
  const point = near === undefined ? undefined : parsePoint(near);
  if (near !== undefined && !point) throw badRequest('near は「経度,緯度」（例: 140.74,40.82）で指定してください。');
  if (limit !== undefined && (!point || !/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > NEAR_MAX))
    throw badRequest(`limit は near と一緒に、1から${NEAR_MAX}までの整数で指定してください。`);
  if (hazard !== undefined && !isHazardType(hazard)) throw badRequest('hazard は災害の種別（flood、tsunami など）で指定してください。');
  if (kind !== undefined && kind !== 'emergency' && kind !== 'evacuation')
    throw badRequest('kind は emergency か evacuation で指定してください。');
  return { municipality, near: point, limit: limit === undefined ? NEAR_DEFAULT : Number(limit), hazard, kind };
}

/** The shelters a query selects, nearest first when `near` is given (with their distance in metres). */
export function selectShelters(data: MapData, q: ShelterQuery): { shelter: Shelter; distance?: number }[] {
  let list: readonly Shelter[];
  if (q.municipality === undefined) list = [...data.shelters.values()];
  else {
    const own = data.byMunicipality.get(q.municipality);
    if (!own) throw unknownMunicipality();
    list = own;
  }
  const chosen = list.filter((s) => (!q.hazard || s.hazards.includes(q.hazard)) && (!q.kind || s.kind === q.kind));
  if (!q.near) return chosen.map((shelter) => ({ shelter }));
  const from = q.near;
  return chosen
    .map((shelter) => ({ shelter, distance: Math.round(distanceM(from, shelter.coordinates)) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, q.limit);
}

export const shelterFeature = (s: Shelter, distance?: number) => {
  const { coordinates, ...properties } = s;
  return {
    type: 'Feature',
    id: s.id,
    geometry: { type: 'Point', coordinates },
    properties: distance === undefined ? properties : { ...properties, distance },
  };
};

const keyOf = (q: ShelterQuery) =>
  [q.municipality ?? '', q.near?.join(',') ?? '', q.near ? q.limit : '', q.hazard ?? '', q.kind ?? ''].join('|');

export function mapApi(map: MapDataSource) {
  const memo = new WeakMap<MapData, { shelters: Map<string, Encoded>; near: number; boundaries: Map<string, Encoded> }>();
  const memoOf = (data: MapData) => {
    let m = memo.get(data);
    if (!m) memo.set(data, (m = { shelters: new Map(), near: 0, boundaries: new Map() }));
    return m;
  };

  const app = new Hono();
  app.get('/api/v1/disaster/shelters', async (c) => {
    const q = shelterQuery(c.req.query());
    const data = await map.get();
    const m = memoOf(data);
    const key = keyOf(q);
    let body = m.shelters.get(key);
    if (!body) {
      const features = selectShelters(data, q).map((r) => shelterFeature(r.shelter, r.distance));
      body = encode(JSON.stringify({ type: 'FeatureCollection', features }), GEOJSON);
      if (!q.near || m.near++ < NEAR_MEMO) m.shelters.set(key, body);
    }
    return send(c, body, SHELTERS_MAX_AGE);
  });

  // The N03 boundaries (the map's base layer): all 40, or one municipality's.
  app.get('/api/v1/disaster/boundaries', async (c) => {
    const code = c.req.query('municipality');
    if (code !== undefined && !/^\d{5}$/.test(code)) throw badRequest('municipality は5桁の市町村コードで指定してください。');
    const data = await map.get();
    if (code !== undefined && !data.municipalities.has(code)) throw unknownMunicipality();
    const m = memoOf(data);
    let body = m.boundaries.get(code ?? '');
    if (!body) {
      const features = [...data.municipalities.values()]
        .filter((x) => code === undefined || x.code === code)
        .map((x) => ({ type: 'Feature', id: x.code, geometry: x.boundary, properties: { code: x.code, name: x.name } }));
      body = encode(JSON.stringify({ type: 'FeatureCollection', features }), GEOJSON);
      m.boundaries.set(code ?? '', body);
    }
    return send(c, body, BOUNDARY_MAX_AGE);
  });
  return app;
}

// If-None-Match may list several tags (RFC 9110 13.1.2); sendEncoded compares one.
function send(c: Context, body: Encoded, maxAge: number) {
  const tags = c.req
    .header('if-none-match')
    ?.split(',')
    .map((t) => t.trim().replace(/^W\//, ''));
  if (tags?.includes(body.etag) || tags?.includes('*')) {
    return new Response(null, {
      status: 304,
      headers: { etag: body.etag, 'cache-control': `public, max-age=${maxAge}`, ...securityHeaders },
    });
  }
  return sendEncoded(c, body, maxAge);
}
