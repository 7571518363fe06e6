// 避難者の属性 (issue 14 point 6): coarse counts by age group and 要配慮 at check-in, from a card holder's
// consented data only (read through the gate, logged; no consent: nothing read, unknown), or typed for a
// walk-in with an optional 住所の市町村; the dashboard counts them (never lists), in scope, and the
// prefecture sees who shelters outside their own municipality. Hostile walk-in values are refused.
import jsQR from 'jsqr';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, testResidentKeys } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { giveConsent } from '../residents/consents.ts';
import { saveItems } from '../residents/profiles.ts';
import { ageAt, countAges } from './checkin-attributes.ts';
import type { Shelter } from './shelters.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let aomori: Shelter;
let hirosaki: Shelter;
type Who = Awaited<ReturnType<typeof signedInResident>>;

async function qrOf(who: Who) {
  const my = (path: string, method = 'GET') =>
    t.app.request(path, {
      method,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      ...(method === 'POST' && { body: `csrf=${who.csrf}` }),
    });
  await my('/my/disaster/card', 'POST');
  const png = new Uint8Array(await (await my('/my/disaster/card.png')).arrayBuffer());
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data), info.width, info.height)!.data;
}
let n = 0;
const clientId = () => `attr-${++n}-${Date.now()}`;
const path = (s: Shelter, what: string) => `/staff/disaster/shelters/${s.slug}/reception/${what}`;
const rowOf = async (where: ReturnType<typeof sql>) =>
  (await rows<Record<string, unknown>>(t.database, sql`select * from disaster_checkins where ${where}`))[0];
const ageColumns = (r: Record<string, unknown> | undefined) => [
  r?.age_0_14,
  r?.age_15_64,
  r?.age_65_74,
  r?.age_75_plus,
  r?.age_unknown,
  r?.needs_care,
  r?.home_municipality,
];
const walkIn = (who: string, s: Shelter, fields: Record<string, string>) =>
  http.post(who, path(s, 'walk-in'), { name: '属性 一郎', people: '1', needsCare: 'no', clientId: clientId(), ...fields });
const dashboard = async (who: string) => (await http.get(who, '/staff/disaster')).text();

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
  const data = await t.disaster.queries.map();
  aomori = data.byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  hirosaki = data.byMunicipality.get('02202')!.find((x) => x.kind === 'evacuation')!;
  await http.post('aomori', `/staff/disaster/shelters/${aomori.slug}/status`, { status: 'open', capacity: '894' });
  await http.post('hirosaki', `/staff/disaster/shelters/${hirosaki.slug}/status`, { status: 'open', capacity: '50' });
});
afterAll(() => t.database.close());

describe('age groups (国勢調査 年齢3区分, 65歳以上は前期・後期に分ける)', () => {
  it('counts full years at the date, a birthday not yet reached this year one less; no or a bad date 年齢不明', () => {
    expect(ageAt('2012-12-02', '2026-12-02')).toBe(14);
    expect(ageAt('2012-12-03', '2026-12-02')).toBe(13);
    expect(ageAt('1961-12-03', '2026-12-02')).toBe(64);
    expect(ageAt('2030-01-01', '2026-12-02')).toBeNull();
    expect(ageAt('12/03/1961', '2026-12-02')).toBeNull();
    expect(countAges(['2011-12-02', '2011-12-03', '1961-12-02', '1952-01-01', '1951-12-02', undefined], '2026-12-02')).toEqual({
      age0to14: 1,
      age15to64: 1,
      age65to74: 2,
      age75plus: 1,
      ageUnknown: 1,
    });
  });
});

describe('a card holder’s attributes (shelter-reception consent)', () => {
  it('without consent: nothing read (no access-log row), ages and 要配慮 unknown', async () => {
    const r = await signedInResident(t.database.db);
    await saveItems(t.database.db, testResidentKeys, r.residentId, { medication: '血圧の薬' });
    expect((await http.post('aomori', path(aomori, 'checkin'), { card: await qrOf(r), people: '1', clientId: clientId() })).status).toBe(
      303,
    );
    expect(ageColumns(await rowOf(sql`resident_id = ${r.residentId}`))).toEqual([null, null, null, null, null, null, null]);
    expect(await rows(t.database, sql`select 1 from personal_data_access_log where resident_id = ${r.residentId}`)).toEqual([]);
  });

  it('under consent: the household counted by age group at today’s date and 要配慮 from the consented items, the read logged', async () => {
    const r = await signedInResident(t.database.db);
    await t.residents.commands.saveProfile({
      residentId: r.residentId,
      municipalityCode: '02201',
      name: '属性 花子',
      birthDate: '1940-04-01',
    });
    await saveItems(t.database.db, testResidentKeys, r.residentId, {
      household: [
        { name: '属性 太郎', relationship: '孫', birthDate: '2018-06-01' },
        { name: '属性 次郎', relationship: '子', birthDate: null },
      ],
      medication: '血圧の薬',
    });
    await giveConsent(t.database.db, t.organisations.queries, r.residentId, {
      purposeId: 'shelter-reception',
      recipients: ['02201'],
      categories: ['birthDate', 'household', 'medication'],
    });
    expect((await http.post('aomori', path(aomori, 'checkin'), { card: await qrOf(r), people: '3', clientId: clientId() })).status).toBe(
      303,
    );
    expect(ageColumns(await rowOf(sql`resident_id = ${r.residentId}`))).toEqual([1, 0, 0, 1, 1, true, null]);
    const log = await rows(
      t.database,
      sql`select purpose_id, basis, allowed from personal_data_access_log where resident_id = ${r.residentId}`,
    );
    expect(log).toEqual([{ purpose_id: 'shelter-reception', basis: 'consent', allowed: true }]);
  });
});

describe('walk-ins and the dashboard', () => {
  it('takes optional age counts and 住所の市町村 (the rest of the people 年齢不明); hostile values refused in Japanese, nothing stored', async () => {
    const before = await rows(t.database, sql`select id from disaster_checkins`);
    const bad: [Record<string, string>, string][] = [
      [{ people: '2', age0to14: '-1' }, '0〜99の整数'],
      [{ people: '2', age0to14: '100' }, '0〜99の整数'],
      [{ people: '2', age15to64: '二' }, '0〜99の整数'],
      [{ people: '2', age65to74: '1\u0000' }, '0〜99の整数'],
      [{ people: '2', age0to14: '2', age75plus: '1' }, '合計が人数を超えています'],
      [{ homeMunicipality: '99999' }, '住所の市町村を一覧から選んでください'],
      [{ homeMunicipality: "02201' or 1=1" }, '住所の市町村を一覧から選んでください'],
      [{ homeMunicipality: 'x'.repeat(5000) }, '住所の市町村を一覧から選んでください'],
    ];
    for (const [fields, message] of bad) {
      const res = await walkIn('aomori', aomori, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 60)).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(await rows(t.database, sql`select id from disaster_checkins`)).toEqual(before);
    // ２ full-width is read as 2, as the people field is.
    expect((await walkIn('aomori', aomori, { people: '4', age0to14: '２', age65to74: '1', homeMunicipality: '02202' })).status).toBe(303);
    expect(ageColumns(await rowOf(sql`home_municipality = '02202'`))).toEqual([2, 0, 1, 0, 1, false, '02202']);
    expect((await walkIn('hirosaki', hirosaki, { people: '2', needsCare: 'yes', homeMunicipality: 'outside' })).status).toBe(303);
    expect((await walkIn('hirosaki', hirosaki, { people: '5', homeMunicipality: '02202' })).status).toBe(303); // at home: not outside
  });

  it('counts attributes in scope, never names; 市町村外からの避難者 by shelter and home municipality, the prefecture seeing all', async () => {
    const mine = await dashboard('aomori');
    // 青森市: the consented household (0–14: 1, 75+: 1, 不明: 1) and the walk-in (0–14: 2, 65–74: 1, 不明: 1).
    expect(mine).toMatch(/<th scope="row">0〜14歳<\/th><td>3人<\/td>/);
    expect(mine).toMatch(/<th scope="row">65〜74歳<\/th><td>1人<\/td>/);
    expect(mine).toMatch(/<th scope="row">75歳以上<\/th><td>1人<\/td>/);
    expect(mine).toMatch(/<th scope="row">年齢不明<\/th><td>2人<\/td>/);
    expect(mine).toContain('2世帯（ほかの世帯の年齢は不明）');
    expect(mine).toContain('1世帯／1世帯／1世帯');
    expect(mine).toContain('市町村外からの避難者（4人）');
    expect(mine).toMatch(/<td>青森市<\/td><td>弘前市<\/td><td>4人<\/td>/);
    expect(mine).not.toContain('県外');
    expect(mine).not.toContain('属性 ');
    // The same counts per shelter in the EEI-shaped CSV (the last eight columns).
    const csv = (await (await http.get('aomori', '/staff/disaster/export/shelters.csv')).text()).trimEnd().split('\r\n');
    const row = csv.find((l) => l.includes(aomori.id))!.split(',');
    expect(row.slice(-8)).toEqual(['3', '0', '1', '1', '2', '2', '1', '4']);
    const all = await dashboard('admin');
    expect(all).toContain('市町村外からの避難者（6人）');
    expect(all).toMatch(/<td>弘前市<\/td><td>県外<\/td><td>2人<\/td>/);
    expect(all).not.toMatch(/<td>弘前市<\/td><td>弘前市<\/td>/);
    const theirs = await dashboard('hirosaki');
    expect(theirs).toContain('市町村外からの避難者（2人）');
    expect(theirs).not.toContain('<td>青森市</td><td>弘前市</td>');
  });
});

describe('a card holder’s 住所の市町村, as told at reception', () => {
  it('is stored with the card check-in when given; a code not in the list is 400 and nothing is stored', async () => {
    const r = await signedInResident(t.database.db);
    const card = await qrOf(r);
    const checkIn = (people: string, homeMunicipality: string) =>
      http.post('hirosaki', path(hirosaki, 'checkin'), { card, people, clientId: clientId(), homeMunicipality });
    const before = await rows(t.database, sql`select id from disaster_checkins`);
    const refused = await checkIn('1', '99999');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('住所の市町村を一覧から選んでください');
    expect(await rows(t.database, sql`select id from disaster_checkins`)).toEqual(before);
    expect((await checkIn('2', '02201')).status).toBe(303);
    expect((await rowOf(sql`resident_id = ${r.residentId}`))?.home_municipality).toBe('02201');
    expect(await dashboard('hirosaki')).toMatch(/<td>弘前市<\/td><td>青森市<\/td><td>2人<\/td>/);
  });
});
