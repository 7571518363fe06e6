// HTTP plumbing without domain words: input checks, and the one place errors become responses.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { z } from 'zod';
import { type AppError, badRequest } from './errors.ts';

/**
 * Validates one input; a failure is a 400 with the schema's Japanese message, and the name of the
 * field that caused it in `details.field` (a form shows the message beside that field).
 */
export function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path[0];
    throw badRequest(`${what}: ${issue?.message ?? '値が正しくありません。'}`, field === undefined ? undefined : { field: String(field) });
  }
  return r.data;
}

/**
 * The client's address, as rate limits count it: the connecting address, or behind `trustedProxies`
 * reverse proxies the entry the outermost one appended to X-Forwarded-For (what the client wrote
 * before it is not trusted).
 */
export function clientAddress(incoming: IncomingMessage | undefined, trustedProxies: number): string {
  const direct = incoming?.socket.remoteAddress ?? 'unknown';
  if (!trustedProxies) return direct;
  const hops = String(incoming?.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxies] ?? direct;
}

export const isApiPath = (path: string) => path.startsWith('/api/');

export function errorJson(c: Context, e: AppError) {
  return c.json({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } }, e.status);
}

export const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  // No scripts at all; inline style attributes only (chart widths, indentation).
  'content-security-policy':
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
} as const;

/** A response body encoded once, for responses served many times from a cache. */
export interface Encoded {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  type: string;
}

export function encode(text: string, type: string): Encoded {
  const body = new TextEncoder().encode(text);
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, type };
}

/**
 * Sends an encoded body, or 304 when the client has it. A plain Response with a plain header
 * object keeps @hono/node-server on its fast path (no Headers object, no re-encoding).
 */
export function sendEncoded(c: Context, e: Encoded, maxAge = 60): Response {
  const headers = { 'content-type': e.type, 'cache-control': `public, max-age=${maxAge}`, etag: e.etag, ...securityHeaders };
  if (c.req.header('if-none-match') === e.etag) return new Response(null, { status: 304, headers });
  return new Response(e.body, { headers });
}
