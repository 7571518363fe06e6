// What the specification and the database require of what a client sends, beyond its shape:
// names (ETSI GS CIM 009 v1.8, clause 4.6.2), URIs (RFC 3986/3987, the spec's Annex on URIs),
// GeoJSON geometries (clause 4.7, RFC 7946), and strings the database can store. Pure: no I/O.
import { problem } from './errors.ts';

const bad = (detail: string) => problem('BadRequestData', detail);

/**
 * A URI or IRI: a scheme, ":", then characters RFC 3987 allows (no whitespace, controls or
 * <>"{}|\^`, and "%" only before two hex digits).
 */
// eslint-disable-next-line no-control-regex
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}|[^\x00-\x7f\p{Cc}\p{Z}\p{Cs}])+$/u;
export const isIri = (s: string) => IRI.test(s);

/**
 * A type or attribute name (4.6.2): a URI, or a term of the @context (letters, digits, "_", "-",
 * "." and a prefix:name); no whitespace, no characters the query language uses (;|()=<>"').
 */
const TERM = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;
export function checkName(name: string, what: string) {
  if (!TERM.test(name) && !isIri(name))
    throw bad(`${what} "${name}": a name is a term (letters, digits, "_", "-", ".") or a URI, with no spaces or control characters.`);
}

/** The GeoProperties the specification reserves (4.7): they may hold nothing else. */
export const reservedGeoProperties = new Set(
  ['location', 'observationSpace', 'operationSpace'].map((n) => `https://uri.etsi.org/ngsi-ld/${n}`),
);

/**
 * Every string of a JSON value (member names too) is one PostgreSQL stores and compares: no NUL or
 * other C0 control character (tab, line feed and carriage return aside, which text may hold) and
 * no lone surrogate. Iterative: the value may nest as deep as the depth limit lets it.
 */
export function checkStrings(value: unknown, where = 'The body') {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') checkText(v, where);
    else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        checkText(k, where);
        stack.push(x);
      }
  }
}
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const LONE_SURROGATE = /\p{Cs}/u;
export function checkText(s: string, where: string) {
  if (CONTROL.test(s)) throw bad(`${where}: control characters (such as NUL) are not accepted in text.`);
  if (LONE_SURROGATE.test(s)) throw bad(`${where}: the text has a lone UTF-16 surrogate (not valid Unicode).`);
}

/** The most positions one geometry may have: the geo-queries' work grows with them. */
export const MAX_VERTICES = 10_000;

/**
 * Whether the closed ring crosses or touches itself anywhere other than where consecutive edges
 * meet (RFC 7946 3.1.6 requires linear rings of polygons to be simple). A sweep over the edges
 * sorted by their smallest longitude: only edges whose longitude ranges overlap are compared, which
 * is close to n log n for real boundaries and bounded by MAX_VERTICES² in the worst case.
 */
export function ringIntersectsItself(ring: number[][]): boolean {
  const n = ring.length - 1; // edges; the last position repeats the first
  if (n < 3) return false;
  const edges = Array.from({ length: n }, (_, k) => k).sort((a, b) => minX(ring, a) - minX(ring, b));
  for (let x = 0; x < n; x++) {
    const a = edges[x]!;
    const right = Math.max(ring[a]![0]!, ring[a + 1]![0]!);
    for (let y = x + 1; y < n; y++) {
      const b = edges[y]!;
      if (minX(ring, b) > right) break;
      const adjacent = Math.abs(a - b) === 1 || Math.abs(a - b) === n - 1;
      if (adjacent ? overlapsAlong(ring, a, b) : segmentsTouch(ring[a]!, ring[a + 1]!, ring[b]!, ring[b + 1]!)) return true;
    }
  }
  return false;
}
const minX = (r: number[][], k: number) => Math.min(r[k]![0]!, r[k + 1]![0]!);
const cross = (o: number[], a: number[], b: number[]) => (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!);
const within = (p: number[], a: number[], b: number[]) =>
  Math.min(a[0]!, b[0]!) <= p[0]! && p[0]! <= Math.max(a[0]!, b[0]!) && Math.min(a[1]!, b[1]!) <= p[1]! && p[1]! <= Math.max(a[1]!, b[1]!);
function segmentsTouch(p1: number[], p2: number[], q1: number[], q2: number[]) {
  const d1 = cross(q1, q2, p1);
  const d2 = cross(q1, q2, p2);
  const d3 = cross(p1, p2, q1);
  const d4 = cross(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && within(p1, q1, q2)) ||
    (d2 === 0 && within(p2, q1, q2)) ||
    (d3 === 0 && within(q1, p1, p2)) ||
    (d4 === 0 && within(q2, p1, p2))
  );
}
/** Consecutive edges share a position; they overlap when the far end of one lies back along the other. */
function overlapsAlong(r: number[][], a: number, b: number) {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  // Edge k runs from r[k] to r[k + 1]; the first and the last edge meet at r[0].
  const [shared, u, v] = hi - lo === 1 ? [r[hi]!, r[lo]!, r[hi + 1]!] : [r[0]!, r[1]!, r[hi]!];
  if (cross(shared, u, v) !== 0) return false;
  return (u[0]! - shared[0]!) * (v[0]! - shared[0]!) + (u[1]! - shared[1]!) * (v[1]! - shared[1]!) > 0;
}
