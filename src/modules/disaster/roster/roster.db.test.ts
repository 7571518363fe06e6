// 避難行動要支援者名簿 (issue 14 point 7) through the staff screens: import with preview and row errors
// (UTF-8 and CP932, hostile files), sealed at rest, opened only for the municipality's own editors with
// each opening in the access log, the not-yet-confirmed list by 地区 changing at once after a follow-up,
// follow-ups audited, a re-import keeping who was already confirmed, the CSV export guarded, and 404 for
// prefecture administrators, another municipality and a reception (viewer) account.
import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../../../platform/audit.ts';
import { createTestApp } from '../../../../test/db.ts';
import { encodeCp932 } from '../../../../test/cp932.ts';
import { signedInResident } from '../../../../test/residents.ts';
import { actor } from '../../../../test/actors.ts';
import { hiddenFields, staffHttp } from '../../../../test/staff-http.ts';
import { accessLog } from '../../residents/schema.ts';
import { disasterRosterEntries } from '../schema-roster.ts';
import { actionLabel, entityLabel } from '../../workspace/audit-format.ts';
import { rosterStatus, type ConfirmationSource } from './followups.ts';
import { importRoster } from './roster.ts';
import { linkEntry, lockRoster } from './repository.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
const fixture = readFileSync(new URL('../../../../test/fixtures/disaster/roster.csv', import.meta.url), 'utf8');
const header = fixture.split('\r\n')[0]!;

const upload = (...a: Parameters<typeof http.upload>) => http.upload(...a);
const confirmFields = (html: string) => hiddenFields(html, ['fileName', 'content']);
const preview = (bytes: Uint8Array | string, key = 'aomori') =>
  upload(key, '/staff/disaster/roster/preview', {}, { name: 'roster.csv', bytes });
async function importFile(bytes: Uint8Array | string, key = 'aomori') {
  const p = await preview(bytes, key);
  if (p.status !== 200) return p;
  return upload(key, '/staff/disaster/roster/import', confirmFields(p.html));
}
const page = async (key = 'aomori') => (await http.get(key, '/staff/disaster/roster')).text();
const entries = () => t.database.db.select().from(disasterRosterEntries).where(eq(disasterRosterEntries.municipality, '02201'));
const idOf = async (name: string) => {
  const html = await page();
  return new RegExp(`href="/staff/disaster/roster/(re_[A-Za-z0-9_-]{16})">${name}<`).exec(html)?.[1];
};
const rosterLogRows = () => t.database.db.select().from(accessLog).where(eq(accessLog.purposeId, 'evacuation-support-roster'));
/** The not-yet-confirmed section only (the page's other parts name no person). */
const unconfirmed = (html: string) => html.slice(html.indexOf('id="roster-unconfirmed"'), html.indexOf('<h2>名簿の取り込み</h2>'));

/** 青森市's editor as the commands see them, for calling the roster's functions directly (the port). */
const aomoriActor = () => actor(['municipality_editor'], { id: http.sessions.aomori!.id, municipalityCode: '02201' });
const rosterDeps = () => ({ db: t.database.db, fields: t.residents.fields });

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
  // A shelter's reception account: a viewer of its municipality (rules.ts canUseRoster).
  await http.account('reception', ['viewer'], { municipalityCode: '02201' });
});
afterAll(() => t.database.close());

describe('避難行動要支援者名簿: import', () => {
  it('previews a UTF-8 file: the count, the first rows, the encoding; nothing written yet', async () => {
    const r = await preview(fixture);
    expect(r.status).toBe(200);
    expect(r.html).toContain('確認: 3人の名簿（UTF-8）');
    expect(r.html).toContain('架空 一郎');
    expect(r.html).toContain('高齢独居');
    expect(await entries()).toEqual([]);
  });

  it('reads the same file saved as CP932 (Excel) the same way', async () => {
    const r = await preview(encodeCp932(fixture));
    expect(r.status).toBe(200);
    expect(r.html).toContain('確認: 3人の名簿（Shift_JIS）');
    expect(r.html).toContain('見本 ハナ');
  });

  it('lists every row error and imports nothing: bad date, missing 氏名, control character, formula (=cmd), bad phone', async () => {
    const bad = [
      header,
      '誤り 一,,昭和99年13月1日,,青森市1,,,高齢独居,,,,,',
      ',,1940-01-01,,青森市2,,,高齢独居,,,,,',
      '誤り 三,,1940-01-01,,青森市\u00073,,,高齢独居,,,,,',
      `"=cmd|' /C calc'!A0",,1940-01-01,,青森市4,,,高齢独居,,,,,`,
      '誤り 五,,1940-01-01,,青森市5,,abc,高齢独居,支援 者,@SUM(1),,,',
    ].join('\r\n');
    const r = await preview(bad);
    expect(r.status).toBe(400);
    expect(r.html).toContain('このファイルには誤りが');
    expect(r.html).toContain('2行目');
    expect(r.html).toContain('生年月日「昭和99年13月1日」が日付として読めません');
    expect(r.html).toContain('氏名がありません');
    expect(r.html).toContain('住所: 制御文字が含まれています');
    expect(r.html).toContain('氏名: 数式として読まれる文字（= + - @）で始まっています');
    expect(r.html).toContain('電話: 番号として読めません');
    expect(r.html).toContain('避難支援等関係者1の電話: 番号として読めません');
    expect((await importFile(bad)).status).toBe(400);
    expect(await entries()).toEqual([]);
  });

  it('refuses a file without the required columns, an unclosed quote, deep quotes run wild, an oversized file and too many rows (400, never 5xx)', async () => {
    expect((await preview('名前だけ\r\n架空\r\n')).html).toContain(
      '見出し行に「氏名」「生年月日」「住所又は居所」「避難支援等を必要とする事由」の列が必要です',
    );
    expect((await preview(`${header}\r\n"架空,1940-01-01,青森市,高齢独居\r\n`)).html).toContain('」で始まる欄が閉じられていません');
    // A cell of thousands of doubled quotes: one cell, read in one pass, refused as too long.
    const deep = await preview(`${header}\r\n"${'""'.repeat(3000)}",,1940-01-01,,青森市,,,高齢独居,,,,,\r\n`);
    expect(deep.status).toBe(400);
    expect(deep.html).toContain('1つの欄が長すぎます（2000文字まで）');
    const big = await preview(new Uint8Array(5_000_001).fill(0x41));
    expect(big.status).toBe(400);
    expect(big.html).toContain('ファイルが大きすぎます（5MBまで）');
    const many = await preview(`${header}\r\n${'架空,,1940-01-01,,青森市,,,高齢独居,,,,,\r\n'.repeat(20_001)}`);
    expect(many.status).toBe(400);
    expect(many.html).toContain('行が多すぎます（20000人まで）');
    expect((await preview('')).status).toBe(400);
  });

  it('imports after the preview: sealed at rest (no name, address or reason in the table), one audit row with counts and no personal data', async () => {
    const r = await importFile(fixture);
    expect(r.status).toBe(303);
    expect(r.location).toBe('/staff/disaster/roster?imported=3');
    const rows = await entries();
    expect(rows).toHaveLength(3);
    const raw = JSON.stringify(rows);
    for (const s of ['架空', '見本', '要介護', '017-000', '1935']) expect(raw).not.toContain(s);
    const audit = await searchAudit(t.database.db, { entity: 'disaster_roster' }, { limit: 50, offset: 0 });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ people: 3, added: 3, kept: 0, removed: 0 });
    expect(JSON.stringify(audit[0])).not.toMatch(/架空|見本|仮名|017-000/);
    expect(actionLabel('import_disaster_roster')).toBe('避難行動要支援者名簿の取り込み');
    expect(entityLabel('disaster_roster')).toBe('避難行動要支援者名簿');
  });
});

describe('避難行動要支援者名簿: who is not yet confirmed', () => {
  it('lists everyone not confirmed by 地区, with supporters and the 個別避難計画; each person shown is one access-log row', async () => {
    const before = (await rosterLogRows()).length;
    const html = unconfirmed(await page());
    expect(html).toContain('取り残された住民の有無: 未確認 3人');
    expect(html).toContain('架空町（2人）');
    expect(html).toContain('見本町（1人）');
    expect(html.indexOf('架空町（2人）')).toBeLessThan(html.indexOf('架空 一郎'));
    expect(html).toContain('試験 花子');
    expect(html).toContain('href="tel:090-0000-1002"');
    expect(html).toContain('避難先: 架空小学校');
    const logged = (await rosterLogRows()).slice(before);
    expect(logged).toHaveLength(3);
    expect(logged.every((l) => l.basis === 'held' && l.allowed && l.organisationId === '02201' && l.channel === 'page')).toBe(true);
    expect(new Set(logged.map((l) => l.residentId))).toEqual(new Set((await entries()).map((e) => e.id)));
  });

  it('keeps a person listed after "contacted", takes them off at once after "safe"; both audited, the note sealed and not in the audit', async () => {
    const id = (await idOf('見本 ハナ'))!;
    const c = await http.post('aomori', `/staff/disaster/roster/${id}/followups`, { kind: 'contacted', note: '電話に出ない' });
    expect(c.status).toBe(303);
    let html = unconfirmed(await page());
    expect(html).toContain('未確認 3人');
    expect(html).toMatch(/最新の記録<\/dt><dd>連絡した（/);
    const s = await http.post('aomori', `/staff/disaster/roster/${id}/followups`, { kind: 'safe', note: '長女宅で無事' });
    expect(s.status).toBe(303);
    html = unconfirmed(await page());
    expect(html).toContain('未確認 2人');
    expect(html).not.toContain('見本 ハナ');
    // The dashboard counts the same, opening nobody (no access-log row) and naming nobody.
    const logged = (await rosterLogRows()).length;
    const dashboard = await (await http.get('aomori', '/staff/disaster')).text();
    expect(dashboard).toContain('取り残された住民の有無（避難行動要支援者名簿）');
    expect(dashboard).toContain('名簿の3人のうち、まだ無事が確認できていない人は2人です（確認済み1人）。');
    expect(dashboard).not.toContain('架空 一郎');
    expect((await rosterLogRows()).length).toBe(logged);
    expect(html).not.toContain('見本町');
    const audit = await searchAudit(t.database.db, { entity: 'disaster_roster_entry' }, { limit: 50, offset: 0 });
    expect(audit.map((a) => (a.after as { kind: string }).kind).sort()).toEqual(['contacted', 'safe']);
    expect(JSON.stringify(audit)).not.toContain('長女');
    expect(actionLabel('record_roster_followup')).toBe('避難行動要支援者の確認の記録');
    const raw = await t.database.db.execute(sql`select note from disaster_roster_followups`);
    expect(JSON.stringify(raw)).not.toContain('長女');
    const detail = await (await http.get('aomori', `/staff/disaster/roster/${id}`)).text();
    expect(detail).toContain('無事を確認: 長女宅で無事');
    expect(detail).toContain('1938-12-24');
  });

  it('takes a person off after "moved" too, and takes a time typed in Japan', async () => {
    const id = (await idOf('仮名 さくら'))!;
    const r = await http.post('aomori', `/staff/disaster/roster/${id}/followups`, { kind: 'moved', note: '', at: '2026-12-01T09:30' });
    // The test clock may be before that time: either recorded, or refused with a Japanese message (never a 5xx).
    if (r.status === 303) expect(unconfirmed(await page())).not.toContain('仮名 さくら');
    else expect(await r.text()).toContain('日時が正しくありません');
    const now = await http.post('aomori', `/staff/disaster/roster/${id}/followups`, { kind: 'moved', note: '' });
    expect(now.status).toBe(303);
    expect(unconfirmed(await page())).not.toContain('仮名 さくら');
  });

  it('answers through the port: another source (check-in, 安否確認) confirming a linked entry takes it off', async () => {
    const id = (await idOf('架空 一郎'))!;
    const resident = await signedInResident(t.database.db);
    await linkEntry(t.database.db, id, resident.residentId);
    const checkedIn: ConfirmationSource = async (_tx, list) =>
      new Map(
        list
          .filter((e) => e.residentId === resident.residentId)
          .map((e) => [e.id, { kind: 'checked-in' as const, at: new Date().toISOString(), place: '架空小学校' }]),
      );
    const editor = aomoriActor();
    expect((await rosterStatus(rosterDeps(), editor)).confirmed).toBe(2);
    const withPort = await rosterStatus(rosterDeps(), editor, [checkedIn]);
    expect(withPort.confirmed).toBe(3);
    expect(withPort.districts).toEqual([]);
    // The account deleted: the entry stays on the roster (the municipality's record), unlinked.
    await t.residents.commands.deleteAccount(resident.residentId);
    const [row] = await t.database.db.select().from(disasterRosterEntries).where(eq(disasterRosterEntries.id, id));
    expect(row!.residentId).toBeNull();
  });

  it('a re-import keeps the same people (name + birth date) with their follow-ups, drops those no longer on it, adds the new', async () => {
    const kept = (await idOf('架空 一郎'))!;
    const next = [
      header,
      fixture.split('\r\n').slice(1, 6).join('\r\n').split('\r\n見本 ハナ')[0], // 架空 一郎 (three lines)
      '見本 ハナ,みほん はな,昭和13年12月24日,女,青森市見本町2-2,見本町,017-000-0002,高齢独居,,,,,無',
      '新規 四郎,しんき しろう,1941-02-03,男,青森市新町4-4,新町,+81-17-000-0004,要介護4,,,,,',
    ].join('\r\n');
    const r = await importFile(next);
    expect(r.status).toBe(303);
    const audit = (await searchAudit(t.database.db, { entity: 'disaster_roster' }, { limit: 50, offset: 0 })).find(
      (a) => (a.after as { people: number }).people === 3 && (a.after as { kept: number }).kept === 2,
    );
    expect(audit?.after).toMatchObject({ kept: 2, added: 1, removed: 1 });
    const html = unconfirmed(await page());
    expect(html).toContain('未確認 2人');
    expect(html).toContain('新規 四郎');
    expect(html).not.toContain('見本 ハナ'); // still confirmed safe: her follow-ups came along
    expect(html).not.toContain('仮名 さくら');
    expect(await idOf('架空 一郎')).toBe(kept);
  });

  it('exports the not-yet-confirmed list as CSV for Excel: formula-looking cells guarded, the opening logged as an export', async () => {
    const res = await http.get('aomori', '/staff/disaster/roster/unconfirmed.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel opens it as UTF-8
    const csv = new TextDecoder().decode(bytes);
    expect(csv.startsWith('町名・地区,氏名')).toBe(true);
    expect(csv).toContain(",'+81-17-000-0004,"); // a phone with a leading + would run as a formula
    expect(csv).toContain('"有\r\n避難先: 架空小学校'); // RFC 4180 §2 rule 6: a line break inside quotes
    expect((await rosterLogRows()).some((l) => l.channel === 'export')).toBe(true);
  });
});

describe('避難行動要支援者名簿: access (missing and forbidden alike: 404)', () => {
  it('is invisible to a prefecture administrator, another municipality and a shelter reception account', async () => {
    const id = (await idOf('新規 四郎'))!;
    const before = (await rosterLogRows()).length;
    // 弘前市's editor has a roster page of their own (empty): 青森市's people are not on it, its entries are 404.
    const theirs = await http.get('hirosaki', '/staff/disaster/roster');
    expect(theirs.status).toBe(200);
    expect(await theirs.text()).toContain('名簿 0人のうち');
    expect(await (await http.get('hirosaki', '/staff/disaster/roster/unconfirmed.csv')).text()).not.toContain('新規');
    for (const key of ['hirosaki']) {
      expect((await http.get(key, `/staff/disaster/roster/${id}`)).status, key).toBe(404);
      expect((await http.post(key, `/staff/disaster/roster/${id}/followups`, { kind: 'safe', note: '' })).status, key).toBe(404);
    }
    for (const key of ['admin', 'reception']) {
      expect((await http.get(key, '/staff/disaster/roster')).status, key).toBe(404);
      expect((await http.get(key, `/staff/disaster/roster/${id}`)).status, key).toBe(404);
      expect((await http.get(key, '/staff/disaster/roster/unconfirmed.csv')).status, key).toBe(404);
      expect((await preview(fixture, key)).status, key).toBe(404);
      expect((await upload(key, '/staff/disaster/roster/import', { content: fixture, fileName: 'x.csv' })).status, key).toBe(404);
      expect((await http.post(key, `/staff/disaster/roster/${id}/followups`, { kind: 'safe', note: '' })).status, key).toBe(404);
    }
    // The dashboard: the prefecture sees no roster section; 弘前市 its own (empty) roster, never 青森市's counts.
    expect(await (await http.get('admin', '/staff/disaster')).text()).not.toContain('left-behind');
    const hirosakiDashboard = await (await http.get('hirosaki', '/staff/disaster')).text();
    expect(hirosakiDashboard).toContain('名簿はまだ取り込まれていません。');
    expect(hirosakiDashboard).not.toMatch(/名簿の\d+人のうち/);
    expect((await rosterLogRows()).length).toBe(before);
    expect(unconfirmed(await page())).toContain('新規 四郎');
  });

  it('answers 404 for a missing or malformed id, 400 in Japanese for a bad follow-up; never a 5xx', async () => {
    expect((await http.get('aomori', '/staff/disaster/roster/re_AAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await http.post('aomori', '/staff/disaster/roster/re_AAAAAAAAAAAAAAAA/followups', { kind: 'safe', note: '' })).status).toBe(
      404,
    );
    expect((await http.post('aomori', '/staff/disaster/roster/..%2F..%2Fx/followups', { kind: 'safe', note: '' })).status).toBe(404);
    const id = (await idOf('新規 四郎'))!;
    const cases: [Record<string, string>, string][] = [
      [{ kind: 'gone', note: '' }, '記録の種類を選んでください。'],
      [{ kind: 'safe', note: 'x'.repeat(501) }, 'メモは500文字以内'],
      [{ kind: 'safe', note: 'a\u0000b' }, '制御文字を使わずに'],
      [{ kind: 'safe', note: '', at: '2099-01-01T00:00' }, '日時が正しくありません'],
      [{ kind: 'safe', note: '', at: "'; drop table x" }, '日時が正しくありません'],
    ];
    for (const [form, message] of cases) {
      const r = await http.post('aomori', `/staff/disaster/roster/${id}/followups`, form);
      expect(r.status, JSON.stringify(form)).toBe(400);
      expect(await r.text()).toContain(message);
    }
    expect(unconfirmed(await page())).toContain('新規 四郎');
    expect(t.errors).toEqual([]);
  });
});

describe('避難行動要支援者名簿: hostile requests to the import', () => {
  it('refuses a missing CSRF token, a body over the staff limit, no file, and a confirm form whose text was tampered with; never a 5xx', async () => {
    const noCsrf = await upload('aomori', '/staff/disaster/roster/preview', { csrf: '' }, { name: 'r.csv', bytes: fixture });
    expect(noCsrf.status).toBe(400);
    expect(noCsrf.html).toContain('不正な送信です');
    expect(await entries()).toHaveLength(3);
    const huge = await upload('aomori', '/staff/disaster/roster/preview', {}, { name: 'r.csv', bytes: new Uint8Array(13 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    const none = await http.post('aomori', '/staff/disaster/roster/preview', { note: 'x' });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('ファイルを選んでください。');
    // The confirm form is read again as the preview did: a row changed to a formula after the preview is refused.
    const tampered = await upload('aomori', '/staff/disaster/roster/import', {
      fileName: 'r.csv',
      content: `${header}\r\n=HYPERLINK("http://x"),,1940-01-01,,青森市,,,高齢独居,,,,,\r\n`,
    });
    expect(tampered.status).toBe(400);
    expect(tampered.html).toContain('ファイルに誤りが1件あります。取り込みませんでした。');
    expect(await entries()).toHaveLength(3);
    const control = await upload(
      'aomori',
      '/staff/disaster/roster/preview',
      {},
      { name: 'r.csv', bytes: `${header}\r\n架空\u001b[31m,,1940-01-01,,青森市,,,高齢独居,,,,,\r\n` },
    );
    expect(control.status).toBe(400);
    expect(control.html).toContain('氏名: 制御文字が含まれています');
    expect(t.errors).toEqual([]);
  });
});

describe('避難行動要支援者名簿: linking an entry to a resident account (through the consent gate)', () => {
  it('reads 氏名・生年月日 only under a legal basis or consent, links only when both match, audited; other municipalities 404', async () => {
    const id = (await idOf('新規 四郎'))!;
    const shiro = await signedInResident(t.database.db);
    await t.residents.commands.saveProfile({
      residentId: shiro.residentId,
      municipalityCode: '02201',
      name: '新規　四郎',
      birthDate: '1941-02-03',
    });
    const other = await signedInResident(t.database.db);
    await t.residents.commands.saveProfile({
      residentId: other.residentId,
      municipalityCode: '02201',
      name: '新規 四郎',
      birthDate: '1941-02-04',
    });
    const link = (residentId: string, key = 'aomori') => http.post(key, `/staff/disaster/roster/${id}/link`, { residentId });

    const refused = await link(shiro.residentId);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('本人の同意か、法令に基づく提供の記録（災害対策基本法 第49条の11第3項）が必要です');
    const denied = await t.database.db.select().from(accessLog).where(eq(accessLog.residentId, shiro.residentId));
    expect(denied.map((l) => [l.purposeId, l.allowed])).toEqual([['evacuation-support-roster', false]]);

    await t.residents.commands.recordLegalBasis(
      { id: http.sessions.aomori!.id },
      {
        organisationId: '02201',
        purposeId: 'evacuation-support-roster',
        categories: ['name', 'birthDate'],
        legalBasis: 'dcbl-49-11-3',
        reason: '大雨で避難指示、名簿の人の避難を確かめるため',
        municipalityCode: '02201',
        days: 7,
      },
    );
    const mismatch = await link(other.residentId);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('氏名と生年月日が名簿と一致しません');
    expect((await link('not a valid id!')).status).toBe(400);
    expect((await link(shiro.residentId, 'hirosaki')).status).toBe(404);

    const ok = await link(shiro.residentId);
    expect(ok.status).toBe(303);
    const [row] = await t.database.db.select().from(disasterRosterEntries).where(eq(disasterRosterEntries.id, id));
    expect(row!.residentId).toBe(shiro.residentId);
    const audit = await searchAudit(t.database.db, { action: 'link_roster_entry' }, { limit: 5, offset: 0 });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain('四郎');
    expect(await (await http.get('aomori', `/staff/disaster/roster/${id}`)).text()).toContain('結びつけ済み');
  });
});

describe('避難行動要支援者名簿: a long list pages (only the page shown is opened)', () => {
  it('shows 100 people a page in file order, each page opening only its own people', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `弘前 ${i},1940-01-01,弘前市${i},地区${String(Math.floor(i / 50))},高齢独居`);
    const r = await upload(
      'hirosaki',
      '/staff/disaster/roster/preview',
      {},
      { name: 'h.csv', bytes: `氏名,生年月日,住所,地区,事由\r\n${rows.join('\r\n')}\r\n` },
    );
    expect((await upload('hirosaki', '/staff/disaster/roster/import', confirmFields(r.html))).status).toBe(303);
    const opened = async () => (await rosterLogRows()).filter((l) => l.organisationId === '02202').length;
    const before = await opened();
    const first = await (await http.get('hirosaki', '/staff/disaster/roster')).text();
    expect(first).toContain('未確認 150人');
    expect(first).toContain('1〜100人目を表示しています');
    expect(first).toContain('弘前 99<');
    expect(first).not.toContain('弘前 100<');
    expect(first).toContain('href="/staff/disaster/roster?page=2"');
    expect(await opened()).toBe(before + 100);
    const second = await (await http.get('hirosaki', '/staff/disaster/roster?page=2')).text();
    expect(second).toContain('101〜150人目を表示しています');
    expect(second).toContain('地区2（50人）');
    expect(await opened()).toBe(before + 150);
    for (const q of ['0', '-1', 'x', '99999', '1e3'])
      expect((await http.get('hirosaki', `/staff/disaster/roster?page=${q}`)).status).toBe(200);
  });
});

describe('避難行動要支援者名簿: a new confirmation round', () => {
  it('puts everyone back on the list: only follow-ups and confirmations from its start count; audited; 404 for others', async () => {
    for (const key of ['admin', 'reception']) expect((await http.post(key, '/staff/disaster/roster/rounds', {})).status).toBe(404);
    expect(unconfirmed(await page())).not.toContain('見本 ハナ');
    const r = await http.post('aomori', '/staff/disaster/roster/rounds', {});
    expect(r.status).toBe(303);
    const html = unconfirmed(await page());
    expect(html).toContain('未確認 3人');
    expect(html).toContain('見本 ハナ');
    expect(html).toContain('確認の開始: ');
    expect(html).not.toContain('無事を確認（'); // last round's records are not this round's
    const [audit] = await searchAudit(t.database.db, { action: 'start_roster_round' }, { limit: 5, offset: 0 });
    expect(audit?.entityId).toBe('02201');
    expect(actionLabel('start_roster_round')).toBe('避難行動要支援者の確認の開始');
    // The port is asked for confirmations since the round's start.
    let asked: string | undefined;
    const source: ConfirmationSource = async (_tx, _list, since) => ((asked = since), new Map());
    const editor = aomoriActor();
    const state = await rosterStatus(rosterDeps(), editor, [source]);
    expect(asked).toBe(state.round);
    expect(Date.now() - Date.parse(asked!)).toBeLessThan(60_000);
    const id = (await idOf('見本 ハナ'))!;
    await http.post('aomori', `/staff/disaster/roster/${id}/followups`, { kind: 'safe', note: '' });
    expect(unconfirmed(await page())).toContain('未確認 2人');
  });
});

describe('避難行動要支援者名簿: two imports at once', () => {
  it("wait for each other (the roster's lock), so the roster holds one copy of the file, not two", async () => {
    const file = new TextEncoder().encode(
      `氏名,生年月日,住所,事由\r\n同時 一,1940-01-01,弘前市1,高齢独居\r\n同時 二,1941-01-01,弘前市2,高齢独居\r\n`,
    );
    const hirosaki = actor(['municipality_editor'], { id: http.sessions.hirosaki!.id, municipalityCode: '02202' });
    await t.database.db.delete(disasterRosterEntries).where(eq(disasterRosterEntries.municipality, '02202'));
    // Another import holds the lock (as one in progress would): this one must wait for it.
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const other = t.database.db.transaction(async (tx) => {
      await lockRoster(tx, '02202');
      held();
      await new Promise<void>((r) => (release = r));
    });
    await holding;
    let done = false;
    const mine = importRoster(rosterDeps(), hirosaki, { name: 'c.csv', bytes: file }).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    release();
    await other;
    expect((await mine).people).toBe(2);
    const again = await Promise.all([1, 2].map(() => importRoster(rosterDeps(), hirosaki, { name: 'c.csv', bytes: file })));
    expect(again.map((r) => r.kept)).toEqual([2, 2]);
    const rows = await t.database.db.select().from(disasterRosterEntries).where(eq(disasterRosterEntries.municipality, '02202'));
    expect(rows).toHaveLength(2);
  });
});
