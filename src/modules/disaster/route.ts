// Routes to a shelter (issue 13 point 8): the nearest 指定緊急避難場所 designated for the hazard (open ones
// first when any is known to be open), reached on the road network the municipalities loaded
// (RoadSegment LineStrings: a graph built once per data version, start and shelter snapped to the
// nearest point of a segment, the shortest path by length), else a straight line with its distance and
// 方角, said to be no walking route.
import distance from '@turf/distance';
import { lineString, point } from '@turf/helpers';
import nearestPointOnLine from '@turf/nearest-point-on-line';
import createGraph, { type Graph } from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import type { HazardType } from './hazards.ts';
import type { Shelter } from './shelters.ts';

type Position = [number, number];
interface Segment {
  name: string;
  coordinates: Position[];
  /** [minLon, minLat, maxLon, maxLat]: a snap skips segments whose box is far from the point. */
  box: [number, number, number, number];
}
interface Edge {
  length: number;
  name: string;
}
export interface RoadNetwork {
  graph: Graph<Position, Edge>;
  segments: Segment[];
}

/** Farther than this from every road, a point is not put on the network (metres). */
export const SNAP_LIMIT_M = 500;

const metres = (a: Position, b: Position) => distance(a, b, { units: 'meters' });
const key = (p: Position) => `${p[0].toFixed(7)},${p[1].toFixed(7)}`;

const directions = [
  '北',
  '北北東',
  '北東',
  '東北東',
  '東',
  '東南東',
  '南東',
  '南南東',
  '南',
  '南南西',
  '南西',
  '西南西',
  '西',
  '西北西',
  '北西',
  '北北西',
];
/** The initial bearing from a to b in degrees from north, clockwise. */
export function bearing(a: Position, b: Position): number {
  const r = Math.PI / 180;
  const [l1, f1, l2, f2] = [a[0] * r, a[1] * r, b[0] * r, b[1] * r];
  const y = Math.sin(l2 - l1) * Math.cos(f2);
  const x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(l2 - l1);
  return (Math.atan2(y, x) / r + 360) % 360;
}
/** The 16-point compass direction in Japanese (北, 北北東 …). */
export const direction = (degrees: number) => directions[Math.round(degrees / 22.5) % 16]!;

/** The road network as a graph: a node per distinct vertex, an edge per pair of consecutive vertices. */
export function buildNetwork(roads: { name: string; coordinates: Position[] }[]): RoadNetwork {
  const graph = createGraph<Position, Edge>();
  for (const s of roads)
    s.coordinates.forEach((p, i) => {
      graph.addNode(key(p), p);
      const q = s.coordinates[i - 1];
      if (q) graph.addLink(key(q), key(p), { length: metres(q, p), name: s.name });
    });
  const segments = roads.map((r) => {
    const xs = r.coordinates.map((p) => p[0]);
    const ys = r.coordinates.map((p) => p[1]);
    return { ...r, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as Segment['box'] };
  });
  return { graph, segments };
}

/** About SNAP_LIMIT_M in degrees at Aomori's latitude (a longitude degree is ~84 km there), with a margin. */
const NEAR_DEG = (SNAP_LIMIT_M / 84_000) * 1.5;

export type ShelterRule = 'open' | 'designated' | 'chosen';
/** The nearest shelter for the hazard: among those known to be open when any is, else among all not closed. */
export function nearestShelter(
  shelters: Shelter[],
  from: Position,
  hazard: HazardType,
): { shelter: Shelter; rule: ShelterRule } | undefined {
  const suitable = shelters.filter((s) => s.kind === 'emergency' && s.hazards.includes(hazard) && s.status !== 'closed');
  const open = suitable.filter((s) => s.status === 'open');
  const pool = open.length ? open : suitable;
  let best: Shelter | undefined;
  let bestM = Infinity;
  for (const s of pool) {
    const m = metres(from, s.coordinates);
    if (m < bestM) [best, bestM] = [s, m];
  }
  return best && { shelter: best, rule: open.length ? 'open' : 'designated' };
}

export interface Step {
  text: string;
  metres: number;
}
export interface Route {
  mode: 'network' | 'straight';
  metres: number;
  /** The 方角 from start to the shelter. */
  direction: string;
  line: Position[];
  steps: Step[];
  /** Why it is a straight line, when it is. */
  note?: string;
}

interface Snap {
  at: Position;
  metres: number;
  segment: Segment;
  index: number;
}
function snap(net: RoadNetwork, p: Position): Snap | undefined {
  let best: Snap | undefined;
  for (const segment of net.segments) {
    const [x0, y0, x1, y1] = segment.box;
    if (p[0] < x0 - NEAR_DEG || p[0] > x1 + NEAR_DEG || p[1] < y0 - NEAR_DEG || p[1] > y1 + NEAR_DEG) continue;
    const n = nearestPointOnLine(lineString(segment.coordinates), point(p), { units: 'meters' });
    if (!best || n.properties.dist < best.metres)
      best = {
        at: n.geometry.coordinates as Position,
        metres: n.properties.dist,
        segment,
        index: Math.min(n.properties.index, segment.coordinates.length - 2),
      };
  }
  return best;
}

const rounded = (m: number) => (m < 1000 ? `${Math.round(m / 10) * 10 || Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);
const stepText = (what: string, a: Position, b: Position, m: number) => `${what}${direction(bearing(a, b))}へ ${rounded(m)}`;

export function straightRoute(from: Position, to: Shelter, note: string): Route {
  const m = metres(from, to.coordinates);
  const dir = direction(bearing(from, to.coordinates));
  return {
    mode: 'straight',
    metres: m,
    direction: dir,
    line: [from, to.coordinates],
    steps: [{ text: `${to.name}まで${dir}へ直線で ${rounded(m)}`, metres: m }],
    note,
  };
}

/** The shortest route on the network from `from` to the shelter, or a straight line with the reason. */
export function planRoute(net: RoadNetwork | undefined, from: Position, to: Shelter): Route {
  if (!net || !net.segments.length)
    return straightRoute(from, to, '道路網のデータがないため、直線の距離と方角です。歩く道順ではありません。');
  const a = snap(net, from);
  const b = snap(net, to.coordinates);
  if (!a || !b || a.metres > SNAP_LIMIT_M || b.metres > SNAP_LIMIT_M)
    return straightRoute(from, to, '近くに道路網のデータがないため、直線の距離と方角です。歩く道順ではありません。');
  const { graph } = net;
  // Start and end join the graph for this one search (synchronous, so no other request sees them).
  const attach = (id: string, s: Snap) => {
    graph.addNode(id, s.at);
    for (const v of [s.segment.coordinates[s.index]!, s.segment.coordinates[s.index + 1]!])
      graph.addLink(id, key(v), { length: metres(s.at, v), name: s.segment.name });
  };
  attach('\u0000start', a);
  attach('\u0000end', b);
  if (a.segment === b.segment && a.index === b.index)
    graph.addLink('\u0000start', '\u0000end', { length: metres(a.at, b.at), name: a.segment.name });
  let nodes: string[];
  try {
    const found = ngraphPath.aStar(graph, { distance: (_x, _y, link) => link.data.length }).find('\u0000start', '\u0000end');
    nodes = found.map((n) => String(n.id)).reverse();
  } finally {
    graph.removeNode('\u0000start');
    graph.removeNode('\u0000end');
  }
  if (!nodes.length) return straightRoute(from, to, '道路網がつながっていないため、直線の距離と方角です。歩く道順ではありません。');
  const at = (id: string) => (id === '\u0000start' ? a.at : id === '\u0000end' ? b.at : (id.split(',').map(Number) as Position));
  const path = nodes.map(at);
  const steps: Step[] = [{ text: stepText('道路まで', from, a.at, a.metres), metres: a.metres }];
  let total = a.metres + b.metres;
  // Consecutive edges of one road in one 方角 are one step.
  let run: { name: string; dir: string; start: Position; end: Position; metres: number } | undefined;
  const flush = () => run && steps.push({ text: stepText(`${run.name || '道路'}を`, run.start, run.end, run.metres), metres: run.metres });
  for (let i = 1; i < path.length; i++) {
    const name = edgeName(net, a, b, nodes[i - 1]!, nodes[i]!);
    const m = metres(path[i - 1]!, path[i]!);
    const dir = direction(bearing(path[i - 1]!, path[i]!));
    total += m;
    if (m === 0) continue;
    if (run && run.name === name && run.dir === dir) [run.end, run.metres] = [path[i]!, run.metres + m];
    else {
      flush();
      run = { name, dir, start: path[i - 1]!, end: path[i]!, metres: m };
    }
  }
  flush();
  steps.push({ text: stepText(`${to.name}まで`, b.at, to.coordinates, b.metres), metres: b.metres });
  return {
    mode: 'network',
    metres: total,
    direction: direction(bearing(from, to.coordinates)),
    line: [from, ...path, to.coordinates],
    steps,
  };
}

/** The road an edge of the found path belongs to (the temporary links are gone: their snaps' roads). */
function edgeName(net: RoadNetwork, a: Snap, b: Snap, x: string, y: string): string {
  if (x === '\u0000start') return a.segment.name;
  if (y === '\u0000end') return b.segment.name;
  return net.graph.getLink(x, y)?.data.name ?? net.graph.getLink(y, x)?.data.name ?? '';
}
