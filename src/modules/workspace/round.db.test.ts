// The review loop of a reporting round, through the commands: return with a comment, resubmit,
// approve, and a publication only when everything is approved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { staffCommands } from '../../../test/staff-commands.ts';
import type { Actor } from '../identity/index.ts';
import type { AppError } from '../../platform/errors.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
const admin: Actor = { id: 'admin', name: '管理者', roles: ['plan_admin'], department: null, municipalityCode: null };
const editor: Actor = {
  id: 'editor',
  name: '編集者',
  roles: ['department_editor'],
  department: 'kanko-koryu.kanko-seisaku',
  municipalityCode: null,
};
const approver: Actor = { id: 'approver', name: '承認者', roles: ['approver'], department: null, municipalityCode: null };
let roundId: number;
let cmd: ReturnType<typeof staffCommands>;

beforeAll(async () => {
  t = await createTestApp();
  cmd = staffCommands(t);
  await cmd.assignOwner(admin, 'aomori-dx', 'industry-2-3', { department: editor.department! });
  roundId = (await cmd.openRound(admin, 'aomori-dx', { label: '2025年7月末時点', asOf: '2025-07-31', dueDate: '2099-12-31' })).id;
});
afterAll(() => t.close());

const entry = { value: '120,000', unit: '人', periodLabel: 'R7年7月末時点', source: '観光交流推進部観光政策課調べ' };

describe('a round’s review loop', () => {
  it('only administrators open rounds, one at a time', async () => {
    await expect(cmd.openRound(admin, 'aomori-dx', { label: 'x', asOf: '2025-12-31', dueDate: '2099-12-31' })).rejects.toMatchObject({
      code: 'round_open',
    });
    await expect(cmd.openRound(editor, 'aomori-dx', { label: 'x', asOf: '2025-12-31', dueDate: '2099-12-31' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('returns with a required comment; the owner resubmits; then approval and publication', async () => {
    const first = await cmd.submitEntry(editor, roundId, 'industry-2-3', entry);
    expect(first).toMatchObject({ value: 120000, status: 'submitted' });
    await expect(cmd.reviewEntry(approver, roundId, first.id, { decision: 'return' })).rejects.toMatchObject({
      message: '審査: 差し戻す理由を入力してください。',
    });
    await cmd.reviewEntry(approver, roundId, first.id, { decision: 'return', comment: '出典の時点を確認してください' });
    await expect(cmd.publishRound(approver, roundId)).rejects.toMatchObject({ code: 'entries_pending' });

    const second = await cmd.submitEntry(editor, roundId, 'industry-2-3', { ...entry, value: '118,500' });
    expect(second).toMatchObject({ id: first.id, value: 118500, status: 'submitted', reviewComment: null });
    await cmd.reviewEntry(approver, roundId, second.id, { decision: 'approve' });
    await expect(cmd.submitEntry(editor, roundId, 'industry-2-3', entry)).rejects.toMatchObject({ code: 'entry_approved' });
    await expect(cmd.publishRound(editor, roundId)).rejects.toMatchObject({ status: 404 });
    // Only 観光政策課 was asked: the other indicators have no owner, and publishing says so.
    const refused = await cmd.publishRound(approver, roundId).catch((e: AppError) => e);
    expect(refused).toMatchObject({
      status: 409,
      code: 'missing_departments',
      message: expect.stringMatching(
        /^未提出の部局（担当部局が未設定の指標29件: 県内企業のデジタル化・DX支援件数.*ほか24件）があります。このまま公表するには「未提出の部局（…）があることを確認しました」にチェックしてください。$/,
      ),
    });
    const summary = ((refused as AppError).details as { summary: string }).summary;
    await expect(cmd.publishRound(approver, roundId, { confirmMissing: 'その他' })).rejects.toMatchObject({
      code: 'missing_departments',
      message: expect.stringContaining('確認した後に内容が変わりました'),
    });
    await cmd.publishRound(approver, roundId, { confirmMissing: summary });

    const kpi = (await (await t.app.request('/api/v1/plans/aomori-dx/kpis/industry-2')).json()) as any;
    const sns = kpi.indicators.find((i: any) => i.code === 'industry-2-3');
    // 118,500 ÷ 150,000 = 79.0%; the previous value becomes R7年1月末時点's 99,658
    expect(sns.latest).toEqual({ value: 118500, period: 'R7年7月末時点', rate: 79, computedRate: 79 });
    expect(sns.previous).toMatchObject({ value: 99658, period: 'R7年1月末時点' });
    // (40.0 + 70.4 + 79.0 + 30.0) ÷ 4 = 54.85 → 54.9; published before: 51.7
    expect(kpi).toMatchObject({ index: 54.9, previousIndex: 51.7, change: 3.2 });
    const actions = await rows<{ action: string }>(t.database, sql`select action from audit_log order by id`);
    expect(actions.map((a) => a.action)).toEqual([
      'assign_owner',
      'open_round',
      'submit_entry',
      'return_entry',
      'submit_entry',
      'approve_entry',
      'publish_round',
    ]);
  });
});

describe('entry as typed', () => {
  let roundId: number;
  let entryId: number;
  it('reads numbers as typed on a Japanese keyboard, and refuses decimals for a count', async () => {
    const other = { ...editor, id: 'editor-2' };
    roundId = (await cmd.openRound(admin, 'aomori-dx', { label: '2026年1月末時点', asOf: '2026-01-31', dueDate: '2099-12-31' })).id;
    await cmd.assignOwner(admin, 'aomori-dx', 'industry-1-1', { department: editor.department! });
    // 県内企業のデジタル化・DX支援件数 counts 件: 12.5件 is no count.
    await expect(cmd.submitEntry(other, roundId, 'industry-1-1', { ...entry, unit: '件', value: '１２．５' })).rejects.toMatchObject({
      status: 400,
      details: { field: 'value' },
      message: expect.stringContaining('小数は入力できません'),
    });
    await expect(cmd.submitEntry(other, roundId, 'industry-1-1', { ...entry, unit: '件', value: '12件' })).rejects.toMatchObject({
      details: { field: 'value' },
      message: expect.stringContaining('値は数字で入力してください'),
    });
    await expect(cmd.submitEntry(other, roundId, 'industry-1-1', { ...entry, unit: '人' })).rejects.toMatchObject({
      details: { field: 'unit' },
    });
    const e = await cmd.submitEntry(other, roundId, 'industry-1-1', { ...entry, unit: '件', value: '　１，２３４ ' });
    expect(e).toMatchObject({ value: 1234, status: 'submitted' });
    entryId = e.id;
  });

  it('publishing with a department missing needs the confirmation naming it, checked in the transaction', async () => {
    const round = roundId;
    await cmd.reviewEntry(approver, round, entryId, { decision: 'approve' });
    await cmd.assignOwner(admin, 'aomori-dx', 'industry-1-2', { department: 'sogo-seisaku.dx-suishin' });
    const refused = (await cmd.publishRound(approver, round).catch((x: AppError) => x)) as AppError;
    expect(refused.message).toMatch(
      /^未提出の部局（総合政策部DX推進課（1件）、観光交流推進部観光政策課（1件）／担当部局が未設定の指標27件: /,
    );
    const { summary } = refused.details as { summary: string };
    // An owner assigned after the page was shown: the confirmation no longer names what is missing.
    await cmd.assignOwner(admin, 'aomori-dx', 'industry-1-3', { department: 'sogo-seisaku.dx-suishin' });
    await expect(cmd.publishRound(approver, round, { confirmMissing: summary })).rejects.toMatchObject({ code: 'missing_departments' });
    const now = ((await cmd.publishRound(approver, round).catch((x: AppError) => x)) as AppError).details as { summary: string };
    expect(now.summary).toMatch(/^総合政策部DX推進課（2件）、観光交流推進部観光政策課（1件）／担当部局が未設定の指標26件: /);
    expect(await cmd.publishRound(approver, round, { confirmMissing: now.summary })).toEqual(expect.any(Number));
  });
});
