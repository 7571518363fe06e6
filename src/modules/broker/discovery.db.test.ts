// Discovery with details (ETSI GS CIM 009 v1.8, 5.7.5–5.7.8): EntityType, EntityTypeInfo and Attribute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { linkHeader, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts: shelterContexts } });
  const res = await get('POST', 'entityOperations/create', [
    { id: 'urn:ngsi-ld:Shelter:d1', type: 'Shelter', name: { type: 'Property', value: 'a' }, capacity: { type: 'Property', value: 1 } },
    {
      id: 'urn:ngsi-ld:Shelter:d2',
      type: ['Shelter', 'School'],
      name: { type: 'Property', value: 'b' },
      area: { type: 'Relationship', object: 'urn:x:1' },
    },
    { id: 'urn:ngsi-ld:School:d3', type: 'School', area: { type: 'Property', value: 'north' } },
  ]);
  expect(res.status).toBe(201);
});
afterAll(() => t.close());

const S = 'https://smartdatamodels.org/dataModel.Emergency/Shelter';
const D = 'https://uri.etsi.org/ngsi-ld/default-context/';
const get = (method: string, path: string, body?: unknown) =>
  t.app.request(`/ngsi-ld/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Link: linkHeader(SHELTER_CONTEXT) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const json = async (path: string) => (await (await get('GET', path)).json()) as any;

describe('discovery with details (ETSI GS CIM 009 v1.8)', () => {
  it('5.7.5 GET /types?details=true: each EntityType with its id, compacted name and attribute names', async () => {
    expect(await json('types?details=true')).toEqual(
      [
        { id: S, type: 'EntityType', typeName: 'Shelter', attributeNames: ['capacity', 'name', 'area'].sort(byIri) },
        { id: `${D}School`, type: 'EntityType', typeName: 'School', attributeNames: ['area', 'name'].sort(byIri) },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect((await json('types')).typeList.sort()).toEqual(['School', 'Shelter']);
  });

  it('5.7.6 GET /types/{type}: EntityTypeInfo with the entity count and each attribute’s kinds; unknown 404', async () => {
    expect(await json('types/School')).toEqual({
      id: `${D}School`,
      type: 'EntityTypeInfo',
      typeName: 'School',
      entityCount: 2,
      attributeDetails: [
        { id: 'https://schema.org/name', type: 'Attribute', attributeName: 'name', attributeTypes: ['Property'] },
        { id: `${D}area`, type: 'Attribute', attributeName: 'area', attributeTypes: ['Property', 'Relationship'] },
      ],
    });
    expect((await get('GET', `types/${encodeURIComponent(S)}`)).status).toBe(200);
    expect((await get('GET', 'types/Nothing')).status).toBe(404);
  });

  it('5.7.7–5.7.8 GET /attributes?details=true and /attributes/{attr}: types, kinds and how many entities', async () => {
    const list = await json('attributes?details=true');
    expect(list.find((a: any) => a.attributeName === 'area')).toEqual({
      id: `${D}area`,
      type: 'Attribute',
      attributeName: 'area',
      typeNames: ['School', 'Shelter'].sort((a, b) => (expandName(a) < expandName(b) ? -1 : 1)),
    });
    expect(await json('attributes/name')).toEqual({
      id: 'https://schema.org/name',
      type: 'Attribute',
      attributeName: 'name',
      attributeCount: 2,
      attributeTypes: ['Property'],
      typeNames: ['School', 'Shelter'].sort((a, b) => (expandName(a) < expandName(b) ? -1 : 1)),
    });
    expect((await get('GET', 'attributes/nothing')).status).toBe(404);
    expect((await get('GET', 'types?details=yes')).status).toBe(400);
  });
});

const iris: Record<string, string> = {
  capacity: 'https://smartdatamodels.org/capacity',
  name: 'https://schema.org/name',
  area: `${D}area`,
  Shelter: S,
  School: `${D}School`,
};
const expandName = (n: string) => iris[n]!;
const byIri = (a: string, b: string) => (expandName(a) < expandName(b) ? -1 : 1);
