// 避難行動要支援者名簿: the municipality's staff remove a wrong link between an entry and a resident account
// (POST /staff/disaster/roster/<id>/unlink): the entry stays, the link goes, audited with the reason;
// another municipality's entry, a missing or malformed id and others without the roster answer 404; a
// missing CSRF token, an empty, over-long or control-character reason are refused in Japanese.
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../../../platform/audit.ts';
import { createTestApp } from '../../../../test/db.ts';
import { actor } from '../../../../test/actors.ts';
import { signedInResident } from '../../../../test/residents.ts';
import { staffHttp } from '../../../../test/staff-http.ts';
import { actionLabel } from '../../workspace/audit-format.ts';
import { disasterRosterEntries } from '../schema-roster.ts';
import { UNLINK_REASON_MAX } from './link.ts';
import { linkEntry } from './repository.ts';
import { importRoster } from './roster.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let id: string;
let residentId: string;
const fixture = readFileSync(new URL('../../../../test/fixtures/disaster/roster.csv', import.meta.url), 'utf8');

const row = async () => (await t.database.db.select().from(disasterRosterEntries).where(eq(disasterRosterEntries.id, id)))[0];
const unlink = (form: Record<string, string>, key = 'aomori', entry = id, csrf?: string) =>
  http.post(key, `/staff/disaster/roster/${entry}/unlink`, form, csrf);
const audits = () => searchAudit(t.database.db, { action: 'unlink_roster_entry' }, { limit: 10, offset: 0 });

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
  await http.account('reception', ['viewer'], { municipalityCode: '02201' });
  const editor = actor(['municipality_editor'], { id: http.sessions.aomori!.id, municipalityCode: '02201' });
  await importRoster({ db: t.database.db, fields: t.residents.fields }, editor, {
    name: 'roster.csv',
    bytes: new TextEncoder().encode(fixture),
  });
  id = (await t.database.db.select().from(disasterRosterEntries))[0]!.id;
  residentId = (await signedInResident(t.database.db)).residentId;
  await linkEntry(t.database.db, id, residentId);
});
afterAll(() => t.database.close());

describe('避難行動要支援者名簿: removing a wrong account link', () => {
  it('is offered on a linked entry’s page, with a reason field', async () => {
    const html = await (await http.get('aomori', `/staff/disaster/roster/${id}`)).text();
    expect(html).toContain(`action="/staff/disaster/roster/${id}/unlink"`);
    expect(html).toContain('外す理由');
  });

  it.each([
    ['another municipality', 'hirosaki'],
    ['a prefecture administrator', 'admin'],
    ['a shelter reception account', 'reception'],
  ])('is 404 for %s; nothing changes', async (_who, key) => {
    const r = await unlink({ reason: '誤り' }, key);
    expect(r.status).toBe(404);
    expect((await row())!.residentId).toBe(residentId);
  });

  it.each([
    ['a missing entry', 're_AAAAAAAAAAAAAAAA'],
    ['a malformed id', 're_x'],
    ['an id of another shape', '..%2F..%2Fstaff'],
  ])('is 404 for %s', async (_what, entry) => {
    expect((await unlink({ reason: '誤り' }, 'aomori', entry)).status).toBe(404);
  });

  it.each([
    ['no CSRF token', { reason: '誤り' }, '', '不正な送信です'],
    ['an empty reason', { reason: '  ' }, undefined, '結びつきを外す理由を入力してください。'],
    ['no reason field', {}, undefined, '結びつきを外す理由を入力してください。'],
    ['an over-long reason', { reason: 'あ'.repeat(UNLINK_REASON_MAX + 1) }, undefined, `理由は${UNLINK_REASON_MAX}文字以内で`],
    ['a control character', { reason: '誤り\u001b[31m' }, undefined, '制御文字を使わずに'],
  ])('refuses %s (400, Japanese), link kept, not audited', async (_what, form: Record<string, string>, csrf, message) => {
    const r = await unlink(form, 'aomori', id, csrf);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain(message);
    expect((await row())!.residentId).toBe(residentId);
    expect(await audits()).toEqual([]);
  });

  it('refuses a body over the staff limit (413, Japanese), link kept', async () => {
    const r = await unlink({ reason: 'あ'.repeat(5 * 1024 * 1024) });
    expect(r.status).toBe(413);
    expect(await r.text()).toContain('送信内容が大きすぎます');
    expect((await row())!.residentId).toBe(residentId);
  });

  it('removes the link only: the entry stays, audited with the reason (no one named); a second removal is refused', async () => {
    const r = await unlink({ reason: '同姓同名の別の人と結びつけていたため' });
    expect([r.status, r.headers.get('location')]).toEqual([303, `/staff/disaster/roster/${id}?unlinked=1`]);
    const after = await row();
    expect(after!.residentId).toBeNull();
    expect(after!.name.startsWith('v1.')).toBe(true);
    const [audit, ...more] = await audits();
    expect(more).toEqual([]);
    expect(audit).toMatchObject({ entity: 'disaster_roster_entry', entityId: id, reason: '同姓同名の別の人と結びつけていたため' });
    expect(JSON.stringify(audit)).not.toContain(residentId);
    expect(actionLabel('unlink_roster_entry')).toBe('避難行動要支援者名簿と住民アカウントの結びつきの解除');

    const page = await (await http.get('aomori', `/staff/disaster/roster/${id}?unlinked=1`)).text();
    expect(page).toContain('住民アカウントとの結びつきを外しました。');
    expect(page).toContain('まだ結びつけていません');
    expect(page).not.toContain(`/unlink"`);

    const again = await unlink({ reason: 'もう一度' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('この人は住民アカウントと結びついていません。');
    expect(await audits()).toHaveLength(1);
    expect(t.errors).toEqual([]);
  });
});
