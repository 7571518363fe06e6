// A drawn alert area: checked as a simple GeoJSON Polygon (RFC 7946 §3.1.6: closed linear rings, at most
// MAX_VERTICES positions, no ring crossing itself or another) and matched to the municipalities it touches.
// Pure; small enough for the form's few hundred vertices against the N03 boundaries.
import type { Municipality } from './shelters.ts';

export const MAX_VERTICES = 500;
type Pos = [number, number];
export interface Polygon {
  type: 'Polygon';
  coordinates: Pos[][];
}

/** The polygon, or the reason it is refused (Japanese, for the form). */
export function checkPolygon(value: unknown): Polygon | string {
  const g = (value as { type?: string; geometry?: unknown })?.type === 'Feature' ? (value as { geometry: unknown }).geometry : value;
  const p = g as { type?: unknown; coordinates?: unknown };
  if (p?.type !== 'Polygon' || !Array.isArray(p.coordinates) || p.coordinates.length === 0)
    return 'GeoJSON の Polygon を指定してください。';
  const rings = p.coordinates as unknown[];
  let count = 0;
  for (const ring of rings) {
    if (!Array.isArray(ring) || ring.length < 4) return '範囲の輪郭には4点以上（最初と最後は同じ点）が必要です。';
    count += ring.length;
    if (count > MAX_VERTICES) return `範囲の頂点は${MAX_VERTICES}個までです。`;
    for (const pos of ring) {
      const ok = Array.isArray(pos) && pos.length >= 2 && pos.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n));
      if (!ok || Math.abs(pos[0]) > 180 || Math.abs(pos[1]) > 90) return '範囲の座標は [経度, 緯度] の数の組です。';
    }
    const [f, l] = [ring[0] as Pos, ring.at(-1) as Pos];
    if (f[0] !== l[0] || f[1] !== l[1]) return '範囲の輪郭は閉じていません（最初と最後の点を同じにしてください）。';
  }
  const clean = (rings as Pos[][]).map((r) => r.map((q) => [q[0], q[1]] as Pos));
  if (crosses(clean)) return '範囲の輪郭が交差しています。交差しない多角形を描いてください。';
  return { type: 'Polygon', coordinates: clean };
}

const orient = (a: Pos, b: Pos, c: Pos) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
const segmentsCross = (a: Pos, b: Pos, c: Pos, d: Pos) => orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0;

/** Any two edges that are not neighbours on one ring cross (proper crossings; n ≤ 500 keeps n² small). */
function crosses(rings: Pos[][]): boolean {
  const edges = rings.flatMap((r, ri) => r.slice(1).map((q, i) => ({ a: r[i]!, b: q, ri, i, n: r.length - 1 })));
  for (let x = 0; x < edges.length; x++) {
    for (let y = x + 1; y < edges.length; y++) {
      const [e, f] = [edges[x]!, edges[y]!];
      const neighbours = e.ri === f.ri && (f.i - e.i === 1 || (e.i === 0 && f.i === e.n - 1));
      if (!neighbours && segmentsCross(e.a, e.b, f.a, f.b)) return true;
    }
  }
  return false;
}

/** Ray casting over one ring (even-odd). */
function inRing(p: Pos, ring: Pos[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i]!, ring[j]!];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}
const inPolygon = (p: Pos, rings: Pos[][]) => inRing(p, rings[0]!) && !rings.slice(1).some((h) => inRing(p, h));

type Box = [number, number, number, number];
const boxOf = (pts: Pos[]): Box =>
  pts.reduce<Box>(
    (b, [x, y]) => [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)],
    [Infinity, Infinity, -Infinity, -Infinity],
  );

/** The codes of the municipalities the polygon overlaps: a vertex of one inside the other, or crossing edges. */
export function touchedMunicipalities(area: Polygon, municipalities: Iterable<Municipality>): string[] {
  const outer = area.coordinates[0]!;
  const box = boxOf(outer);
  const touched: string[] = [];
  for (const m of municipalities) {
    const parts = (m.boundary?.coordinates ?? []) as Pos[][][];
    const hit = parts.some((rings) => {
      const ring = rings[0] ?? [];
      const b = boxOf(ring);
      if (b[0] > box[2] || b[2] < box[0] || b[1] > box[3] || b[3] < box[1]) return false;
      if (outer.some((p) => inPolygon(p, rings)) || ring.some((p) => inRing(p, outer))) return true;
      return ring.slice(1).some((q, i) => outer.slice(1).some((r, k) => segmentsCross(ring[i]!, q, outer[k]!, r)));
    });
    if (hit) touched.push(m.code);
  }
  return touched.sort();
}

/** The municipality whose boundary holds the point (photo reports), if any. */
export function municipalityAt(point: Pos, municipalities: Iterable<Municipality>): string | undefined {
  for (const m of municipalities)
    if (((m.boundary?.coordinates ?? []) as Pos[][][]).some((rings) => inPolygon(point, rings))) return m.code;
  return undefined;
}
