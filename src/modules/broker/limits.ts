// What one request may ask of the broker: body sizes, counts and lengths (configured through
// config.ts, NGSI_LD_MAX_*), and the time a query may take. Each is refused with a ProblemDetails
// naming the limit, before the work it would cause.
import type { Context } from 'hono';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { problem } from './errors.ts';
import { readAtMost } from '../../platform/body.ts';

export interface Limits {
  /** Bytes of a request body (entities, batches, attribute updates). */
  bodyBytes: number;
  /** Bytes of a subscription body. */
  subscriptionBytes: number;
  /** Bytes of a hosted @context document, and how many the context store holds. */
  contextBytes: number;
  contexts: number;
  /** Entities in one batch operation. */
  batchEntities: number;
  /** Attributes of one entity (or one update). */
  attributes: number;
  /** Nesting of arrays and objects in a body. */
  depth: number;
  /** Characters of an entity id, and of a type or attribute name. */
  idLength: number;
  nameLength: number;
  /** Milliseconds one query may spend in the database and in code; more is TooComplexQuery. */
  queryMs: number;
}

export const defaultLimits: Limits = {
  bodyBytes: 2 * 1024 * 1024,
  subscriptionBytes: 64 * 1024,
  contextBytes: 256 * 1024,
  contexts: 100,
  batchEntities: 1000,
  attributes: 1000,
  depth: 32,
  idLength: 256,
  nameLength: 256,
  queryMs: 5000,
};

/**
 * A request body of at most `max` bytes, as text. Content-Length is checked before anything is read,
 * and the stream is counted as it comes (chunked bodies have no length), so a larger body is never held.
 * The specification names no problem type for this: BadRequestData with HTTP's own status, 413.
 */
export async function readLimited(c: Context, max: number): Promise<string> {
  const tooLarge = () => problem('BadRequestData', `The body is larger than ${max} bytes, the limit of this broker.`, 413);
  const declared = Number(c.req.header('Content-Length') ?? NaN);
  if (declared > max) throw tooLarge();
  if (Number.isNaN(declared)) return readAtMost(c.req.raw.body, max, tooLarge);
  // With a length, HTTP's framing holds the body to it, and reading it whole is much cheaper than a
  // web stream; the check after it covers a caller that is not HTTP (app.request in tests).
  const text = await c.req.text();
  if (Buffer.byteLength(text) > max) throw tooLarge();
  return text;
}

/**
 * Whether JSON text nests deeper than `max`, found by counting brackets outside strings: without
 * recursion, before JSON.parse and the recursive walks after it could overflow the stack.
 */
export function checkDepth(text: string, max: number) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) throw problem('BadRequestData', `The body nests arrays and objects more than ${max} deep.`);
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
}

/** The number of attributes of an entity or fragment (its members other than the entity's own). */
export function checkAttributeCount(fragment: unknown, max: number, where = 'The entity') {
  if (!fragment || typeof fragment !== 'object' || Array.isArray(fragment)) return;
  const n = Object.keys(fragment).filter((k) => !['id', 'type', '@context', 'scope', 'createdAt', 'modifiedAt'].includes(k)).length;
  if (n > max) throw problem('BadRequestData', `${where} has ${n} attributes; this broker takes at most ${max}.`);
}

/**
 * A time budget for one request's work: `step` is awaited between units of work (an entity checked
 * against q); it lets other requests run every few milliseconds and ends the request with
 * TooComplexQuery once the budget is spent.
 */
export function workBudget(ms: number) {
  const deadline = performance.now() + ms;
  let lastYield = performance.now();
  return {
    async step() {
      const now = performance.now();
      if (now > deadline) throw tooComplex(ms);
      if (now - lastYield > 8) {
        await yieldToOthers();
        lastYield = performance.now();
      }
    },
  };
}

export const tooComplex = (ms: number) =>
  problem(
    'TooComplexQuery',
    `The query needs more than ${ms} ms, the limit of this broker: narrow it (type, id, a smaller area or a simpler q) or page through it.`,
  );

declare module 'hono' {
  interface ContextVariableMap {
    /** The limits of the broker serving the request (set by createBrokerModule's middleware). */
    brokerLimits?: Limits;
  }
}

/** The limits of the broker serving this request; the defaults where no broker middleware ran. */
export const limitsOf = (c: Context): Limits => c.get('brokerLimits') ?? defaultLimits;

/** The largest body the request's resource takes: subscriptions and @context documents have their own. */
export function bodyLimit(c: Context): number {
  const l = limitsOf(c);
  if (c.req.path.startsWith('/ngsi-ld/v1/subscriptions')) return l.subscriptionBytes;
  if (c.req.path.startsWith('/ngsi-ld/v1/jsonldContexts')) return l.contextBytes;
  return l.bodyBytes;
}

/** An entity as sent, within the id, name and attribute limits (before it is validated and expanded). */
export function checkEntityLimits(item: unknown, l: Limits) {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return;
  const e = item as Record<string, unknown>;
  if (typeof e.id === 'string' && e.id.length > l.idLength)
    throw problem('BadRequestData', `The entity id is longer than ${l.idLength} characters, the limit of this broker.`);
  checkAttributeCount(e, l.attributes);
  const names = [...(Array.isArray(e.type) ? e.type : [e.type]), ...Object.keys(e)];
  const long = names.find((n) => typeof n === 'string' && n.length > l.nameLength);
  if (long !== undefined)
    throw problem(
      'BadRequestData',
      `The name "${String(long).slice(0, 40)}…" is longer than ${l.nameLength} characters, the limit of this broker.`,
    );
}
