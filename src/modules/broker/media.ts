// Media types of the NGSI-LD API (ETSI GS CIM 009 v1.8, 6.3.4 and 6.3.6): what a request may send
// (Content-Type) and which representation it gets back (Accept).
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from './errors.ts';

const representations = { 'application/json': 'json', 'application/ld+json': 'ld', 'application/geo+json': 'geo' } as const;
export type Representation = (typeof representations)[keyof typeof representations];

/**
 * The representation an Accept header asks for among `offered` (JSON always, GeoJSON where the operation
 * has one): the highest q, an explicit type before a wildcard, then the header's order. null: none acceptable.
 */
export function negotiate(accept: string | undefined, offered: readonly Representation[]): Representation | null {
  if (!accept?.trim()) return 'json';
  let best: { r: Representation; q: number; exact: boolean } | null = null;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const exact = type in representations;
    const r = exact ? representations[type as keyof typeof representations] : type === '*/*' || type === 'application/*' ? 'json' : null;
    if (!r || !offered.includes(r)) continue;
    if (!best || q > best.q || (q === best.q && exact && !best.exact)) best = { r, q, exact };
  }
  return best?.r ?? null;
}

const notAcceptable = () =>
  problem('NotAcceptable', 'Accept must allow application/json, application/ld+json or, when retrieving entities, application/geo+json.');

/** The representation of this request's answer; 406 when its Accept allows none of `offered`. */
export function representationOf(c: Context, offered: readonly Representation[] = ['json', 'ld']): Representation {
  const r = negotiate(c.req.header('Accept'), offered);
  if (!r) throw notAcceptable();
  return r;
}

/** Refuses, before anything else runs, a request whose Accept allows nothing the NGSI-LD API produces. */
export const acceptable: MiddlewareHandler = async (c, next) => {
  if (!negotiate(c.req.header('Accept'), ['json', 'ld', 'geo'])) throw notAcceptable();
  return next();
};

/**
 * The media type of a request body: application/json or application/ld+json; a PATCH may also send
 * application/merge-patch+json (6.3.4), read as application/json. Anything else is 415.
 */
export function bodyType(c: Context): 'json' | 'ld' {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || (type === 'application/merge-patch+json' && c.req.method === 'PATCH')) return 'json';
  if (type === 'application/ld+json') return 'ld';
  throw problem(
    'UnsupportedMediaType',
    `Content-Type must be application/json or application/ld+json${c.req.method === 'PATCH' ? ' (or application/merge-patch+json)' : ''}, not ${type || 'missing'}.`,
  );
}
