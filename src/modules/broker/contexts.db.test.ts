// The context store (/ngsi-ld/v1/jsonldContexts, ETSI GS CIM 009 v1.8 clause 5.13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../app.ts';
import { createTestApp, rows, testResidentKeys } from '../../../test/db.ts';
import { linkHeader } from '../../../test/ngsi-ld.ts';
import { CORE_CONTEXT_URL } from './context.ts';

const BASE = 'http://127.0.0.1:9';
let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', BASE, { broker: { auth: false, contexts: {} } });
});
afterAll(() => t.close());

const document = { '@context': { Shelter: 'https://example.jp/vocab#Shelter', capacity: 'https://example.jp/vocab#capacity' } };
const post = (app: typeof t.app, body: unknown) =>
  app.request('/ngsi-ld/v1/jsonldContexts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const pathOf = (url: string) => url.slice(BASE.length);

describe('context store', () => {
  let url: string;

  it('hosts a posted @context at its own URL and lists it beside the core context', async () => {
    const res = await post(t.app, document);
    expect(res.status).toBe(201);
    url = res.headers.get('Location')!;
    expect(url.startsWith(`${BASE}/ngsi-ld/v1/jsonldContexts/`)).toBe(true);
    const served = await t.app.request(pathOf(url));
    expect(served.status).toBe(200);
    expect(served.headers.get('Content-Type')).toContain('application/ld+json');
    expect(await served.json()).toEqual(document);
    expect(await (await t.app.request('/ngsi-ld/v1/jsonldContexts')).json()).toEqual(expect.arrayContaining([CORE_CONTEXT_URL, url]));
    const hosted = (await (await t.app.request('/ngsi-ld/v1/jsonldContexts?kind=Hosted&details=true')).json()) as any[];
    // Beside it, the broker's own: the personal tenant's @context.
    const personal = `${BASE}/ngsi-ld/v1/jsonldContexts/urn:ngsi-ld:context:personal`;
    expect(hosted.map((h) => h.URL).sort()).toEqual([url, personal].sort());
    expect(hosted.find((h) => h.URL === url)).toMatchObject({ kind: 'Hosted' });
  });

  it('expands names with a hosted context, in this process and in another one on the same database', async () => {
    const entity = { id: 'urn:ngsi-ld:Shelter:1', type: 'Shelter', capacity: { type: 'Property', value: 120 } };
    const created = await t.app.request('/ngsi-ld/v1/entities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Link: linkHeader(url) },
      body: JSON.stringify(entity),
    });
    expect(created.status).toBe(201);
    const [row] = await rows<{ types: string[]; attrs: object }>(t.database, sql`select types, attrs from broker_entities`);
    expect(row!.types).toEqual(['https://example.jp/vocab#Shelter']);
    expect(Object.keys(row!.attrs)).toEqual(['https://example.jp/vocab#capacity']);

    const other = await createApp({
      residentKeys: testResidentKeys,
      db: t.database.db,
      baseUrl: BASE,
      broker: { auth: false, contexts: {} },
    });
    const got = await other.app.request('/ngsi-ld/v1/entities/urn:ngsi-ld:Shelter:1?options=keyValues', {
      headers: { Link: linkHeader(url) },
    });
    expect(await got.json()).toEqual({ id: 'urn:ngsi-ld:Shelter:1', type: 'Shelter', capacity: 120 });
  });

  it('refuses what is not a context document, and stores nothing', async () => {
    for (const body of [{ not: 'a context' }, { '@context': 'https://example.jp/ctx' }, { '@context': { a: 5 } }]) {
      const res = await post(t.app, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
    expect(await rows(t.database, sql`select id from broker_contexts`)).toHaveLength(1);
  });

  it('deletes a hosted context; after that it is not available; the core context and the broker’s own cannot be deleted', async () => {
    const id = pathOf(url).split('/').pop()!;
    expect((await t.app.request(`/ngsi-ld/v1/jsonldContexts/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.app.request(pathOf(url))).status).toBe(404);
    const res = await t.app.request('/ngsi-ld/v1/entities/urn:ngsi-ld:Shelter:1', { headers: { Link: linkHeader(url) } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).title).toBe('LdContextNotAvailable');
    const core = await t.app.request(`/ngsi-ld/v1/jsonldContexts/${encodeURIComponent('urn:ngsi-ld:context:core')}`, { method: 'DELETE' });
    expect(core.status).toBe(422);
    const own = await t.app.request('/ngsi-ld/v1/jsonldContexts/urn:ngsi-ld:context:personal', { method: 'DELETE' });
    expect(own.status).toBe(422);
    expect((await t.app.request('/ngsi-ld/v1/jsonldContexts/urn:nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('clause 5.13: a context added through one server is listed and served by another within a second, and gone there once deleted', async () => {
    const other = await createApp({
      residentKeys: testResidentKeys,
      db: t.database.db,
      baseUrl: BASE,
      broker: { auth: false, contexts: {} },
    });
    const listed = async () => (await (await other.app.request('/ngsi-ld/v1/jsonldContexts')).json()) as string[];
    const before = await listed(); // the other server has read the store
    const added = (await post(t.app, { '@context': { Sensor: 'https://example.jp/vocab#Sensor' } })).headers.get('Location')!;
    expect(before).not.toContain(added);
    expect(await within(async () => (await listed()).includes(added))).toBeLessThan(1000);
    expect((await other.app.request(pathOf(added))).status).toBe(200);
    expect((await t.app.request(pathOf(added), { method: 'DELETE' })).status).toBe(204);
    expect(await within(async () => (await other.app.request(pathOf(added))).status === 404)).toBeLessThan(1000);
    const named = await other.app.request('/ngsi-ld/v1/entities/urn:ngsi-ld:Shelter:1', { headers: { Link: linkHeader(added) } });
    expect(((await named.json()) as any).title).toBe('LdContextNotAvailable');
  });
});

/** How long until `holds` is true, checking every 20 ms for up to two seconds. */
async function within(holds: () => Promise<boolean>) {
  const start = performance.now();
  while (!(await holds())) {
    if (performance.now() - start > 2000) return Infinity;
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - start;
}
