// Staff 安否 in PFIF 1.4 (/staff/disaster/safety): a resident's own export imported by a municipality's
// staff comes back with the same status, place and note (the round trip), imported persons are sealed
// and held for that municipality only, a file with row errors writes nothing, hostile or oversized
// files are refused in Japanese, exports and imports are audited, and staff of no disaster role get 404.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../../../platform/audit.ts';
import { createTestApp, rows } from '../../../../test/db.ts';
import { signedInResident } from '../../../../test/residents.ts';
import { staffHttp } from '../../../../test/staff-http.ts';
import { parsePfif, PFIF_NS } from './pfif.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let resident: Awaited<ReturnType<typeof signedInResident>>;

async function my(path: string, form: Record<string, string>) {
  return t.app.request(path, {
    method: 'POST',
    headers: { cookie: resident.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: resident.csrf, ...form }).toString(),
  });
}
async function upload(key: string, xml: string | Uint8Array, action = 'preview') {
  const form = new FormData();
  form.set('csrf', http.sessions[key]!.csrf);
  form.set('action', action);
  form.set('file', new File([xml as BlobPart], 'pfif.xml', { type: 'application/xml' }));
  const res = await t.app.request('/staff/disaster/safety/import', {
    method: 'POST',
    headers: { cookie: http.sessions[key]!.cookie },
    body: form,
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}
const confirm = (key: string, xml: string) => http.post(key, '/staff/disaster/safety/import', { action: 'import', xml });
const exported = async (key: string) => {
  const res = await http.get(key, '/staff/disaster/safety/pfif.xml');
  return { status: res.status, xml: await res.text(), type: res.headers.get('content-type') };
};

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  resident = await signedInResident(t.database.db);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
  await http.account('viewer', ['viewer']);
});
afterAll(() => t.database.close());

describe('the resident’s own PFIF 1.4 record', () => {
  it('is 404 with a Japanese message before a display name and status exist', async () => {
    const res = await t.app.request('/my/disaster/safety/pfif.xml', { headers: { cookie: resident.cookie } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('表示名と安否を登録してください');
  });

  it('§4.1 person + §4.2 note: person_record_id "<host>/safety.<random>", is_note_author, place and note', async () => {
    await my('/my/disaster/safety/name', { displayName: '八甲田 次郎' });
    await my('/my/disaster/safety/status', {
      status: 'injured',
      place: '青森市役所の近く',
      note: '足をけがしました',
      municipality: '02201',
    });
    const res = await t.app.request('/my/disaster/safety/pfif.xml', { headers: { cookie: resident.cookie } });
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const xml = await res.text();
    expect(xml).toContain(`xmlns:pfif="${PFIF_NS}"`);
    expect(xml).not.toContain(resident.residentId);
    const { persons, errors } = parsePfif(xml);
    expect(errors).toEqual([]);
    const p = persons[0]!;
    expect(p.person_record_id).toMatch(/^127\.0\.0\.1\/safety\.[A-Za-z0-9_-]{16}$/);
    expect(p.full_name).toBe('八甲田 次郎');
    expect(p.source_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(p.notes[0]).toMatchObject({
      status: 'is_note_author',
      last_known_location: '青森市役所の近く',
      text: '【負傷】 足をけがしました',
      author_name: '八甲田 次郎',
    });
  });
});

describe('staff export and import', () => {
  let own: string;

  it('a municipality’s export holds the residents who told it; another municipality’s does not', async () => {
    own = await (await t.app.request('/my/disaster/safety/pfif.xml', { headers: { cookie: resident.cookie } })).text();
    const aomori = await exported('aomori');
    expect(aomori.status).toBe(200);
    expect(parsePfif(aomori.xml).persons.map((p) => p.full_name)).toEqual(['八甲田 次郎']);
    expect(parsePfif((await exported('hirosaki')).xml).persons).toEqual([]);
    expect(parsePfif((await exported('admin')).xml).persons).toHaveLength(1);
    const [audit] = await searchAudit(t.database.db, { action: 'export_safety_pfif' }, { limit: 1, offset: 0 });
    expect(audit).toBeDefined();
  });

  it('previews a file without writing; confirming imports it (round trip: the same status, place and note)', async () => {
    const roundTrip = own.replaceAll(/127\.0\.0\.1\/safety\./g, 'other.example.org/safety.');
    const preview = await upload('hirosaki', roundTrip);
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('取り込みの確認（1人、誤り0件）');
    expect(preview.html).toContain('負傷');
    expect(await rows(t.database, sql`select 1 from disaster_safety_imports`)).toEqual([]);
    const done = await confirm('hirosaki', roundTrip);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff/disaster/safety?imported=1');
    const [row] = await rows<Record<string, string>>(
      t.database,
      sql`select municipality, status, pfif_status, full_name, place, note from disaster_safety_imports`,
    );
    expect(row).toMatchObject({ municipality: '02202', status: 'injured', pfif_status: 'is_note_author' });
    expect([row!.full_name, row!.place, row!.note].every((v) => v?.startsWith('v1.'))).toBe(true);
    const back = parsePfif((await exported('hirosaki')).xml).persons;
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ person_record_id: expect.stringMatching(/^other\.example\.org\/safety\./), full_name: '八甲田 次郎' });
    expect(back[0]!.notes[0]).toMatchObject({
      last_known_location: '青森市役所の近く',
      text: '【負傷】 足をけがしました',
      status: 'is_note_author',
    });
    // Held for 弘前市 only.
    expect(parsePfif((await exported('aomori')).xml).persons).toHaveLength(1);
    const log = await rows(t.database, sql`select 1 from personal_data_access_log where basis = 'held' and channel = 'export'`);
    expect(log.length).toBeGreaterThan(0);
  });

  it('the page counts the records an export holds, by status, without opening any', async () => {
    const html = await (await http.get('hirosaki', '/staff/disaster/safety')).text();
    expect(html).toMatch(/<th scope="row">負傷<\/th><td>0人<\/td><td>1人<\/td>/);
    const aomori = await (await http.get('aomori', '/staff/disaster/safety')).text();
    expect(aomori).toMatch(/<th scope="row">負傷<\/th><td>1人<\/td><td>0人<\/td>/);
  });

  it('importing the same person_record_id again updates the record, not a second one', async () => {
    const xml = own
      .replaceAll(/127\.0\.0\.1\/safety\./g, 'other.example.org/safety.')
      .replace('【負傷】 足をけがしました', '【無事】 手当てを受けました');
    expect((await confirm('hirosaki', xml)).status).toBe(303);
    const list = await rows<{ status: string }>(t.database, sql`select status from disaster_safety_imports`);
    expect(list).toEqual([{ status: 'safe' }]);
  });

  it('§3.3 expiry_date: a future one is kept and exported; a past one is not taken and removes the earlier copy', async () => {
    const base = own.replaceAll(/127\.0\.0\.1\/safety\./g, 'other.example.org/safety.');
    const withExpiry = (date: string) =>
      base.replace(/(<pfif:entry_date>[^<]*<\/pfif:entry_date>)/, `$1<pfif:expiry_date>${date}</pfif:expiry_date>`);
    const future = withExpiry('2099-01-01T00:00:00Z');
    expect(future).toContain('<pfif:expiry_date>2099-01-01T00:00:00Z</pfif:expiry_date>');
    expect((await confirm('hirosaki', future)).status).toBe(303);
    const kept = parsePfif((await exported('hirosaki')).xml).persons;
    expect(kept.map((p) => p.expiry_date)).toEqual(['2099-01-01T00:00:00Z']);
    const past = withExpiry('2020-01-01T00:00:00Z');
    const preview = await upload('hirosaki', past);
    expect(preview.html).toContain('取り込みの確認（0人、誤り0件）');
    expect(preview.html).toContain('保存期限（expiry_date）を過ぎた1人の記録は取り込みません');
    expect((await confirm('hirosaki', past)).status).toBe(303);
    expect(await rows(t.database, sql`select 1 from disaster_safety_imports`)).toEqual([]);
    expect(parsePfif((await exported('hirosaki')).xml).persons).toEqual([]);
    const [audit] = await searchAudit(t.database.db, { action: 'import_safety_pfif' }, { limit: 1, offset: 0 });
    expect(audit?.after).toEqual({ persons: 0, expired: 1 });
  });

  it('a file with row errors shows them and writes nothing, even when confirmed', async () => {
    const bad = `<?xml version="1.0"?><pfif:pfif xmlns:pfif="${PFIF_NS}"><pfif:person><pfif:person_record_id>x.example.org/1</pfif:person_record_id><pfif:full_name>A</pfif:full_name><pfif:source_date>2026-12-01T00:00:00Z</pfif:source_date></pfif:person><pfif:person><pfif:full_name>B</pfif:full_name></pfif:person></pfif:pfif>`;
    const preview = await upload('aomori', bad);
    expect(preview.html).toContain('誤り1件');
    expect(preview.html).toContain('person_record_id がありません');
    expect(preview.html).not.toContain('人の記録を取り込む');
    const r = await confirm('aomori', bad);
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('誤りのある記録が1件あります');
    expect(await rows(t.database, sql`select 1 from disaster_safety_imports where municipality = '02201'`)).toEqual([]);
  });

  it.each([
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><pfif:pfif xmlns:pfif="${PFIF_NS}"><pfif:person><pfif:full_name>&b;</pfif:full_name></pfif:person></pfif:pfif>`,
    ],
    [
      'an external entity',
      `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]><pfif:pfif xmlns:pfif="${PFIF_NS}">&x;</pfif:pfif>`,
    ],
    ['not XML', 'person_record_id,full_name\nx/1,A'],
    ['PFIF 1.3', `<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.3"></pfif:pfif>`],
  ])('refuses %s with a Japanese message (400), writing nothing', async (_label, xml) => {
    const r = await upload('aomori', xml, 'import');
    expect(r.status).toBe(400);
    expect(r.html).toContain('PFIF 1.4 のXMLとして読めません');
    expect(await rows(t.database, sql`select 1 from disaster_safety_imports where municipality = '02201'`)).toEqual([]);
  });

  it('refuses a file over 2 MB with 413', async () => {
    const big = `<pfif:pfif xmlns:pfif="${PFIF_NS}">${' '.repeat(2 * 1024 * 1024 + 10)}</pfif:pfif>`;
    const r = await upload('aomori', big);
    expect(r.status).toBe(413);
    expect(r.html).toContain('ファイルが大きすぎます');
  });

  it('refuses an import without the session’s CSRF token', async () => {
    const r = await http.post('aomori', '/staff/disaster/safety/import', { action: 'import', xml: own }, 'forged');
    expect(r.status).toBe(400);
    expect(await rows(t.database, sql`select 1 from disaster_safety_imports where municipality = '02201'`)).toEqual([]);
  });

  it('a prefecture administrator exports but does not import; staff without a disaster role get 404', async () => {
    expect((await upload('admin', own)).status).toBe(404);
    for (const path of ['/staff/disaster/safety', '/staff/disaster/safety/pfif.xml'])
      expect((await http.get('viewer', path)).status).toBe(404);
    expect((await upload('viewer', own)).status).toBe(404);
  });
});
