// マイエリア（防災）on the account (/my/disaster/areas, issue 13.5): areas kept on the account reach every
// device linked to it through the one fan-out (a local push service decrypts: RFC 8291), none elsewhere;
// a device's own areas keep working; account deletion takes the areas and the devices; hostile input;
// the push API's rate limit (429 + Retry-After).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbound } from '../../platform/outbound.ts';
import { createTestApp, rows } from '../../../test/db.ts';
import { pushService } from '../../../test/push-service.ts';
import { signedInResident } from '../../../test/residents.ts';
import { deleteAccount } from '../residents/account.ts';
import { toEntity, type Alert } from './alert.ts';
import { PUSH_RATE } from './push/api.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let ps: Awaited<ReturnType<typeof pushService>>;
beforeAll(async () => {
  ps = await pushService();
  t = await createTestApp('aomori', 'https://bousai.example.jp', {
    outbound: outbound({ allow: ['127.0.0.1'] }),
    disasterPush: { backoffMs: 20, maxBackoffMs: 20 },
  });
  await t.broker.loadDefaultData();
  ps.expectKey(((await (await t.app.request('/api/v1/disaster/push/key')).json()) as { publicKey: string }).publicKey);
}, 60_000);
afterAll(async () => {
  await t.disaster.commands.stopPush();
  await t.database.close();
  await ps.close();
});

type Who = Awaited<ReturnType<typeof signedInResident>>;
const post = (who: Who, path: string, fields: Record<string, string>, csrf = who.csrf) =>
  t.app.request(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  });
const page = async (who: Who) => (await t.app.request('/my/disaster/areas', { headers: { cookie: who.cookie } })).text();
const ids = (html: string, kind: 'areas' | 'areas/devices') =>
  [...html.matchAll(new RegExp(`/my/disaster/${kind}/(\\d+)/delete`, 'g'))].map((m) => m[1]!);

let n = 0;
async function issue(municipality: string) {
  n++;
  const a: Alert = {
    id: `urn:ngsi-ld:Alert:account-test-${n}`,
    kind: 'evacuationOrder',
    headline: '避難指示',
    description: '大雨のため避難指示を発令しました。',
    easyJapanese: 'すぐに にげて ください。',
    severity: 'high',
    municipalities: [municipality],
    status: 'issued',
    issued: '2026-12-02T01:00:00Z',
    updated: '2026-12-02T01:00:00Z',
    source: `staff:${municipality}`,
  };
  await t.broker.commands.put('', toEntity(a));
  await t.disaster.commands.pushRound();
}

describe('マイエリア（防災）on the account', () => {
  it('an alert in an account area reaches both linked devices, none for an alert elsewhere; a device’s own areas still work', async () => {
    const r = await signedInResident(t.database.db);
    expect((await post(r, '/my/disaster/areas', { municipality: '02201' })).status).toBe(303);
    expect((await post(r, '/my/disaster/areas', { point: '141.4884,40.5123', radius: '1000' })).status).toBe(303);
    const html = await page(r);
    expect(html).toContain('青森市');
    expect(html).toContain('半径1km');
    const phone = ps.subscribe();
    const tablet = ps.subscribe();
    const own = ps.subscribe(); // no account: its own area
    for (const d of [phone, tablet])
      expect((await post(r, '/my/disaster/areas/devices', { subscription: JSON.stringify(d.json) })).status).toBe(303);
    await t.app.request('/api/v1/disaster/push-subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscription: own.json, areas: [{ municipality: '02202' }] }),
    });
    expect(ids(await page(r), 'areas/devices')).toHaveLength(2);

    await issue('02201'); // 青森市: the account's municipality area
    expect(ps.refused).toEqual([]);
    expect(ps.to(phone.id)).toHaveLength(1);
    expect(ps.to(tablet.id)).toHaveLength(1);
    expect(ps.to(own.id)).toHaveLength(0);
    expect(ps.to(phone.id)[0]!.message.title).toBe('避難指示');

    await issue('02205'); // 五所川原市: neither the account's areas nor the device's
    expect(ps.to(phone.id)).toHaveLength(1);
    expect(ps.to(tablet.id)).toHaveLength(1);

    await issue('02203'); // 八戸市: the account's point (its circle lies inside 八戸市)
    expect(ps.to(phone.id)).toHaveLength(2);
    await issue('02202'); // 弘前市: the unlinked device's own area
    expect(ps.to(own.id)).toHaveLength(1);
    expect(ps.to(phone.id)).toHaveLength(2);

    // An area removed: its alerts stop.
    const [city] = ids(await page(r), 'areas');
    expect((await post(r, `/my/disaster/areas/${city}/delete`, {})).status).toBe(303);
    await issue('02201');
    expect(ps.to(phone.id)).toHaveLength(2);
  });

  it('a point is sealed at rest, only a coarse box in clear; each opening (the page, an alert that may reach it) is in the access log', async () => {
    const r = await signedInResident(t.database.db);
    expect((await post(r, '/my/disaster/areas', { point: '140.7401,40.8222', radius: '500' })).status).toBe(303);
    const [row] = await rows<Record<string, unknown>>(t.database, sql`select * from disaster_my_areas where resident_id = ${r.residentId}`);
    expect(JSON.stringify(row)).not.toMatch(/140\.74|40\.82/);
    expect(row!.point).toMatch(/^v1\./);
    expect(row!.area).toBeNull();
    // The 500 m circle's box widened to the 0.05° grid.
    expect([row!.min_lon, row!.min_lat, row!.max_lon, row!.max_lat]).toEqual([140.7, 40.8, 140.75, 40.85]);
    const log = () =>
      rows<{ actor_kind: string; actor_id: string; categories: string[] }>(
        t.database,
        sql`select actor_kind, actor_id, categories from personal_data_access_log
          where resident_id = ${r.residentId} and purpose_id = 'disaster-alerts' and basis = 'held' order by at`,
      );
    expect(await page(r)).toContain('地点 40.8222, 140.7401 から半径500m');
    expect(await log()).toEqual([{ actor_kind: 'resident', actor_id: r.residentId, categories: ['myAreaPoint'] }]);
    const d = ps.subscribe();
    await post(r, '/my/disaster/areas/devices', { subscription: JSON.stringify(d.json) });
    await issue('02203'); // 八戸市: its box does not meet the cells of the point, which stays closed
    expect(ps.to(d.id)).toHaveLength(0);
    expect(await log()).toHaveLength(1);
    await issue('02201'); // 青森市: opened once by the fan-out, and it is inside
    expect(ps.to(d.id)).toHaveLength(1);
    expect((await log()).slice(1)).toEqual([{ actor_kind: 'client', actor_id: 'disaster-push', categories: ['myAreaPoint'] }]);
  });

  it('points kept in clear by the earlier version are sealed at start, and still reach the account', async () => {
    const r = await signedInResident(t.database.db);
    await t.database.db.execute(
      sql`insert into disaster_my_areas (resident_id, area, radius, min_lon, min_lat, max_lon, max_lat)
        values (${r.residentId}, ${JSON.stringify({ point: [141.3691, 40.5123], radius: 1000 })}::jsonb, 1000, 141.357, 40.503, 141.381, 40.521)`,
    );
    expect(await t.disaster.commands.sealMyAreaPoints()).toBeGreaterThanOrEqual(1);
    expect(await t.disaster.commands.sealMyAreaPoints()).toBe(0);
    const [row] = await rows<Record<string, unknown>>(t.database, sql`select * from disaster_my_areas where resident_id = ${r.residentId}`);
    expect(JSON.stringify(row)).not.toMatch(/141\.36|40\.51/);
    expect([row!.point_id, row!.point, row!.area]).toEqual([expect.stringMatching(/^ma_/), expect.stringMatching(/^v1\./), null]);
    expect(await page(r)).toContain('地点 40.5123, 141.3691 から半径1km');
    const d = ps.subscribe();
    await post(r, '/my/disaster/areas/devices', { subscription: JSON.stringify(d.json) });
    await issue('02203'); // 八戸市
    expect(ps.to(d.id)).toHaveLength(1);
  });

  it('Push API pushsubscriptionchange: a renewal moves the registration to the new endpoint, its account link and own areas kept', async () => {
    const r = await signedInResident(t.database.db);
    await post(r, '/my/disaster/areas', { municipality: '02204' }); // 黒石市
    const old = ps.subscribe();
    await post(r, '/my/disaster/areas/devices', { subscription: JSON.stringify(old.json) });
    const renewed = ps.subscribe();
    const renew = (body: unknown) =>
      t.app.request('/api/v1/disaster/push-subscriptions/renewal', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    expect((await renew({ oldEndpoint: old.json.endpoint, subscription: renewed.json })).status).toBe(204);
    expect(ids(await page(r), 'areas/devices')).toHaveLength(1);
    await issue('02204');
    expect(ps.to(renewed.id)).toHaveLength(1);
    expect(ps.to(old.id)).toHaveLength(0);
    // The old endpoint is gone now; an endpoint in use by another registration is not taken over.
    const unknown = await renew({ oldEndpoint: old.json.endpoint, subscription: ps.subscribe().json });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('その通知の登録はありません。');
    const other = ps.subscribe();
    await t.app.request('/api/v1/disaster/push-subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscription: other.json, areas: [{ municipality: '02202' }] }),
    });
    expect((await renew({ oldEndpoint: renewed.json.endpoint, subscription: other.json })).status).toBe(409);
    for (const bad of [
      '{',
      { oldEndpoint: renewed.json.endpoint },
      { oldEndpoint: 'x'.repeat(3000), subscription: ps.subscribe().json },
      { oldEndpoint: renewed.json.endpoint, subscription: { ...ps.subscribe().json, endpoint: 'http://169.254.169.254/latest' } },
      { oldEndpoint: renewed.json.endpoint, subscription: ps.subscribe().json, extra: 1 },
    ]) {
      const res = await renew(bad);
      expect(res.status, JSON.stringify(bad).slice(0, 60)).toBe(400);
    }
    await issue('02204');
    expect(ps.to(renewed.id)).toHaveLength(2);
    expect(t.errors).toEqual([]);
  });

  it('deleting the account removes its areas and its devices (the device’s subscription), nobody else’s', async () => {
    const r = await signedInResident(t.database.db);
    const other = await signedInResident(t.database.db);
    await post(r, '/my/disaster/areas', { municipality: '02361' });
    await post(other, '/my/disaster/areas', { municipality: '02361' });
    const mine = ps.subscribe();
    const theirs = ps.subscribe();
    await post(r, '/my/disaster/areas/devices', { subscription: JSON.stringify(mine.json) });
    await post(other, '/my/disaster/areas/devices', { subscription: JSON.stringify(theirs.json) });
    await deleteAccount(t.database.db, r.residentId, t.disaster.residentScreens.deletedWithAccount ?? []);
    const left = await t.database.db.execute<{ resident_id: string }>(
      `select resident_id from disaster_my_areas where resident_id in ('${r.residentId}', '${other.residentId}')`,
    );
    expect(left.rows.map((x) => x.resident_id)).toEqual([other.residentId]);
    await issue('02361');
    expect(ps.to(mine.id)).toHaveLength(0);
    expect(ps.to(theirs.id)).toHaveLength(1);
  });

  it('unlinking a device stops the account’s alerts to it', async () => {
    const r = await signedInResident(t.database.db);
    await post(r, '/my/disaster/areas', { municipality: '02362' });
    const d = ps.subscribe();
    await post(r, '/my/disaster/areas/devices', { subscription: JSON.stringify(d.json) });
    const [device] = ids(await page(r), 'areas/devices');
    expect((await post(r, `/my/disaster/areas/devices/${device}/delete`, {})).status).toBe(303);
    await issue('02362');
    expect(ps.to(d.id)).toHaveLength(0);
  });
});

describe('hostile input on /my/disaster/areas', () => {
  it('no CSRF token, other people’s and malformed ids, bad points, unknown municipalities, too many areas, bad subscriptions: 4xx in Japanese, never 5xx', async () => {
    const r = await signedInResident(t.database.db);
    const other = await signedInResident(t.database.db);
    expect((await post(r, '/my/disaster/areas', { municipality: '02201' }, 'wrong')).status).toBe(400);
    await post(other, '/my/disaster/areas', { municipality: '02201' });
    const [theirs] = ids(await page(other), 'areas');
    for (const id of [theirs, '999999999', 'abc', '1e3', '9'.repeat(40)]) {
      const res = await post(r, `/my/disaster/areas/${id}/delete`, {});
      expect(res.status, id).toBe(404);
      const dev = await post(r, `/my/disaster/areas/devices/${id}/delete`, {});
      expect(dev.status, id).toBe(404);
    }
    expect(ids(await page(other), 'areas')).toEqual([theirs]);
    const bad: [Record<string, string>, RegExp][] = [
      [{ municipality: '99999' }, /市町村を選んでください/],
      [{ municipality: '02201\u0000' }, /市町村を選んでください/],
      [{ municipality: 'x'.repeat(5000) }, /市町村を選んでください/],
      [{ point: '200,40', radius: '1000' }, /経度,緯度/],
      [{ point: '140.7,40.8\u0007', radius: '1000' }, /経度,緯度/],
      [{ point: '140.7,40.8', radius: '50' }, /半径/],
      [{ point: '140.7,40.8', radius: 'NaN' }, /半径/],
      [{ subscription: '{' }, /読み取れません/],
      [{ subscription: JSON.stringify({ endpoint: 'http://127.0.0.1:1/x', keys: { p256dh: 'AAAA', auth: 'AAAA' } }) }, /正しくありません/],
      [{ subscription: JSON.stringify({ ...ps.subscribe().json, endpoint: 'http://169.254.169.254/latest' }) }, /送信できない宛先/],
      [{ subscription: 'x'.repeat(100_000) }, /読み取れません/],
    ];
    for (const [fields, message] of bad) {
      const path = 'subscription' in fields ? '/my/disaster/areas/devices' : '/my/disaster/areas';
      const res = await post(r, path, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    for (let i = 0; i < 10; i++) await post(r, '/my/disaster/areas', { point: `140.${i},40.8`, radius: '500' });
    const full = await post(r, '/my/disaster/areas', { municipality: '02202' });
    expect(full.status).toBe(400);
    expect(await full.text()).toMatch(/10件まで/);
    expect(ids(await page(r), 'areas')).toHaveLength(10);
    expect(t.errors).toEqual([]);
  });

  it('not signed in: the page and the forms send to the sign-in page', async () => {
    const res = await t.app.request('/my/disaster/areas', { method: 'POST', body: new URLSearchParams({ municipality: '02201' }) });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/my\/sign-in/);
  });
});

describe('the push API’s rate limit', () => {
  it(`more than ${PUSH_RATE.max} registrations or removals per address in 10 minutes: 429 with Retry-After and a JSON error`, async () => {
    const del = () =>
      t.app.request('/api/v1/disaster/push-subscriptions', {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ endpoint: 'https://push.example.jp/x' }),
      });
    // The registrations and renewals above counted already, from the same (unknown) address.
    const [used] = await rows<{ count: number }>(t.database, sql`select count from rate_limits where key like 'disaster-push:%'`);
    expect(used!.count).toBeGreaterThan(0);
    for (let i = used!.count; i < PUSH_RATE.max; i++) expect((await del()).status, String(i)).toBe(204);
    const res = await del();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('600');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/多すぎます/);
    const post = await t.app.request('/api/v1/disaster/push-subscriptions', { method: 'POST', body: '{}' });
    expect(post.status).toBe(429);
    // The key and the rest of the API are not counted.
    expect((await t.app.request('/api/v1/disaster/push/key')).status).toBe(200);
  });
});
