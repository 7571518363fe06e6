import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, createTestDb, rows } from '../../../test/db.ts';
import { defaultDataFiles, loadPlanFile, planFile, readPlanFile, type PlanFile } from './default-data.ts';
import { countPlans } from './repository.ts';
import { publicationPair } from './repository-publications.ts';
import { dashboard } from './snapshot.ts';
import { reconcile } from './reconciliation.ts';

// The eight KPI indices as published in 資料1-2 (p.23–30), 2025年1月末時点.
const publishedIndices = {
  'industry-1': 35.9,
  'industry-2': 51.7,
  'industry-3': 22.9,
  'living-1': 62.6,
  'living-2': 44.1,
  'administration-1': 63.1,
  'administration-2': 58.0,
  'administration-3': 31.0,
};

let t: Awaited<ReturnType<typeof createTestApp>>;
let file: PlanFile;
beforeAll(async () => {
  t = await createTestApp();
  file = await readPlanFile(defaultDataFiles[0]!);
});
afterAll(() => t.close());

const getDashboard = async () => {
  const pair = await publicationPair(t.database.db, 'aomori-dx');
  return dashboard(pair!.current, pair!.previous);
};

describe('the default data (青森県DX推進プラン)', () => {
  it('has the 4 basic goals, 3 fields, 8 KPIs and 30 intermediate indicators', async () => {
    expect(
      await rows(t.database, sql`select kind, count(*)::int as n from plan_nodes where plan_id = 'aomori-dx' group by kind order by kind`),
    ).toEqual([
      { kind: 'basic_goal', n: 4 },
      { kind: 'field', n: 3 },
      { kind: 'indicator', n: 30 },
      { kind: 'kpi', n: 8 },
    ]);
  });

  it('publishes the 8 KPI indices exactly as in the document', async () => {
    const d = await getDashboard();
    expect(Object.fromEntries(d.kpis.map((k) => [k.code, k.index]))).toEqual(publishedIndices);
    expect(d.snapshot.asOf).toBe('2025-01-31');
    expect(d.snapshot.label).toBe('2025年1月末時点');
  });

  it('keeps every indicator value, period and published rate (A–E) of the document', async () => {
    const d = await getDashboard();
    const expected = file.kpis.flatMap((k) =>
      k.indicators.map((i) => ({
        kpi: k.code,
        name: i.name,
        target: i.target,
        // a transcribed value has no editor's データの出所 of its own
        previous: i.previous && { ...i.previous, source: null },
        latest: i.latest && { ...i.latest, source: null },
        source: i.dataSource,
      })),
    );
    const actual = d.kpis.flatMap((k) =>
      k.indicators.map((i) => ({ kpi: k.code, name: i.name, target: i.target, previous: i.previous, latest: i.latest, source: i.source })),
    );
    expect(actual).toEqual(expected);
    expect(actual).toHaveLength(30);
  });

  it('recomputes every rate from the values; only these differ from the published figures', async () => {
    const d = await getDashboard();
    const diffs = reconcile(d).map((x) => [x.indicatorName ?? x.kpiName, x.which, x.published, x.computed]);
    expect(diffs).toEqual([
      ['スマート農業機械の導入台数', 'latest', 70.5, 70.4], // 2,113 ÷ 3,000 = 70.43
      ['県内市町村におけるテレワークの導入率', 'previous', 66.5, 66.6], // 40 ÷ 60.1 = 66.56
      ['県内市町村におけるテレワークの導入率', 'latest', 74.8, 74.9], // 45 ÷ 60.1 = 74.88
      ['県内市町村におけるAＩの導入率', 'previous', 55.0, 55.1], // 25 ÷ 45.4 = 55.07
      ['業務の効率化に向けたDXの推進状況', null, 58.0, 58.1], // (11.2 + 74.9 + 88.1) ÷ 3
      ['DX推進のための職員育成に取り組む市町村の割合', 'previous', 92.9, 93.0], // 70 ÷ 75.3 = 92.96
      ['DX推進のための職員育成に取り組む市町村の割合', 'latest', 92.9, 93.0],
    ]);
    const computed = Object.fromEntries(d.kpis.map((k) => [k.code, k.computedIndex]));
    expect(computed).toEqual({ ...publishedIndices, 'administration-2': 58.1 });
  });

  it('explains each difference with the arithmetic', async () => {
    const d = await getDashboard();
    const telework = reconcile(d).find((x) => x.indicatorName === '県内市町村におけるテレワークの導入率' && x.which === 'previous')!;
    expect(telework.arithmetic).toBe('40 ÷ 60.1 × 100 = 66.556… → 66.6（四捨五入）');
    expect(telework.explanation).toBe('切り捨てで計算すると公表値と一致します。');
    // No rounding gives 70.5 from 2,113 ÷ 3,000: the row still says so rather than staying blank.
    const smart = reconcile(d).find((x) => x.indicatorName === 'スマート農業機械の導入台数')!;
    expect(smart.explanation).toBe('丸め方を変えても公表値とは一致しません。公表値は資料のとおり示しています。');
    const kpi = reconcile(d).find((x) => x.kind === 'kpi_index')!;
    expect(kpi.arithmetic).toBe('(11.2 + 74.9 + 88.1) ÷ 3 = 58.067… → 58.1（四捨五入）');
    expect(kpi.difference).toBe(-0.1);
  });

  it('shows "ー" for 前期差 while there is no previous publication', async () => {
    const d = await getDashboard();
    expect(d.previousAsOf).toBeNull();
    expect(d.kpis.every((k) => k.previousIndex === null && k.change === null)).toBe(true);
  });
});

describe('publications (公表版)', () => {
  it('cannot be changed or deleted once written', async () => {
    await expect(t.database.db.execute(sql`update publications set label = 'x'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from publications`)).rejects.toThrow();
    const d = await getDashboard();
    expect(d.snapshot.label).toBe('2025年1月末時点');
  });

  it('a new publication shows the change against the previous one', async () => {
    const { app, plans, database } = await createTestApp();
    try {
      await database.db.execute(sql`
        insert into observations (indicator_id, value, period_label, period_end, provenance)
        select node_id, 150, 'R6年度', '2025-03-31', 'test' from indicators i join plan_nodes n on n.id = i.node_id where n.code = 'industry-1-1'`);
      await plans.commands.publish({ planId: 'aomori-dx', asOf: '2025-07-31', label: '2025年7月末時点', provenance: 'test' });
      const body = (await (await app.request('/api/v1/plans/aomori-dx/kpis')).json()) as {
        asOf: string;
        kpis: { code: string; index: number; previousIndex: number; change: number }[];
      };
      expect(body.asOf).toBe('2025-07-31');
      const k = body.kpis.find((x) => x.code === 'industry-1')!;
      // 150 ÷ 375 = 40.0; the others as recomputed: (40.0 + 44.0 + 20.0 + 46.4 + 40.0) ÷ 5 = 38.08
      expect(k).toMatchObject({ index: 38.1, previousIndex: 35.9, change: 2.2 });
      const older = (await (await app.request('/api/v1/plans/aomori-dx/kpis?asOf=2025-01-31')).json()) as {
        kpis: { code: string; index: number }[];
      };
      expect(older.kpis.find((x) => x.code === 'industry-1')!.index).toBe(35.9);
      await expect(
        plans.commands.publish({ planId: 'aomori-dx', asOf: '2025-07-31', label: 'again', provenance: 'test' }),
      ).rejects.toMatchObject({
        code: 'publication_exists',
      });
    } finally {
      await database.close();
    }
  });
});

describe('loading a plan file', () => {
  it('writes nothing when any part fails', async () => {
    const db = await createTestDb('empty');
    try {
      const broken = structuredClone(file);
      broken.kpis[7]!.indicators[2]!.latest!.period = 'R5年度'; // fine
      broken.kpis[7]!.indicators[2]!.previous!.period = 'R5年度'; // duplicate period for one indicator: rejected by the database
      await expect(loadPlanFile(db.db, broken)).rejects.toThrow();
      expect(await countPlans(db.db)).toBe(0);
      expect(
        await rows(db, sql`select (select count(*) from plan_nodes)::int as nodes, (select count(*) from observations)::int as obs`),
      ).toEqual([{ nodes: 0, obs: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('rejects a malformed file with a message saying where', async () => {
    const raw = JSON.parse(await readFile(defaultDataFiles[0]!, 'utf8'));
    raw.kpis[0].indicators[0].latest.period = '昨年度';
    raw.kpis[1].field = 'nowhere';
    const r = planFile.safeParse(raw);
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('kpis.0.indicators.0.latest.period: 期間の表記を解釈できません');
    expect(messages).toContain('kpis.1.field: 分野「nowhere」がありません');
  });
});
