// The staff workspace over HTTP: editors entering only what their department or town owns, sessions
// and the audit trail, e-mail reminders, the structure pages and the data linkage platform's clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { localSmtp } from '../../../test/smtp.ts';
import { staffCommands } from '../../../test/staff-commands.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { verifyAuditChain } from '../../platform/audit.ts';
import { smtpMailer } from '../../platform/mailer.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let roundId: number;

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  const cmd = staffCommands(t);
  const adminId = await http.account('admin', ['prefecture_admin', 'plan_admin']);
  await http.account('dx', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
  await http.account('tourism', ['department_editor'], { department: 'kanko-koryu.kanko-seisaku' });
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hiranai', ['municipality_editor'], { municipalityCode: '02301' });
  const admin = {
    id: adminId,
    name: 'admin',
    roles: ['prefecture_admin' as const, 'plan_admin' as const],
    department: null,
    municipalityCode: null,
  };
  await cmd.assignOwner(admin, 'aomori-dx', 'industry-1-1', { department: 'sogo-seisaku.dx-suishin' });
  await cmd.assignOwner(admin, 'aomori-dx', 'industry-2-3', { department: 'kanko-koryu.kanko-seisaku' });
  const due = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
  roundId = (await cmd.openRound(admin, 'aomori-dx', { label: '2025年7月末時点', asOf: '2025-07-31', dueDate: due })).id;
});
afterAll(() => t.close());

const entries = () => rows(t.database, sql`select indicator_id, value::float as value, status from round_entries order by id`);
const budgets = (code: string) =>
  rows(
    t.database,
    sql`select fiscal_year, amount::float as amount, cell from budget_lines b join plan_nodes n on n.id = b.node_id where n.code = ${code} order by b.id`,
  );

describe('department editors', () => {
  const entry = { value: '150', unit: '件', periodLabel: 'R6年度', source: '総合政策部DX推進課調べ' };

  it('see only their department’s indicators', async () => {
    const html = await (await http.get('tourism', `/staff/rounds/${roundId}`)).text();
    expect(html).toContain('id="i-industry-2-3"');
    expect(html).not.toContain('id="i-industry-1-1"');
  });

  it('cannot change another department’s indicator: 404 and nothing written', async () => {
    const res = await http.post('tourism', `/staff/rounds/${roundId}/indicators/industry-1-1`, entry);
    expect(res.status).toBe(404);
    expect(await entries()).toEqual([]);
  });

  it('enter their own, with validation in Japanese that changes nothing', async () => {
    const bad = await http.post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, { ...entry, unit: '社' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('単位が違います。この指標の単位は「件」です。');
    const early = await http.post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, { ...entry, periodLabel: 'R4年度' });
    expect(await early.text()).toContain('期間は前回の値（R5年度）より後にしてください。');
    expect(await entries()).toEqual([]);
    const ok = await http.post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, entry);
    expect(ok.status).toBe(303);
    expect(await entries()).toEqual([expect.objectContaining({ value: 150, status: 'submitted' })]);
  });

  it('a form without the CSRF token is refused and changes nothing', async () => {
    const before = await entries();
    const res = await http.post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, entry, 'forged');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('不正な送信です');
    expect(await entries()).toEqual(before);
  });
});

describe('municipality editors', () => {
  it('a town’s editor cannot read or change a project it does not lead: 404, nothing written', async () => {
    const before = await budgets('p2');
    expect((await http.get('hiranai', '/staff/projects/2')).status).toBe(404);
    const res = await http.post('hiranai', '/staff/projects/2', {
      y2020: '1',
      y2021: '',
      y2022: '',
      y2023: '',
      y2024: '',
      total: '1',
      reason: 'x',
    });
    expect(res.status).toBe(404);
    expect(await budgets('p2')).toEqual(before);
  });

  it('the lead city’s editor updates budgets; blank and 「－」 stay distinct; bad input changes nothing', async () => {
    expect((await http.get('aomori', '/staff/projects/9')).status).toBe(200);
    const bad = await http.post('aomori', '/staff/projects/9', {
      y2020: '12a',
      y2021: '629',
      y2022: '517',
      y2023: '517',
      y2024: '517',
      total: '2,180',
      reason: '修正',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('2020年度は千円単位の0以上の整数、「－」、または空欄にしてください（「12a」）。');
    const ok = await http.post('aomori', '/staff/projects/9', {
      y2020: '－',
      y2021: '629',
      y2022: '517',
      y2023: '600',
      y2024: '',
      total: '2,263',
      reason: 'R5当初予算の確定',
    });
    expect(ok.status).toBe(303);
    expect(await budgets('p9')).toEqual([
      { fiscal_year: 2020, amount: null, cell: 'dash' },
      { fiscal_year: 2021, amount: 629, cell: 'value' },
      { fiscal_year: 2022, amount: 517, cell: 'value' },
      { fiscal_year: 2023, amount: 600, cell: 'value' },
      { fiscal_year: 2024, amount: null, cell: 'blank' },
      { fiscal_year: null, amount: 2263, cell: 'value' },
    ]);
    const api = (await (await t.app.request('/api/v1/plans/aomori-regional-vision/projects/9')).json()) as any;
    expect(api).toMatchObject({ statedTotal: 2263, computedTotal: 1746, totalDifference: 517 });
  });
});

describe('sessions, sign-in lockout and the audit trail', () => {
  it('without a session the staff pages send you to sign in', async () => {
    const res = await t.app.request('/staff');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/staff/login');
  });

  it('records who changed what, refuses edits, and its hash chain detects tampering', async () => {
    const history = await rows<{ action: string; actor_id: string; reason: string | null }>(
      t.database,
      sql`select action, actor_id, reason from audit_log where entity = 'project' and entity_id = 'p9'`,
    );
    expect(history).toEqual([{ action: 'update_budget', actor_id: http.sessions.aomori!.id, reason: 'R5当初予算の確定' }]);
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: true, brokenAt: null });
    await expect(t.database.db.execute(sql`update audit_log set reason = 'x'`)).rejects.toThrow();
    // Someone with the database owner's rights edits a row behind the application's back:
    await t.database.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await t.database.db.execute(sql`update audit_log set reason = '改ざん' where entity_id = 'p9'`);
    await t.database.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    const report = await verifyAuditChain(t.database.db);
    expect(report.ok).toBe(false);
    expect(report.brokenAt).not.toBeNull();
  });
});

describe('e-mail reminders', () => {
  it('reminds owners who have not submitted, before the due date and when overdue, each once, over SMTP', async () => {
    const smtp = await localSmtp();
    try {
      const mailer = smtpMailer(smtp.url, 'Renkei <no-reply@localhost>');
      const round = (
        await rows<{ due_date: string }>(t.database, sql`select due_date::text from reporting_rounds where id = ${roundId}`)
      )[0]!;
      const dayBefore = new Date(Date.parse(round.due_date) - 86400_000).toISOString().slice(0, 10);
      const dayAfter = new Date(Date.parse(round.due_date) + 86400_000).toISOString().slice(0, 10);
      const opts = { planId: 'aomori-dx', baseUrl: 'http://127.0.0.1:3000' };

      // A mail server that is down: nothing counts as sent, the next run tries again.
      const down = { send: () => Promise.reject(new Error('SMTP down')) };
      await expect(t.workspace.commands.sendReminders(down, { ...opts, today: dayBefore })).rejects.toThrow('SMTP down');
      // DX submitted its indicator; tourism (industry-2-3) has not. Two server processes run the job
      // at the same moment: the reminder goes out once.
      const both = await Promise.all([1, 2].map(() => t.workspace.commands.sendReminders(mailer, { ...opts, today: dayBefore })));
      expect(both.flat()).toEqual([{ to: 'tourism@example.jp', roundId, kind: 'due_soon' }]);
      expect(await t.workspace.commands.sendReminders(mailer, { ...opts, today: dayBefore })).toEqual([]);
      expect(await t.workspace.commands.sendReminders(mailer, { ...opts, today: dayAfter })).toEqual([
        { to: 'tourism@example.jp', roundId, kind: 'overdue' },
      ]);
      expect(smtp.received.map((m) => m.to)).toEqual(['tourism@example.jp', 'tourism@example.jp']);
      const text = smtp.received[1]!.text;
      expect(text).toContain('次の指標の値がまだ提出されていません');
      expect(text).toContain('・県観光SNSフォロワー数');
      expect(text).toContain(`http://127.0.0.1:3000/staff/rounds/${roundId}`);
    } finally {
      await smtp.close();
    }
  });
});

describe('structure pages', () => {
  it('are for administrators only', async () => {
    expect((await http.get('dx', '/staff/structure/aomori-dx')).status).toBe(404);
    expect((await http.get('aomori', '/staff/structure/aomori-regional-vision')).status).toBe(404);
    expect((await http.get('admin', '/staff/structure/aomori-dx')).status).toBe(200);
    expect((await http.get('admin', '/staff/structure/aomori-regional-vision')).status).toBe(200);
  });

  it('change an indicator through the form; bad input gives the message and changes nothing', async () => {
    const target = () =>
      rows(
        t.database,
        sql`select target_value::float as t from indicators i join plan_nodes n on n.id = i.node_id where n.code = 'living-1-1'`,
      );
    const form = {
      name: '教員が授業にＩＣＴを活用して指導する能力',
      unit: '%',
      target: '100',
      targetYear: '',
      direction: 'higher',
      reason: '確認',
    };
    const bad = await http.post('admin', '/staff/structure/aomori-dx/indicators/living-1-1', { ...form, target: '百' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('目標値は数字で入力してください。');
    expect(await target()).toEqual([{ t: 100 }]);
    const ok = await http.post('admin', '/staff/structure/aomori-dx/indicators/living-1-1', { ...form, target: '95' });
    expect(ok.status).toBe(303);
    expect(await target()).toEqual([{ t: 95 }]);
  });

  it('a transcribed version cannot be edited: start a new one first', async () => {
    const res = await http.post('admin', '/staff/structure/aomori-regional-vision/projects/p9/end', { reason: 'x' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('資料から転記した版は変更できません');
  });
});

describe('data linkage platform clients', () => {
  it('only a prefecture administrator sees the page (others get 404)', async () => {
    expect((await http.get('admin', '/staff/broker-clients')).status).toBe(200);
    expect((await http.get('dx', '/staff/broker-clients')).status).toBe(404);
    expect((await http.post('dx', '/staff/broker-clients', { name: 'x', tenants: 'aomori' })).status).toBe(404);
    expect(await (await http.get('dx', '/staff')).text()).not.toContain('/staff/broker-clients');
  });

  it('registers a client and shows its secret once; bad input is refused in Japanese and registers nothing', async () => {
    const clients = () => rows(t.database, sql`select id from oidc_payloads where kind = 'Client' and payload ? 'broker_scope'`);
    const before = (await clients()).length;
    for (const [form, message] of [
      [{ name: '', tenants: 'aomori' }, 'クライアント名を入力してください。'],
      [{ name: 'x', tenants: ' ' }, 'テナントを1つ以上入力してください'],
      [{ name: 'x', tenants: 'aomori, 青森' }, 'テナント名「青森」は英数字'],
      [{ name: 'x', tenants: '', organisation: 'kiki-kanri.bosai-kiki-kanri' }, 'テナントを1つ以上入力してください'],
      [{ name: 'x', tenants: '', organisation: 'no-such-unit', purpose: 'disaster-supporter' }, '組織レジストリにありません'],
    ] as const) {
      const res = await http.post('admin', '/staff/broker-clients', form);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(await clients()).toHaveLength(before);
    const res = await http.post('admin', '/staff/broker-clients', { name: '弘前市 除雪車', tenants: 'hirosaki、default', readOnly: 'on' });
    // redirect after create: a reload of the next page registers nothing more
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/broker-clients/created');
    expect(await res.text()).not.toMatch(/client_secret|[A-Za-z0-9_-]{43}/);
    const shown = await http.get('admin', '/staff/broker-clients/created');
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('ngsi-ld:read:hirosaki ngsi-ld:read');
    expect(html).not.toContain('ngsi-ld:write');
    const secret = /client_secret<\/dt><dd><code>([^<]+)<\/code>/.exec(html)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // exactly once: the reload shows a notice, not the secret, and the session row keeps nothing
    const again = await (await http.get('admin', '/staff/broker-clients/created')).text();
    expect(again).not.toContain(secret);
    expect(again).toContain('一度だけ表示しました');
    expect(await rows(t.database, sql`select 1 from staff_sessions where shown_once is not null`)).toEqual([]);
    expect(await (await http.get('admin', '/staff/broker-clients')).text()).not.toContain(secret);
    expect(await clients()).toHaveLength(before + 1);
    // For the personal tenant: an organisation and a purpose, no tenant.
    const personal = { name: '防災 支援者', tenants: '', organisation: 'kiki-kanri.bosai-kiki-kanri', purpose: 'disaster-supporter' };
    expect((await http.post('admin', '/staff/broker-clients', personal)).status).toBe(303);
    expect(await (await http.get('admin', '/staff/broker-clients/created')).text()).toContain('<code>ngsi-ld:read:personal</code>');
  });

  it('revokes a client only with the confirmation, with an audit entry; a missing CSRF token changes nothing', async () => {
    const [client] = await rows<{ id: string }>(
      t.database,
      sql`select id from oidc_payloads where kind = 'Client' and payload ? 'broker_scope' limit 1`,
    );
    const path = `/staff/broker-clients/${client!.id}/revoke`;
    expect((await http.post('admin', path, { confirm: 'yes' }, 'wrong')).status).toBe(400);
    expect(await rows(t.database, sql`select 1 from oidc_payloads where kind = 'Client' and id = ${client!.id}`)).toHaveLength(1);
    // without the confirmation's button nothing is revoked
    const unconfirmed = await http.post('admin', path, {});
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.get('location')).toBe('/staff/broker-clients');
    expect(await rows(t.database, sql`select 1 from oidc_payloads where kind = 'Client' and id = ${client!.id}`)).toHaveLength(1);
    const res = await http.post('admin', path, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(await rows(t.database, sql`select 1 from oidc_payloads where kind = 'Client' and id = ${client!.id}`)).toHaveLength(0);
    const audit = await rows<{ action: string; actor_id: string }>(
      t.database,
      sql`select action, actor_id from audit_log where entity = 'broker_client' and entity_id = ${client!.id} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
    expect(audit[1]!.actor_id).toBe(http.sessions.admin!.id);
    expect((await http.post('admin', path, { confirm: 'yes' })).status).toBe(404);
  });
});
