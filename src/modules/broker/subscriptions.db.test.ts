// NGSI-LD subscriptions and notifications, written from ETSI GS CIM 009 v1.8 (clauses 5.2.12, 5.8 and
// 5.11), over HTTP, with a real receiver on 127.0.0.1 and the real notifier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../../test/db.ts';
import { brokerRequest, linkHeader, SHELTER_CONTEXT } from '../../../test/ngsi-ld.ts';
import { outbound } from '../../platform/outbound.ts';
import { notifyingBroker, notifyingOptions } from '../../../test/notifying.ts';
import { receiver } from '../../../test/receiver.ts';
import { createBrokerModule } from './index.ts';

const CTX = SHELTER_CONTEXT;
const LINK = linkHeader(CTX);
// Receivers listen on 127.0.0.1, which the outbound policy opens only when told (OUTBOUND_ALLOW=127.0.0.1);
// rebind.test is a name that passes when a subscription is made but resolves to 127.0.0.2 when called.
const local = outbound({
  allow: ['127.0.0.1'],
  resolve: async (host) => (host === 'rebind.test' ? [{ address: '127.0.0.2', family: 4 }] : []),
});
const brokerOptions = notifyingOptions(local);

let t: Awaited<ReturnType<typeof notifyingBroker>>['t'];
let rx: Awaited<ReturnType<typeof notifyingBroker>>['rx'];
let close: () => Promise<void>;
beforeAll(async () => void ({ t, rx, close } = await notifyingBroker(local)));
afterAll(() => close());

const req = brokerRequest(() => t.app, LINK);

/** Creates a subscription; returns its id. */
async function subscribe(s: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await req('POST', '/subscriptions', { type: 'Subscription', ...s }, headers);
  expect(
    res.status,
    JSON.stringify(
      await res
        .clone()
        .json()
        .catch(() => null),
    ),
  ).toBe(201);
  return decodeURIComponent(res.headers.get('Location')!.split('/').at(-1)!);
}
const endpoint = (path: string) => ({ endpoint: { uri: `${rx.url}${path}` } });
const getSubscription = async (id: string, headers: Record<string, string> = {}) =>
  (await (await req('GET', `/subscriptions/${encodeURIComponent(id)}`, undefined, headers)).json()) as any;

/** Writes an entity: creates it, or merges the given attributes into it. */
async function write(entity: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await req('POST', '/entityOperations/upsert?options=update', [{ type: 'Shelter', ...entity }], headers);
  expect(res.status).toBeLessThan(300);
}
const prop = (value: unknown) => ({ type: 'Property', value });
const point = (lon: number, lat: number) => ({ type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, lat] } });

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const received = async (path: string, n: number) => {
  await until(() => rx.to(path).length >= n, `${path} has ${n} notifications`);
  return rx.to(path).map((d) => d.body);
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Notifications a subscription has produced: sent, or still queued (the two change in one transaction). */
async function produced(id: string) {
  const [r] = await rows<{ n: number }>(
    t.database,
    sql`select (select times_sent from broker_subscriptions where id = ${id})
      + (select count(*)::int from broker_notifications where subscription_id = ${id}) as n`,
  );
  return r!.n;
}
const subscriptionCount = async () =>
  (await rows<{ n: number }>(t.database, sql`select count(*)::int as n from broker_subscriptions`))[0]!.n;

describe('subscriptions: create, retrieve, query, update, delete', () => {
  it('creates one with a generated id, stores its names expanded and gives it back compacted, with its status', async () => {
    const res = await req('POST', '/subscriptions', {
      type: 'Subscription',
      subscriptionName: '避難所の収容人数',
      entities: [{ type: 'Shelter' }],
      watchedAttributes: ['capacity'],
      q: 'capacity>100',
      notification: { attributes: ['name'], format: 'keyValues', ...endpoint('/crud') },
    });
    expect(res.status).toBe(201);
    const location = res.headers.get('Location')!;
    expect(location).toMatch(/^\/ngsi-ld\/v1\/subscriptions\/urn:ngsi-ld:Subscription:[0-9a-f-]{36}$/);
    const id = decodeURIComponent(location.split('/').at(-1)!);
    const [row] = await rows<{ body: any; context: unknown }>(
      t.database,
      sql`select body, context from broker_subscriptions where id = ${id}`,
    );
    expect(row!.body.entities).toEqual([{ type: 'https://smartdatamodels.org/dataModel.Emergency/Shelter' }]);
    expect(row!.body.watchedAttributes).toEqual(['https://smartdatamodels.org/capacity']);
    expect(row!.context).toBe(CTX);
    const s = await getSubscription(id);
    expect(s).toEqual({
      id,
      type: 'Subscription',
      subscriptionName: '避難所の収容人数',
      entities: [{ type: 'Shelter' }],
      watchedAttributes: ['capacity'],
      q: 'capacity>100',
      isActive: true,
      status: 'active',
      notification: {
        attributes: ['name'],
        format: 'keyValues',
        endpoint: { uri: `${rx.url}/crud`, accept: 'application/json' },
        status: 'ok',
        timesSent: 0,
      },
    });
    const plain = await getSubscription(id, { Link: '' });
    expect(plain.entities).toEqual([{ type: 'https://smartdatamodels.org/dataModel.Emergency/Shelter' }]);
  });

  it('an id already used is AlreadyExists; lists with limit, offset and NGSILD-Results-Count', async () => {
    const s = { id: 'urn:ngsi-ld:Subscription:list-1', entities: [{ type: 'Shelter' }], notification: endpoint('/crud') };
    await subscribe(s);
    const again = await req('POST', '/subscriptions', { type: 'Subscription', ...s });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/AlreadyExists');
    await subscribe({ ...s, id: 'urn:ngsi-ld:Subscription:list-2' });
    const all = await req('GET', '/subscriptions?count=true');
    expect(all.headers.get('NGSILD-Results-Count')).toBe('3');
    const page = (await (await req('GET', '/subscriptions?limit=1&offset=1')).json()) as any[];
    expect(page.map((x) => x.id)).toEqual(['urn:ngsi-ld:Subscription:list-1']);
    expect((await req('GET', '/subscriptions?limit=-1')).status).toBe(400);
  });

  it('updates the members given (null removes one) and deletes; an unknown id is ResourceNotFound', async () => {
    const id = 'urn:ngsi-ld:Subscription:list-1';
    const patch = await req('PATCH', `/subscriptions/${encodeURIComponent(id)}`, {
      isActive: false,
      throttling: 5,
      watchedAttributes: ['name'],
      entities: null,
      notification: { format: 'keyValues', endpoint: { uri: `${rx.url}/moved`, accept: 'application/ld+json' } },
    });
    expect(patch.status).toBe(204);
    const s = await getSubscription(id);
    expect(s).toMatchObject({ isActive: false, status: 'paused', throttling: 5, watchedAttributes: ['name'] });
    expect(s.entities).toBeUndefined();
    expect(s.notification.endpoint).toEqual({ uri: `${rx.url}/moved`, accept: 'application/ld+json' });
    // Without entities, watchedAttributes is all that is left: removing it too would leave nothing to watch.
    const empty = await req('PATCH', `/subscriptions/${encodeURIComponent(id)}`, { watchedAttributes: null });
    expect(empty.status).toBe(400);
    expect((await getSubscription(id)).watchedAttributes).toEqual(['name']);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { isActive: true }],
      ['DELETE', undefined],
    ] as const) {
      const res = await req(method, '/subscriptions/urn%3Angsi-ld%3ASubscription%3Anone', body);
      expect(res.status, method).toBe(404);
      expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
    }
    expect((await req('DELETE', `/subscriptions/${encodeURIComponent(id)}`)).status).toBe(204);
    expect((await req('GET', `/subscriptions/${encodeURIComponent(id)}`)).status).toBe(404);
  });

  it('keeps tenants apart', async () => {
    const s = { type: 'Subscription', entities: [{ type: 'Shelter' }], notification: endpoint('/crud') };
    const id = await subscribe({ id: 'urn:ngsi-ld:Subscription:city', ...s }, { 'NGSILD-Tenant': 'aomori' });
    expect((await req('GET', `/subscriptions/${encodeURIComponent(id)}`)).status).toBe(404);
    const city = (await (await req('GET', '/subscriptions', undefined, { 'NGSILD-Tenant': 'aomori' })).json()) as any[];
    expect(city.map((x) => x.id)).toEqual([id]);
    const open = (await (await req('GET', '/subscriptions')).json()) as any[];
    expect(open.map((x) => x.id)).not.toContain(id);
  });
});

describe('bad subscriptions are refused precisely and change nothing', () => {
  const good = { type: 'Subscription', entities: [{ type: 'Shelter' }], notification: { endpoint: { uri: 'http://127.0.0.1:9/x' } } };
  it.each([
    ['no type', { ...good, type: undefined }],
    ['a type other than Subscription', { ...good, type: 'Registration' }],
    ['an id that is not a URI', { ...good, id: 'sub 1' }],
    ['neither entities nor watchedAttributes', { ...good, entities: undefined }],
    ['an entity selector without a type', { ...good, entities: [{ id: 'urn:ngsi-ld:Shelter:1' }] }],
    ['an idPattern that is not a regular expression', { ...good, entities: [{ type: 'Shelter', idPattern: '(' }] }],
    ['empty watchedAttributes', { ...good, watchedAttributes: [] }],
    ['no notification', { ...good, notification: undefined }],
    ['an endpoint that is not a URL', { ...good, notification: { endpoint: { uri: 'not a url' } } }],
    ['an endpoint that is not http or https', { ...good, notification: { endpoint: { uri: 'ftp://127.0.0.1/x' } } }],
    ['an unknown accept', { ...good, notification: { endpoint: { uri: 'http://127.0.0.1/x', accept: 'text/plain' } } }],
    ['an unknown format', { ...good, notification: { ...good.notification, format: 'concise-ish' } }],
    ['a q that does not parse', { ...good, q: 'capacity>>1' }],
    ['a q with a bad pattern', { ...good, q: 'name~=(' }],
    ['a geoQ near without a distance', { ...good, geoQ: { georel: 'near', geometry: 'Point', coordinates: [140.74, 40.82] } }],
    ['a geoQ outside the globe', { ...good, geoQ: { georel: 'within', geometry: 'Point', coordinates: [200, 40] } }],
    ['an expiresAt in the past', { ...good, expiresAt: '2020-01-01T00:00:00Z' }],
    ['an expiresAt that is not a date-time', { ...good, expiresAt: 'tomorrow' }],
    ['a negative throttling', { ...good, throttling: -1 }],
    ['an isActive that is not a boolean', { ...good, isActive: 'yes' }],
    ['an unknown member', { ...good, colour: 'blue' }],
  ])('%s', async (_label, body) => {
    const before = await subscriptionCount();
    const res = await req('POST', '/subscriptions', body);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as any;
    expect(problem.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    expect(problem.detail).toMatch(/\w+ \w+/);
    expect(await subscriptionCount()).toBe(before);
  });

  it('a bad update changes nothing', async () => {
    const id = await subscribe({ entities: [{ type: 'Shelter' }], notification: endpoint('/crud') });
    const before = await getSubscription(id);
    for (const body of [{ notification: { endpoint: { uri: 'mailto:x@example.jp' } } }, { q: '(' }, { isActive: false, throttling: -5 }]) {
      expect((await req('PATCH', `/subscriptions/${encodeURIComponent(id)}`, body)).status).toBe(400);
    }
    expect(await getSubscription(id)).toEqual(before);
  });
});

describe('5.2.15 notification.endpoint.uri: only what the outbound policy lets the server call (ETSI GS CIM 009 v1.8)', () => {
  const body = (uri: string) => ({ type: 'Subscription', entities: [{ type: 'Shelter' }], notification: { endpoint: { uri } } });
  it.each([
    ['http:///x', /absolute http\(s\) URL with a host/],
    ['javascript:alert(1)', /http or https/],
    ['ftp://example.jp/x', /http or https/],
    ['http://localhost:8080/notify', /localhost is a local name/],
    ['http://metadata.google.internal/computeMetadata/v1/', /local name/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
    ['http://10.0.0.1/notify', /10\.0\.0\.1 is a private address/],
    ['http://2130706434/', /127\.0\.0\.2 is a loopback address/],
    ['http://[::ffff:127.0.0.2]/', /IPv4-mapped form of 127\.0\.0\.2, a loopback address/],
    ['http://[fd00::1]/', /unique local/],
  ])('%s is BadRequestData naming notification.endpoint.uri, and nothing is stored', async (uri, reason) => {
    const before = await subscriptionCount();
    const res = await req('POST', '/subscriptions', body(uri));
    expect(res.status).toBe(400);
    const problem = (await res.json()) as any;
    expect(problem.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    expect(problem.detail).toContain('notification.endpoint.uri');
    expect(problem.detail).toMatch(reason);
    expect(await subscriptionCount()).toBe(before);
  });

  it('an update to a refused endpoint is BadRequestData and keeps the endpoint', async () => {
    const id = await subscribe({ entities: [{ type: 'Shelter' }], notification: endpoint('/kept') });
    for (const uri of ['http:///x', 'http://192.168.0.10/notify']) {
      const res = await req('PATCH', `/subscriptions/${encodeURIComponent(id)}`, { notification: { endpoint: { uri } } });
      expect(res.status, uri).toBe(400);
      expect(((await res.json()) as any).detail).toContain('notification.endpoint.uri');
    }
    expect((await getSubscription(id)).notification.endpoint.uri).toBe(`${rx.url}/kept`);
  });
});

describe('notifications', () => {
  it('go to subscriptions whose entities (type, id or idPattern) select the entity', async () => {
    await subscribe({ entities: [{ type: 'Shelter', idPattern: '^urn:ngsi-ld:Shelter:sel-A' }], notification: endpoint('/pattern') });
    await subscribe({ entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:sel-B1' }], notification: endpoint('/id') });
    await write({ id: 'urn:ngsi-ld:Shelter:sel-A1', capacity: prop(1) });
    await write({ id: 'urn:ngsi-ld:Shelter:sel-B1', capacity: prop(2) });
    await write({ id: 'urn:ngsi-ld:Shelter:sel-A2', type: 'Hospital', capacity: prop(3) });
    await write({ id: 'urn:ngsi-ld:Shelter:sel-B1', capacity: prop(4) });
    await write({ id: 'urn:ngsi-ld:Shelter:sel-A9', capacity: prop(5) });
    // A subscription's notifications arrive in order: once the last is in, any wrong one would be too.
    expect((await received('/pattern', 2)).map((n) => n.data.map((e: any) => e.id))).toEqual([
      ['urn:ngsi-ld:Shelter:sel-A1'],
      ['urn:ngsi-ld:Shelter:sel-A9'],
    ]);
    expect((await received('/id', 2)).map((n) => n.data[0].capacity.value)).toEqual([2, 4]);
  });

  it('with watchedAttributes, only when one of them is created or changes', async () => {
    await subscribe({
      entities: [{ type: 'Shelter', idPattern: '^urn:ngsi-ld:Shelter:watch' }],
      watchedAttributes: ['capacity'],
      notification: endpoint('/watch'),
    });
    const id = 'urn:ngsi-ld:Shelter:watch-1';
    await write({ id, name: prop('浦町小学校') }); // created without capacity
    await write({ id, capacity: prop(500) }); // capacity created
    await write({ id, name: prop('浦町小') }); // another attribute
    await write({ id, capacity: prop(500) }); // the same value again
    await write({ id, capacity: prop(600) });
    expect((await received('/watch', 2)).map((n) => n.data[0].capacity.value)).toEqual([500, 600]);
  });

  it('only while q and geoQ hold on the entity as it now is', async () => {
    await subscribe({
      entities: [{ type: 'Shelter', idPattern: '^urn:ngsi-ld:Shelter:cond' }],
      q: 'capacity>100',
      geoQ: { georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: [140.74, 40.8228] },
      notification: endpoint('/conditions'),
    });
    const id = 'urn:ngsi-ld:Shelter:cond-1';
    await write({ id, capacity: prop(50), location: point(140.7285, 40.8287) }); // near, too small
    await write({ id, capacity: prop(200) }); // near and large enough
    await write({ id, capacity: prop(300), location: point(140.4642, 40.6031) }); // Hirosaki: too far
    await write({ id, capacity: prop(400), location: point(140.741, 40.823) });
    expect((await received('/conditions', 2)).map((n) => n.data[0].capacity.value)).toEqual([200, 400]);
  });

  it('carry the entity in the format, with the attributes and the @context the subscription asks for', async () => {
    const select = { entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:fmt' }] };
    const normalized = await subscribe({ ...select, notification: { attributes: ['name'], ...endpoint('/normalized') } });
    await subscribe({ ...select, notification: { format: 'keyValues', ...endpoint('/keyvalues') } });
    await subscribe({ ...select, notification: { format: 'keyValues', endpoint: { uri: `${rx.url}/ld`, accept: 'application/ld+json' } } });
    await write({ id: 'urn:ngsi-ld:Shelter:fmt', name: prop('浦町小学校'), capacity: { ...prop(500), unitCode: 'C62' } });

    const [n] = await received('/normalized', 1);
    expect(n).toEqual({
      id: expect.stringMatching(/^urn:ngsi-ld:Notification:[0-9a-f-]{36}$/),
      type: 'Notification',
      subscriptionId: normalized,
      notifiedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      data: [{ id: 'urn:ngsi-ld:Shelter:fmt', type: 'Shelter', name: { type: 'Property', value: '浦町小学校' } }],
    });
    const [json] = rx.to('/normalized');
    expect(json!.headers['content-type']).toBe('application/json');
    expect(json!.headers.link).toContain(`<${CTX}>`);
    expect((await received('/keyvalues', 1))[0].data).toEqual([
      { id: 'urn:ngsi-ld:Shelter:fmt', type: 'Shelter', name: '浦町小学校', capacity: 500 },
    ]);
    const [ld] = await received('/ld', 1);
    expect(ld['@context']).toBe(CTX);
    expect(rx.to('/ld')[0]!.headers['content-type']).toBe('application/ld+json');
    expect(rx.to('/ld')[0]!.headers.link).toBeUndefined();
  });

  it('are throttled: at most one per throttling period', async () => {
    const id = await subscribe({
      entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:throttle' }],
      throttling: 60,
      notification: endpoint('/throttled'),
    });
    for (const value of [1, 2, 3]) await write({ id: 'urn:ngsi-ld:Shelter:throttle', capacity: prop(value) });
    expect(await produced(id)).toBe(1);
    expect((await received('/throttled', 1)).map((n) => n.data[0].capacity.value)).toEqual([1]);
  });

  it('stop when the subscription expires, and it says so', async () => {
    const id = await subscribe({
      entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:expiring' }],
      expiresAt: new Date(Date.now() + 1000).toISOString(),
      notification: endpoint('/expiring'),
    });
    expect((await getSubscription(id)).status).toBe('active');
    await pause(1100);
    await write({ id: 'urn:ngsi-ld:Shelter:expiring', capacity: prop(1) });
    expect(await produced(id)).toBe(0);
    expect(await getSubscription(id)).toMatchObject({ status: 'expired', isActive: true });
  });

  it('pause while isActive is false, and resume', async () => {
    const id = await subscribe({
      entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:paused' }],
      isActive: false,
      notification: endpoint('/paused'),
    });
    await write({ id: 'urn:ngsi-ld:Shelter:paused', capacity: prop(1) });
    expect(await produced(id)).toBe(0);
    expect((await req('PATCH', `/subscriptions/${encodeURIComponent(id)}`, { isActive: true })).status).toBe(204);
    await write({ id: 'urn:ngsi-ld:Shelter:paused', capacity: prop(2) });
    expect((await received('/paused', 1)).map((n) => n.data[0].capacity.value)).toEqual([2]);
  });

  it('are recorded in the subscription: timesSent, lastNotification, lastSuccess; lastFailure and status failed', async () => {
    const ok = await subscribe({ entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:status' }], notification: endpoint('/ok') });
    rx.failing.add('/down');
    const down = await subscribe({ entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:status' }], notification: endpoint('/down') });
    await write({ id: 'urn:ngsi-ld:Shelter:status', capacity: prop(1) });
    await until(async () => (await getSubscription(ok)).notification.timesSent === 1, 'the notification is sent');
    const sent = (await getSubscription(ok)).notification;
    expect(sent).toMatchObject({ status: 'ok', timesSent: 1 });
    expect(Date.parse(sent.lastSuccess)).toBeGreaterThanOrEqual(Date.parse(sent.lastNotification));
    expect(sent.lastFailure).toBeUndefined();

    await until(async () => !!(await getSubscription(down)).notification.lastFailure, 'the notification fails');
    const failed = (await getSubscription(down)).notification;
    expect(failed).toMatchObject({ status: 'failed', timesSent: 0 });
    expect(failed.lastNotification).toMatch(/^\d{4}-/);
    expect(failed.lastSuccess).toBeUndefined();
    const [queued] = await rows<{ attempts: number; last_error: string }>(
      t.database,
      sql`select attempts, last_error from broker_notifications where subscription_id = ${down}`,
    );
    expect(queued!.attempts).toBeGreaterThanOrEqual(1);
    expect(queued!.last_error).toContain('500');
    // Deleting the subscription drops what was queued for it.
    expect((await req('DELETE', `/subscriptions/${encodeURIComponent(down)}`)).status).toBe(204);
    expect(await rows(t.database, sql`select 1 from broker_notifications where subscription_id = ${down}`)).toEqual([]);
  });

  it('to a receiver answering 302 fail: the redirect is not followed', async () => {
    const id = await subscribe({
      entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:redirect' }],
      notification: endpoint('/redirect'),
    });
    await write({ id: 'urn:ngsi-ld:Shelter:redirect', capacity: prop(1) });
    await until(async () => !!(await getSubscription(id)).notification.lastFailure, 'the notification fails');
    expect((await getSubscription(id)).notification).toMatchObject({ status: 'failed', timesSent: 0 });
    const [queued] = await rows<{ last_error: string }>(
      t.database,
      sql`select last_error from broker_notifications where subscription_id = ${id}`,
    );
    expect(queued!.last_error).toContain('302');
    expect(rx.to('/redirected')).toEqual([]);
  });

  it('to a name that resolves to a refused address when called are a recorded failure, with the reason', async () => {
    const id = await subscribe({
      entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:rebind' }],
      notification: { endpoint: { uri: `http://rebind.test:${new URL(rx.url).port}/rebind` } },
    });
    await write({ id: 'urn:ngsi-ld:Shelter:rebind', capacity: prop(1) });
    await until(async () => !!(await getSubscription(id)).notification.lastFailure, 'the notification fails');
    expect((await getSubscription(id)).notification).toMatchObject({ status: 'failed', timesSent: 0 });
    const [queued] = await rows<{ last_error: string }>(
      t.database,
      sql`select last_error from broker_notifications where subscription_id = ${id}`,
    );
    expect(queued!.last_error).toContain('rebind.test resolves to 127.0.0.2, a loopback address');
    expect(t.errors).toEqual([]);
  });

  it('stay within their tenant', async () => {
    const city = { 'NGSILD-Tenant': 'aomori' };
    await subscribe({ entities: [{ type: 'Bus' }], notification: endpoint('/tenant') }, city);
    await write({ id: 'urn:ngsi-ld:Bus:1', type: 'Bus', capacity: prop(1) });
    await write({ id: 'urn:ngsi-ld:Bus:1', type: 'Bus', capacity: prop(2) }, city);
    expect((await received('/tenant', 1)).map((n) => n.data[0].capacity.value)).toEqual([2]);
  });
});

describe('durable delivery', () => {
  const updates = async (id: string, values: number[]) => {
    for (const value of values) await write({ id, capacity: prop(value) });
  };
  const attempts = async (subscriptionId: string) =>
    (
      await rows<{ n: number }>(
        t.database,
        sql`select coalesce(max(attempts), 0)::int as n from broker_notifications where subscription_id = ${subscriptionId}`,
      )
    )[0]!.n;

  it('a receiver that answers 500 for a while gets every notification once it recovers, in order, exactly once', async () => {
    rx.failing.add('/flaky');
    const id = await subscribe({ entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:flaky' }], notification: endpoint('/flaky') });
    await updates('urn:ngsi-ld:Shelter:flaky', [1, 2, 3, 4, 5]);
    await until(async () => (await attempts(id)) >= 3, 'the first notification has failed three times');
    expect(rx.to('/flaky')).toEqual([]);
    await updates('urn:ngsi-ld:Shelter:flaky', [6]);
    rx.failing.delete('/flaky');
    expect((await received('/flaky', 6)).map((n) => n.data[0].capacity.value)).toEqual([1, 2, 3, 4, 5, 6]);
    await pause(300);
    expect(rx.to('/flaky')).toHaveLength(6);
    expect(new Set(rx.to('/flaky').map((d) => d.body.id)).size).toBe(6);
    expect((await getSubscription(id)).notification).toMatchObject({ timesSent: 6, status: 'ok' });
  });

  it('a receiver that is not listening at all gets every notification once it starts, in order, exactly once', async () => {
    const gone = await receiver();
    const url = gone.url;
    await gone.close();
    await subscribe({
      entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:refused' }],
      notification: { endpoint: { uri: `${url}/late` } },
    });
    await updates('urn:ngsi-ld:Shelter:refused', [1, 2, 3]);
    await pause(300);
    const late = await receiver(Number(new URL(url).port));
    try {
      await until(() => late.to('/late').length >= 3, 'the receiver has the three notifications');
      expect(late.to('/late').map((d) => d.body.data[0].capacity.value)).toEqual([1, 2, 3]);
      await pause(300);
      expect(late.to('/late')).toHaveLength(3);
    } finally {
      await late.close();
    }
  });

  it('survives a restart: a new notifier on the same database sends what the stopped one left queued', async () => {
    rx.failing.add('/restart');
    const id = await subscribe({ entities: [{ type: 'Shelter', id: 'urn:ngsi-ld:Shelter:restart' }], notification: endpoint('/restart') });
    await updates('urn:ngsi-ld:Shelter:restart', [1, 2, 3]);
    await until(async () => (await attempts(id)) >= 1, 'a delivery has failed');
    await t.broker.commands.stopNotifier();
    rx.failing.delete('/restart');
    await pause(200);
    expect(rx.to('/restart')).toEqual([]);
    expect(await rows(t.database, sql`select 1 from broker_notifications where subscription_id = ${id}`)).toHaveLength(3);

    // The next server: it polls only once a minute, so what arrives quickly came from its start or from a wake-up.
    const next = createBrokerModule({
      db: t.database.db,
      baseUrl: 'http://127.0.0.1:9',
      ...brokerOptions,
      notifier: { ...brokerOptions.notifier, pollMs: 60_000, backoffMs: 0 },
      tokenScopes: async () => new Set(),
    });
    next.commands.startNotifier();
    try {
      expect((await received('/restart', 3)).map((n) => n.data[0].capacity.value)).toEqual([1, 2, 3]);
      const started = Date.now();
      const res = await next.routes.api.request('/ngsi-ld/v1/entities/urn%3Angsi-ld%3AShelter%3Arestart/attrs', {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', Link: LINK },
        body: JSON.stringify({ capacity: prop(4) }),
      });
      expect(res.status).toBe(204);
      expect((await received('/restart', 4)).map((n) => n.data[0].capacity.value)).toEqual([1, 2, 3, 4]);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await next.commands.stopNotifier();
      t.broker.commands.startNotifier();
    }
    await pause(200);
    expect(rx.to('/restart')).toHaveLength(4);
  });
});
