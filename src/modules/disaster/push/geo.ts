// Whether a registered circle (a point and a radius in metres) touches an alert's area (GeoJSON
// Polygon/MultiPolygon rings, lon/lat). Distances on a local equirectangular plane around the circle's
// centre: exact enough at the few-km radii a my-area has. Pure.

export type Ring = number[][];
export type Area = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
export interface Box {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

const M_PER_DEG_LAT = 110_574;
const mPerDegLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);

export const polygonsOf = (a: Area): Ring[][] => (a.type === 'Polygon' ? [a.coordinates] : a.coordinates);

/** The circle's bounding box in degrees. */
export function circleBox([lon, lat]: [number, number], radius: number): Box {
  const dLat = radius / M_PER_DEG_LAT;
  const dLon = radius / Math.max(mPerDegLon(lat), 1);
  return { minLon: lon - dLon, minLat: lat - dLat, maxLon: lon + dLon, maxLat: lat + dLat };
}

export function areaBox(areas: Area[]): Box | undefined {
  let box: Box | undefined;
  for (const a of areas)
    for (const poly of polygonsOf(a))
      for (const ring of poly)
        for (const [lon, lat] of ring) {
          if (!box) box = { minLon: lon!, minLat: lat!, maxLon: lon!, maxLat: lat! };
          else {
            box.minLon = Math.min(box.minLon, lon!);
            box.maxLon = Math.max(box.maxLon, lon!);
            box.minLat = Math.min(box.minLat, lat!);
            box.maxLat = Math.max(box.maxLat, lat!);
          }
        }
  return box;
}

/** Even-odd rule over all rings (holes included). */
function inside(x: number, y: number, rings: Ring[]): boolean {
  let odd = false;
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) odd = !odd;
    }
  return odd;
}

/** Squared distance (m²) from the origin to the segment a–b (metres). */
function segment2(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
  const x = ax + t * dx;
  const y = ay + t * dy;
  return x * x + y * y;
}

export function circleTouches(center: [number, number], radius: number, area: Area): boolean {
  const [lon0, lat0] = center;
  const kx = mPerDegLon(lat0);
  const r2 = radius * radius;
  for (const poly of polygonsOf(area)) {
    if (inside(lon0, lat0, poly)) return true;
    for (const ring of poly)
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1]!;
        const b = ring[i]!;
        const d = segment2((a[0]! - lon0) * kx, (a[1]! - lat0) * M_PER_DEG_LAT, (b[0]! - lon0) * kx, (b[1]! - lat0) * M_PER_DEG_LAT);
        if (d <= r2) return true;
      }
  }
  return false;
}
