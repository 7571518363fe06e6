// An account's マイエリア point (home, work) is personal data: it is sealed with the residents' key ring
// (residents/held.ts; the table is in heldSealedColumns) and only a coarse box is kept in clear for the
// push prefilter: the circle's box widened outward to a 0.05° grid (about 5.5 km × 4.2 km at 40°N), so
// the clear columns say no more than which few cells the area touches. The exact test opens the point,
// which writes an access-log row (purpose disaster-alerts): the resident's own page, and the fan-out once
// per resident per alert version.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { GateActor, HeldFields } from '../residents/index.ts';
import { circleBox, type Box } from './push/geo.ts';

export const POINT_PURPOSE = 'disaster-alerts';
/** The fan-out's actor in the resident's access log (システム). */
export const FANOUT_ACTOR: GateActor = { kind: 'client', id: 'disaster-push' };
const GRID = 0.05;
const TABLE = 'disaster_my_areas';

export type Point = [number, number];
/** A point area as stored: the sealed point and the id it is bound to. */
export interface SealedPoint {
  pointId: string;
  point: string;
}

/** The circle's box widened outward to the grid (never narrower than the circle). */
export function coarseBox(point: Point, radius: number): Box {
  const b = circleBox(point, radius);
  const down = (v: number) => Number((Math.floor(v / GRID) * GRID).toFixed(2));
  const up = (v: number) => Number((Math.ceil(v / GRID) * GRID).toFixed(2));
  return { minLon: down(b.minLon), minLat: down(b.minLat), maxLon: up(b.maxLon), maxLat: up(b.maxLat) };
}

export function sealPoint(fields: HeldFields, point: Point): SealedPoint {
  const pointId = `ma_${randomBytes(12).toString('base64url')}`;
  return { pointId, point: fields.seal(JSON.stringify(point), { table: TABLE, column: 'point', rowId: pointId }) };
}

const heldValue = (p: SealedPoint) => ({
  value: p.point,
  place: { table: TABLE, column: 'point', rowId: p.pointId },
  category: 'myAreaPoint',
});

/** Opens one resident's points (one access-log row for them all); none given: nothing read, nothing logged. */
export async function openPoints(
  db: Db,
  fields: HeldFields,
  actor: GateActor,
  residentId: string,
  points: readonly SealedPoint[],
  channel: 'page' | 'export' = 'page',
): Promise<Point[]> {
  if (!points.length) return [];
  const opened = await fields.open(db, actor, residentId, POINT_PURPOSE, points.map(heldValue), channel);
  return opened.map((v) => JSON.parse(v) as Point);
}

/** Opens many residents' points (the push fan-out): one access-log row each, in one statement; a resident whose points do not open gets undefined. */
export async function openPointsOfMany(
  db: Db,
  fields: HeldFields,
  actor: GateActor,
  due: readonly { residentId: string; points: readonly SealedPoint[] }[],
): Promise<(Point[] | undefined)[]> {
  if (!due.length) return [];
  const subjects = due.map((d) => ({ subject: d.residentId, values: d.points.map(heldValue) }));
  const opened = await fields.openEach(db, actor, POINT_PURPOSE, subjects, 'page');
  return opened.map((o) => o?.map((v) => JSON.parse(v) as Point));
}

/**
 * Seals the points of rows kept in clear before (the `area` column), coarsens their box and clears the
 * column; run at start (main.ts). Answers how many points it sealed.
 */
export async function sealMyAreaPoints(db: Db, fields: HeldFields): Promise<number> {
  const rows = await db.execute<{ id: number | string; area: { point: Point; radius: number } }>(
    sql`select id, area from disaster_my_areas where area ? 'point' and point is null`,
  );
  for (const r of rows.rows) {
    const { pointId, point } = sealPoint(fields, r.area.point);
    const b = coarseBox(r.area.point, r.area.radius);
    await db.execute(
      sql`update disaster_my_areas set point_id = ${pointId}, point = ${point}, radius = ${r.area.radius}, area = null,
        min_lon = ${b.minLon}, min_lat = ${b.minLat}, max_lon = ${b.maxLon}, max_lat = ${b.maxLat} where id = ${Number(r.id)}`,
    );
  }
  await db.execute(sql`update disaster_my_areas set area = null where area ? 'municipality'`);
  return rows.rows.length;
}
