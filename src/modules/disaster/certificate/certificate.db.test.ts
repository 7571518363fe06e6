// 罹災証明書 (issue 14 point 8) through the HTTP routes: a resident applies (pre-filled from the profile and
// their 写真投稿; name, address and description sealed at rest), 青森市's staff schedule, decide and issue
// (each step audited, in order only), 弘前市's staff get 404, the PDF carries the Japanese text
// (pdftotext), the code verifies publicly without personal data, the prefecture's counts, hostile
// input refused with Japanese messages, and the account's deletion removes the application but not
// the verification record.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../../../platform/audit.ts';
import { createTestApp } from '../../../../test/db.ts';
import { signedInResident } from '../../../../test/residents.ts';
import { staffHttp } from '../../../../test/staff-http.ts';
import { insertPhotoReport } from '../../../../test/photos.ts';
import { accessLog } from '../../residents/schema.ts';
import { disasterCertificates, disasterCertificateVerifications } from '../schema-certificates.ts';
import { pdfText } from '../../../../test/pdf.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let resident: Awaited<ReturnType<typeof signedInResident>>;
let other: Awaited<ReturnType<typeof signedInResident>>;
let reportId: string;
let othersReport: string;

const report = (residentId: string) => insertPhotoReport(t.database.db, residentId);

const valid = () => ({
  municipality: '02201',
  name: '青森 太郎',
  address: '青森県青森市長島一丁目1-1',
  damageType: 'flood',
  damagedOn: '2026-11-30',
  description: '床上50cmまで浸水し、壁と床が傷んだ',
});
async function apply(fields: Record<string, string>, reports: string[] = [], who = resident) {
  const body = new URLSearchParams({ csrf: who.csrf, ...fields });
  for (const r of reports) body.append('reportIds', r);
  const res = await t.app.request('/my/disaster/certificates', {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, html: await res.text(), id: /certificates\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1] };
}
const mine = (path: string, who = resident) => t.app.request(path, { headers: { cookie: who.cookie } });

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  resident = await signedInResident(t.database.db);
  other = await signedInResident(t.database.db);
  await t.residents.commands.saveProfile({
    residentId: resident.residentId,
    municipalityCode: '02201',
    name: '青森 太郎',
    address: '青森県青森市長島一丁目1-1',
  });
  reportId = await report(resident.residentId);
  othersReport = await report(other.residentId);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
});
afterAll(() => t.database.close());

describe('罹災証明書 (issue 14 point 8)', () => {
  let id: string;

  it('pre-fills the form from the profile (through the gate, logged) and from the resident’s photo reports', async () => {
    const html = await (await mine('/my/disaster/certificates/new')).text();
    expect(html).toContain('value="青森 太郎"');
    expect(html).toContain('value="青森県青森市長島一丁目1-1"');
    expect(html).toContain('value="2026-11-30"'); // the photo's time, in Japan
    expect(html).toMatch(new RegExp(`value="${reportId}" checked`));
    expect(html).not.toContain(othersReport);
    expect(html).toMatch(/<option value="02201" selected/);
    const log = await t.database.db.select().from(accessLog).where(eq(accessLog.residentId, resident.residentId));
    expect(log.some((l) => l.basis === 'self' && l.categories.includes('address'))).toBe(true);
  });

  it('files an application: 受付, the personal fields sealed in the row', async () => {
    const r = await apply(valid(), [reportId]);
    expect(r.status).toBe(303);
    id = r.id!;
    const [row] = await t.database.db.select().from(disasterCertificates).where(eq(disasterCertificates.id, id));
    expect(row).toMatchObject({ status: 'received', municipality: '02201', reportIds: [reportId] });
    for (const v of [row!.name, row!.address, row!.description]) expect(v).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('長島');
    const page = await (await mine(`/my/disaster/certificates/${id}?sent=1`)).text();
    expect(page).toContain('申請を受け付けました');
    expect(page).toContain('受付（現在）');
    expect(page).toContain('床上50cmまで浸水し');
  });

  it('is a 404 for another resident and for 弘前市’s staff (page, photo, steps), changing nothing', async () => {
    expect((await mine(`/my/disaster/certificates/${id}`, other)).status).toBe(404);
    expect((await mine(`/my/disaster/certificates/${randomUUID()}`)).status).toBe(404);
    expect((await http.get('hirosaki', `/staff/disaster/certificates/${id}`)).status).toBe(404);
    expect((await http.get('hirosaki', `/staff/disaster/certificates/${id}/photos/${reportId}`)).status).toBe(404);
    expect((await http.post('hirosaki', `/staff/disaster/certificates/${id}/schedule`, { surveyOn: '2026-12-05' })).status).toBe(404);
    expect(await (await http.get('hirosaki', '/staff/disaster/certificates')).text()).toContain('申請はありません。');
    expect((await http.get('aomori', `/staff/disaster/certificates/${randomUUID()}`)).status).toBe(404);
  });

  it('goes 受付 → 調査予定 → 判定済 → 交付 by 青森市’s staff, in order only, each step audited', async () => {
    const detail = await (await http.get('aomori', `/staff/disaster/certificates/${id}`)).text();
    expect(detail).toContain('青森県青森市長島一丁目1-1');
    const opened = await t.database.db.select().from(accessLog).where(eq(accessLog.purposeId, 'disaster-certificate'));
    expect(opened.some((l) => l.actorKind === 'staff' && l.organisationId === '02201' && l.basis === 'held')).toBe(true);
    expect((await http.get('aomori', `/staff/disaster/certificates/${id}/photos/${reportId}`)).headers.get('content-type')).toBe(
      'image/jpeg',
    );
    expect((await http.get('aomori', `/staff/disaster/certificates/${id}/photos/${othersReport}`)).status).toBe(404);
    // Out of order: refused with a message, nothing changed.
    const early = await http.post('aomori', `/staff/disaster/certificates/${id}/issue`, {});
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('被害の程度を判定してから交付してください。');
    expect((await http.post('aomori', `/staff/disaster/certificates/${id}/decide`, { grade: 'half' })).status).toBe(400);
    expect((await http.post('aomori', `/staff/disaster/certificates/${id}/schedule`, { surveyOn: '2026-12-05' })).status).toBe(303);
    expect((await http.post('aomori', `/staff/disaster/certificates/${id}/decide`, { grade: 'volcano' })).status).toBe(400);
    expect((await http.post('aomori', `/staff/disaster/certificates/${id}/decide`, { grade: 'mediumHalf' })).status).toBe(303);
    expect((await mine(`/my/disaster/certificates/${id}/certificate.pdf`)).status).toBe(404); // not issued yet
    expect((await http.post('aomori', `/staff/disaster/certificates/${id}/issue`, {})).status).toBe(303);
    expect((await http.post('aomori', `/staff/disaster/certificates/${id}/issue`, {})).status).toBe(400);
    for (const action of ['schedule', 'decide', 'issue']) {
      const [a] = await searchAudit(t.database.db, { action: `${action}_disaster_certificate`, entityId: id }, { limit: 5, offset: 0 });
      expect(a?.actorId).toBe(http.sessions.aomori!.id);
      expect(JSON.stringify(a)).not.toContain('長島');
    }
    const page = await (await mine(`/my/disaster/certificates/${id}`)).text();
    expect(page).toContain('交付（現在）');
    expect(page).toContain('中規模半壊');
  });

  it('gives the resident the PDF in Japanese with the code and verification URL (pdftotext); the code verifies publicly', async () => {
    const res = await mine(`/my/disaster/certificates/${id}/certificate.pdf`);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(new Uint8Array(await res.arrayBuffer())).replace(/[ \t]+/g, ' ');
    const [row] = await t.database.db.select().from(disasterCertificates).where(eq(disasterCertificates.id, id));
    const code = row!.code!;
    for (const s of ['罹災証明書', '青森 太郎', '青森県青森市長島一丁目1-1', '住家の被害の程度 中規模半壊', '青森市長', `証明番号 ${code}`])
      expect(text).toContain(s);
    expect(text).toMatch(new RegExp(`https?://\\S+/disaster/certificates/verify\\?code=${code}`)); // the server's base URL
    const ok = await t.app.request(`/disaster/certificates/verify?code=${encodeURIComponent(code.toLowerCase().replaceAll('-', ' '))}`);
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('有効: この証明書は交付されています');
    expect(html).toContain('青森市');
    expect(html).toContain('中規模半壊');
    expect(html).not.toContain('長島');
    expect(html).not.toContain('太郎');
    const bad = await t.app.request('/disaster/certificates/verify?code=AAAA-BBBB-CCCC');
    expect(bad.status).toBe(404);
    expect(await bad.text()).toContain('無効: この証明番号の証明書はありません');
  });

  it('counts applications and issuance per municipality for the prefecture (table, JSON, CSV); 弘前市 sees only its own', async () => {
    await apply({ ...valid(), municipality: '02202' });
    const json = (await (await http.get('admin', '/staff/disaster/certificates/summary.json')).json()) as {
      municipalities: { code: string; applications: number; issuedTotal: number; received: number }[];
    };
    expect(json.municipalities.find((m) => m.code === '02201')).toMatchObject({ applications: 1, issuedTotal: 1 });
    expect(json.municipalities.find((m) => m.code === '02202')).toMatchObject({ applications: 1, received: 1, issuedTotal: 0 });
    const csv = await (await http.get('admin', '/staff/disaster/certificates/summary.csv')).text();
    expect(csv).toContain('02201,青森市,1,0,0,0,1,1');
    const own = (await (await http.get('hirosaki', '/staff/disaster/certificates/summary.json')).json()) as {
      municipalities: { code: string }[];
    };
    expect(own.municipalities.map((m) => m.code)).toEqual(['02202']);
    expect(await (await http.get('admin', '/staff/disaster/certificates/summary')).text()).toContain('申請 2件、交付 1件');
  });

  it.each([
    ['no municipality', { municipality: '' }, '市町村を選んでください。'],
    ['an unknown municipality', { municipality: '99999' }, '市町村を選んでください。'],
    ['an unknown cause', { damageType: 'volcano' }, '被害の原因を選んでください。'],
    ['a date in the future', { damagedOn: '2999-01-01' }, '被災した日を正しく入力してください'],
    ['a date that is not one', { damagedOn: '2026-02-30x' }, '被災した日を正しく入力してください'],
    ['a control character in the address', { address: '青森\u0000市' }, '所在地に使えない文字'],
    ['a newline in the name', { name: '青森\n太郎' }, '氏名に使えない文字'],
    ['an oversized description', { description: 'あ'.repeat(1001) }, '1000文字以内'],
    ['an empty name', { name: '   ' }, '氏名を入力してください。'],
  ])('refuses %s with a Japanese message (400), writing nothing', async (_l, change, message) => {
    const before = (await t.database.db.select().from(disasterCertificates)).length;
    const r = await apply({ ...valid(), ...change });
    expect(r.status).toBe(400);
    expect(r.html).toContain(message);
    expect((await t.database.db.select().from(disasterCertificates)).length).toBe(before);
  });

  it('refuses another resident’s photo, a bad CSRF token and hostile staff input, never 5xx', async () => {
    const r = await apply(valid(), [othersReport]);
    expect(r.status).toBe(400);
    expect(r.html).toContain('選んだ写真が見つかりません');
    expect((await apply(valid(), [], { ...resident, csrf: 'wrong' })).status).toBe(400); // the session's CSRF check
    expect((await http.post('aomori', '/staff/disaster/certificates/../../x/schedule', { surveyOn: '2026-12-05' })).status).toBe(404);
    expect((await http.post('aomori', '/staff/disaster/certificates/not-an-id/schedule', { surveyOn: '2026-12-05' })).status).toBe(404);
    const [open] = await t.database.db.select().from(disasterCertificates).where(eq(disasterCertificates.municipality, '02202'));
    const bad = await http.post('hirosaki', `/staff/disaster/certificates/${open!.id}/schedule`, { surveyOn: 'x'.repeat(10_000) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('調査日を正しく入力してください。');
    expect((await t.app.request(`/disaster/certificates/verify?code=${'%00'.repeat(50)}`)).status).toBe(404);
    expect((await t.app.request(`/disaster/certificates/verify?code=${'A'.repeat(5000)}`)).status).toBe(404);
    expect(t.errors).toEqual([]);
  });

  it('goes with the account; the verification record stays (no personal data), and still verifies', async () => {
    const [row] = await t.database.db.select().from(disasterCertificates).where(eq(disasterCertificates.id, id));
    await t.residents.commands.deleteAccount(resident.residentId);
    expect(await t.database.db.select().from(disasterCertificates).where(eq(disasterCertificates.residentId, resident.residentId))).toEqual(
      [],
    );
    const [v] = await t.database.db
      .select()
      .from(disasterCertificateVerifications)
      .where(eq(disasterCertificateVerifications.code, row!.code!));
    expect(Object.keys(v!).sort()).toEqual(['code', 'damageType', 'damagedOn', 'grade', 'issuedAt', 'municipality']);
    expect(await (await t.app.request(`/disaster/certificates/verify?code=${row!.code}`)).text()).toContain('有効');
  });
});
