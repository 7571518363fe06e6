// My areas and Web Push (docs/disaster.md): the API, the matching of an Alert entity to registered
// areas, and delivery to a local push service that checks VAPID and decrypts what it gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbound } from '../../platform/outbound.ts';
import { createTestApp } from '../../../test/db.ts';
import { pushService } from '../../../test/push-service.ts';
import { toEntity, type Alert } from './alert.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let ps: Awaited<ReturnType<typeof pushService>>;
let publicKey: string;
beforeAll(async () => {
  ps = await pushService();
  t = await createTestApp('aomori', 'https://bousai.example.jp', {
    outbound: outbound({ allow: ['127.0.0.1'] }),
    disasterPush: { backoffMs: 20, maxBackoffMs: 20 },
  });
  await t.broker.loadDefaultData();
  publicKey = ((await (await t.app.request('/api/v1/disaster/push/key')).json()) as { publicKey: string }).publicKey;
  ps.expectKey(publicKey);
}, 60_000);
afterAll(async () => {
  await t.database.close();
  await ps.close();
});

const json = (method: string, body: unknown) => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const register = (subscription: unknown, areas: unknown) =>
  t.app.request('/api/v1/disaster/push-subscriptions', json('POST', { subscription, areas }));
const AOMORI_CITY_HALL: [number, number] = [140.74, 40.8222];
const HACHINOHE: [number, number] = [141.4884, 40.5123];

let n = 0;
function alert(over: Partial<Alert> = {}): Alert {
  n++;
  return {
    id: `urn:ngsi-ld:Alert:staff-test-${n}`,
    kind: 'evacuationOrder',
    headline: '青森市に避難指示',
    description: '大雨のため、青森市全域に避難指示を発令しました。\n直ちに避難してください。',
    easyJapanese: 'あめが たくさん ふっています。すぐに にげて ください。',
    severity: 'high',
    municipalities: ['02201'],
    status: 'issued',
    issued: '2026-12-02T01:00:00Z',
    updated: '2026-12-02T01:00:00Z',
    source: 'staff:02201',
    ...over,
  };
}
async function issue(a: Alert) {
  await t.broker.commands.put('', toEntity(a));
  await t.disaster.commands.pushRound();
}

describe('my-area API', () => {
  it('RFC 8292 §3.2: the VAPID public key is an uncompressed P-256 point (65 bytes, base64url), the same every time', async () => {
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(publicKey, 'base64url')[0]).toBe(4);
    const again = (await (await t.app.request('/api/v1/disaster/push/key')).json()) as { publicKey: string };
    expect(again.publicKey).toBe(publicKey);
  });

  it('registers (201), replaces the areas of the same endpoint (200), and deletes idempotently (204)', async () => {
    const s = ps.subscribe();
    expect((await register(s.json, [{ municipality: '02203' }])).status).toBe(201);
    expect(await t.disaster.queries.countRecipients(alert())).toBe(0);
    const again = await register(s.json, [{ municipality: '02201' }]);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ areas: [{ municipality: '02201' }] });
    expect(await t.disaster.queries.countRecipients(alert())).toBe(1);
    const del = () => t.app.request('/api/v1/disaster/push-subscriptions', json('DELETE', { endpoint: s.json.endpoint }));
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(204);
    expect(await t.disaster.queries.countRecipients(alert())).toBe(0);
  });

  const good = () => ps.subscribe().json;
  const hostile: [string, () => unknown, unknown, number][] = [
    [
      'RFC 8291 §3: p256dh of 64 bytes',
      () => ({ ...good(), keys: { ...good().keys, p256dh: Buffer.alloc(64, 4).toString('base64url') } }),
      [{ municipality: '02201' }],
      400,
    ],
    [
      'RFC 8291 §3: p256dh not a point on P-256',
      () => ({ ...good(), keys: { ...good().keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url') } }),
      [{ municipality: '02201' }],
      400,
    ],
    [
      'RFC 8291 §3: auth of 15 bytes',
      () => ({ ...good(), keys: { ...good().keys, auth: Buffer.alloc(15).toString('base64url') } }),
      [{ municipality: '02201' }],
      400,
    ],
    [
      'RFC 8030 §8: a public http: endpoint',
      () => ({ ...good(), endpoint: 'http://push.example.com/x' }),
      [{ municipality: '02201' }],
      400,
    ],
    [
      'an internal address (cloud metadata) as endpoint',
      () => ({ ...good(), endpoint: 'https://169.254.169.254/latest' }),
      [{ municipality: '02201' }],
      400,
    ],
    ['a private address as endpoint', () => ({ ...good(), endpoint: 'https://10.0.0.1/push' }), [{ municipality: '02201' }], 400],
    ['localhost as endpoint', () => ({ ...good(), endpoint: 'http://localhost:8080/push' }), [{ municipality: '02201' }], 400],
    ['an unknown municipality', good, [{ municipality: '99999' }], 400],
    ['11 areas', good, Array.from({ length: 11 }, () => ({ municipality: '02201' })), 400],
    ['no area', good, [], 400],
    ['a radius of 100 km', good, [{ point: AOMORI_CITY_HALL, radius: 100_000 }], 400],
    ['a latitude of 91', good, [{ point: [140, 91], radius: 500 }], 400],
    ['an unknown member', () => ({ ...good(), extra: 1 }), [{ municipality: '02201' }], 400],
  ];
  it.each(hostile)('refuses %s (nothing stored)', async (_name, subscription, areas, status) => {
    const res = await register(subscription(), areas);
    expect(res.status).toBe(status);
    expect((await res.json()) as { detail?: string; message?: string }).toBeTruthy();
    expect(await t.disaster.queries.countRecipients(alert())).toBe(0);
  });

  it('refuses an oversized body (413), a deep one and one that is not JSON (400)', async () => {
    const big = await register({ ...good(), endpoint: `${ps.origin}/push/${'a'.repeat(9000)}` }, [{ municipality: '02201' }]);
    expect(big.status).toBe(413);
    const deep = await t.app.request('/api/v1/disaster/push-subscriptions', { method: 'POST', body: '['.repeat(4000) + ']'.repeat(4000) });
    expect(deep.status).toBe(400);
    const text = await t.app.request('/api/v1/disaster/push-subscriptions', { method: 'POST', body: 'subscription=1' });
    expect(text.status).toBe(400);
    expect(await t.disaster.queries.countRecipients(alert())).toBe(0);
  });
});

describe('push fan-out', () => {
  it('RFC 8030 §5, RFC 8291 §4, RFC 8292 §2: an alert for a registered municipality or a circle touching it is pushed once, decrypted by the receiver; elsewhere none', async () => {
    const city = ps.subscribe();
    const near = ps.subscribe();
    const far = ps.subscribe();
    const other = ps.subscribe();
    await register(city.json, [{ municipality: '02201' }]);
    await register(near.json, [{ point: AOMORI_CITY_HALL, radius: 500 }]);
    await register(far.json, [{ point: HACHINOHE, radius: 2000 }]);
    await register(other.json, [{ municipality: '02203' }]);
    const a = alert();
    expect(await t.disaster.queries.countRecipients(a)).toBe(2);
    await issue(a);
    expect(ps.refused).toEqual([]);
    expect(ps.to(city.id)).toHaveLength(1);
    expect(ps.to(near.id)).toHaveLength(1);
    expect(ps.to(far.id)).toHaveLength(0);
    expect(ps.to(other.id)).toHaveLength(0);
    const got = ps.to(city.id)[0]!;
    expect(got.message).toEqual({
      title: '青森市に避難指示',
      body: '大雨のため、青森市全域に避難指示を発令しました。\nあめが たくさん ふっています。すぐに にげて ください。',
      url: `/disaster/alerts/staff-test-${n}`,
      tag: `staff-test-${n}`,
    });
    // RFC 8030 §5.3: severity high is urgent; §5.2 TTL of a day without expiry; §5.4 a Topic.
    expect(got.headers).toMatchObject({ urgency: 'high', ttl: '86400', 'content-encoding': 'aes128gcm' });
    expect(got.headers.topic).toMatch(/^[\w-]{1,32}$/);

    // The same version written again pushes nothing; an update and a cancellation push once each.
    await issue(a);
    expect(ps.to(city.id)).toHaveLength(1);
    await issue({ ...a, status: 'updated', updated: '2026-12-02T02:00:00Z', severity: 'medium' });
    await issue({ ...a, status: 'cancelled', updated: '2026-12-02T03:00:00Z' });
    expect(ps.to(city.id).map((m) => [m.message.title, m.headers.urgency])).toEqual([
      ['青森市に避難指示', 'high'],
      ['青森市に避難指示', 'normal'],
      ['【解除】青森市に避難指示', 'normal'],
    ]);
    expect(ps.to(far.id)).toHaveLength(0);
    // A drawn area far from 青森市 役所 reaches the municipality's subscriber but not the 500 m circle.
    await issue(
      alert({
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [140.5, 40.95],
              [140.55, 40.95],
              [140.55, 41],
              [140.5, 41],
              [140.5, 40.95],
            ],
          ],
        },
      }),
    );
    expect(ps.to(city.id)).toHaveLength(4);
    expect(ps.to(near.id)).toHaveLength(3);
    for (const s of [city, near, far, other])
      await t.app.request('/api/v1/disaster/push-subscriptions', json('DELETE', { endpoint: s.json.endpoint }));
  });

  it('RFC 8030 §6.2: 410 Gone deletes the subscription; 429 and 500 are retried with backoff and delivered once', async () => {
    const gone = ps.subscribe();
    const busy = ps.subscribe();
    await register(gone.json, [{ municipality: '02202' }]);
    await register(busy.json, [{ municipality: '02202' }]);
    ps.gone.add(gone.id);
    ps.busy.set(busy.id, [429, 500]);
    const a = alert({ municipalities: ['02202'], headline: '弘前市に注意喚起', kind: 'advisory', severity: 'low' });
    await issue(a);
    expect(await t.disaster.queries.countRecipients(a)).toBe(1);
    for (let i = 0; i < 50 && !ps.to(busy.id).length; i++) {
      await new Promise((r) => setTimeout(r, 30));
      await t.disaster.commands.pushRound();
    }
    expect(ps.to(busy.id)).toHaveLength(1);
    expect(ps.to(busy.id)[0]!.headers.urgency).toBe('low');
    expect(ps.refused.filter((r) => r.id === busy.id).map((r) => r.status)).toEqual([429, 500]);
    await t.disaster.commands.pushRound();
    expect(ps.to(busy.id)).toHaveLength(1);
  });
});
