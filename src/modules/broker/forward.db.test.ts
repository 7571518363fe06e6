// Distributed operations (ETSI GS CIM 009 v1.8, clause 4.3.6): entity reads on one broker also ask
// the context sources registered with it. The source is a second Renkei broker on another database,
// served on 127.0.0.1; failing and silent sources are plain local servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveTestApp } from '../../../test/db.ts';
import { linkHeader, loopbackOutbound, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

const LINK = linkHeader(SHELTER_CONTEXT);
type Served = Awaited<ReturnType<typeof serveTestApp>>;

/** What the broker under test sent to context sources, through the outbound policy (127.0.0.1 allowed). */
const sent: { url: URL; headers: Headers }[] = [];
const recording = {
  check: loopbackOutbound.check,
  fetch: ((input, init) => {
    sent.push({ url: new URL(String(input)), headers: new Headers(init?.headers) });
    return loopbackOutbound.fetch(input, init);
  }) as typeof globalThis.fetch,
  close: loopbackOutbound.close,
};

async function localServer(handler: Parameters<typeof createServer>[1]) {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

let broker: Served;
let source: Served;
let silent: Awaited<ReturnType<typeof localServer>>;
let failing: Awaited<ReturnType<typeof localServer>>;
let stranger: Awaited<ReturnType<typeof localServer>>;
let huge: Awaited<ReturnType<typeof localServer>>;
beforeAll(async () => {
  const contexts = shelterContexts;
  broker = await serveTestApp('empty', undefined, { broker: { auth: false, contexts, sourceTimeoutMs: 5000 }, outbound: recording });
  source = await serveTestApp('empty', undefined, { broker: { auth: false, contexts }, outbound: loopbackOutbound });
  silent = await localServer(() => {}); // accepts, never answers
  failing = await localServer((_req, res) => res.writeHead(500).end('{"oops":'));
  // Streams an answer larger than the broker reads from a source (9 MB of a JSON array).
  huge = await localServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', Link: LINK });
    res.write('[');
    for (let i = 0; i < 9; i++) res.write(' '.repeat(1024 * 1024));
    res.end(']');
  });
  // Answers with an entity its registration does not cover, beside one it does.
  stranger = await localServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/json', Link: LINK }).end(
      JSON.stringify([
        { id: 'urn:ngsi-ld:Shelter:stranger-ok', type: 'Shelter', name: { type: 'Property', value: 'ok' } },
        { id: 'urn:ngsi-ld:Bank:1', type: 'Bank', name: { type: 'Property', value: 'not registered' } },
      ]),
    ),
  );
});
afterAll(async () => {
  await Promise.all([silent.close(), failing.close(), stranger.close(), huge.close()]);
  await broker.close();
  await source.close();
});

const call = (app: Served, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.app.request(`/ngsi-ld/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Link: LINK, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const prop = (value: unknown, observedAt?: string) => ({ type: 'Property', value, ...(observedAt && { observedAt }) });
async function create(app: Served, tenant: string, entity: Record<string, unknown>) {
  const res = await call(app, 'POST', '/entities', { type: 'Shelter', ...entity }, { 'NGSILD-Tenant': tenant });
  expect(res.status).toBe(201);
}
async function register(tenant: string, r: Record<string, unknown>) {
  const res = await call(
    broker,
    'POST',
    '/csourceRegistrations',
    { type: 'ContextSourceRegistration', information: [{ entities: [{ type: 'Shelter' }] }], endpoint: source.url, ...r },
    { 'NGSILD-Tenant': tenant },
  );
  expect(res.status, await res.clone().text()).toBe(201);
}
const query = async (tenant: string, qs: string, headers: Record<string, string> = {}) => {
  const res = await call(broker, 'GET', `/entities?${qs}`, undefined, { 'NGSILD-Tenant': tenant, ...headers });
  return { res, body: (await res.json()) as any };
};
const idsOf = (list: { id: string }[]) => list.map((e) => e.id);

describe('distributed queries over registered context sources', () => {
  it('4.3.6.2 inclusive: GET /entities merges the source’s entities with local ones, asking with the registration’s tenant and contextSourceInfo (ETSI GS CIM 009 v1.8)', async () => {
    await create(broker, 'inc', { id: 'urn:ngsi-ld:Shelter:a-local', name: prop('県庁') });
    await create(source, 'hirosaki', { id: 'urn:ngsi-ld:Shelter:b-remote', name: prop('弘前市役所') });
    await register('inc', { tenant: 'hirosaki', contextSourceInfo: [{ key: 'X-Api-Key', value: 'k1' }] });
    const before = sent.length;
    const { res, body } = await query('inc', 'type=Shelter');
    expect(res.status).toBe(200);
    expect(res.headers.get('NGSILD-Warning')).toBeNull();
    expect(body).toEqual([
      { id: 'urn:ngsi-ld:Shelter:a-local', type: 'Shelter', name: prop('県庁') },
      { id: 'urn:ngsi-ld:Shelter:b-remote', type: 'Shelter', name: prop('弘前市役所') },
    ]);
    const asked = sent.slice(before);
    expect(asked).toHaveLength(1);
    expect(`${asked[0]!.url.pathname}${asked[0]!.url.search}`).toBe('/ngsi-ld/v1/entities?type=Shelter');
    expect(asked[0]!.headers.get('NGSILD-Tenant')).toBe('hirosaki');
    expect(asked[0]!.headers.get('X-Api-Key')).toBe('k1');
    expect(asked[0]!.headers.get('Link')).toBe(LINK);
    expect(asked[0]!.headers.get('Via')).toBe(`1.1 ${new URL(broker.url).host}`);

    // GET /entities/{id} finds what only the source holds; local=true asks no source.
    const one = await call(broker, 'GET', '/entities/urn:ngsi-ld:Shelter:b-remote', undefined, { 'NGSILD-Tenant': 'inc' });
    expect(one.status).toBe(200);
    expect(((await one.json()) as any).name.value).toBe('弘前市役所');
    const n = sent.length;
    expect(idsOf((await query('inc', 'type=Shelter&local=true')).body)).toEqual(['urn:ngsi-ld:Shelter:a-local']);
    const localOnly = await call(broker, 'GET', '/entities/urn:ngsi-ld:Shelter:b-remote?local=true', undefined, { 'NGSILD-Tenant': 'inc' });
    expect(localOnly.status).toBe(404);
    expect(sent.length).toBe(n);
  });

  it('4.3.6.2 the same entity on both: attributes are joined; an instance stays local unless the source observed it later; auxiliary sources only fill gaps (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Shelter:both';
    for (const tenant of ['merge-inc', 'merge-aux'])
      await create(broker, tenant, { id, name: prop('local'), capacity: prop(10, '2025-01-01T00:00:00Z') });
    await create(source, 'both', {
      id,
      name: prop('remote'),
      capacity: prop(20, '2025-02-01T00:00:00Z'),
      address: prop('弘前市上白銀町1-1'),
    });
    await register('merge-inc', { tenant: 'both' });
    await register('merge-aux', { tenant: 'both', mode: 'auxiliary' });
    const inc = (await query('merge-inc', 'type=Shelter')).body;
    expect(inc).toEqual([
      { id, type: 'Shelter', name: prop('local'), capacity: prop(20, '2025-02-01T00:00:00Z'), address: prop('弘前市上白銀町1-1') },
    ]);
    const aux = (await query('merge-aux', 'type=Shelter')).body;
    expect(aux).toEqual([
      { id, type: 'Shelter', name: prop('local'), capacity: prop(10, '2025-01-01T00:00:00Z'), address: prop('弘前市上白銀町1-1') },
    ]);
    const one = await call(broker, 'GET', `/entities/${id}`, undefined, { 'NGSILD-Tenant': 'merge-inc' });
    expect(await one.json()).toEqual(inc[0]);
  });

  it('4.3.6.2 only matching registrations are asked, for their registered attributes and operations; what they do not cover is dropped (ETSI GS CIM 009 v1.8)', async () => {
    await create(source, 'cover', { id: 'urn:ngsi-ld:Shelter:c1', name: prop('c1'), capacity: prop(5) });
    await register('cover', { tenant: 'cover', information: [{ entities: [{ type: 'Shelter' }], propertyNames: ['name'] }] });
    await register('cover', { tenant: 'cover', operations: ['updateOps'] });
    await register('cover', { endpoint: stranger.url });
    const before = sent.length;
    expect((await query('cover', 'type=Bank')).body).toEqual([]);
    expect(sent.length).toBe(before);
    const { body } = await query('cover', 'type=Shelter');
    expect(body).toEqual([
      { id: 'urn:ngsi-ld:Shelter:c1', type: 'Shelter', name: prop('c1') },
      { id: 'urn:ngsi-ld:Shelter:stranger-ok', type: 'Shelter', name: prop('ok') },
    ]);
    const asked = sent.slice(before).map((s) => `${s.url.host}${s.url.pathname}${decodeURIComponent(s.url.search)}`);
    expect(asked.sort()).toEqual(
      [
        `${new URL(source.url).host}/ngsi-ld/v1/entities?attrs=name&type=Shelter`,
        `${new URL(stranger.url).host}/ngsi-ld/v1/entities?type=Shelter`,
      ].sort(),
    );
  });

  it('4.3.6.2 pages and counts over local and remote entities together, in id order (ETSI GS CIM 009 v1.8)', async () => {
    for (const n of [1, 3, 5]) await create(broker, 'paging', { id: `urn:ngsi-ld:Shelter:p${n}`, name: prop(`local ${n}`) });
    for (const n of [2, 3, 4, 6]) await create(source, 'paging', { id: `urn:ngsi-ld:Shelter:p${n}`, name: prop(`remote ${n}`) });
    await register('paging', { tenant: 'paging' });
    const { res, body } = await query('paging', 'type=Shelter&limit=3&offset=2&count=true');
    expect(idsOf(body)).toEqual(['urn:ngsi-ld:Shelter:p3', 'urn:ngsi-ld:Shelter:p4', 'urn:ngsi-ld:Shelter:p5']);
    expect(body[0].name.value).toBe('local 3');
    expect(res.headers.get('NGSILD-Results-Count')).toBe('6');
    const deep = await query('paging', 'type=Shelter&limit=10&offset=995');
    expect(deep.body).toEqual([]);
    expect(deep.res.headers.get('NGSILD-Warning')).toContain('first 1000 entities only');
  });

  it('4.3.6 a source that fails, answers too much or does not answer in time leaves its part out and is named in NGSILD-Warning; the request still answers (ETSI GS CIM 009 v1.8)', async () => {
    await create(broker, 'partial', { id: 'urn:ngsi-ld:Shelter:here', name: prop('here') });
    // The broker waits 5 s at most; this registration's own timeout is shorter.
    await register('partial', { id: 'urn:ngsi-ld:ContextSourceRegistration:silent', endpoint: silent.url, management: { timeout: 300 } });
    await register('partial', { id: 'urn:ngsi-ld:ContextSourceRegistration:failing', endpoint: failing.url });
    await register('partial', { id: 'urn:ngsi-ld:ContextSourceRegistration:closed', endpoint: 'http://127.0.0.1:9' });
    await register('partial', { id: 'urn:ngsi-ld:ContextSourceRegistration:huge', endpoint: huge.url });
    const started = Date.now();
    const { res, body } = await query('partial', 'type=Shelter');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(200);
    expect(idsOf(body)).toEqual(['urn:ngsi-ld:Shelter:here']);
    const warning = res.headers.get('NGSILD-Warning')!;
    expect(warning).toContain('urn:ngsi-ld:ContextSourceRegistration:silent did not answer within 300 ms');
    expect(warning).toContain('urn:ngsi-ld:ContextSourceRegistration:failing answered 500');
    expect(warning).toContain('urn:ngsi-ld:ContextSourceRegistration:closed could not be read');
    expect(warning).toContain('urn:ngsi-ld:ContextSourceRegistration:huge could not be read: answered more than 8388608 bytes');
    const one = await call(broker, 'GET', '/entities/urn:ngsi-ld:Shelter:here', undefined, { 'NGSILD-Tenant': 'partial' });
    expect(one.status).toBe(200);
    expect(one.headers.get('NGSILD-Warning')).toContain('answered 500');
  });

  it('6.3.18 a request whose Via names this broker is LoopDetected; brokers registered with each other answer once each (ETSI GS CIM 009 v1.8)', async () => {
    await create(broker, 'loop', { id: 'urn:ngsi-ld:Shelter:l-broker', name: prop('broker') });
    await create(source, 'loop', { id: 'urn:ngsi-ld:Shelter:l-source', name: prop('source') });
    await register('loop', { tenant: 'loop' });
    const back = await call(
      source,
      'POST',
      '/csourceRegistrations',
      { type: 'ContextSourceRegistration', information: [{ entities: [{ type: 'Shelter' }] }], endpoint: broker.url, tenant: 'loop' },
      { 'NGSILD-Tenant': 'loop' },
    );
    expect(back.status).toBe(201);
    const looped = await query('loop', 'type=Shelter', { Via: `1.1 proxy, 1.1 ${new URL(broker.url).host}` });
    expect(looped.res.status).toBe(508);
    expect(looped.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/LoopDetected');
    const { res, body } = await query('loop', 'type=Shelter');
    expect(res.status).toBe(200);
    expect(idsOf(body)).toEqual(['urn:ngsi-ld:Shelter:l-broker', 'urn:ngsi-ld:Shelter:l-source']);
  });
});
