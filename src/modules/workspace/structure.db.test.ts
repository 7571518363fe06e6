import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { createAccount } from '../identity/index.ts';
import { staffCommands } from '../../../test/staff-commands.ts';
import type { Actor } from '../identity/index.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let admin: Actor;
let cmd: ReturnType<typeof staffCommands>;
const editor: Actor = { id: 'e', name: 'editor', roles: ['department_editor'], department: '総合政策部DX推進課', municipalityCode: null };

beforeAll(async () => {
  t = await createTestApp();
  cmd = staffCommands(t);
  const a = await createAccount(t.database.db, {
    email: 'admin@example.jp',
    name: '管理者',
    password: 'a long enough password',
    roles: ['plan_admin'],
  });
  admin = { id: a.id, name: '管理者', roles: ['plan_admin'], department: null, municipalityCode: null };
});
afterAll(() => t.close());

const publicationCount = async () => (await rows<{ n: number }>(t.database, sql`select count(*)::int as n from publications`))[0]!.n;

describe('structure editing of the DX plan', () => {
  it('changes an indicator’s target; bad input and other roles change nothing', async () => {
    const input = {
      name: 'スマート農業機械の導入台数',
      unit: '台',
      target: '3,500',
      targetYear: '2028',
      direction: 'higher',
      reason: '目標の上方修正',
    };
    await expect(cmd.editIndicator(editor, 'aomori-dx', 'industry-2-2', input)).rejects.toMatchObject({ status: 404 });
    await expect(cmd.editIndicator(admin, 'aomori-dx', 'industry-2-2', { ...input, target: '三千' })).rejects.toMatchObject({
      status: 400,
      message: '指標: 目標値は数字で入力してください。',
    });
    await cmd.editIndicator(admin, 'aomori-dx', 'industry-2-2', input);
    const [row] = await rows(
      t.database,
      sql`select target_value::float as target, target_year from indicators i join plan_nodes n on n.id = i.node_id where n.code = 'industry-2-2'`,
    );
    expect(row).toEqual({ target: 3500, target_year: 2028 });
  });

  it('renames a KPI and its components text', async () => {
    await cmd.renameNode(admin, 'aomori-dx', 'living-2', {
      name: '安全・安心な社会の実現',
      components: '遠隔医療など',
      reason: '名称整理',
    });
    const [row] = await rows(t.database, sql`select name, description from plan_nodes where code = 'living-2'`);
    expect(row).toEqual({ name: '安全・安心な社会の実現', description: '遠隔医療など' });
    await expect(cmd.renameNode(admin, 'aomori-dx', 'living-2-1', { name: 'x', reason: 'x' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('adds a KPI and an indicator under it, numbered after their siblings', async () => {
    const kpi = await cmd.addNode(admin, 'aomori-dx', {
      kind: 'kpi',
      parent: 'industry',
      name: '観光DXの推進状況',
      reason: '追加',
    });
    expect(kpi).toBe('industry-4');
    const ind = await cmd.addNode(admin, 'aomori-dx', {
      kind: 'indicator',
      parent: kpi,
      name: '観光アプリの利用者数',
      unit: '人',
      target: '10000',
      targetYear: '',
      direction: 'higher',
      reason: '追加',
    });
    expect(ind).toBe('industry-4-1');
    await expect(
      cmd.addNode(admin, 'aomori-dx', {
        kind: 'indicator',
        parent: 'industry',
        name: 'x',
        unit: '人',
        target: '1',
        targetYear: '',
        direction: 'higher',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('retires an indicator: it leaves the current plan, and the publication stays as it was', async () => {
    const before = await publicationCount();
    const published = (await (await t.app.request('/api/v1/plans/aomori-dx/kpis/industry-3')).json()) as any;
    await cmd.retire(admin, 'aomori-dx', 'industry-3-2', { reason: '統計の廃止' });
    expect(await publicationCount()).toBe(before);
    const after = (await (await t.app.request('/api/v1/plans/aomori-dx/kpis/industry-3')).json()) as any;
    expect(after.indicators).toEqual(published.indicators); // the published snapshot is unchanged
    const current = await rows(t.database, sql`select retired_reason from plan_nodes where code = 'industry-3-2'`);
    expect(current).toEqual([{ retired_reason: '統計の廃止' }]);
  });
});

describe('a new revision of the regional vision', () => {
  it('starts from the current version and records what is added and ended, leaving older versions as they were', async () => {
    await expect(
      cmd.addProject(admin, 'aomori-regional-vision', { number: 56, name: 'x', category: 'category-3-1-6', reason: 'x' }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await cmd.startRevision(admin, 'aomori-regional-vision', { code: 'v2026', label: '変更（2026年度）', reason: '年次見直し' });
    await cmd.addProject(admin, 'aomori-regional-vision', {
      number: 56,
      name: '広域防災訓練事業',
      category: 'category-3-1-6',
      description: '○合同訓練を行う。',
      reason: '新規',
    });
    await expect(
      cmd.addProject(admin, 'aomori-regional-vision', { number: 56, name: 'dup', category: 'category-3-1-6', reason: 'x' }),
    ).rejects.toMatchObject({ status: 409 });
    await cmd.endProject(admin, 'aomori-regional-vision', 'p3', { reason: 'NO.4に統合済み' });
    await cmd.setProjectPartners(admin, 'aomori-regional-vision', 'p9', {
      partners: ['02301', '02303'],
      reason: '参加町村の変更',
    });

    const versions = (await (await t.app.request('/api/v1/plans/aomori-regional-vision/versions')).json()) as any;
    expect(versions.current).toBe('v2026');
    const now = (await (await t.app.request('/api/v1/plans/aomori-regional-vision/projects')).json()) as any;
    expect(now.projects).toHaveLength(55); // 55 + 1 added − 1 ended
    expect(now.projects.find((p: any) => p.number === 56)).toMatchObject({ name: '広域防災訓練事業', flags: ['新規'] });
    expect(now.projects.find((p: any) => p.number === 9).partners.map((m: any) => m.code)).toEqual(['02301', '02303']);
    const old = (await (await t.app.request('/api/v1/plans/aomori-regional-vision/projects?version=v55')).json()) as any;
    expect(old.projects).toHaveLength(55);
    expect(old.projects.find((p: any) => p.number === 3).name).toBe('中小事業者ビジネスサポート事業');
    const diff = await (await t.app.request('/plans/aomori-regional-vision/versions/v55/v2026')).text();
    expect(diff).toContain('広域防災訓練事業');
    expect(diff).toMatch(/中小事業者ビジネスサポート事業<\/a><\/th><td class="num">3<\/td><td class="num">－<\/td><td>終了/);
  });
});
