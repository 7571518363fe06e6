// Shelter operations (issue 14 point 1) through the staff screens: a municipality's staff open a shelter
// with a capacity, record supplies, the sick and incidents; every change is an attribute with observedAt
// (public ones on the open data tenant, where the map reads them; staff-only ones on the municipality's
// tenant), audited; another municipality's staff get 404.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/schema.ts';
import { createTestApp } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import type { Shelter } from './shelters.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let s: Shelter;
let hirosaki: Shelter;

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
  await http.account('viewer', ['viewer']);
  const data = await t.disaster.queries.map();
  s = data.byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  hirosaki = data.byMunicipality.get('02202')![0]!;
});
afterAll(() => t.database.close());

const base = () => `/staff/disaster/shelters/${s.slug}`;
const audits = async () => (await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, s.id))).map((r) => r.action);

describe('shelter operations (issue 14 point 1)', () => {
  it("lists only the staff member's municipality's shelters; the prefecture sees all", async () => {
    const mine = await (await http.get('aomori', '/staff/disaster/shelters')).text();
    expect(mine).toContain(`href="/staff/disaster/shelters/${s.slug}"`);
    expect(mine).not.toContain(`href="/staff/disaster/shelters/${hirosaki.slug}"`);
    const all = await (await http.get('admin', `/staff/disaster/shelters?q=${encodeURIComponent(hirosaki.name)}`)).text();
    expect(all).toContain(`href="/staff/disaster/shelters/${hirosaki.slug}"`);
  });

  it("another municipality's shelter, an unknown one, and staff without the role: 404, nothing written", async () => {
    expect((await http.get('hirosaki', base())).status).toBe(404);
    expect((await http.get('aomori', '/staff/disaster/shelters/evacuation-E0000')).status).toBe(404);
    expect((await http.get('viewer', base())).status).toBe(404);
    const r = await http.post('hirosaki', `${base()}/status`, { status: 'open', capacity: '10' });
    expect(r.status).toBe(404);
    expect((await http.post('hirosaki', `${base()}/needs`, { supplies: 'x', shortages: '', sickCount: '', injuredCount: '' })).status).toBe(
      404,
    );
    expect((await http.post('hirosaki', `${base()}/incidents`, { text: 'x' })).status).toBe(404);
    expect((await t.disaster.queries.map()).shelters.get(s.slug)).toMatchObject({ status: null, capacity: null });
    expect(await audits()).toEqual([]);
  });

  it('opens the shelter with a capacity: status, openedAt and capacity with observedAt on the open data entity; the map data and public page show it; audited', async () => {
    const r = await http.post('aomori', `${base()}/status`, { status: 'open', capacity: '８９４' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`${base()}?done=status`);
    const e = (await t.broker.queries.entity('', s.id))!;
    const status = e.shelterStatus as { value: string; observedAt: string };
    expect(status.value).toBe('open');
    expect(Date.parse(status.observedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(e.capacity).toMatchObject({ value: 894, observedAt: status.observedAt });
    expect(e.openedAt).toMatchObject({ value: status.observedAt });
    expect(e.supplies).toBeUndefined(); // staff-only attributes never on open data
    // The map data (memory, dropped by the watcher) and the public page.
    expect((await t.disaster.queries.map()).shelters.get(s.slug)).toMatchObject({ status: 'open', capacity: 894, occupancy: null });
    const geo = await (await t.app.request(`/api/v1/disaster/shelters?municipality=02201`)).json();
    const f = geo.features.find((x: { id: string }) => x.id === s.id);
    expect(f.properties).toMatchObject({ status: 'open', capacity: 894, occupancy: null });
    const pub = await (await t.app.request(`/disaster/shelters/${s.slug}`)).text();
    expect(pub).toContain('<dt>開設状況</dt><dd>開設中</dd>');
    expect(pub).toContain('<dt>避難者数/収容人数</dt><dd>－人/894人</dd>');
    expect(await audits()).toEqual(['update_shelter_status']);
  });

  it("keeps a check-in's occupancy when staff change the capacity, and the broker's history holds each value with its time", async () => {
    await t.broker.commands.update('', s.id, { occupancy: { type: 'Property', value: 169 } });
    expect((await http.post('aomori', `${base()}/status`, { status: 'open', capacity: '900' })).status).toBe(303);
    expect((await t.disaster.queries.map()).shelters.get(s.slug)).toMatchObject({ occupancy: 169, capacity: 900 });
    const res = await t.app.request(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(s.id)}?attrs=capacity&options=temporalValues`);
    expect(res.status).toBe(200);
    const h = (await res.json()) as { capacity: { values: [number, string][] } };
    expect(h.capacity.values.map((v) => v[0])).toEqual([894, 900]);
    // Unchanged input writes nothing (no audit either).
    const before = await audits();
    expect((await http.post('aomori', `${base()}/status`, { status: 'open', capacity: '900' })).status).toBe(303);
    expect(await audits()).toEqual(before);
  });

  it('records supplies, shortages, sick and injured as staff-only attributes on the municipality tenant, with observedAt; audited', async () => {
    const r = await http.post('aomori', `${base()}/needs`, {
      supplies: '毛布 200枚',
      shortages: '粉ミルク',
      sickCount: '3',
      injuredCount: '1',
    });
    expect(r.status).toBe(303);
    const own = (await t.broker.queries.entity('02201', s.id))!;
    expect(own.type).toBe('EvacuationShelter');
    expect(own.supplies).toMatchObject({ value: '毛布 200枚' });
    expect(own.shortages).toMatchObject({ value: '粉ミルク' });
    expect(own.sickCount).toMatchObject({ value: 3 });
    expect(own.injuredCount).toMatchObject({ value: 1 });
    expect(typeof (own.sickCount as { observedAt?: string }).observedAt).toBe('string');
    const pub = (await t.broker.queries.entity('', s.id))!;
    expect(pub.shortages).toBeUndefined();
    expect(await (await t.app.request(`/disaster/shelters/${s.slug}`)).text()).not.toContain('粉ミルク');
    const page = await (await http.get('aomori', base())).text();
    expect(page).toContain('粉ミルク');
    expect(await audits()).toContain('update_shelter_needs');
  });

  it('records incidents with their time, newest first', async () => {
    expect((await http.post('aomori', `${base()}/incidents`, { text: '停電が発生' })).status).toBe(303);
    expect((await http.post('aomori', `${base()}/incidents`, { text: '発電機を設置' })).status).toBe(303);
    const page = await (await http.get('aomori', base())).text();
    expect(page.indexOf('発電機を設置')).toBeLessThan(page.indexOf('停電が発生'));
    expect(page).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}年/);
    expect((await audits()).filter((a) => a === 'add_shelter_incident')).toHaveLength(2);
  });

  it('the prefecture closes it: closedAt, status closed on the public page', async () => {
    expect((await http.post('admin', `${base()}/status`, { status: 'closed', capacity: '' })).status).toBe(303);
    const e = (await t.broker.queries.entity('', s.id))!;
    expect(e.shelterStatus).toMatchObject({ value: 'closed' });
    expect(e.capacity).toMatchObject({ value: 900 }); // empty capacity: unchanged
    expect(typeof (e.closedAt as { value?: string }).value).toBe('string');
    expect(await (await t.app.request(`/disaster/shelters/${s.slug}`)).text()).toContain('<dt>開設状況</dt><dd>閉鎖</dd>');
  });

  it('hostile input: bad numbers, control characters, oversized text, no CSRF → refused, nothing written, never 5xx', async () => {
    const before = await audits();
    for (const body of [
      { status: 'open', capacity: '-1' },
      { status: 'open', capacity: '1e5' },
      { status: 'open', capacity: '200000' },
      { status: 'maybe', capacity: '1' },
    ]) {
      const r = await http.post('aomori', `${base()}/status`, body);
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('role="alert"');
    }
    expect(
      (await http.post('aomori', `${base()}/needs`, { supplies: 'a\u0007b', shortages: '', sickCount: '', injuredCount: '' })).status,
    ).toBe(400);
    expect(
      (await http.post('aomori', `${base()}/needs`, { supplies: 'あ'.repeat(1001), shortages: '', sickCount: '', injuredCount: '' }))
        .status,
    ).toBe(400);
    expect((await http.post('aomori', `${base()}/incidents`, { text: '   ' })).status).toBe(400);
    expect((await http.post('aomori', `${base()}/incidents`, { text: 'x'.repeat(501) })).status).toBe(400);
    const noCsrf = await http.post('aomori', `${base()}/incidents`, { text: 'x' }, 'wrong');
    expect(noCsrf.status).toBeGreaterThanOrEqual(400);
    expect(noCsrf.status).toBeLessThan(500);
    expect(await audits()).toEqual(before);
  });
});
