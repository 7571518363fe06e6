// What every NGSI-LD route reads from a request (tenant, body, @context, options) and how it answers.
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { CORE_CONTEXT_URL, contextFromLink, termMap, type ContextLoader, type TermMap } from './context.ts';
import { isUri } from './entity.ts';
import { problem } from './errors.ts';
import { bodyType, representationOf } from './media.ts';
import { bodyLimit, checkDepth, limitsOf, readLimited } from './limits.ts';
import { checkStrings } from './validate.ts';
import { isTenantName } from './rules.ts';
import { OutboundRefused, type Outbound } from '../../platform/outbound.ts';

export function tenantOf(c: Context): string {
  const t = c.req.header('NGSILD-Tenant') ?? '';
  if (t && !isTenantName(t)) throw problem('BadRequestData', 'NGSILD-Tenant must be 1–64 letters, digits, "_" or "-".');
  return t;
}

/** The `:id` of the path, which must be a URI (`what`: the entity, the subscription). */
export function idParam(c: Context, what: string): string {
  const id = c.req.param('id')!;
  if (!isUri(id)) throw problem('BadRequestData', `The ${what} id must be a URI.`);
  return id;
}

/**
 * An id as one path segment of a URL, for `Location`: clients compare it with the id they sent, so only
 * what a path segment cannot hold is percent-encoded (RFC 3986 pchar keeps ":", "@" and the sub-delims).
 */
export const pathSegment = (id: string) => encodeURIComponent(id).replace(/%(3A|40|24|26|2B|2C|3B|3D)/g, (m) => decodeURIComponent(m));

/**
 * The id of a resource being created: the body's, which must be a URI, or a new one of `kind`
 * (`what` names it in the message: the subscription, the registration).
 */
export function newId(body: Record<string, unknown>, what: string, kind: string): string {
  if (body.id === undefined) return `urn:ngsi-ld:${kind}:${randomUUID()}`;
  if (!isUri(body.id)) throw problem('BadRequestData', `The ${what} id must be a URI.`);
  return body.id;
}

/** A body may repeat the id of its path, but not name another. */
export function checkSameId(body: Record<string, unknown>, id: string) {
  if (body.id !== undefined && body.id !== id) throw problem('BadRequestData', 'The id in the body differs from the id in the path.');
}

/** The JSON body: application/json, application/ld+json (with its @context inside) or, on PATCH, merge-patch+json. */
export async function readJson(c: Context): Promise<{ json: unknown; ld: boolean }> {
  const ld = bodyType(c) === 'ld';
  // Size and nesting are checked on the text, before JSON.parse (and the walks after it) could run out of memory or stack.
  const text = await readLimited(c, bodyLimit(c));
  checkDepth(text, limitsOf(c).depth);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw problem('InvalidRequest', 'The body is not valid JSON.');
  }
  checkStrings(json);
  return { json, ld };
}

/** A JSON object body and its @context: from the body (application/ld+json) or the Link header (application/json). */
export async function readBody(
  c: Context,
  load: ContextLoader,
): Promise<{ body: Record<string, unknown>; map: TermMap; context: unknown }> {
  const { json, ld } = await readJson(c);
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw problem('BadRequestData', 'The body must be a JSON object.');
  const body = json as Record<string, unknown>;
  if (ld) {
    if (!('@context' in body)) throw problem('BadRequestData', 'With application/ld+json the body must have an @context.');
    if (c.req.header('Link')) throw problem('BadRequestData', 'Give the @context either in the body or in a Link header, not both.');
    return { body, map: termMap(body['@context'], load), context: body['@context'] };
  }
  if ('@context' in body) throw problem('BadRequestData', 'With application/json the @context goes in a Link header.');
  const link = contextFromLink(c.req.header('Link'));
  return { body, map: termMap(link, load), context: link };
}

/** The @context of a request without a body (the Link header, or the core context). */
export function readContext(c: Context, load: ContextLoader) {
  const link = contextFromLink(c.req.header('Link'));
  return { link, map: termMap(link, load) };
}

const knownOptions = ['keyValues', 'sysAttrs', 'normalized', 'noOverwrite', 'update', 'replace', 'temporalValues', 'aggregatedValues'];

export function options(c: Context) {
  const opts = new Set((c.req.query('options') ?? '').split(',').filter(Boolean));
  for (const o of opts) if (!knownOptions.includes(o)) throw problem('BadRequestData', `Unknown option ${o}.`);
  const format = c.req.query('format');
  return {
    keyValues: opts.has('keyValues') || format === 'simplified' || format === 'keyValues',
    sysAttrs: opts.has('sysAttrs'),
    noOverwrite: opts.has('noOverwrite'),
    update: opts.has('update'),
    temporalValues: opts.has('temporalValues') || format === 'temporalValues',
    aggregatedValues: opts.has('aggregatedValues') || format === 'aggregatedValues',
  };
}
export type Options = ReturnType<typeof options>;

/** Sends data compacted with the request's @context, as JSON with a Link header or as JSON-LD. */
export function send(c: Context, data: unknown, link: string | undefined, status: 200 | 201 = 200) {
  const context = link ?? CORE_CONTEXT_URL;
  if (representationOf(c) === 'ld') {
    const withContext = (e: unknown) => ({ '@context': context, ...(e as object) });
    return c.json(Array.isArray(data) ? data.map(withContext) : withContext(data), status, { 'Content-Type': 'application/ld+json' });
  }
  return c.json(data, status, { Link: `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` });
}

/** The longest page any list of the broker answers (limit). */
const MAX_LIMIT = 1000;

/** limit and offset of a list or query, checked. */
export function paging(c: Context) {
  // Digits only: Number() would take 1e308, 0x10, 1.0 and " 5".
  const whole = (name: string, fallback: number) => {
    const text = c.req.query(name);
    return text === undefined ? fallback : /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  };
  const limit = whole('limit', 20);
  const offset = whole('offset', 0);
  if (!(limit <= MAX_LIMIT)) throw problem('BadRequestData', `limit must be a whole number from 0 to ${MAX_LIMIT}.`);
  if (Number.isNaN(offset)) throw problem('BadRequestData', 'offset must be a whole number (0 or more, at most 15 digits).');
  return { limit, offset, count: c.req.query('count') === 'true' };
}

/** A URI the broker will call (`member` names it): refused by the outbound policy as written → BadRequestData. */
export function checkOutbound(outbound: Outbound, uri: string | undefined, member: string) {
  try {
    if (uri !== undefined) outbound.check(uri);
  } catch (e) {
    throw e instanceof OutboundRefused ? problem('BadRequestData', `${member} is refused: ${e.reason}.`) : e;
  }
}
