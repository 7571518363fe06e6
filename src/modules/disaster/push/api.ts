// The my-area API (docs/disaster.md "My areas and push"): the VAPID public key, and registering or
// removing a browser's push subscription with its areas. No account needed: the endpoint is the key.
import { createHash, ECDH } from 'node:crypto';
import { Hono, type Context, type Next } from 'hono';
import { z } from 'zod';
import type { IncomingMessage } from 'node:http';
import { readAtMost } from '../../../platform/body.ts';
import { clientAddress } from '../../../platform/http.ts';
import { rateLimiter } from '../../../platform/rate-limit.ts';
import type { Db } from '../../../platform/db.ts';
import { AppError, badRequest } from '../../../platform/errors.ts';
import { outbound, type Outbound } from '../../../platform/outbound.ts';
import * as repo from '../repository-push.ts';
import type { MapDataSource } from '../shelters.ts';
import { circleBox } from './geo.ts';
import type { VapidKeys } from './vapid.ts';

const MAX_BODY = 8 * 1024;
export const MAX_AREAS = 10;
export const RADIUS = { min: 100, max: 30_000 };

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url');
const bytes = (s: string) => Buffer.from(s, 'base64url');

const area = z.union([
  z.strictObject({ municipality: z.string().regex(/^\d{5}$/) }),
  z.strictObject({
    point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
    radius: z.number().int().min(RADIUS.min).max(RADIUS.max),
  }),
]);

export const subscription = z.strictObject({
  endpoint: z.string().max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    // RFC 8291 §3: the user agent's P-256 key as an uncompressed point (65 bytes), and a 16-byte auth secret.
    p256dh: b64url.refine((k) => bytes(k).length === 65 && isPoint(bytes(k)), 'a P-256 public key, uncompressed (65 bytes)'),
    auth: b64url.refine((k) => bytes(k).length === 16, '16 bytes'),
  }),
});

const registration = z.strictObject({ subscription, areas: z.array(area).min(1).max(MAX_AREAS) });
const removal = z.strictObject({ endpoint: z.string().max(2048) });
/** The browser renewed its subscription (Push API pushsubscriptionchange): the old endpoint and the new subscription. */
const renewal = z.strictObject({ oldEndpoint: z.string().max(2048), subscription });

function isPoint(key: Buffer): boolean {
  try {
    ECDH.convertKey(key, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

export const endpointHash = (endpoint: string) => createHash('sha256').update(endpoint).digest('base64url');

const closed = outbound({ allow: [] });

/**
 * A push service endpoint must be https: (RFC 8030 §8) and callable under the outbound policy; plain
 * http: only to an address the deployment's allow-list opened (a local push service in tests).
 */
export function checkEndpoint(endpoint: string, policy: Outbound) {
  let url: URL;
  try {
    url = new URL(endpoint);
    policy.check(url);
  } catch (err) {
    throw badRequest(`subscription.endpoint: 送信できない宛先です（${err instanceof Error ? err.message : 'URL'}）。`);
  }
  if (url.protocol === 'https:') return;
  let openByDefault = true;
  try {
    closed.check(url);
  } catch {
    openByDefault = false;
  }
  if (openByDefault) throw badRequest('subscription.endpoint: https: の URL が必要です。');
}

async function body<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await readAtMost(req.body, MAX_BODY, () => new AppError(413, 'too_large', `本文は ${MAX_BODY} バイトまでです。`));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('本文が JSON ではありません。');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(`${issue.path.join('.') || '本文'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Registrations and removals per client address (every process shares the count: rate-limit.ts). */
export const PUSH_RATE = { max: 120, windowMs: 10 * 60_000 };

export function pushApi(db: Db, keys: () => Promise<VapidKeys>, map: MapDataSource['get'], policy: Outbound, trustProxy = 0) {
  const api = new Hono<{ Bindings: { incoming?: IncomingMessage } }>();
  const allow = rateLimiter(db, 'disaster-push', PUSH_RATE.max, PUSH_RATE.windowMs);
  const limited = async (c: Context, next: Next) => {
    if (!(await allow(clientAddress(c.env?.incoming, trustProxy)))) {
      c.header('Retry-After', String(PUSH_RATE.windowMs / 1000));
      throw new AppError(429, 'too_many_requests', '登録・削除が多すぎます。10分ほど待ってから再度お試しください。');
    }
    await next();
  };
  api.use('/api/v1/disaster/push-subscriptions', limited);
  api.use('/api/v1/disaster/push-subscriptions/renewal', limited);
  // RFC 8292 §3.2: the key the browser passes as applicationServerKey.
  api.get('/api/v1/disaster/push/key', async (c) =>
    c.json({ publicKey: (await keys()).publicKey }, 200, { 'Cache-Control': 'public, max-age=3600' }),
  );

  api.post('/api/v1/disaster/push-subscriptions', async (c) => {
    const r = await body(c.req.raw, registration);
    checkEndpoint(r.subscription.endpoint, policy);
    const known = (await map()).municipalities;
    for (const [i, a] of r.areas.entries())
      if ('municipality' in a && !known.has(a.municipality))
        throw badRequest(`areas.${i}.municipality: ${a.municipality} という市町村はありません。`);
    const boxes = r.areas.flatMap((a) => ('point' in a ? [circleBox(a.point, a.radius)] : []));
    const { endpoint, keys: k } = r.subscription;
    const { created } = await repo.saveSubscription(
      db,
      endpointHash(endpoint),
      { subscription: { endpoint, keys: k }, areas: r.areas },
      boxes,
    );
    return c.json({ areas: r.areas }, created ? 201 : 200);
  });

  // The same registration under the new endpoint: its own areas and its account link (マイページ) kept.
  api.post('/api/v1/disaster/push-subscriptions/renewal', async (c) => {
    const r = await body(c.req.raw, renewal);
    checkEndpoint(r.subscription.endpoint, policy);
    const { endpoint, keys: k } = r.subscription;
    const moved = await repo.renewSubscription(db, endpointHash(r.oldEndpoint), endpointHash(endpoint), { endpoint, keys: k });
    if (moved === 'unknown') throw new AppError(404, 'not_found', 'その通知の登録はありません。');
    if (moved === 'taken') throw new AppError(409, 'conflict', '新しい通知先はすでに登録されています。');
    return c.body(null, 204);
  });

  api.delete('/api/v1/disaster/push-subscriptions', async (c) => {
    const { endpoint } = await body(c.req.raw, removal);
    await repo.deleteSubscription(db, endpointHash(endpoint));
    return c.body(null, 204);
  });
  return api;
}
