// Attribute kinds and entity members a standard client uses (ETSI GS CIM 009 v1.8): JsonProperty and
// VocabProperty (4.5.24–4.5.25), LanguageProperty with `lang` (4.15), entity scope and scopeQ (4.18–4.19),
// and deleting one instance or all of a multi-attribute (5.6.5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { linkHeader } from '../../../test/ngsi-ld.ts';
import { parseScopeQ, scopeHolds } from './scope.ts';

const CTX = 'https://example.jp/vocab-context.jsonld';
const contexts = {
  [CTX]: {
    '@context': { Site: 'https://example.jp/ns#Site', category: 'https://example.jp/ns#category', school: 'https://example.jp/ns#school' },
  },
};
let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts } });
});
afterAll(() => t.close());

const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.request(`/ngsi-ld/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Link: linkHeader(CTX), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const get = async (path: string, headers: Record<string, string> = {}) =>
  (await (await req('GET', path, undefined, headers)).json()) as any;
const create = async (e: Record<string, unknown>) => expect((await req('POST', 'entities', { type: 'Site', ...e })).status).toBe(201);

describe('4.5.24 JsonProperty and 4.5.25 VocabProperty (ETSI GS CIM 009 v1.8)', () => {
  const id = 'urn:ngsi-ld:Site:kinds';
  const json = { id: 'inner', type: 'not an entity', null: null, list: [1, 'a'] };
  beforeAll(() =>
    create({
      id,
      config: { type: 'JsonProperty', json, source: { type: 'Property', value: 'sensor' } },
      category: { type: 'VocabProperty', vocab: ['school', 'shelter'] },
    }),
  );

  it('4.5.24 JsonProperty keeps its json as sent, never expanded; simplified it is {"json": …}', async () => {
    const e = await get(`entities/${id}`);
    expect(e.config).toEqual({ type: 'JsonProperty', json, source: { type: 'Property', value: 'sensor' } });
    expect((await get(`entities/${id}?options=keyValues`)).config).toEqual({ json });
  });

  it('4.5.25 VocabProperty terms are expanded with the @context and compacted back with the reader’s', async () => {
    expect((await get(`entities/${id}`)).category).toEqual({ type: 'VocabProperty', vocab: ['school', 'shelter'] });
    const full = await get(`entities/${id}`, { Link: '' });
    expect(full['https://example.jp/ns#category'].vocab).toEqual(['https://example.jp/ns#school', 'shelter']);
    expect((await get(`entities/${id}?format=simplified`)).category).toEqual({ vocab: ['school', 'shelter'] });
  });

  it('4.5.24–4.5.25 a JsonProperty without a JSON object, or with value or unitCode, a VocabProperty without terms: BadRequestData', async () => {
    for (const attr of [
      { type: 'JsonProperty' },
      { type: 'JsonProperty', json: null },
      { type: 'JsonProperty', json: 5 },
      { type: 'JsonProperty', json: { a: 1 }, unitCode: 'MTR' },
      { type: 'JsonProperty', json: { a: 1 }, value: 1 },
      { type: 'VocabProperty', vocab: [] },
      { type: 'VocabProperty', vocab: 3 },
    ]) {
      const res = await req('POST', 'entities', { id: 'urn:ngsi-ld:Site:bad', type: 'Site', a: attr });
      expect(res.status, JSON.stringify(attr)).toBe(400);
    }
  });
});

describe('4.15 LanguageProperty and lang (ETSI GS CIM 009 v1.8)', () => {
  const id = 'urn:ngsi-ld:Site:lang';
  const other = 'urn:ngsi-ld:Site:lang-none';
  beforeAll(async () => {
    await create({
      id,
      label: { type: 'LanguageProperty', languageMap: { ja: '浦町小学校', en: 'Uramachi School', 'en-GB': 'Uramachi' } },
    });
    await create({ id: other, label: { type: 'LanguageProperty', languageMap: { '@none': '既定', ja: '日本語' } } });
  });

  it('4.15 without lang: the whole languageMap; simplified {"languageMap": …}', async () => {
    expect((await get(`entities/${id}`)).label.type).toBe('LanguageProperty');
    expect((await get(`entities/${id}?options=keyValues`)).label).toEqual({
      languageMap: { ja: '浦町小学校', en: 'Uramachi School', 'en-GB': 'Uramachi' },
    });
  });

  it('4.15 lang gives a Property in the best language with its tag; simplified just the string', async () => {
    expect((await get(`entities/${id}?lang=ja`)).label).toEqual({ type: 'Property', value: '浦町小学校', lang: 'ja' });
    expect((await get(`entities/${id}?lang=fr,en;q=0.8,ja;q=0.5`)).label).toEqual({
      type: 'Property',
      value: 'Uramachi School',
      lang: 'en',
    });
    expect((await get(`entities/${id}?lang=ja;q=0.1,en-GB`)).label.lang).toBe('en-GB');
    expect((await get(`entities/${id}?lang=ja&options=keyValues`)).label).toBe('浦町小学校');
    const list = await get(`entities?type=Site&lang=en&attrs=label`);
    expect(list.map((e: any) => e.label.value)).toEqual(['Uramachi School', '既定']);
  });

  it('4.15 a language it lacks falls back to @none, else to its first language; * takes any', async () => {
    expect((await get(`entities/${other}?lang=fr`)).label).toEqual({ type: 'Property', value: '既定', lang: '@none' });
    // "First" is in the stored order (JSONB keeps object keys shortest first, then in byte order).
    expect((await get(`entities/${id}?lang=fr`)).label).toEqual({ type: 'Property', value: 'Uramachi School', lang: 'en' });
    expect((await get(`entities/${id}?lang=*`)).label.lang).toBe('en');
  });
});

describe('4.18–4.19 entity scope and scopeQ (ETSI GS CIM 009 v1.8)', () => {
  it('4.19 scopeQ patterns: exact, # for a scope and all below, + for one level, ; and , ', () => {
    const holds = (q: string, scopes?: string[]) => scopeHolds(parseScopeQ(q), scopes);
    expect(holds('/Aomori/Hirosaki', ['/Aomori/Hirosaki'])).toBe(true);
    expect(holds('/Aomori/Hirosaki', ['/Aomori/Hirosaki/Shelters'])).toBe(false);
    expect(holds('/Aomori/#', ['/Aomori'])).toBe(true);
    expect(holds('/Aomori/#', ['/Aomori/Hirosaki/Shelters'])).toBe(true);
    expect(holds('/Aomori/#', ['/Aomorix'])).toBe(false);
    expect(holds('/Aomori/+/Shelters', ['/Aomori/Hirosaki/Shelters'])).toBe(true);
    expect(holds('/Aomori/+/Shelters', ['/Aomori/Shelters'])).toBe(false);
    expect(holds('/#', ['/x'])).toBe(true);
    expect(holds('/#', undefined)).toBe(false);
    expect(holds('/A;/B', ['/A', '/B'])).toBe(true);
    expect(holds('/A;/B', ['/A'])).toBe(false);
    expect(holds('/C,/B', ['/B'])).toBe(true);
    for (const bad of ['Aomori', '/a/#/b', '/a//b', '', '/a#']) expect(() => parseScopeQ(bad), bad).toThrow(/scopeQ/);
    // Deep paths are matched without recursion, so no request can exhaust the stack.
    expect(holds(`${'/a'.repeat(50_000)}/#`, ['/a'.repeat(60_000)])).toBe(true);
  });

  it('4.18 an entity keeps its scope: one is a string, several a list; merge adds, replace replaces', async () => {
    await create({ id: 'urn:ngsi-ld:Site:s1', scope: '/Aomori/Hirosaki/Shelters' });
    await create({ id: 'urn:ngsi-ld:Site:s2', scope: ['/Aomori/Aomori', '/Disaster/Flood'] });
    await create({ id: 'urn:ngsi-ld:Site:s3' });
    expect((await get('entities/urn:ngsi-ld:Site:s1')).scope).toBe('/Aomori/Hirosaki/Shelters');
    expect((await get('entities/urn:ngsi-ld:Site:s2?options=keyValues')).scope).toEqual(['/Aomori/Aomori', '/Disaster/Flood']);
    expect((await get('entities/urn:ngsi-ld:Site:s3')).scope).toBeUndefined();
    expect((await req('PATCH', 'entities/urn:ngsi-ld:Site:s3', { scope: '/Disaster/Flood' })).status).toBe(204);
    expect((await get('entities/urn:ngsi-ld:Site:s3')).scope).toBe('/Disaster/Flood');
    expect((await req('PUT', 'entities/urn:ngsi-ld:Site:s3', { type: 'Site', scope: ['/Disaster/Tsunami'] })).status).toBe(204);
    expect((await get('entities/urn:ngsi-ld:Site:s3')).scope).toBe('/Disaster/Tsunami');
    expect((await req('POST', 'entities', { id: 'urn:ngsi-ld:Site:s4', type: 'Site', scope: 'Aomori' })).status).toBe(400);
  });

  it('4.19 scopeQ selects on GET /entities, alone or with type', async () => {
    const ids = async (q: string) => (await get(`entities?${q}`)).map((e: any) => e.id);
    expect(await ids(`scopeQ=${encodeURIComponent('/Aomori/#')}`)).toEqual(['urn:ngsi-ld:Site:s1', 'urn:ngsi-ld:Site:s2']);
    expect(await ids(`type=Site&scopeQ=${encodeURIComponent('/Disaster/+')}`)).toEqual(['urn:ngsi-ld:Site:s2', 'urn:ngsi-ld:Site:s3']);
    expect(await ids(`scopeQ=${encodeURIComponent('/Aomori/#;/Disaster/Flood')}`)).toEqual(['urn:ngsi-ld:Site:s2']);
    expect((await req('GET', 'entities?scopeQ=Aomori')).status).toBe(400);
  });
});

describe('5.6.5 delete attribute: datasetId and deleteAll (ETSI GS CIM 009 v1.8)', () => {
  const id = 'urn:ngsi-ld:Site:multi';
  const speed = (value: number, datasetId?: string) => ({ type: 'Property', value, ...(datasetId && { datasetId }) });
  const reset = async () => {
    await req('DELETE', `entities/${id}`);
    await create({ id, speed: [speed(1), speed(2, 'urn:ngsi-ld:Dataset:a'), speed(3, 'urn:ngsi-ld:Dataset:b')] });
  };
  const values = async () => {
    const s = (await get(`entities/${id}`)).speed;
    return s === undefined ? [] : [s].flat().map((i: any) => i.value);
  };

  it('5.6.5 without parameters the default instance goes; with datasetId that instance; deleteAll=true all', async () => {
    await reset();
    expect((await req('DELETE', `entities/${id}/attrs/speed`)).status).toBe(204);
    expect(await values()).toEqual([2, 3]);
    expect((await req('DELETE', `entities/${id}/attrs/speed`)).status).toBe(404);
    expect((await req('DELETE', `entities/${id}/attrs/speed?datasetId=urn:ngsi-ld:Dataset:b`)).status).toBe(204);
    expect(await values()).toEqual([2]);
    await reset();
    expect((await req('DELETE', `entities/${id}/attrs/speed?deleteAll=true`)).status).toBe(204);
    expect(await values()).toEqual([]);
  });

  it('5.6.5 an unknown datasetId is ResourceNotFound, datasetId with deleteAll BadRequestData; nothing deleted', async () => {
    await reset();
    expect((await req('DELETE', `entities/${id}/attrs/speed?datasetId=urn:ngsi-ld:Dataset:z`)).status).toBe(404);
    expect((await req('DELETE', `entities/${id}/attrs/speed?datasetId=urn:ngsi-ld:Dataset:a&deleteAll=true`)).status).toBe(400);
    expect(await values()).toEqual([1, 2, 3]);
  });
});
