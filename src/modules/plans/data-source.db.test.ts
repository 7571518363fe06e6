// An editor's データの出所 travels with the value: from a round's entry to the observation, the new
// publication's snapshot, the public KPI page, the API and the open data; the round stays its 出典.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { staffCommands } from '../../../test/staff-commands.ts';
import type { AppError } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';

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
const dataSource = '観光交流推進部観光政策課「県観光SNS運用実績」';

beforeAll(async () => {
  t = await createTestApp();
  const cmd = staffCommands(t);
  await cmd.assignOwner(admin, 'aomori-dx', 'industry-2-3', { department: editor.department! });
  const round = await cmd.openRound(admin, 'aomori-dx', { label: '2025年7月末時点', asOf: '2025-07-31', dueDate: '2099-12-31' });
  const entry = await cmd.submitEntry(editor, round.id, 'industry-2-3', {
    value: '118,500',
    unit: '人',
    periodLabel: 'R7年7月末時点',
    source: dataSource,
  });
  await cmd.reviewEntry(approver, round.id, entry.id, { decision: 'approve' });
  // Only this indicator has an owner: publishing needs the approver's confirmation that names the rest.
  const refused = await cmd.publishRound(approver, round.id).catch((e: AppError) => e);
  expect(refused).toMatchObject({ code: 'missing_departments' });
  await cmd.publishRound(approver, round.id, { confirmMissing: ((refused as AppError).details as { summary: string }).summary });
});
afterAll(() => t.close());

describe('an entry’s データの出所 after its round is published', () => {
  it('is the observation’s data_source; its 出典 (provenance) is the round', async () => {
    const [o] = await rows<{ data_source: string | null; provenance: string }>(
      t.database,
      sql`select o.data_source, o.provenance from observations o join plan_nodes n on n.id = o.indicator_id
          where n.code = 'industry-2-3' and o.period_label = 'R7年7月末時点'`,
    );
    expect(o).toEqual({ data_source: dataSource, provenance: '報告ラウンド「2025年7月末時点」で承認された値' });
  });

  it('is in the new publication’s snapshot (version 3) with the value; older values have none', async () => {
    const [p] = await rows<{ snapshot: any }>(t.database, sql`select snapshot from publications where as_of = '2025-07-31'`);
    expect(p!.snapshot.version).toBe(3);
    const i = p!.snapshot.kpis.find((k: any) => k.code === 'industry-2').indicators.find((x: any) => x.code === 'industry-2-3');
    expect(i.latest).toMatchObject({ value: 118500, source: dataSource });
    expect(i.previous.source).toBeNull();
  });

  it('is shown with the figure on the public KPI page, and not on the older publication’s', async () => {
    const row = async (path: string) => {
      const html = await (await t.app.request(path)).text();
      const table = /<table class="indicators">[\s\S]*?<\/table>/.exec(html)![0];
      return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => r[1]!).find((r) => r.includes('県観光SNSフォロワー数'))!;
    };
    const latest = await row('/plans/aomori-dx/kpis/industry-2');
    expect(latest).toContain('118,500人');
    expect(latest).toContain(`<td>${dataSource}<span class="period">（R7年7月末時点の値）</span></td>`);
    expect(await row('/plans/aomori-dx/kpis/industry-2?asOf=2025-01-31')).not.toContain(dataSource);
  });

  it('is in the API and the open data', async () => {
    const kpi = (await (await t.app.request('/api/v1/plans/aomori-dx/kpis/industry-2')).json()) as any;
    const i = kpi.indicators.find((x: any) => x.code === 'industry-2-3');
    expect(i).toMatchObject({ latestSource: dataSource, previousSource: null });
    expect(i.source).not.toBe(dataSource);
    const records = (await (await t.app.request('/opendata/aomori-dx/indicators.json')).json()) as any[];
    expect(records.find((r) => r.indicator_code === 'industry-2-3')).toMatchObject({ latest_source: dataSource, previous_source: null });
    const older = (await (await t.app.request('/api/v1/plans/aomori-dx/kpis/industry-2?asOf=2025-01-31')).json()) as any;
    expect(older.indicators.find((x: any) => x.code === 'industry-2-3').latestSource).toBeNull();
  });
});
