// 開示 (個人情報保護法 第76条) of what the disaster module keeps about a resident account, through the
// data-protection page's export over HTTP: the evacuation card, check-ins, 安否 (sealed name, place and
// note opened), photo reports (without the image), 罹災証明書 applications (sealed fields opened) and
// マイエリア (the sealed point opened); one access-log row for the opening, purpose disclosure-request;
// another resident's rows never in it; a resident with nothing here gets empty lists and no log row.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../test/db.ts';
import { insertPhotoReport } from '../../../test/photos.ts';
import { signedInResident } from '../../../test/residents.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import type { Shelter } from './shelters.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
type Who = Awaited<ReturnType<typeof signedInResident>>;
let hanako: Who;
let other: Who;
let s: Shelter;

const post = (who: Who, path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: who.csrf, ...fields }).toString(),
  });
async function disclose(residentId: string) {
  const res = await http.post('admin', '/staff/data-protection/export', { residentId, reason: '本人からの開示請求（窓口）' });
  expect(res.status).toBe(200);
  return (await res.json()) as { services: { disaster: Record<string, unknown> } };
}
const logRows = (residentId: string) =>
  rows<{ purpose_id: string; basis: string; channel: string; categories: string[] }>(
    t.database,
    sql`select purpose_id, basis, channel, categories from personal_data_access_log where resident_id = ${residentId} order by at`,
  );

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('admin', ['prefecture_admin']);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  s = (await t.disaster.queries.map()).byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  await http.post('aomori', `/staff/disaster/shelters/${s.slug}/status`, { status: 'open', capacity: '100' });
  hanako = await signedInResident(t.database.db);
  other = await signedInResident(t.database.db);
  for (const who of [hanako, other]) {
    expect((await post(who, '/my/disaster/safety/name', { displayName: who === hanako ? '開示 花子' : '他人 一郎' })).status).toBe(303);
    expect((await post(who, '/my/disaster/areas', { point: '140.7400,40.8244', radius: '500' })).status).toBe(303);
  }
  await post(hanako, '/my/disaster/safety/status', {
    status: 'evacuating',
    place: '避難先の体育館',
    note: '家族は無事',
    municipality: '02201',
  });
  await post(hanako, '/my/disaster/areas', { municipality: '02202' });
  expect((await post(hanako, '/my/disaster/card', {})).status).toBe(303);
  const card = await (await t.app.request('/my/disaster/card', { headers: { cookie: hanako.cookie } })).text();
  const short = /id="card-short-code">([0-9A-Z]{5}-[0-9A-Z]{5})</.exec(card)?.[1];
  expect(short).toBeTruthy();
  const checkin = await http.post('aomori', `/staff/disaster/shelters/${s.slug}/reception/checkin`, {
    card: short!,
    people: '2',
    clientId: `disclose-${Date.now()}`,
    homeMunicipality: '02201',
  });
  expect(checkin.status).toBe(303);
  const report = await insertPhotoReport(t.database.db, hanako.residentId);
  const applied = await post(hanako, '/my/disaster/certificates', {
    municipality: '02201',
    name: '開示 花子',
    address: '青森県青森市長島一丁目1-1',
    damageType: 'flood',
    damagedOn: '2026-11-30',
    description: '床上まで浸水した',
    reportIds: report,
  });
  expect(applied.status).toBe(303);
});
afterAll(() => t.database.close());

describe('開示 of the disaster module’s data (ResidentScreens.disclosed)', () => {
  it('holds every row about the resident, sealed values opened, the image left out', async () => {
    const before = (await logRows(hanako.residentId)).length;
    const d = (await disclose(hanako.residentId)).services.disaster;
    expect(d.evacuationCard).toMatchObject({ issuedAt: expect.any(String) });
    expect(d.checkins).toEqual([
      expect.objectContaining({
        shelterId: s.id,
        municipality: '02201',
        method: 'card',
        people: 2,
        homeMunicipality: '02201',
        checkedOutAt: null,
      }),
    ]);
    // The check-in marked 避難中 after the resident's own status (onCheckIn).
    expect(d.safety).toMatchObject({ displayName: '開示 花子', status: 'evacuating', linkedWith: [] });
    expect(String((d.safety as { place: string }).place)).toContain('避難');
    expect(d.photoReports).toEqual([expect.objectContaining({ municipality: expect.any(String), status: expect.any(String) })]);
    expect(JSON.stringify(d.photoReports)).not.toMatch(/image/);
    expect(d.certificates).toEqual([
      expect.objectContaining({
        name: '開示 花子',
        address: '青森県青森市長島一丁目1-1',
        description: '床上まで浸水した',
        status: 'received',
      }),
    ]);
    expect(d.myAreas).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ point: [140.74, 40.8244], radius: 500 }),
        expect.objectContaining({ municipality: '02202' }),
      ]),
    );
    const json = JSON.stringify(d);
    expect(json).not.toContain('他人 一郎');
    expect(json).not.toContain(other.residentId);
    // The export's own gate read, and one row for the disaster module's opening.
    const log = (await logRows(hanako.residentId)).slice(before);
    const held = log.filter((r) => r.basis === 'held');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ purpose_id: 'disclosure-request', channel: 'export' });
    expect([...held[0]!.categories].sort()).toEqual(['address', 'myAreaPoint', 'name', 'safetyNote']);
  });

  it('a resident with nothing in the disaster module gets empty parts and no held read in the log', async () => {
    const nobody = await signedInResident(t.database.db);
    const d = (await disclose(nobody.residentId)).services.disaster;
    expect(d).toEqual({
      evacuationCard: null,
      checkins: [],
      safety: null,
      photoReports: [],
      certificates: [],
      myAreas: [],
      pushDevices: 0,
    });
    expect((await logRows(nobody.residentId)).filter((r) => r.basis === 'held')).toEqual([]);
  });
});
