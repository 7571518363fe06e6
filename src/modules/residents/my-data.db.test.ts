// マイページ's own data through its pages: profile, household and support needs round-trip sealed;
// one resident never sees another's; bad input is refused beside its field; deletion keeps the evidence.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';
import { maxMembers } from './my-household.tsx';

let t: Awaited<ReturnType<typeof createTestApp>>;
type Who = Awaited<ReturnType<typeof signedInResident>>;
let hanako: Who;
let taro: Who;
beforeAll(async () => {
  t = await createTestApp();
  hanako = await signedInResident(t.database.db);
  taro = await signedInResident(t.database.db);
});
afterAll(() => t.close());

const get = (who: Who, path: string) => t.app.request(path, { headers: { cookie: who.cookie } });
const post = (who: Who, path: string, form: Record<string, string>) =>
  t.app.request(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: who.csrf, ...form }),
  });
const page = async (who: Who, path: string) => {
  const res = await get(who, path);
  expect(res.status).toBe(200);
  return res.text();
};
const raw = (table: string, residentId: string) =>
  rows<Record<string, unknown>>(t.database, sql`select * from ${sql.identifier(table)} where resident_id = ${residentId}`);
const everything = async (residentId: string) =>
  JSON.stringify([await raw('resident_profiles', residentId), await raw('resident_data_items', residentId)]);

const profile = {
  name: '青森 花子',
  municipalityCode: '02201',
  address: '青森市長島一丁目1番1号',
  birthDate: '1980-04-01',
  phone: '017-722-1111',
};

describe('マイページ: own data', () => {
  it('profile: saved from the form, shown again, the raw row holds no plaintext', async () => {
    const res = await post(hanako, '/my/profile', profile);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/my/profile');
    const html = await page(hanako, '/my/profile');
    for (const v of [profile.name, profile.address, profile.birthDate, profile.phone]) expect(html).toContain(v);
    expect(html).toMatch(/<option value="02201" selected="">青森市<\/option>/);
    const stored = await everything(hanako.residentId);
    for (const v of ['花子', '長島', '1980', '722']) expect(stored).not.toContain(v);
  });

  it('household: a member is added, changed and removed; stored sealed', async () => {
    expect((await post(hanako, '/my/household', { name: '青森 太郎', relationship: '長男', birthDate: '2010-05-05' })).status).toBe(303);
    expect((await post(hanako, '/my/household', { name: '青森 梅', relationship: '母', birthDate: '' })).status).toBe(303);
    let html = await page(hanako, '/my/household');
    expect(html).toContain('青森 太郎（長男、2010-05-05生まれ）');
    expect(html).toContain('青森 梅（母）');
    expect(await everything(hanako.residentId)).not.toContain('太郎');
    expect((await post(hanako, '/my/household/1', { name: '青森 うめ', relationship: '母', birthDate: '1950-01-02' })).status).toBe(303);
    expect(await page(hanako, '/my/household/1')).toContain('value="青森 うめ"');
    expect((await post(hanako, '/my/household/0/delete', {})).status).toBe(303);
    html = await page(hanako, '/my/household');
    expect(html).not.toContain('太郎');
    expect(html).toContain('青森 うめ（母、1950-01-02生まれ）');
    expect((await get(hanako, '/my/household/1')).status).toBe(404);
  });

  it('support: each need shown with its category label, 要配慮 marked; an emptied field removes its item', async () => {
    const form = {
      mobility: '車いす',
      medicalDevices: '在宅酸素',
      medication: '降圧剤',
      allergies: '卵',
      languages: '日本語',
      pets: '犬1匹',
      teacher: 'on',
    };
    expect((await post(hanako, '/my/support', form)).status).toBe(303);
    const html = await page(hanako, '/my/support');
    for (const v of Object.values(form).slice(0, 6)) expect(html).toContain(`value="${v}"`);
    expect(html).toContain('移動の支援（車いす・歩行の介助など）<strong>（要配慮個人情報）</strong>');
    expect(html).toContain('話せる言語・必要な通訳</label>');
    expect(html).toMatch(/name="teacher" checked=""/);
    expect(html).not.toMatch(/name="volunteer" checked/);
    const categories = async () => (await raw('resident_data_items', hanako.residentId)).map((r) => r.category).sort();
    expect(await categories()).toEqual([
      'allergies',
      'household',
      'languages',
      'medicalDevices',
      'medication',
      'mobility',
      'pets',
      'supporter',
    ]);
    for (const v of ['車いす', '酸素', '降圧', '犬']) expect(await everything(hanako.residentId)).not.toContain(v);
    expect((await post(hanako, '/my/support', { ...form, allergies: '  ', pets: '', teacher: '' })).status).toBe(303);
    expect(await categories()).toEqual(['household', 'languages', 'medicalDevices', 'medication', 'mobility']);
  });

  it("another resident's cookie sees only their own data; another's member number is missing (404)", async () => {
    for (const path of ['/my/profile', '/my/household', '/my/support']) {
      const html = await page(taro, path);
      for (const v of ['花子', '長島', 'うめ', '在宅酸素', '降圧剤']) expect(html).not.toContain(v);
    }
    expect((await get(taro, '/my/household/0')).status).toBe(404);
    expect((await post(taro, '/my/household/0/delete', {})).status).toBe(404);
    expect((await page(hanako, '/my/household')).includes('青森 うめ')).toBe(true);
  });

  it('refuses oversized text, control characters and an unknown municipality beside the field, keeping the input, changing nothing', async () => {
    const before = await everything(hanako.residentId);
    const cases: [string, Record<string, string>, string, RegExp][] = [
      ['/my/profile', { ...profile, name: 'あ'.repeat(101) }, 'name', /氏名は100文字以内/],
      ['/my/profile', { ...profile, address: '青森市\u0007' }, 'address', /住所に使えない制御文字/],
      ['/my/profile', { ...profile, municipalityCode: '13101' }, 'municipalityCode', /市町村を一覧から選んで/],
      ['/my/household', { name: '青森\u0000次郎', relationship: '次男' }, 'name', /氏名に使えない制御文字/],
      ['/my/household', { name: '青森 次郎', relationship: 'い'.repeat(31) }, 'relationship', /続柄は30文字以内/],
      ['/my/support', { medication: 'く'.repeat(201) }, 'medication', /服薬は200文字以内/],
      ['/my/support', { pets: '猫\u001b' }, 'pets', /同行するペットに使えない制御文字/],
    ];
    for (const [path, form, field, message] of cases) {
      const res = await post(hanako, path, form);
      expect(res.status, `${path} ${field}`).toBe(400);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`id="f-${field}-error"[^>]*>[^<]*${message.source}`));
      expect(html).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"`));
    }
    const kept = await (await post(hanako, '/my/profile', { ...profile, phone: '017', name: 'あ'.repeat(101) })).text();
    expect(kept).toContain(`value="${'あ'.repeat(101)}"`);
    expect(await everything(hanako.residentId)).toBe(before);
  });

  it(`household: no more than ${maxMembers} members`, async () => {
    for (let i = 0; i < maxMembers; i++)
      expect((await post(taro, '/my/household', { name: `弘前 ${i}`, relationship: '子' })).status).toBe(303);
    const res = await post(taro, '/my/household', { name: '弘前 余り', relationship: '子' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`世帯の人は${maxMembers}人まで登録できます。`);
  });

  it('account deletion: a page says what goes and what stays; the POST removes profile, items and sessions, keeps consents (withdrawn) and the access log', async () => {
    const html = await page(hanako, '/my/account/delete');
    expect(html).toContain('削除されるもの');
    expect(html).toContain('同意の記録と閲覧の記録');
    const id = hanako.residentId;
    await t.database.db
      .execute(sql`insert into consent_records (id, resident_id, purpose_id, purpose_version, recipient_id, categories, expires_at)
      values ('c-open', ${id}, 'p', 1, 'u', '["name"]', now() + interval '1 year'), ('c-old', ${id}, 'p', 1, 'u', '["name"]', now() + interval '1 year')`);
    await t.database.db.execute(sql`update consent_records set withdrawn_at = '2026-01-01T00:00:00Z' where id = 'c-old'`);
    await t.database.db
      .execute(sql`insert into personal_data_access_log (id, resident_id, actor_kind, actor_id, purpose_id, categories, basis, allowed, channel)
      values ('a-1', ${id}, 'resident', ${id}, 'self', '["name"]', 'self', true, 'page')`);
    await t.database.db
      .execute(sql`insert into resident_passkeys (id, credential_id, resident_id, user_handle, public_key, transports, name)
      values ('pk-1', 'cred-1', ${id}, 'h', 'k', '[]', 'この端末だけのパスキー')`);
    await t.database.db.execute(sql`insert into resident_identity_links (provider, subject_hmac, resident_id, issuer)
      values ('mynumber', 'hmac-1', ${id}, 'http://127.0.0.1:1')`);

    const res = await post(hanako, '/my/account/delete', {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/my/account/deleted');
    expect(res.headers.get('set-cookie')).toMatch(/renkei_my=;/);
    for (const table of ['resident_profiles', 'resident_data_items', 'resident_sessions', 'resident_passkeys', 'resident_identity_links'])
      expect(await raw(table, id), table).toEqual([]);
    const [account] = await rows<{ status: string; deleted_at: unknown }>(
      t.database,
      sql`select * from resident_accounts where id = ${id}`,
    );
    expect(account!.status).toBe('deleted');
    expect(account!.deleted_at).toBeTruthy();
    const consents = await rows<{ id: string; withdrawn_at: Date | string | null }>(
      t.database,
      sql`select id, withdrawn_at from consent_records where resident_id = ${id} order by id`,
    );
    expect(consents.map((c) => c.id)).toEqual(['c-old', 'c-open']);
    expect(new Date(consents[0]!.withdrawn_at!).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(consents[1]!.withdrawn_at).toBeTruthy();
    expect((await raw('personal_data_access_log', id)).map((r) => r.id)).toContain('a-1');
    expect((await get(hanako, '/my/profile')).status).toBe(302);
    expect((await t.app.request('/my/account/deleted')).status).toBe(200);
    expect(await raw('resident_data_items', taro.residentId)).toHaveLength(1);
    await expect(t.residents.commands.deleteAccount(id)).rejects.toMatchObject({ status: 404 });
  });
});
