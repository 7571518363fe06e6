// Media types, the GeoJSON representation, query parameters and error types of the entity API, as a
// standard client meets them (ETSI GS CIM 009 v1.8, clauses 4.5.16–4.5.17, 5.5.2, 6.3.4, 6.3.6, 6.3.15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { linkHeader, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';
import { negotiate } from './media.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts: shelterContexts } });
  for (const e of [site, other]) expect((await req('POST', 'entities', e)).status).toBe(201);
});
afterAll(() => t.close());

const LINK = linkHeader(SHELTER_CONTEXT);
const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.request(`/ngsi-ld/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Link: LINK, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const problem = async (res: Response) => ((await res.json()) as { type: string; detail: string }).type.split('/').at(-1);

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
const site = {
  id: 'urn:ngsi-ld:Shelter:geo-1',
  type: 'Shelter',
  name: { type: 'Property', value: '浦町小学校' },
  location: [
    { type: 'GeoProperty', value: point(9, 9), datasetId: 'urn:ngsi-ld:Dataset:gps' },
    { type: 'GeoProperty', value: point(140.74, 40.82) },
  ],
  entrance: { type: 'GeoProperty', value: point(140.75, 40.83) },
};
const other = { id: 'urn:ngsi-ld:Shelter:geo-2', type: 'Shelter', name: { type: 'Property', value: '第二' } };

describe('6.3.6 Accept (ETSI GS CIM 009 v1.8)', () => {
  it('6.3.6 negotiation: highest q, an explicit type before a wildcard, then the order given', () => {
    expect(negotiate(undefined, ['json', 'ld'])).toBe('json');
    expect(negotiate('application/ld+json', ['json', 'ld'])).toBe('ld');
    expect(negotiate('application/json;q=0.5, application/ld+json', ['json', 'ld'])).toBe('ld');
    expect(negotiate('*/*, application/ld+json', ['json', 'ld'])).toBe('ld');
    expect(negotiate('text/html, */*;q=0.1', ['json', 'ld'])).toBe('json');
    expect(negotiate('application/geo+json', ['json', 'ld'])).toBeNull();
    expect(negotiate('application/json;q=0', ['json', 'ld'])).toBeNull();
    expect(negotiate('application/xml', ['json', 'ld', 'geo'])).toBeNull();
  });

  it('6.3.6 an Accept allowing none of JSON, JSON-LD, GeoJSON or */* is 406 with ProblemDetails, on every route', async () => {
    for (const [method, path] of [
      ['GET', `entities/${site.id}`],
      ['GET', 'entities?type=Shelter'],
      ['GET', 'types'],
      ['POST', 'entities'],
    ]) {
      const res = await req(method!, path!, method === 'POST' ? { id: 'urn:ngsi-ld:Shelter:x', type: 'Shelter' } : undefined, {
        Accept: 'application/xml',
      });
      expect(res.status, path).toBe(406);
      expect(await problem(res)).toBe('NotAcceptable');
    }
    expect((await req('GET', 'entities/urn:ngsi-ld:Shelter:x')).status).toBe(404);
  });

  it('6.3.6 GeoJSON is offered where the specification has it only: GET /types with only geo+json is 406', async () => {
    expect((await req('GET', 'types', undefined, { Accept: 'application/geo+json' })).status).toBe(406);
  });
});

describe('6.3.4 Content-Type (ETSI GS CIM 009 v1.8)', () => {
  it('6.3.4 a body other than application/json or application/ld+json is 415, nothing stored', async () => {
    const body = JSON.stringify({ id: 'urn:ngsi-ld:Shelter:ct', type: 'Shelter' });
    for (const type of ['text/plain', 'application/xml', 'application/merge-patch+json', '']) {
      const res = await req('POST', 'entities', body, { 'Content-Type': type });
      expect(res.status, type).toBe(415);
      expect(await problem(res)).toBe('UnsupportedMediaType');
    }
    expect((await req('GET', 'entities/urn:ngsi-ld:Shelter:ct')).status).toBe(404);
  });

  it('6.3.4 PATCH also takes application/merge-patch+json, read as application/json', async () => {
    const res = await req(
      'PATCH',
      `entities/${other.id}/attrs`,
      { name: { type: 'Property', value: '第二小' } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(res.status).toBe(204);
    expect(((await (await req('GET', `entities/${other.id}`)).json()) as any).name.value).toBe('第二小');
  });
});

describe('4.5.16–4.5.17 GeoJSON representation (ETSI GS CIM 009 v1.8, 6.3.15)', () => {
  it('4.5.16 retrieve: a Feature whose geometry is the default instance of location, properties without id', async () => {
    const res = await req('GET', `entities/${site.id}`, undefined, { Accept: 'application/geo+json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('application/geo+json');
    const f = (await res.json()) as any;
    expect(f).toMatchObject({ id: site.id, type: 'Feature', geometry: point(140.74, 40.82), '@context': SHELTER_CONTEXT });
    expect(f.properties.type).toBe('Shelter');
    expect(f.properties.id).toBeUndefined();
    expect(f.properties.name).toEqual({ type: 'Property', value: '浦町小学校' });
    expect(f.properties.location).toHaveLength(2);
  });

  it('4.5.16 geometryProperty picks another GeoProperty; one that is missing or not a geometry gives null', async () => {
    const get = async (q: string) =>
      (await (await req('GET', `entities/${site.id}?${q}`, undefined, { Accept: 'application/geo+json' })).json()) as any;
    expect((await get('geometryProperty=entrance')).geometry).toEqual(point(140.75, 40.83));
    expect((await get('geometryProperty=name')).geometry).toBeNull();
    expect((await get('geometryProperty=nothing')).geometry).toBeNull();
  });

  it('4.5.16 simplified: properties in keyValues form', async () => {
    const f = (await (
      await req('GET', `entities/${site.id}?format=simplified`, undefined, { Accept: 'application/geo+json' })
    ).json()) as any;
    expect(f.properties).toMatchObject({ type: 'Shelter', name: '浦町小学校', entrance: point(140.75, 40.83) });
  });

  it('4.5.17 query: a FeatureCollection, the @context at the top, none in the features', async () => {
    const res = await req('GET', 'entities?type=Shelter', undefined, { Accept: 'application/geo+json' });
    const fc = (await res.json()) as any;
    expect(fc).toMatchObject({ type: 'FeatureCollection', '@context': SHELTER_CONTEXT });
    expect(fc.features.map((f: any) => [f.id, f.type, f.geometry])).toEqual([
      [site.id, 'Feature', point(140.74, 40.82)],
      [other.id, 'Feature', null],
    ]);
    expect(fc.features.every((f: any) => !('@context' in f))).toBe(true);
  });
});

describe('query parameters and error types (ETSI GS CIM 009 v1.8, 5.5.2, 6.4–6.5)', () => {
  it('6.4.3.2 / 6.5.3.1 an unknown query parameter is BadRequestData naming it, per operation', async () => {
    for (const [method, path, body] of [
      ['GET', 'entities?type=Shelter&georell=near', undefined],
      ['GET', `entities/${site.id}?option=keyValues`, undefined],
      ['GET', `entities/${site.id}?type=Shelter`, undefined],
      ['POST', 'entities?options=keyValues', { id: 'urn:ngsi-ld:Shelter:p', type: 'Shelter' }],
      ['DELETE', `entities/${other.id}?force=true`, undefined],
      ['GET', 'types?limit=1', undefined],
    ] as const) {
      const res = await req(method, path, body);
      expect(res.status, path).toBe(400);
      const p = (await res.json()) as { type: string; detail: string };
      expect(p.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
      expect(p.detail).toMatch(/^(georell|option|type|options|force|limit) is not a query parameter/);
    }
    expect((await req('GET', `entities/${other.id}`)).status).toBe(200);
    expect((await req('GET', 'entities/urn:ngsi-ld:Shelter:p')).status).toBe(404);
    expect((await req('GET', `entities/${site.id}?attrs=name&options=keyValues&local=true`)).status).toBe(200);
  });

  it('5.5.2 a body that is not JSON is InvalidRequest; JSON with wrong content is BadRequestData', async () => {
    expect(await problem(await req('POST', 'entities', '{"id": '))).toBe('InvalidRequest');
    expect(await problem(await req('POST', 'entities', ''))).toBe('InvalidRequest');
    expect(await problem(await req('POST', 'entities', { id: 'not a uri', type: 'Shelter' }))).toBe('BadRequestData');
    const ld = { id: 'urn:ngsi-ld:Shelter:noctx', type: 'Shelter' };
    expect(await problem(await req('POST', 'entities', ld, { 'Content-Type': 'application/ld+json', Link: '' }))).toBe('BadRequestData');
  });

  it('5.6.3–5.6.4 an empty fragment on append or update attributes is BadRequestData', async () => {
    for (const method of ['POST', 'PATCH']) {
      const res = await req(method, `entities/${other.id}/attrs`, {});
      expect(res.status, method).toBe(400);
      expect(await problem(res)).toBe('BadRequestData');
    }
  });
});
