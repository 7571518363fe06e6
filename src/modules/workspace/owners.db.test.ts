// /staff/owners: several indicators assigned to one unit in one command (audited per indicator),
// filters, refusals that keep the selection, and the editors of a department entering what its
// sections own. Also the spreadsheet's 担当部局 by name.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let roundId: number;
beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  const id = await http.account('admin', ['prefecture_admin', 'plan_admin']);
  await http.account('dept', ['department_editor'], { department: 'sogo-seisaku' });
  await http.account('tourism', ['department_editor'], { department: 'kanko-koryu.kanko-seisaku' });
  const admin = { id, name: 'admin', roles: ['plan_admin' as const], department: null, municipalityCode: null };
  roundId = (
    await t.workspace.commands.openRound(admin, {
      planId: 'aomori-dx',
      label: '2025年7月末時点',
      asOf: '2025-07-31',
      dueDate: '2099-12-31',
    })
  ).id;
});
afterAll(() => t.close());

const owner = async (code: string) =>
  (
    await rows<{ o: string | null }>(
      t.database,
      sql`select i.owner_department as o from indicators i join plan_nodes n on n.id = i.node_id where n.code = ${code}`,
    )
  )[0]!.o;
const assignAudits = () =>
  rows<{ n: number }>(t.database, sql`select count(*)::int as n from audit_log where action = 'assign_owner'`).then((r) => r[0]!.n);
const three = ['industry-1-1', 'industry-1-2', 'industry-1-3'];
const pick = (codes: string[], department: string): [string, string][] => [
  ...codes.map((c): [string, string] => ['indicators', c]),
  ['department', department],
];

describe('/staff/owners', () => {
  it('assigns three checked indicators to a section at once: one redirect, an audit entry each', async () => {
    const r = await http.post('admin', '/staff/owners?filter=unassigned', pick(three, 'sogo-seisaku.dx-suishin'));
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/staff/owners?filter=unassigned');
    for (const c of three) expect(await owner(c)).toBe('sogo-seisaku.dx-suishin');
    expect(await assignAudits()).toBe(3);
    const html = await (await http.get('admin', '/staff/owners?filter=owner&owner=sogo-seisaku.dx-suishin')).text();
    expect(html).toContain('指標（3件）');
    expect(html).toContain('総合政策部DX推進課');
  });

  it('filters unassigned and by KPI', async () => {
    const unassigned = await (await http.get('admin', '/staff/owners?filter=unassigned')).text();
    expect(unassigned).not.toContain('value="industry-1-1"');
    expect(unassigned).toContain('value="industry-1-4"');
    const kpi = await (await http.get('admin', '/staff/owners?kpi=industry-2')).text();
    expect(kpi).toContain('value="industry-2-1"');
    expect(kpi).not.toContain('value="industry-1-4"');
    expect((await http.get('admin', '/staff/owners?filter=everything')).status).toBe(400);
  });

  it.each([
    ['a retired unit', 'retired', '廃止されています'],
    ['an unknown unit id', 'no-such-unit', '組織一覧の部局・課・市町村から選んでください'],
    ['an oversized id', 'x'.repeat(300), '一覧から選んでください'],
  ])('hostile: %s is refused beside the select, the checked indicators kept, nothing written', async (_label, department, message) => {
    if (department === 'retired') {
      const a = {
        id: http.sessions.admin!.id,
        name: 'admin',
        roles: ['prefecture_admin' as const],
        department: null,
        municipalityCode: null,
      };
      await t.organisations.commands.retireUnit(a, { id: 'keisatsu.keimu' }).catch(() => undefined);
      department = 'keisatsu.keimu';
    }
    const before = await assignAudits();
    const r = await http.post('admin', '/staff/owners', pick(['industry-1-4', 'industry-1-5'], department));
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain(message);
    expect(html).toMatch(/<input type="checkbox" name="indicators" value="industry-1-4" id="o-industry-1-4" checked=""/);
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('<option value="keisatsu.keimu"');
    expect(await owner('industry-1-4')).toBeNull();
    expect(await assignAudits()).toBe(before);
  });

  it('hostile: nothing checked is a field error; an indicator of another plan is 404 and nothing is written', async () => {
    expect((await http.post('admin', '/staff/owners', [['department', 'sogo-seisaku']])).status).toBe(400);
    const before = await assignAudits();
    const r = await http.post('admin', '/staff/owners', pick(['industry-1-4', 'v44'], 'sogo-seisaku'));
    expect(r.status).toBe(404);
    expect(await owner('industry-1-4')).toBeNull();
    expect(await assignAudits()).toBe(before);
    expect((await http.post('admin', '/staff/owners', pick(['industry-1-4'], 'sogo-seisaku'), 'forged')).status).toBe(400);
    expect(await owner('industry-1-4')).toBeNull();
  });

  it('is for administrators only (404 for an editor)', async () => {
    expect((await http.get('dept', '/staff/owners')).status).toBe(404);
    expect((await http.post('dept', '/staff/owners', pick(['industry-1-4'], 'sogo-seisaku'))).status).toBe(404);
  });

  it('the editors of the department (部) enter what its sections own; another department’s do not see it', async () => {
    const dept = await (await http.get('dept', `/staff/rounds/${roundId}`)).text();
    for (const c of three) expect(dept).toContain(`action="/staff/rounds/${roundId}/indicators/${c}"`);
    expect(dept).toContain('<td>総合政策部DX推進課</td>');
    const other = await (await http.get('tourism', `/staff/rounds/${roundId}`)).text();
    expect(other).not.toContain('id="i-industry-1-1"');
  });

  it('lists an owner the registry does not know, for an administrator to fix', async () => {
    await t.database.db.execute(
      sql`update indicators set owner_department = '旧DX推進室' where node_id = (select id from plan_nodes where code = 'industry-3-1')`,
    );
    const html = await (await http.get('admin', '/staff/owners')).text();
    expect(html).toContain('組織一覧にない担当部局: 旧DX推進室');
  });
});

describe('reminders', () => {
  it('go to a department’s editors for what its sections own, naming each owner by its full name', async () => {
    const sent: { to: string; text: string }[] = [];
    const mailer = { send: async (m: { to: string; text: string }) => void sent.push(m) };
    await t.workspace.commands.sendReminders(mailer, { planId: 'aomori-dx', baseUrl: 'http://127.0.0.1:3000', today: '2099-12-30' });
    const toDept = sent.find((m) => m.to === 'dept@example.jp');
    expect(toDept?.text).toContain('（総合政策部DX推進課）');
    expect(toDept?.text.match(/^・/gm)).toHaveLength(3);
    expect(sent.some((m) => m.to === 'tourism@example.jp')).toBe(false);
  });
});

describe('the indicators sheet’s 担当部局', () => {
  const upload = async (edit: (line: string) => string) => {
    const csv = (await (await http.get('admin', '/staff/spreadsheets/indicators/csv')).text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const i = csv.findIndex((l) => l.startsWith('industry-1-5,'));
    csv[i] = edit(csv[i]!);
    const form = new FormData();
    form.set('csrf', http.sessions.admin!.csrf);
    form.set('file', new File([csv.join('\r\n')], 'indicators.csv', { type: 'text/csv' }));
    return t.app.request('/staff/spreadsheets/indicators', {
      method: 'POST',
      headers: { cookie: http.sessions.admin!.cookie },
      body: form,
    });
  };

  it('exports owners by full name', async () => {
    const csv = await (await http.get('admin', '/staff/spreadsheets/indicators/csv')).text();
    expect(csv).toMatch(/\r\nindustry-1-1,[^\r]*,総合政策部DX推進課\r\n/);
  });

  it('a full name as typed is previewed by its full name (and a row keeping an owner the registry does not know is no error)', async () => {
    const r = await upload((l) => l.replace(/,$/, ',観光交流推進部 観光政策課'));
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/<td>担当部局<\/td>\s*<td>（空欄）<\/td>\s*<td>観光交流推進部観光政策課<\/td>/);
  });

  it('an unknown name is an error naming the row and the value; nothing is written', async () => {
    const r = await upload((l) => l.replace(/,$/, ',総合政策部DX推進室'));
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('担当部局「総合政策部DX推進室」は組織一覧にありません');
    expect(html).toMatch(/<td>\d+<\/td>\s*<td>G<\/td>/);
    expect(await owner('industry-1-5')).toBeNull();
  });
});
