// /staff/data-protection over HTTP: prefecture administrators only; consent counts; the access log's
// filters, pages and CSV; the bulk-read alert; disclosure (開示) and deletion on request, each audited.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, testResidentKeys } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { seal } from '../residents/crypto.ts';
import { itemPlace } from '../residents/profiles.ts';
import { insertAccessLog as insertAccessLogRow } from '../residents/repository-gate.ts';
import { consentRecords, residentDataItems } from '../residents/schema.ts';
import { BULK_READ_THRESHOLD } from '../residents/protection.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let alice: string;
let bob: string;
const hour = 3600_000;

const logRow = (over: Partial<Parameters<typeof insertAccessLogRow>[1]>) =>
  insertAccessLogRow(t.database.db, {
    id: randomUUID(),
    residentId: 'r_someone',
    actorKind: 'client',
    actorId: 'client-a',
    organisationId: '02201',
    purposeId: 'shelter-reception',
    categories: ['name'],
    basis: 'consent',
    allowed: true,
    channel: 'broker',
    ...over,
  });

const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(t.database, q))[0]!.n;
const logCount = () => count(sql`select count(*)::int as n from personal_data_access_log`);
const auditCount = () => count(sql`select count(*)::int as n from audit_log`);

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  await http.account('admin', ['prefecture_admin']);
  for (const [key, roles] of [
    ['plan', ['plan_admin']],
    ['approver', ['approver']],
    ['viewer', ['viewer']],
  ] as const)
    await http.account(key, [...roles]);
  await http.account('dx', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
  alice = (await signedInResident(t.database.db)).residentId;
  bob = (await signedInResident(t.database.db)).residentId;
  await t.residents.commands.saveProfile({ residentId: alice, municipalityCode: '02201', name: '青森 花子', phone: '017-000-0000' });
  await t.residents.commands.saveProfile({ residentId: bob, municipalityCode: '02202', name: '弘前 太郎' });
  await t.database.db.insert(residentDataItems).values({
    residentId: alice,
    category: 'allergies',
    value: seal(testResidentKeys, JSON.stringify(['そば']), itemPlace(alice, 'allergies')),
  });
  const now = Date.now();
  const consent = (residentId: string, over: Partial<typeof consentRecords.$inferInsert>) => ({
    id: randomUUID(),
    residentId,
    purposeId: 'shelter-reception',
    purposeVersion: 1,
    recipientId: '02201',
    categories: ['name', 'allergies'],
    expiresAt: new Date(now + 365 * 86_400_000),
    ...over,
  });
  await t.database.db
    .insert(consentRecords)
    .values([
      consent(alice, {}),
      consent(bob, { withdrawnAt: new Date(now - hour) }),
      consent(bob, { givenAt: new Date(now - 400 * 86_400_000), expiresAt: new Date(now - 35 * 86_400_000) }),
      consent(bob, { purposeId: 'disaster-supporter', recipientId: 'kiki-kanri.bosai-kiki-kanri', categories: ['name'] }),
    ]);
  // Filter rows: around the JST day boundary of 2026-10-01, one refused, one of another purpose.
  await logRow({ residentId: alice, at: new Date('2026-09-30T15:30:00Z'), actorId: 'client-jst' });
  await logRow({ residentId: alice, at: new Date('2026-09-30T14:30:00Z'), actorId: 'client-before' });
  await logRow({ residentId: alice, allowed: false, basis: 'none', actorId: 'client-refused', at: new Date('2026-09-20T00:00:00Z') });
  await logRow({
    residentId: bob,
    purposeId: 'child-rearing-support',
    organisationId: '02202',
    actorId: 'client-child',
    at: new Date('2026-09-20T00:00:00Z'),
  });
  await logRow({ residentId: bob, actorId: '=HYPERLINK("http://x")', at: new Date('2026-09-19T00:00:00Z') });
});
afterAll(() => t.close());

const page = async (query = '') => {
  const r = await http.get('admin', `/staff/data-protection${query}`);
  expect(r.status).toBe(200);
  return r.text();
};

describe('/staff/data-protection', () => {
  it.each(['plan', 'approver', 'viewer', 'dx'])(
    'is not there for a %s account (404), nor its CSV or requests; nothing changes',
    async (key) => {
      expect((await http.get(key, '/staff/data-protection')).status).toBe(404);
      expect((await http.get(key, '/staff/data-protection/access-log.csv')).status).toBe(404);
      const [log, audit] = [await logCount(), await auditCount()];
      expect((await http.post(key, '/staff/data-protection/export', { residentId: alice, reason: '請求' })).status).toBe(404);
      expect((await http.post(key, '/staff/data-protection/delete', { residentId: alice, reason: '請求', confirm: 'yes' })).status).toBe(
        404,
      );
      expect([await logCount(), await auditCount()]).toEqual([log, audit]);
      expect(await t.residents.queries.accessLog({}, { limit: 1000, offset: 0 })).toHaveLength(log);
    },
  );

  it('マイページ shows the resident their 受付番号, for disclosure and deletion requests', async () => {
    const me = await signedInResident(t.database.db);
    const html = await (await t.app.request('/my', { headers: { cookie: me.cookie } })).text();
    expect(html).toContain(`受付番号: <code>${me.residentId}</code>`);
  });

  it('is linked from /staff for a prefecture administrator only', async () => {
    expect(await (await http.get('admin', '/staff')).text()).toContain('href="/staff/data-protection"');
    expect(await (await http.get('plan', '/staff')).text()).not.toContain('href="/staff/data-protection"');
  });

  it('counts consents by purpose and recipient: in force, withdrawn, expired, with the registry names', async () => {
    const html = await page();
    expect(html).toMatch(/<th scope="row">避難所の受付で要配慮情報を共有する<\/th><td>青森市<\/td><td>1<\/td><td>1<\/td><td>1<\/td>/);
    expect(html).toMatch(
      /<th scope="row">災害時に支援者として連絡を受ける<\/th><td>[^<]*防災危機管理課<\/td><td>1<\/td><td>0<\/td><td>0<\/td>/,
    );
  });

  it('filters the access log by organisation, purpose, result and a JST date range', async () => {
    const only = async (q: string) => [...(await page(q)).matchAll(/<td>(client-[a-z]+)<\/td>/g)].map((m) => m[1]);
    expect(await only('?from=2026-10-01&to=2026-10-01')).toEqual(['client-jst']);
    expect(await only('?to=2026-09-30&allowed=no')).toEqual(['client-refused']);
    expect(await only('?purpose=child-rearing-support')).toEqual(['client-child']);
    expect(await only('?organisation=02202')).toEqual(['client-child']);
    const bad = await http.get('admin', '/staff/data-protection?from=2026-13-45x');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('日付は 2026-12-01 の形で入力してください。');
  });

  it(`alerts on one actor reading more than ${BULK_READ_THRESHOLD} distinct residents within an hour, and pages the log by 100`, async () => {
    expect(await page()).not.toContain('大量の閲覧があります');
    const start = Date.now() - 2 * hour;
    // The threshold itself is not an alert: one actor at exactly N, spread over the hour.
    for (let i = 0; i < BULK_READ_THRESHOLD; i++)
      await logRow({ residentId: `r_edge${i}`, actorId: 'client-edge', at: new Date(start + i * 60_000) });
    expect(await page()).not.toContain('大量の閲覧があります');
    for (let i = 0; i <= BULK_READ_THRESHOLD + 69; i++)
      await logRow({ residentId: `r_bulk${i}`, actorId: 'client-bulk', organisationId: '02203', at: new Date(start + i * 20_000) });
    const html = await page();
    expect(html).toContain('大量の閲覧があります');
    expect(html).toContain(`client-bulk（八戸市）: <time datetime="${new Date(start).toISOString()}">`);
    expect(html).toContain(`からの1時間に ${BULK_READ_THRESHOLD + 70}人`);
    expect(html).not.toMatch(/client-edge（/);
    const bulkRows = async (q: string) => ((await page(q)).match(/<td>r_bulk\d+<\/td>/g) ?? []).length;
    expect(await bulkRows('?organisation=02203')).toBe(100);
    expect(await page('?organisation=02203')).toContain('href="/staff/data-protection?organisation=02203&amp;page=2"');
    expect(await bulkRows('?organisation=02203&page=2')).toBe(20);
  });

  it('names held purposes (no consent covers them) by their Japanese titles: the page, its filter, the CSV and マイページ', async () => {
    const me = await signedInResident(t.database.db);
    const staff = { kind: 'staff' as const, id: 'staff-held', organisationId: '02201' };
    const place = { table: 'disaster_safety_statuses', column: 'display_name', rowId: me.residentId };
    const value = t.residents.fields.seal('青森 次郎', place);
    await t.residents.fields.open(t.database.db, staff, me.residentId, 'safety-confirmation', [{ value, place, category: 'name' }], 'page');
    const walkIn = { table: 'disaster_checkins', column: 'name', rowId: 'ci-held' };
    const name = t.residents.fields.seal('避難 一郎', walkIn);
    await t.residents.fields.open(
      t.database.db,
      staff,
      'ci-held',
      'shelter-reception',
      [{ value: name, place: walkIn, category: 'name' }],
      'page',
    );

    const html = await page('?purpose=safety-confirmation');
    expect(html).toContain('<td>安否確認</td>');
    expect(html).not.toContain('<td>safety-confirmation</td>');
    expect(html).toMatch(/<option value="safety-confirmation" selected(="")?>安否確認<\/option>/);
    // An id of both lists: the held read by its held title, the filter naming both.
    const reception = await page('?organisation=02201&purpose=shelter-reception');
    expect(reception).toContain('<td>避難所の受付（避難している人の把握）</td>');
    expect(reception).toContain('避難所の受付で要配慮情報を共有する／避難所の受付（避難している人の把握）');
    const csv = Buffer.from(
      await (await http.get('admin', '/staff/data-protection/access-log.csv?purpose=safety-confirmation')).arrayBuffer(),
    );
    expect(csv.toString('utf8')).toContain(',安否確認,氏名,');

    const mine = await (await t.app.request('/my/access-log', { headers: { cookie: me.cookie } })).text();
    expect(mine).toContain('<dd>安否確認</dd>');
    expect(mine).toContain('預かった情報を、その利用目的の範囲で利用（');
    expect(mine).toContain('災害対策基本法 第86条の15');
    expect(mine).not.toContain('safety-confirmation');
  });

  it('exports the filtered log as CSV with formula-looking cells guarded', async () => {
    const r = await http.get('admin', '/staff/data-protection/access-log.csv?to=2026-09-30');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const csv = Buffer.from(await r.arrayBuffer()).toString('utf8');
    expect(csv.startsWith('\uFEFF日時,日時（ISO 8601）,閲覧者')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).not.toContain('client-jst');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(5);
  });

  it('開示: exports exactly the resident’s data as JSON, logged (channel export) and audited', async () => {
    const before = await logCount();
    const r = await http.post('admin', '/staff/data-protection/export', { residentId: alice, reason: '本人からの開示請求（窓口）' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain(`disclosure-${alice}.json`);
    const body = (await r.json()) as {
      residentId: string;
      data: unknown;
      consents: { residentId: string }[];
      accessLog: { residentId: string; channel: string }[];
    };
    expect(body.residentId).toBe(alice);
    expect(body.data).toEqual({ name: '青森 花子', phone: '017-000-0000', allergies: ['そば'] });
    expect(body.consents.map((x) => x.residentId)).toEqual([alice]);
    expect(new Set(body.accessLog.map((x) => x.residentId))).toEqual(new Set([alice]));
    expect(body.accessLog).toHaveLength(4);
    expect(body.accessLog.at(-1)).toMatchObject({ channel: 'export', basis: 'disclosure-request', actorKind: 'staff', allowed: true });
    expect(JSON.stringify(body)).not.toContain('弘前');
    expect(await logCount()).toBe(before + 1);
    const audit = await rows<{ action: string; reason: string }>(
      t.database,
      sql`select action, reason from audit_log where entity = 'resident' and entity_id = ${alice}`,
    );
    expect(audit).toEqual([{ action: 'export_resident_data', reason: '本人からの開示請求（窓口）' }]);
  });

  it.each([
    ['r_nobody', 'この受付番号の住民は見つかりません。'],
    ['<script>', '受付番号は「r_」で始まる英数字です。'],
  ])('a bad 受付番号 %s gets a Japanese message beside the field with the input kept; nothing changes', async (id, message) => {
    const [log, audit] = [await logCount(), await auditCount()];
    for (const path of ['export', 'delete']) {
      const r = await http.post('admin', `/staff/data-protection/${path}`, { residentId: id, reason: '請求', confirm: 'yes' });
      expect(r.status).toBe(400);
      const html = await r.text();
      expect(html).toContain(message);
      expect(html).toContain(`id="err-${path}"`);
      expect(html).toContain(`aria-invalid="true" aria-describedby="err-${path}"`);
      expect(html).toContain(`value="${id.replace('<', '&lt;').replace('>', '&gt;')}"`);
    }
    expect([await logCount(), await auditCount()]).toEqual([log, audit]);
  });

  it('削除: needs the confirmation; then removes the personal data, closes the account, keeps consents and the log, audited', async () => {
    const refused = await http.post('admin', '/staff/data-protection/delete', { residentId: bob, reason: '本人からの削除請求' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('確認の欄に印を付けてください');
    expect(await count(sql`select count(*)::int as n from resident_profiles where resident_id = ${bob}`)).toBe(1);
    const r = await http.post('admin', '/staff/data-protection/delete', { residentId: bob, reason: '本人からの削除請求', confirm: 'yes' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/staff/data-protection');
    expect(await count(sql`select count(*)::int as n from resident_profiles where resident_id = ${bob}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from resident_sessions where resident_id = ${bob}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from resident_accounts where id = ${bob} and status = 'deleted'`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from consent_records where resident_id = ${bob}`)).toBe(3);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'delete_resident_data' and entity_id = ${bob}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from resident_profiles where resident_id = ${alice}`)).toBe(1);
    // Deleted reads as unknown afterwards.
    const again = await http.post('admin', '/staff/data-protection/export', { residentId: bob, reason: '請求' });
    expect(again.status).toBe(400);
  });

  it('records a legal basis for one resident: stored, audited with the reason; refusals keep the input and change nothing', async () => {
    const form: [string, string][] = [
      ['organisationId', '02201'],
      ['purposeId', 'shelter-reception'],
      ['categories', 'name'],
      ['categories', 'allergies'],
      ['legalBasis', 'dcbl-49-11-3'],
      ['residentId', alice],
      ['days', '3'],
      ['reason', '豪雨災害での避難支援'],
    ];
    const records = () => count(sql`select count(*)::int as n from legal_basis_records`);
    const [before, audit] = [await records(), await auditCount()];
    for (const [bad, message] of [
      [['categories', 'phone'], 'この利用目的に含まれないデータの区分があります。'],
      [['days', '31'], '期間は30日以内です。'],
      [['organisationId', 'no-such-unit'], '提供先の組織が組織一覧にありません。'],
      [['residentId', 'r_nobody'], 'この受付番号の住民は見つかりません。'],
    ] as const) {
      const r = await http.post('admin', '/staff/data-protection/legal-basis', [...form.filter(([k]) => k !== bad[0]), [bad[0], bad[1]]]);
      expect(r.status).toBe(400);
      const html = await r.text();
      expect(html).toContain(message);
      expect(html).toContain('value="豪雨災害での避難支援"');
    }
    expect([await records(), await auditCount()]).toEqual([before, audit]);
    const ok = await http.post('admin', '/staff/data-protection/legal-basis', form);
    expect(ok.status).toBe(303);
    const [row] = await rows<{
      organisation_id: string;
      categories: string[];
      legal_basis: string;
      resident_id: string;
      recorded_by: string;
    }>(t.database, sql`select organisation_id, categories, legal_basis, resident_id, recorded_by from legal_basis_records`);
    expect(row).toEqual({
      organisation_id: '02201',
      categories: ['name', 'allergies'],
      legal_basis: 'dcbl-49-11-3',
      resident_id: alice,
      recorded_by: http.sessions.admin!.id,
    });
    expect(
      await count(sql`select count(*)::int as n from audit_log where action = 'record_legal_basis' and reason = '豪雨災害での避難支援'`),
    ).toBe(1);
    expect((await http.post('plan', '/staff/data-protection/legal-basis', form)).status).toBe(404);
    expect(await records()).toBe(before + 1);
  });
});
