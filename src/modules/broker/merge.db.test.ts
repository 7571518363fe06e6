// Merge entity and batch merge (ETSI GS CIM 009 v1.8, 5.6.17 and 5.6.20), with the NGSI-LD Null
// (urn:ngsi-ld:null) deleting what it names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { brokerRequest, linkHeader, SHELTER_CONTEXT, shelterContexts } from '../../../test/ngsi-ld.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: { auth: false, contexts: shelterContexts } });
});
afterAll(() => t.close());

const req = brokerRequest(() => t.app, linkHeader(SHELTER_CONTEXT));
const get = async (id: string) => (await (await req('GET', `entities/${id}`)).json()) as any;
const NULL = 'urn:ngsi-ld:null';

let n = 0;
async function shelter(extra: Record<string, unknown> = {}) {
  const id = `urn:ngsi-ld:Shelter:merge-${++n}`;
  const entity = {
    id,
    type: 'Shelter',
    name: { type: 'Property', value: '浦町小学校', source: { type: 'Property', value: 'GSI' } },
    capacity: [
      { type: 'Property', value: 100, unitCode: 'C62' },
      { type: 'Property', value: 80, datasetId: 'urn:ngsi-ld:Dataset:winter' },
    ],
    municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
    label: { type: 'LanguageProperty', languageMap: { ja: '浦町', en: 'Uramachi' } },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [140.74, 40.82] } },
    ...extra,
  };
  expect((await req('POST', 'entities', entity)).status).toBe(201);
  return id;
}

describe('5.6.17 merge entity: PATCH /entities/{id} (ETSI GS CIM 009 v1.8)', () => {
  it('5.6.17 adds new attributes and merges existing ones member by member; the rest stays', async () => {
    const id = await shelter();
    const res = await req('PATCH', `entities/${id}`, {
      capacity: { type: 'Property', value: 120 },
      name: { type: 'Property', value: '浦町小', source: { type: 'Property', value: 'city' } },
      phone: { type: 'Property', value: '017-000-0000' },
    });
    expect(res.status).toBe(204);
    const e = await get(id);
    expect(e.capacity).toEqual([
      { type: 'Property', value: 120, unitCode: 'C62' },
      { type: 'Property', value: 80, datasetId: 'urn:ngsi-ld:Dataset:winter' },
    ]);
    expect(e.name).toEqual({ type: 'Property', value: '浦町小', source: { type: 'Property', value: 'city' } });
    expect(e.phone).toEqual({ type: 'Property', value: '017-000-0000' });
    expect(e.municipality.object).toBe('urn:ngsi-ld:Municipality:02201');
  });

  it('5.6.17 a value-only fragment keeps the type and sub-attributes; a new datasetId adds an instance', async () => {
    const id = await shelter();
    await req('PATCH', `entities/${id}`, {
      name: { value: '新しい名前' },
      capacity: { type: 'Property', value: 60, datasetId: 'urn:ngsi-ld:Dataset:summer' },
    });
    const e = await get(id);
    expect(e.name).toEqual({ type: 'Property', value: '新しい名前', source: { type: 'Property', value: 'GSI' } });
    expect(e.capacity.map((i: any) => i.value)).toEqual([100, 80, 60]);
  });

  it('5.6.17 urn:ngsi-ld:null deletes an attribute, one instance, a sub-attribute; each kind of attribute', async () => {
    const id = await shelter();
    const res = await req('PATCH', `entities/${id}`, {
      capacity: { type: 'Property', value: NULL, datasetId: 'urn:ngsi-ld:Dataset:winter' },
      name: { type: 'Property', source: NULL },
      municipality: { type: 'Relationship', object: NULL },
      label: { type: 'LanguageProperty', languageMap: { '@none': NULL } },
      location: NULL,
    });
    expect(res.status).toBe(204);
    const e = await get(id);
    expect(e.capacity).toEqual({ type: 'Property', value: 100, unitCode: 'C62' });
    expect(e.name).toEqual({ type: 'Property', value: '浦町小学校' });
    for (const gone of ['municipality', 'label', 'location']) expect(e[gone], gone).toBeUndefined();
    expect(JSON.stringify(e)).not.toContain(NULL);
  });

  it('5.6.17 a type in the fragment is added to the entity types; only id and type change nothing else', async () => {
    const id = await shelter();
    expect((await req('PATCH', `entities/${id}`, { id, type: 'School' })).status).toBe(204);
    const e = await get(id);
    expect(e.type).toEqual(['Shelter', 'School']);
    expect(e.capacity).toHaveLength(2);
  });

  it('5.6.17 errors: unknown entity 404, an invalid attribute or another id 400, nothing changed', async () => {
    const id = await shelter();
    expect((await req('PATCH', 'entities/urn:ngsi-ld:Shelter:none', { a: { type: 'Property', value: 1 } })).status).toBe(404);
    const before = await get(id);
    for (const body of [
      { capacity: { type: 'Property', value: 5 }, location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [999, 0] } } },
      { id: 'urn:ngsi-ld:Shelter:other', capacity: { type: 'Property', value: 5 } },
      {},
    ]) {
      const res = await req('PATCH', `entities/${id}`, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
    expect(await get(id)).toEqual(before);
  });

  it('6.3.4 merge takes application/merge-patch+json', async () => {
    const id = await shelter();
    const res = await req(
      'PATCH',
      `entities/${id}`,
      { phone: { type: 'Property', value: '1' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(res.status).toBe(204);
    expect((await get(id)).phone.value).toBe('1');
  });
});

describe('5.6.20 batch entity merge: POST /entityOperations/merge (ETSI GS CIM 009 v1.8)', () => {
  it('5.6.20 merges each entity; all merged is 204; urn:ngsi-ld:null as an attribute deletes it', async () => {
    const [a, b] = [await shelter(), await shelter()];
    const res = await req('POST', 'entityOperations/merge', [
      { id: a, type: 'Shelter', capacity: { type: 'Property', value: 1 } },
      { id: b, type: 'Shelter', label: NULL },
    ]);
    expect(res.status).toBe(204);
    expect((await get(a)).capacity[0].value).toBe(1);
    expect((await get(b)).label).toBeUndefined();
    expect((await get(b)).name.value).toBe('浦町小学校');
  });

  it('5.6.20 a missing entity or a bad fragment fails alone: 207 with success and errors', async () => {
    const a = await shelter();
    const res = await req('POST', 'entityOperations/merge', [
      { id: a, phone: { type: 'Property', value: '2' } },
      { id: 'urn:ngsi-ld:Shelter:none', phone: { type: 'Property', value: '3' } },
      { id: a, capacity: { type: 'Relationship', object: 'not a uri' } },
      { type: 'Shelter' },
    ]);
    expect(res.status).toBe(207);
    const body = (await res.json()) as any;
    expect(body.success).toEqual([a]);
    expect(body.errors.map((e: any) => [e.entityId, e.error.status])).toEqual([
      ['urn:ngsi-ld:Shelter:none', 404],
      [a, 400],
      ['', 400],
    ]);
    expect((await get(a)).phone.value).toBe('2');
    expect((await get(a)).capacity).toHaveLength(2);
  });
});

describe('5.6.2 update attributes and 5.6.4 partial attribute update with urn:ngsi-ld:null (ETSI GS CIM 009 v1.8)', () => {
  it('5.6.2 a null attribute or instance in PATCH /attrs deletes it; the others update; a missing one is notUpdated', async () => {
    const id = await shelter();
    const res = await req('PATCH', `entities/${id}/attrs`, {
      location: { type: 'GeoProperty', value: NULL },
      capacity: { type: 'Property', value: NULL, datasetId: 'urn:ngsi-ld:Dataset:winter' },
      name: { type: 'Property', value: '更新' },
      phone: NULL,
    });
    expect(res.status).toBe(207);
    const result = (await res.json()) as any;
    expect(result.updated.sort()).toEqual(['capacity', 'location', 'name']);
    expect(result.notUpdated).toEqual([{ attributeName: 'phone', reason: 'the attribute does not exist' }]);
    const e = await get(id);
    expect(e.location).toBeUndefined();
    expect(e.capacity).toEqual({ type: 'Property', value: 100, unitCode: 'C62' });
    expect(e.name.value).toBe('更新');
  });

  it('5.6.4 PATCH /attrs/{attr} with the null value deletes that instance only', async () => {
    const id = await shelter();
    expect((await req('PATCH', `entities/${id}/attrs/capacity`, { value: NULL })).status).toBe(204);
    expect((await get(id)).capacity).toEqual({ type: 'Property', value: 80, datasetId: 'urn:ngsi-ld:Dataset:winter' });
    expect((await req('PATCH', `entities/${id}/attrs/label`, { type: 'LanguageProperty', languageMap: { '@none': NULL } })).status).toBe(
      204,
    );
    expect((await get(id)).label).toBeUndefined();
  });
});
