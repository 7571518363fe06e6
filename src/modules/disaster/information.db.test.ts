// Disaster information (issue 14 point 5): an agency's system writes a road closure through the NGSI-LD
// API (plain fetch over HTTP, ETSI GS CIM 009 media types, a common-ID token with ngsi-ld:write), and it
// appears in the GeoJSON API and on the public municipality page with its source and time; stale items
// are flagged; staff post, confirm and end items for their own municipality only (others 404), audited.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/schema.ts';
import { serveTestApp } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { createBrokerClient } from '../identity/index.ts';

let t: Awaited<ReturnType<typeof serveTestApp>>;
let http: ReturnType<typeof staffHttp>;
let token: string;

beforeAll(async () => {
  t = await serveTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  const client = await createBrokerClient(t.database.db, { name: '青森県道路管理システム', tenants: ['default'] });
  const res = await fetch(`${t.url}/id/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ngsi-ld:write' }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);
afterAll(() => t.close());

const ngsi = (method: string, path: string, body?: unknown) =>
  fetch(`${t.url}/ngsi-ld/v1${path}`, {
    method,
    headers: {
      // CIM 009 6.3.4: a JSON body with the @context in a Link header (core context here: no Link needed).
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const geo = async (q: string) => (await (await fetch(`${t.url}/api/v1/disaster/information${q}`)).json()) as GeoJSON;
interface GeoJSON {
  type: string;
  features: { id: string; geometry: { type: string } | null; properties: Record<string, unknown> }[];
}
const municipalityPage = async () => (await fetch(`${t.url}/disaster/municipalities/02201`)).text();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

describe('disaster information from agencies through the broker', () => {
  it('a road closure POSTed to /ngsi-ld/v1/entities (201) is in the GeoJSON API and on the public municipality page with source and time', async () => {
    const res = await ngsi('POST', '/entities', {
      id: 'urn:ngsi-ld:RoadClosure:aomori-road-1',
      type: 'RoadClosure',
      name: { type: 'Property', value: '国道4号 浪岡付近' },
      status: { type: 'Property', value: 'closed' },
      description: { type: 'Property', value: '冠水のため全面通行止め' },
      source: { type: 'Property', value: '青森県道路管理システム' },
      dateObserved: { type: 'Property', value: hoursAgo(1) },
      municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
      location: {
        type: 'GeoProperty',
        value: {
          type: 'LineString',
          coordinates: [
            [140.59, 40.71],
            [140.6, 40.72],
          ],
        },
      },
    });
    expect(res.status).toBe(201);
    const all = await geo('?municipality=02201');
    const f = all.features.find((x) => x.id === 'urn:ngsi-ld:RoadClosure:aomori-road-1')!;
    expect(f.geometry?.type).toBe('LineString');
    expect(f.properties).toMatchObject({
      category: 'road-closure',
      categoryLabel: '通行止め・渋滞',
      summary: '通行止め',
      source: '青森県道路管理システム',
      stale: false,
    });
    const layer = await fetch(`${t.url}/api/v1/disaster/information/road-closure?municipality=02201`);
    expect(layer.headers.get('content-type')).toBe('application/geo+json');
    expect(((await layer.json()) as GeoJSON).features.map((x) => x.id)).toEqual(['urn:ngsi-ld:RoadClosure:aomori-road-1']);
    const html = await municipalityPage();
    expect(html).toContain('【通行止め・渋滞】国道4号 浪岡付近');
    expect(html).toContain('情報源: 青森県道路管理システム');
    expect(html).not.toContain('情報が古い可能性があります');
    expect(html).toContain('/api/v1/disaster/information/road-closure?municipality=02201'); // the map's data-layers
    expect((await geo('?municipality=02202')).features).toEqual([]);
  });

  it('an item not updated within its window is flagged 「情報が古い可能性があります」 (fire: 2 hours), on the page and in the API', async () => {
    const res = await ngsi('POST', '/entities', {
      id: 'urn:ngsi-ld:FireIncident:aomori-fire-1',
      type: 'FireIncident',
      name: { type: 'Property', value: '住宅火災' },
      status: { type: 'Property', value: 'burning' },
      source: { type: 'Property', value: '青森地域広域消防事務組合' },
      dateObserved: { type: 'Property', value: hoursAgo(3) },
      municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [140.74, 40.82] } },
    });
    expect(res.status).toBe(201);
    const f = (await geo('?municipality=02201&category=fire')).features;
    expect(f.map((x) => [x.id, x.properties.stale])).toEqual([['urn:ngsi-ld:FireIncident:aomori-fire-1', true]]);
    const html = await municipalityPage();
    expect(html).toMatch(/【火災】住宅火災.*情報が古い可能性があります/s);
    // An update through PATCH makes it current again, and the page follows.
    const patch = await ngsi('PATCH', `/entities/${encodeURIComponent('urn:ngsi-ld:FireIncident:aomori-fire-1')}/attrs`, {
      status: { type: 'Property', value: 'extinguished' },
      dateObserved: { type: 'Property', value: new Date().toISOString() },
    });
    expect(patch.status).toBe(204);
    const after = await municipalityPage();
    expect(after).toContain('【火災】住宅火災</strong>（鎮火）');
    expect(after).not.toContain('情報が古い可能性があります');
  });

  it('odd values from an agency (no date, a date that is not one, a huge name, no location, a foreign municipality) never break the API or the page', async () => {
    const long = 'あ'.repeat(5000);
    for (const [id, extra] of [
      ['urn:ngsi-ld:TransitStatus:odd-1', { dateObserved: { type: 'Property', value: 'yesterday' } }],
      ['urn:ngsi-ld:TransitStatus:odd-2', { name: { type: 'Property', value: long } }],
      ['urn:ngsi-ld:TransitStatus:odd-3', { status: { type: 'Property', value: { nested: true } } }],
    ] as const) {
      const res = await ngsi('POST', '/entities', {
        id,
        type: 'TransitStatus',
        municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
        ...extra,
      });
      expect(res.status).toBe(201);
    }
    expect(
      (
        await ngsi('POST', '/entities', {
          id: 'urn:ngsi-ld:TransitStatus:odd-4',
          type: 'TransitStatus',
          municipality: { type: 'Relationship', object: 'urn:x:elsewhere' },
        })
      ).status,
    ).toBe(201);
    const f = (await geo('?municipality=02201&category=transit')).features;
    expect(f.map((x) => x.id).sort()).toEqual([
      'urn:ngsi-ld:TransitStatus:odd-1',
      'urn:ngsi-ld:TransitStatus:odd-2',
      'urn:ngsi-ld:TransitStatus:odd-3',
    ]);
    console.log(JSON.stringify(f.map((x) => x.properties.observed)));
    for (const x of f) {
      expect(x.geometry).toBeNull();
      expect(Date.parse(String(x.properties.observed)), x.id).toBeGreaterThan(Date.now() - 60_000);
    }
    expect((f.find((x) => x.id.endsWith('odd-2'))!.properties.name as string).length).toBe(200);
    expect(f.find((x) => x.id.endsWith('odd-3'))!.properties.status).toBeNull();
    expect((await fetch(`${t.url}/api/v1/disaster/information/transit?municipality=02201`).then((r) => r.json())) as GeoJSON).toMatchObject(
      { features: [] },
    );
    const page = await fetch(`${t.url}/disaster/municipalities/02201`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('【公共交通の運行】公共交通の運行');
    for (const id of ['odd-1', 'odd-2', 'odd-3', 'odd-4'])
      expect((await ngsi('DELETE', `/entities/urn:ngsi-ld:TransitStatus:${id}`)).status).toBe(204);
  });

  it('bad API parameters: 400 / 404 as JSON, never 5xx', async () => {
    for (const [q, status] of [
      ['?municipality=2201', 400],
      ['?municipality=99999', 404],
      ['?category=volcano', 400],
      ['/volcano', 404],
      ['?municipality=%00', 400],
    ] as const) {
      const r = await fetch(`${t.url}/api/v1/disaster/information${q}`);
      expect(r.status).toBe(status);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
  });
});

describe('disaster information by staff (/staff/disaster/information)', () => {
  const audits = async (id: string) => (await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, id))).map((r) => r.action);
  const ids = async () => (await geo('?municipality=02201&category=outage')).features.map((f) => f.id);

  it('posts an outage with observedAt attributes on the open data tenant; the page lists it; confirm and end are audited', async () => {
    const r = await http.post('aomori', '/staff/disaster/information', {
      category: 'outage',
      municipality: '02201',
      name: '停電（浜田地区）',
      service: 'electricity',
      status: 'ongoing',
      affectedHouseholds: '1200',
      lon: '140.77',
      lat: '40.80',
      description: '',
      source: '',
    });
    expect(r.status).toBe(303);
    const [id] = await ids();
    expect(id).toMatch(/^urn:ngsi-ld:UtilityOutage:staff-02201-/);
    const e = (await t.broker.queries.entity('', id!))!;
    expect(e.source).toMatchObject({ value: '青森市（職員入力）' });
    expect(typeof (e.status as { observedAt?: string }).observedAt).toBe('string');
    expect(await municipalityPage()).toContain('【電気・水道・ガス・通信の障害】停電（浜田地区）</strong>（電気・障害発生中・約1,200戸）');
    // Another municipality's staff: 404 for its item, and refused for posting to 青森市.
    expect((await http.post('hirosaki', '/staff/disaster/information/item', { id: id!, action: 'end' })).status).toBe(404);
    const foreign = await http.post('hirosaki', '/staff/disaster/information', { category: 'fire', municipality: '02201', name: 'x' });
    expect(foreign.status).toBe(404);
    // Agencies' items cannot be ended by staff.
    expect(
      (await http.post('aomori', '/staff/disaster/information/item', { id: 'urn:ngsi-ld:RoadClosure:aomori-road-1', action: 'end' }))
        .status,
    ).toBe(404);
    expect((await http.post('aomori', '/staff/disaster/information/item', { id: id!, action: 'confirm' })).status).toBe(303);
    expect((await http.post('aomori', '/staff/disaster/information/item', { id: id!, action: 'end' })).status).toBe(303);
    expect(await ids()).toEqual([]);
    expect(await audits(id!)).toEqual(['post_disaster_information', 'confirm_disaster_information', 'end_disaster_information']);
  });

  it('hostile form input is refused with a message (400), nothing written', async () => {
    const bodies: Record<string, string>[] = [
      { category: 'fire', municipality: '02201', name: '' },
      { category: 'volcano', municipality: '02201', name: 'x' },
      { category: 'fire', municipality: '02201', name: 'a\u0001b' },
      { category: 'fire', municipality: '02201', name: 'x', lon: '150', lat: '40.8' },
      { category: 'fire', municipality: '02201', name: 'x', lon: '140.7' },
      { category: 'fire', municipality: '02201', name: 'x', status: 'suspended' },
      { category: 'fire', municipality: '02201', name: 'x'.repeat(101) },
    ];
    for (const body of bodies) {
      const r = await http.post('aomori', '/staff/disaster/information', body);
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('role="alert"');
    }
    expect((await geo('?municipality=02201&category=fire')).features).toHaveLength(1);
  });
});
