// /staff/organisations over HTTP: prefecture administrators only, field errors beside the field
// with what was typed, a redirect after every change, CSRF checked.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  await http.account('admin', ['prefecture_admin']);
  await http.account('plan', ['plan_admin']);
  await http.account('dx', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
});
afterAll(() => t.close());

const units = () => rows<{ n: number }>(t.database, sql`select count(*)::int as n from organisation_units`).then((r) => r[0]!.n);

describe('/staff/organisations', () => {
  it('shows departments with their sections and the 40 municipalities to a prefecture administrator', async () => {
    const r = await http.get('admin', '/staff/organisations');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('総合政策部 › DX推進課');
    expect(html).toContain('青森市（02201）');
    expect(html).toContain('市町村（40）');
  });

  it.each(['plan', 'dx'])('is not there for a %s account (404), nor are its forms', async (key) => {
    expect((await http.get(key, '/staff/organisations')).status).toBe(404);
    const before = await units();
    expect((await http.post(key, '/staff/organisations', { name: '新しい部' })).status).toBe(404);
    expect((await http.post(key, '/staff/organisations/somu.jinji/retire', {})).status).toBe(404);
    expect(await units()).toBe(before);
  });

  it('adds a section and redirects; a duplicate as typed is refused beside the name, with the input kept', async () => {
    const r = await http.post('admin', '/staff/organisations', { parentId: 'kanko-koryu', name: '国際観光課' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/staff/organisations');
    expect(await t.organisations.queries.units('section')).toContainEqual(
      expect.objectContaining({ fullName: '観光交流推進部国際観光課' }),
    );
    const before = await units();
    const dup = await http.post('admin', '/staff/organisations', { parentId: 'sogo-seisaku', name: 'ＤＸ推進課' });
    expect(dup.status).toBe(400);
    const html = await dup.text();
    expect(html).toContain('同じ名前の組織「DX推進課」がすでにあります');
    expect(html).toMatch(
      /<input name="name" required="" maxlength="50" value="ＤＸ推進課" aria-invalid="true" aria-describedby="err-add"\/>/,
    );
    expect(html).toMatch(/<option value="sogo-seisaku" selected="">総合政策部<\/option>/);
    expect(await units()).toBe(before);
  });

  it('renames, retires and restores; a refused rename keeps what was typed in that row', async () => {
    expect((await http.post('admin', '/staff/organisations/zaimu.zaisei/rename', { name: '財政課（予算）' })).status).toBe(303);
    expect((await t.organisations.queries.unit('zaimu.zaisei'))?.name).toBe('財政課（予算）');
    const bad = await http.post('admin', '/staff/organisations/zaimu.zaisei/rename', { name: '課\u0007' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="err-rename-zaimu.zaisei"');
    expect((await http.post('admin', '/staff/organisations/zaimu.zaisei/retire', {})).status).toBe(303);
    expect(await (await http.get('admin', '/staff/organisations')).text()).toContain(
      '財務部 › 財政課（予算）<span class="badge">廃止</span>',
    );
    expect((await http.post('admin', '/staff/organisations/zaimu.zaisei/restore', {})).status).toBe(303);
    const refused = await http.post('admin', '/staff/organisations/zaimu/retire', {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('廃止されていない課（財政課（予算））があります');
  });

  it('hostile: an unknown id is 404, a missing CSRF token changes nothing', async () => {
    expect((await http.post('admin', '/staff/organisations/no-such-unit/retire', {})).status).toBe(404);
    expect((await http.post('admin', '/staff/organisations/%00/rename', { name: 'x' })).status).toBe(404);
    const before = await units();
    const r = await http.post('admin', '/staff/organisations', { name: '偽の部', csrf: 'forged' });
    expect(r.status).toBe(400);
    expect(await units()).toBe(before);
  });
});
