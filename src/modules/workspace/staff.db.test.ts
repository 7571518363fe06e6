import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { smtpMailer } from '../../platform/mailer.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { verifyAuditChain } from '../../platform/audit.ts';
import { createAccount } from '../identity/index.ts';
import { insertSession } from './repository.ts';
import { staffCommands } from '../../../test/staff-commands.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let roundId: number;
const sessions: Record<string, { cookie: string; csrf: string; id: string }> = {};

async function account(key: string, roles: string[], extra: { department?: string; municipalityCode?: string } = {}) {
  const a = await createAccount(t.database.db, {
    email: `${key}@example.jp`,
    name: key,
    password: 'a long enough password',
    roles,
    ...extra,
  });
  const sid = randomBytes(16).toString('hex');
  const csrf = randomBytes(16).toString('hex');
  await insertSession(t.database.db, { id: sid, accountId: a.id, csrf, expiresAt: new Date(Date.now() + 3600_000) });
  sessions[key] = { cookie: `renkei_staff=${sid}`, csrf, id: a.id };
  return a.id;
}

const post = (key: string, path: string, form: Record<string, string>, csrf = sessions[key]!.csrf) =>
  t.app.request(path, {
    method: 'POST',
    headers: { cookie: sessions[key]!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, ...form }).toString(),
  });
const get = (key: string, path: string) => t.app.request(path, { headers: { cookie: sessions[key]!.cookie } });

beforeAll(async () => {
  t = await createTestApp();
  const cmd = staffCommands(t);
  const adminId = await account('admin', ['prefecture_admin', 'plan_admin']);
  await account('dx', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
  await account('tourism', ['department_editor'], { department: 'kanko-koryu.kanko-seisaku' });
  await account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await account('hiranai', ['municipality_editor'], { municipalityCode: '02301' });
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
    const html = await (await get('tourism', `/staff/rounds/${roundId}`)).text();
    expect(html).toContain('id="i-industry-2-3"');
    expect(html).not.toContain('id="i-industry-1-1"');
  });

  it('cannot change another department’s indicator: 404 and nothing written', async () => {
    const res = await post('tourism', `/staff/rounds/${roundId}/indicators/industry-1-1`, entry);
    expect(res.status).toBe(404);
    expect(await entries()).toEqual([]);
  });

  it('enter their own, with validation in Japanese that changes nothing', async () => {
    const bad = await post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, { ...entry, unit: '社' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('単位が違います。この指標の単位は「件」です。');
    const early = await post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, { ...entry, periodLabel: 'R4年度' });
    expect(await early.text()).toContain('期間は前回の値（R5年度）より後にしてください。');
    expect(await entries()).toEqual([]);
    const ok = await post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, entry);
    expect(ok.status).toBe(303);
    expect(await entries()).toEqual([expect.objectContaining({ value: 150, status: 'submitted' })]);
  });

  it('a form without the CSRF token is refused and changes nothing', async () => {
    const before = await entries();
    const res = await post('dx', `/staff/rounds/${roundId}/indicators/industry-1-1`, entry, 'forged');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('不正な送信です');
    expect(await entries()).toEqual(before);
  });
});

describe('municipality editors', () => {
  it('a town’s editor cannot read or change a project it does not lead: 404, nothing written', async () => {
    const before = await budgets('p2');
    expect((await get('hiranai', '/staff/projects/2')).status).toBe(404);
    const res = await post('hiranai', '/staff/projects/2', {
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
    expect((await get('aomori', '/staff/projects/9')).status).toBe(200);
    const bad = await post('aomori', '/staff/projects/9', {
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
    const ok = await post('aomori', '/staff/projects/9', {
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
    expect(history).toEqual([{ action: 'update_budget', actor_id: sessions.aomori!.id, reason: 'R5当初予算の確定' }]);
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

describe('spreadsheets', () => {
  const upload = async (key: string, name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.set('csrf', sessions[key]!.csrf);
    form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
    return t.app.request('/staff/spreadsheets/budgets', { method: 'POST', headers: { cookie: sessions[key]!.cookie }, body: form });
  };
  const allBudgets = () =>
    rows(
      t.database,
      sql`select node_id, fiscal_year, amount::float as amount, cell from budget_lines order by node_id, fiscal_year nulls last`,
    );

  it('an exported XLSX, edited and imported back, produces exactly the edited change', async () => {
    const exported = new Uint8Array(await (await get('aomori', '/staff/spreadsheets/budgets/xlsx')).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([
      undefined,
      '事業コード',
      '事業番号',
      '事業名',
      '2020年度',
      '2021年度',
      '2022年度',
      '2023年度',
      '2024年度',
      '計',
    ]);
    const row = ws.getRow(21); // No.20 在宅医療・介護連携推進事業
    expect(row.getCell(2).value).toBe(20);
    row.getCell(8).value = 300; // 2024年度 289 -> 300
    const edited = new Uint8Array(await wb.xlsx.writeBuffer());
    const before = await allBudgets();

    const preview = await upload('aomori', 'budgets.xlsx', edited);
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(html).toContain('（1行）');
    const payload = /name="payload" value="([^"]*)"/
      .exec(html)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    const signature = /name="signature" value="([^"]*)"/.exec(html)![1]!;
    expect(await allBudgets()).toEqual(before); // a preview changes nothing

    const forged = await post('aomori', '/staff/spreadsheets/budgets/apply', { payload: payload.replace('300', '999'), signature });
    expect(forged.status).toBe(400);
    const applied = await post('aomori', '/staff/spreadsheets/budgets/apply', { payload, signature });
    expect(applied.status).toBe(303);
    const after = await allBudgets();
    const changed = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i]));
    expect(changed).toEqual([expect.objectContaining({ fiscal_year: 2024, amount: 300, cell: 'value' })]);
  });

  it('a file with one bad row is rejected whole, naming the row and column', async () => {
    const csv = new TextDecoder().decode(new Uint8Array(await (await get('aomori', '/staff/spreadsheets/budgets/csv')).arrayBuffer()));
    const lines = csv.split('\r\n');
    lines[3] = lines[3]!.replace(/,([^,]*)$/, ',99999'); // row 4: a changed total — a valid change
    lines[6] = lines[6]!
      .split(',')
      .map((v, i) => (i === 5 ? '12万' : v))
      .join(','); // row 7, column F: not a number
    const before = await allBudgets();
    const res = await upload('aomori', 'budgets.csv', new TextEncoder().encode(lines.join('\r\n')));
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('このファイルには誤りが1件あります。ファイル全体を取り込みませんでした。');
    expect(html).toMatch(/<td>7<\/td><td>F<\/td><td>2022年度は千円単位の0以上の整数、「－」、または空欄にしてください（「12万」）。<\/td>/);
    expect(await allBudgets()).toEqual(before);
  });

  it('exports only the projects the staff member may edit', async () => {
    const res = await get('hiranai', '/staff/spreadsheets/budgets/csv');
    expect((await res.text()).trim().split('\r\n')).toHaveLength(1);
  });
});

/** The text of a single-part message as nodemailer encodes it (base64 or quoted-printable). */
function decodeBody(raw: string): string {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  if (/content-transfer-encoding: base64/i.test(head!)) return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding: quoted-printable/i.test(head!)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

describe('e-mail reminders', () => {
  it('reminds owners who have not submitted, before the due date and when overdue, each once, over SMTP', async () => {
    const received: { to: string; subject: string; body: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: raw, body: raw });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, 'Renkei <no-reply@localhost>');
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
      expect(received.map((m) => m.to)).toEqual(['tourism@example.jp', 'tourism@example.jp']);
      const text = decodeBody(received[1]!.body);
      expect(text).toContain('次の指標の値がまだ提出されていません');
      expect(text).toContain('・県観光SNSフォロワー数');
      expect(text).toContain(`http://127.0.0.1:3000/staff/rounds/${roundId}`);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe('structure pages', () => {
  it('are for administrators only', async () => {
    expect((await get('dx', '/staff/structure/aomori-dx')).status).toBe(404);
    expect((await get('aomori', '/staff/structure/aomori-regional-vision')).status).toBe(404);
    expect((await get('admin', '/staff/structure/aomori-dx')).status).toBe(200);
    expect((await get('admin', '/staff/structure/aomori-regional-vision')).status).toBe(200);
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
    const bad = await post('admin', '/staff/structure/aomori-dx/indicators/living-1-1', { ...form, target: '百' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('目標値は数字で入力してください。');
    expect(await target()).toEqual([{ t: 100 }]);
    const ok = await post('admin', '/staff/structure/aomori-dx/indicators/living-1-1', { ...form, target: '95' });
    expect(ok.status).toBe(303);
    expect(await target()).toEqual([{ t: 95 }]);
  });

  it('a transcribed version cannot be edited: start a new one first', async () => {
    const res = await post('admin', '/staff/structure/aomori-regional-vision/projects/p9/end', { reason: 'x' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('資料から転記した版は変更できません');
  });
});

describe('spreadsheets of indicators and projects', () => {
  const uploadAndApply = async (key: string, dataset: string, name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.set('csrf', sessions[key]!.csrf);
    form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
    const preview = await t.app.request(`/staff/spreadsheets/${dataset}`, {
      method: 'POST',
      headers: { cookie: sessions[key]!.cookie },
      body: form,
    });
    const html = await preview.text();
    if (preview.status !== 200) return { status: preview.status, html };
    const payload = /name="payload" value="([^"]*)"/
      .exec(html)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    const signature = /name="signature" value="([^"]*)"/.exec(html)![1]!;
    const applied = await post(key, `/staff/spreadsheets/${dataset}/apply`, { payload, signature });
    return { status: applied.status, html };
  };

  it('indicators: an administrator changes a target and an owner through CSV (the owner by its full name, as typed)', async () => {
    const csv = await (await get('admin', '/staff/spreadsheets/indicators/csv')).text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('指標コード,KPI,指標名,単位,目標値,目標年,担当部局');
    const i = lines.findIndex((l) => l.startsWith('industry-1-5,'));
    lines[i] = lines[i]!.replace(/,150,,$/, ',200,,総合政策部ＤＸ推進課');
    const r = await uploadAndApply('admin', 'indicators', 'indicators.csv', new TextEncoder().encode(lines.join('\r\n')));
    expect(r.status).toBe(303);
    expect(r.html).toContain('（1行）');
    const [row] = await rows(
      t.database,
      sql`select target_value::float as t, owner_department from indicators i join plan_nodes n on n.id = i.node_id where n.code = 'industry-1-5'`,
    );
    expect(row).toEqual({ t: 200, owner_department: 'sogo-seisaku.dx-suishin' });
  });

  it('indicators: a row without a name is rejected with its row and column; editors get no rows', async () => {
    const csv = (await (await get('admin', '/staff/spreadsheets/indicators/csv')).text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    csv[2] = csv[2]!
      .split(',')
      .map((v, k) => (k === 2 ? '' : v))
      .join(',');
    const r = await uploadAndApply('admin', 'indicators', 'x.csv', new TextEncoder().encode(csv.join('\r\n')));
    expect(r.status).toBe(400);
    expect(r.html).toMatch(/<td>3<\/td><td>C<\/td><td>指標名を入力してください。<\/td>/);
    expect((await (await get('dx', '/staff/spreadsheets/indicators/csv')).text()).trim().split('\r\n')).toHaveLength(1);
  });

  it('projects: the lead city’s editor renames a project through XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await (await get('aomori', '/staff/spreadsheets/projects/xlsx')).arrayBuffer()) as ArrayBuffer);
    const row = wb.worksheets[0]!.getRow(19); // No.18
    expect(row.getCell(2).value).toBe(18);
    row.getCell(3).value = '大学連携推進事業（改称）';
    const r = await uploadAndApply('aomori', 'projects', 'projects.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(r.status).toBe(303);
    const api = (await (await t.app.request('/api/v1/plans/aomori-regional-vision/projects/18')).json()) as any;
    expect(api.name).toBe('大学連携推進事業（改称）');
  });
});

describe('data linkage platform clients', () => {
  it('only a prefecture administrator sees the page (others get 404)', async () => {
    expect((await get('admin', '/staff/broker-clients')).status).toBe(200);
    expect((await get('dx', '/staff/broker-clients')).status).toBe(404);
    expect((await post('dx', '/staff/broker-clients', { name: 'x', tenants: 'aomori' })).status).toBe(404);
    expect(await (await get('dx', '/staff')).text()).not.toContain('/staff/broker-clients');
  });

  it('registers a client and shows its secret once; bad input is refused in Japanese and registers nothing', async () => {
    const clients = () => rows(t.database, sql`select id from oidc_payloads where kind = 'Client' and payload ? 'broker_scope'`);
    const before = (await clients()).length;
    for (const [form, message] of [
      [{ name: '', tenants: 'aomori' }, 'クライアント名を入力してください。'],
      [{ name: 'x', tenants: ' ' }, 'テナントを1つ以上入力してください'],
      [{ name: 'x', tenants: 'aomori, 青森' }, 'テナント名「青森」は英数字'],
    ] as const) {
      const res = await post('admin', '/staff/broker-clients', form);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(await clients()).toHaveLength(before);
    const res = await post('admin', '/staff/broker-clients', { name: '弘前市 除雪車', tenants: 'hirosaki、default', readOnly: 'on' });
    // redirect after create: a reload of the next page registers nothing more
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/broker-clients/created');
    expect(await res.text()).not.toMatch(/client_secret|[A-Za-z0-9_-]{43}/);
    const shown = await get('admin', '/staff/broker-clients/created');
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('ngsi-ld:read:hirosaki ngsi-ld:read');
    expect(html).not.toContain('ngsi-ld:write');
    const secret = /client_secret<\/dt><dd><code>([^<]+)<\/code>/.exec(html)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // exactly once: the reload shows a notice, not the secret, and the session row keeps nothing
    const again = await (await get('admin', '/staff/broker-clients/created')).text();
    expect(again).not.toContain(secret);
    expect(again).toContain('一度だけ表示しました');
    expect(await rows(t.database, sql`select 1 from staff_sessions where shown_once is not null`)).toEqual([]);
    expect(await (await get('admin', '/staff/broker-clients')).text()).not.toContain(secret);
    expect(await clients()).toHaveLength(before + 1);
  });

  it('revokes a client only with the confirmation, with an audit entry; a missing CSRF token changes nothing', async () => {
    const [client] = await rows<{ id: string }>(
      t.database,
      sql`select id from oidc_payloads where kind = 'Client' and payload ? 'broker_scope' limit 1`,
    );
    const path = `/staff/broker-clients/${client!.id}/revoke`;
    expect((await post('admin', path, { confirm: 'yes' }, 'wrong')).status).toBe(400);
    expect(await rows(t.database, sql`select 1 from oidc_payloads where kind = 'Client' and id = ${client!.id}`)).toHaveLength(1);
    // without the confirmation's button nothing is revoked
    const unconfirmed = await post('admin', path, {});
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.get('location')).toBe('/staff/broker-clients');
    expect(await rows(t.database, sql`select 1 from oidc_payloads where kind = 'Client' and id = ${client!.id}`)).toHaveLength(1);
    const res = await post('admin', path, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(await rows(t.database, sql`select 1 from oidc_payloads where kind = 'Client' and id = ${client!.id}`)).toHaveLength(0);
    const audit = await rows<{ action: string; actor_id: string }>(
      t.database,
      sql`select action, actor_id from audit_log where entity = 'broker_client' and entity_id = ${client!.id} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
    expect(audit[1]!.actor_id).toBe(sessions.admin!.id);
    expect((await post('admin', path, { confirm: 'yes' })).status).toBe(404);
  });
});
