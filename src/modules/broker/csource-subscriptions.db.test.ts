// Context source registration subscriptions, written from ETSI GS CIM 009 v1.8 (clauses 5.11.2–5.11.7),
// over HTTP, with a real receiver on 127.0.0.1 and the real notifier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp } from '../../../test/db.ts';
import { brokerRequest, linkHeader, loopbackOutbound, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

const LINK = linkHeader(SHELTER_CONTEXT);

/** Records every notification it is sent, by path. */
async function receiver() {
  const got: { path: string; body: any }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      got.push({ path: req.url!, body: JSON.parse(text) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    to: (path: string) => got.filter((d) => d.path === path).map((d) => d.body),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

let t: Awaited<ReturnType<typeof createTestApp>>;
let rx: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', {
    broker: { auth: false, contexts: shelterContexts, notifier: { pollMs: 50, backoffMs: 20, maxBackoffMs: 200 } },
    outbound: loopbackOutbound,
  });
  rx = await receiver();
  t.broker.commands.startNotifier();
});
afterAll(async () => {
  await t.broker.commands.stopNotifier();
  await rx.close();
  await t.close();
});

const req = brokerRequest(() => t.app, LINK);
const idFrom = (res: Response) => decodeURIComponent(res.headers.get('Location')!.split('/').at(-1)!);
async function subscribe(path: string, s: Record<string, unknown>, tenant = 'cs') {
  const res = await req(
    'POST',
    '/csourceSubscriptions',
    { type: 'Subscription', notification: { endpoint: { uri: `${rx.url}${path}` } }, ...s },
    { 'NGSILD-Tenant': tenant },
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return idFrom(res);
}
async function register(r: Record<string, unknown>, tenant = 'cs') {
  const res = await req(
    'POST',
    '/csourceRegistrations',
    { type: 'ContextSourceRegistration', endpoint: 'http://source.example.jp:1026', ...r },
    { 'NGSILD-Tenant': tenant },
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return idFrom(res);
}
async function until(check: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const received = async (path: string, n: number) => {
  await until(() => rx.to(path).length >= n, `${path} has ${n} notifications`);
  return rx.to(path);
};
const shelters = { entities: [{ type: 'Shelter' }], propertyNames: ['capacity'] };
const vehicles = { entities: [{ type: 'Vehicle' }] };

describe('context source registration subscriptions', () => {
  it('5.11.2 creates, retrieves, lists, updates and deletes one, apart from entity subscriptions (ETSI GS CIM 009 v1.8)', async () => {
    const id = await subscribe('/crud', { entities: [{ type: 'Shelter' }], watchedAttributes: ['capacity'] });
    const path = `/csourceSubscriptions/${encodeURIComponent(id)}`;
    const got = (await (await req('GET', path, undefined, { 'NGSILD-Tenant': 'cs' })).json()) as any;
    expect(got).toMatchObject({
      id,
      type: 'Subscription',
      entities: [{ type: 'Shelter' }],
      watchedAttributes: ['capacity'],
      status: 'active',
    });
    const list = (await (await req('GET', '/csourceSubscriptions', undefined, { 'NGSILD-Tenant': 'cs' })).json()) as any[];
    expect(list.map((s) => s.id)).toContain(id);
    expect((await (await req('GET', '/subscriptions', undefined, { 'NGSILD-Tenant': 'cs' })).json()) as any[]).toEqual([]);
    expect((await req('GET', path)).status).toBe(404);
    expect((await req('PATCH', path, { subscriptionName: '避難所の登録' }, { 'NGSILD-Tenant': 'cs' })).status).toBe(204);
    expect(((await (await req('GET', path, undefined, { 'NGSILD-Tenant': 'cs' })).json()) as any).subscriptionName).toBe('避難所の登録');
    expect((await req('DELETE', path, undefined, { 'NGSILD-Tenant': 'cs' })).status).toBe(204);
    expect((await req('GET', path, undefined, { 'NGSILD-Tenant': 'cs' })).status).toBe(404);
  });

  it('5.11.2 refuses q, a missing notification and a missing selection with BadRequestData (ETSI GS CIM 009 v1.8)', async () => {
    for (const body of [
      { type: 'Subscription', entities: [{ type: 'Shelter' }], q: 'capacity>1', notification: { endpoint: { uri: `${rx.url}/x` } } },
      { type: 'Subscription', entities: [{ type: 'Shelter' }] },
      { type: 'Subscription', notification: { endpoint: { uri: `${rx.url}/x` } } },
    ]) {
      const res = await req('POST', '/csourceSubscriptions', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
  });

  it('5.11.7 notifies newlyMatching on subscribing and on a new matching registration, with only the matching information (ETSI GS CIM 009 v1.8)', async () => {
    const tenant = 'cs-new';
    const first = await register({ information: [shelters, vehicles] }, tenant);
    const sub = await subscribe('/new', { entities: [{ type: 'Shelter' }] }, tenant);
    const [initial] = await received('/new', 1);
    expect(initial).toMatchObject({ type: 'Notification', subscriptionId: sub, triggerReason: 'newlyMatching' });
    expect(initial.data).toEqual([
      {
        id: first,
        type: 'ContextSourceRegistration',
        information: [shelters],
        endpoint: 'http://source.example.jp:1026',
        mode: 'inclusive',
        operations: ['federationOps'],
      },
    ]);
    await register({ information: [vehicles] }, tenant);
    const second = await register({ information: [shelters] }, tenant);
    const [, next] = await received('/new', 2);
    expect(next.triggerReason).toBe('newlyMatching');
    expect(next.data.map((r: { id: string }) => r.id)).toEqual([second]);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.to('/new')).toHaveLength(2);
  });

  it('5.11.7 updated when a matching registration changes, noLongerMatching when it stops matching and when it is deleted (ETSI GS CIM 009 v1.8)', async () => {
    const tenant = 'cs-change';
    await subscribe('/change', { entities: [{ type: 'Shelter' }] }, tenant);
    const id = await register({ information: [shelters] }, tenant);
    const path = `/csourceRegistrations/${encodeURIComponent(id)}`;
    await received('/change', 1);
    expect((await req('PATCH', path, { endpoint: 'http://other.example.jp' }, { 'NGSILD-Tenant': tenant })).status).toBe(204);
    const [, updated] = await received('/change', 2);
    expect(updated.triggerReason).toBe('updated');
    expect(updated.data[0].endpoint).toBe('http://other.example.jp');
    expect((await req('PATCH', path, { information: [vehicles] }, { 'NGSILD-Tenant': tenant })).status).toBe(204);
    const [, , gone] = await received('/change', 3);
    expect(gone.triggerReason).toBe('noLongerMatching');
    expect(gone.data[0].information).toEqual([vehicles]);
    expect((await req('PATCH', path, { information: [shelters] }, { 'NGSILD-Tenant': tenant })).status).toBe(204);
    expect((await received('/change', 4))[3].triggerReason).toBe('newlyMatching');
    expect((await req('DELETE', path, undefined, { 'NGSILD-Tenant': tenant })).status).toBe(204);
    const deleted = (await received('/change', 5))[4];
    expect(deleted.triggerReason).toBe('noLongerMatching');
    expect(deleted.data[0].id).toBe(id);
  });

  it('5.11.7 watchedAttributes and geoQ select registrations by their attribute names and location (ETSI GS CIM 009 v1.8)', async () => {
    const tenant = 'cs-select';
    await subscribe('/watched', { watchedAttributes: ['capacity'] }, tenant);
    await subscribe(
      '/near',
      { entities: [{ type: 'Shelter' }], geoQ: { georel: 'near;maxDistance==5000', geometry: 'Point', coordinates: [140.74, 40.82] } },
      tenant,
    );
    await register(
      {
        information: [{ entities: [{ type: 'Shelter' }], propertyNames: ['name'] }],
        location: { type: 'Point', coordinates: [141.5, 40.5] },
      },
      tenant,
    );
    const near = await register({ information: [shelters], location: { type: 'Point', coordinates: [140.75, 40.82] } }, tenant);
    expect((await received('/watched', 1))[0].data[0].id).toBe(near);
    expect((await received('/near', 1))[0].data[0].id).toBe(near);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.to('/watched')).toHaveLength(1);
    expect(rx.to('/near')).toHaveLength(1);
  });
});
