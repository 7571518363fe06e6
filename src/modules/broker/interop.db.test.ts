// What a standard NGSI-LD client does unchanged (ETSI GS CIM 009 v1.8): resource paths with a trailing
// slash, Location compared with the id it sent, the published URLs of the core context, media types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { linkHeader, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

const BASE = 'http://127.0.0.1:9';
let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', BASE, { broker: { auth: false, contexts: shelterContexts } });
});
afterAll(() => t.close());

const LINK = linkHeader(SHELTER_CONTEXT);
const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path.startsWith('/') ? path : `/ngsi-ld/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Link: LINK, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const shelter = (id: string) => ({ id, type: 'Shelter', capacity: { type: 'Property', value: 10 } });

describe('clause 6 resource paths written with a trailing slash work as without (ETSI GS CIM 009 v1.8)', () => {
  const id = 'urn:ngsi-ld:Shelter:slash-1';

  it('5.6.1–5.6.6, 5.6.18, 5.7.1–5.7.2 entities: create, query, retrieve, append, update, partial update, delete attribute, replace', async () => {
    expect((await req('POST', 'entities/', shelter(id))).status).toBe(201);
    const list = await req('GET', 'entities/?type=Shelter');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { id: string }[]).map((e) => e.id)).toEqual([id]);
    expect((await req('GET', `entities/${id}/`)).status).toBe(200);
    expect((await req('POST', `entities/${id}/attrs/`, { name: { type: 'Property', value: 'a' } })).status).toBe(204);
    expect((await req('PATCH', `entities/${id}/attrs/`, { name: { type: 'Property', value: 'b' } })).status).toBe(204);
    expect((await req('PATCH', `entities/${id}/attrs/name/`, { value: 'c' })).status).toBe(204);
    expect((await req('DELETE', `entities/${id}/attrs/name/`)).status).toBe(204);
    expect((await req('PUT', `entities/${id}/`, { type: 'Shelter', capacity: { type: 'Property', value: 11 } })).status).toBe(204);
    expect(((await (await req('GET', `entities/${id}`)).json()) as any).capacity.value).toBe(11);
  });

  it('5.6.7–5.6.10 batch operations, 5.7.5–5.7.8 types and attributes', async () => {
    const create = await req('POST', 'entityOperations/create/', [shelter('urn:ngsi-ld:Shelter:slash-2')]);
    expect(create.status).toBe(201);
    expect((await req('POST', 'entityOperations/upsert/', [shelter('urn:ngsi-ld:Shelter:slash-2')])).status).toBe(204);
    expect((await req('POST', 'entityOperations/update/', [shelter('urn:ngsi-ld:Shelter:slash-2')])).status).toBe(204);
    expect((await req('POST', 'entityOperations/delete/', ['urn:ngsi-ld:Shelter:slash-2'])).status).toBe(204);
    expect(((await (await req('GET', 'types/')).json()) as any).typeList).toEqual(['Shelter']);
    expect(((await (await req('GET', 'attributes/')).json()) as any).attributeList).toContain('capacity');
  });

  it('5.8 subscriptions and 5.7.3–5.7.4 temporal entities (routing only)', async () => {
    const sub = {
      type: 'Subscription',
      entities: [{ type: 'Shelter' }],
      notification: { endpoint: { uri: 'http://receiver.example.jp/notify' } },
    };
    const created = await req('POST', 'subscriptions/', sub);
    expect(created.status).toBe(201);
    const location = created.headers.get('Location')!;
    expect((await req('GET', 'subscriptions/')).status).toBe(200);
    expect((await req('GET', `${location}/`)).status).toBe(200);
    expect((await req('DELETE', `${location}/`)).status).toBe(204);
    expect((await req('GET', 'temporal/entities/?type=Shelter')).status).toBe(200);
    expect((await req('GET', `temporal/entities/${id}/`)).status).toBe(200);
  });

  it('5.13 the context store', async () => {
    const posted = await req('POST', 'jsonldContexts/', { '@context': { a: 'https://example.jp/a' } }, { Link: '' });
    expect(posted.status).toBe(201);
    expect((await req('GET', 'jsonldContexts/')).status).toBe(200);
    expect((await req('GET', `${posted.headers.get('Location')!.slice(BASE.length)}/`)).status).toBe(200);
  });

  it('outside /ngsi-ld/ a trailing slash still matters, and /ngsi-ld/v1/ itself is no endpoint', async () => {
    expect((await t.app.request('/healthz/')).status).toBe(404);
    expect((await t.app.request('/ngsi-ld/v1/')).status).toBe(404);
  });
});

describe('Location carries the id as sent (ETSI GS CIM 009 v1.8, 5.6.1, 5.8.1, 5.13.2)', () => {
  it('5.6.1 create entity: Location contains the id unencoded and retrieves the entity', async () => {
    const id = 'urn:ngsi-ld:Shelter:loc:022012-0001';
    const res = await req('POST', 'entities', shelter(id));
    const location = res.headers.get('Location')!;
    expect(location).toBe(`/ngsi-ld/v1/entities/${id}`);
    expect(location.endsWith(id)).toBe(true);
    const got = await req('GET', location);
    expect(((await got.json()) as any).id).toBe(id);
  });

  it('5.6.1 characters a path segment cannot hold are encoded, and the URL still retrieves the entity', async () => {
    // A URI may hold "/", "?", "#" and a percent-encoded octet (%20); in the path they are encoded once more.
    const id = 'https://example.jp/shelters/a?b#c%20d';
    const location = (await req('POST', 'entities', shelter(id))).headers.get('Location')!;
    expect(location).toBe('/ngsi-ld/v1/entities/https:%2F%2Fexample.jp%2Fshelters%2Fa%3Fb%23c%2520d');
    expect(((await (await req('GET', location)).json()) as any).id).toBe(id);
  });

  it('5.8.1 create subscription: Location contains the id as sent', async () => {
    const id = 'urn:ngsi-ld:Subscription:loc-1';
    const res = await req('POST', 'subscriptions', {
      id,
      type: 'Subscription',
      entities: [{ type: 'Shelter' }],
      notification: { endpoint: { uri: 'http://receiver.example.jp/notify' } },
    });
    expect(res.headers.get('Location')).toBe(`/ngsi-ld/v1/subscriptions/${id}`);
    expect(((await (await req('GET', res.headers.get('Location')!)).json()) as any).id).toBe(id);
  });

  it('5.13.2 add @context: Location names the context by its id unencoded, and that URL serves it', async () => {
    const res = await req('POST', 'jsonldContexts', { '@context': { b: 'https://example.jp/b' } }, { Link: '' });
    const location = res.headers.get('Location')!;
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:9\/ngsi-ld\/v1\/jsonldContexts\/urn:ngsi-ld:context:[0-9a-f]+$/);
    expect((await req('GET', location.slice(BASE.length))).status).toBe(200);
    const entity = { ...shelter('urn:ngsi-ld:Shelter:ctx-1'), b: { type: 'Property', value: 1 } };
    expect((await req('POST', 'entities', entity, { Link: linkHeader(location) })).status).toBe(201);
  });
});

describe('every published URL of the core context is the local copy (ETSI GS CIM 009 v1.8, 6.3.5, Annex B)', () => {
  const urls = [
    'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
    ...['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8'].map(
      (v) => `https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v${v}.jsonld`,
    ),
    'http://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
  ];
  for (const [n, url] of urls.entries()) {
    it(`6.3.5 ${url} in a Link header and in an ld+json body`, async () => {
      const id = `urn:ngsi-ld:Thing:core-${n}`;
      const linked = await req('POST', 'entities', { id, type: 'Thing', location: point }, { Link: linkHeader(url) });
      expect(linked.status).toBe(201);
      const body = { id: `${id}-ld`, type: 'Thing', location: point, '@context': [url] };
      expect((await req('POST', 'entities', body, { 'Content-Type': 'application/ld+json', Link: '' })).status).toBe(201);
      const got = (await (await req('GET', `entities/${id}`, undefined, { Link: linkHeader(url) })).json()) as any;
      expect(got.location).toEqual(point);
    });
  }
  it('6.3.5 a look-alike URL is not the core context', async () => {
    const url = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v9.9.jsonld';
    const res = await req('POST', 'entities', { id: 'urn:ngsi-ld:Thing:x', type: 'Thing' }, { Link: linkHeader(url) });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable');
  });
});

const point = { type: 'GeoProperty', value: { type: 'Point', coordinates: [140.74, 40.82] } };
