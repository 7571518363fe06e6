// The offline pack's precomputed answer to 「どこへ逃げればいい？」 without a network: a grid of cells
// (~500 m) over a municipality, and for each cell inside it the nearest 指定緊急避難場所 designated for
// each of the eight hazards, by straight-line (great-circle) distance from the cell's centre. The app
// looks a position up in it offline; routes on the road network need the server. Pure: no I/O.
import { hazardTypes, type HazardType } from './hazards.ts';

export interface GridShelter {
  kind: 'emergency' | 'evacuation';
  /** [lon, lat] */
  coordinates: [number, number];
  hazards: readonly HazardType[];
}

export interface NearestGrid {
  cellMetres: number;
  /** The south-west corner of cell 0 and a cell's size, in degrees. */
  west: number;
  south: number;
  cellLon: number;
  cellLat: number;
  cols: number;
  rows: number;
  /**
   * Per hazard, row-major from the south-west (index = row * cols + col): the index of the nearest
   * suitable shelter in the list given; null for a cell whose centre is outside the municipality or
   * when no shelter there is designated for that hazard.
   */
  nearest: Record<HazardType, (number | null)[]>;
}

const EARTH_RADIUS = 6_371_008.8;
const METRES_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMetres([lon1, lat1]: readonly number[], [lon2, lat2]: readonly number[]): number {
  const a = Math.sin(rad(lat2! - lat1!) / 2) ** 2 + Math.cos(rad(lat1!)) * Math.cos(rad(lat2!)) * Math.sin(rad(lon2! - lon1!) / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Even-odd rule over every ring, so holes (and islands in holes) count right. */
function inside([x, y]: readonly [number, number], polygons: number[][][][]): boolean {
  let hit = false;
  for (const polygon of polygons)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) hit = !hit;
      }
  return hit;
}

export function nearestGrid(boundary: number[][][][], shelters: readonly GridShelter[], cellMetres = 500): NearestGrid {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of boundary)
    for (const [lon, lat] of polygon[0] ?? []) {
      west = Math.min(west, lon!);
      east = Math.max(east, lon!);
      south = Math.min(south, lat!);
      north = Math.max(north, lat!);
    }
  const nearest = Object.fromEntries(hazardTypes.map((h) => [h, [] as (number | null)[]])) as NearestGrid['nearest'];
  if (west > east) return { cellMetres, west: 0, south: 0, cellLon: 0, cellLat: 0, cols: 0, rows: 0, nearest };
  const cellLat = cellMetres / METRES_PER_DEGREE;
  const cellLon = cellMetres / (METRES_PER_DEGREE * Math.cos(rad((south + north) / 2)));
  const cols = Math.max(1, Math.ceil((east - west) / cellLon));
  const rows = Math.max(1, Math.ceil((north - south) / cellLat));
  const candidates = shelters.flatMap((s, i) => (s.kind === 'emergency' && s.hazards.length ? [{ i, s }] : []));
  for (let row = 0; row < rows; row++)
    for (let col = 0; col < cols; col++) {
      const centre: [number, number] = [west + (col + 0.5) * cellLon, south + (row + 0.5) * cellLat];
      const best = new Map<HazardType, { i: number; d: number }>();
      if (inside(centre, boundary))
        for (const { i, s } of candidates) {
          // One distance per shelter, shared by the hazards it is designated for.
          const d = distanceMetres(centre, s.coordinates);
          for (const h of s.hazards) if (d < (best.get(h)?.d ?? Infinity)) best.set(h, { i, d });
        }
      for (const h of hazardTypes) nearest[h].push(best.get(h)?.i ?? null);
    }
  return { cellMetres, west, south, cellLon, cellLat, cols, rows, nearest };
}

/** The cell a point falls in, or undefined outside the grid (what the app does offline). */
export function cellOf(grid: NearestGrid, [lon, lat]: readonly [number, number]): number | undefined {
  const col = Math.floor((lon - grid.west) / grid.cellLon);
  const row = Math.floor((lat - grid.south) / grid.cellLat);
  return col >= 0 && col < grid.cols && row >= 0 && row < grid.rows ? row * grid.cols + col : undefined;
}
