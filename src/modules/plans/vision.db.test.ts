import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { readVision, type ProjectSheet } from './vision-data.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let sheets: ProjectSheet[];
beforeAll(async () => {
  t = await createTestApp();
  sheets = (await readVision()).sheets;
});
afterAll(() => t.close());

const json = async (path: string) => {
  const res = await t.app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};
const page = async (path: string) => {
  const res = await t.app.request(path);
  return { status: res.status, html: await res.text() };
};
const V = '/api/v1/plans/aomori-regional-vision';

describe('regional vision: projects of the current version (資料3-2)', () => {
  it('has 55 projects numbered 1–55', async () => {
    const { body } = await json(`${V}/projects`);
    expect(body.version).toBe('v55');
    expect(body.projects.map((p: { number: number }) => p.number)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
  });

  it('counts projects per category as the document prints them (17 / 1 / 37 and each sub-category)', async () => {
    const v = await t.plans.queries.vision('aomori-regional-vision');
    const counts = Object.fromEntries(v.categories.map((c) => [c.number, [c.statedCount, c.count]]));
    expect(counts).toEqual({
      '1': [17, 17],
      '1-1': [1, 1],
      '1-2': [6, 6],
      '1-3': [8, 8],
      '1-4': [2, 2],
      '2': [1, 1],
      '2-2': [1, 1],
      '3': [37, 37],
      '3-1': [28, 28],
      '3-1-1': [3, 3],
      '3-1-2': [1, 1],
      '3-1-3': [7, 7],
      '3-1-4': [7, 7],
      '3-1-5': [3, 3],
      '3-1-6': [3, 3],
      '3-1-7': [4, 4],
      '3-2': [6, 6],
      '3-2-1': [2, 2],
      '3-2-2': [4, 4],
      '3-3': [3, 3],
      '3-3-1': [3, 3],
    });
  });

  it('keeps every budget cell and stated total as printed: figures, blanks and dashes', async () => {
    const { body } = await json(`${V}/projects`);
    const cell = (c: number | null | '－') =>
      typeof c === 'number' ? { amount: c, cell: 'value' } : c === null ? { amount: null, cell: 'blank' } : { amount: null, cell: 'dash' };
    for (const s of sheets) {
      const p = body.projects.find((x: { number: number }) => x.number === s.number);
      expect(p.budgets, `No.${s.number}`).toEqual(
        Object.fromEntries(['2020', '2021', '2022', '2023', '2024'].map((y) => [y, cell(s.budget[y as '2020'])])),
      );
      expect({ amount: p.statedTotal, cell: p.statedTotalCell }, `No.${s.number}`).toEqual(cell(s.budget.total));
    }
    // Spot checks against the document (seed 000): No.2 「21,833 14,662    36,495」, No.51 「－ 207 － 207 － 414」, No.42 「 － － － － －」
    const byNumber = (n: number) => body.projects.find((x: { number: number }) => x.number === n);
    expect(byNumber(2)).toMatchObject({ statedTotal: 36495, computedTotal: 36495, totalDifference: 0 });
    expect(byNumber(2).budgets['2022']).toEqual({ amount: null, cell: 'blank' });
    expect(byNumber(51).budgets['2020']).toEqual({ amount: null, cell: 'dash' });
    expect(byNumber(51)).toMatchObject({ statedTotal: 414, computedTotal: 414 });
    expect(byNumber(42)).toMatchObject({ statedTotal: null, statedTotalCell: 'dash', computedTotal: null, totalDifference: null });
  });

  it('reports where a stated total differs from the sum of its years: in this document, nowhere', async () => {
    const { body } = await json(`${V}/projects`);
    const differing = body.projects.filter(
      (p: { totalDifference: number | null }) => p.totalDifference !== null && p.totalDifference !== 0,
    );
    expect(differing).toEqual([]);
    const withTotals = body.projects.filter((p: { totalDifference: number | null }) => p.totalDifference === 0);
    expect(withTotals.length).toBeGreaterThan(45);
  });

  it('models the target shapes so that a grade can be computed', async () => {
    const { body } = await json(`${V}/projects`);
    const kinds = (n: number) => body.projects.find((x: { number: number }) => x.number === n).indicators.map((i: any) => i.target.kind);
    expect(kinds(1)).toEqual(['value']); // 52事業
    expect(kinds(2)).toEqual(['merged']); // NO.4に統合
    expect(kinds(9)).toEqual(['at_least_per_year']); // 1件以上/年度
    expect(kinds(23)).toEqual(['maintain']); // 100% → 100%
    expect(kinds(53)).toEqual(['cumulative']); // 人事交流人数（累計） 8人
    expect(kinds(46)).toEqual(['unknown']); // －
  });
});

describe('versions and revisions', () => {
  it('lists the versions the documents show', async () => {
    const { body } = await json(`${V}/versions`);
    expect(body.versions.map((v: any) => [v.id, v.projectCount, v.date])).toEqual([
      ['v44', 44, null],
      ['v48', 48, null],
      ['v55', 55, null],
    ]);
  });

  it('44 -> 48: 4 new projects, 2 and 3 merged into 4, 20 changed', async () => {
    const { body } = await json(`${V}/versions`);
    const step = body.changes.filter((c: any) => c.from === 'v44' && c.to === 'v48');
    const byKind = (k: string) => step.filter((c: any) => c.kind === k).map((c: any) => c.project);
    expect(byKind('added')).toEqual(['p4', 'p21', 'p38', 'p42']);
    expect(byKind('merged')).toEqual(['p2', 'p3']);
    expect(step.filter((c: any) => c.kind === 'merged').map((c: any) => c.into)).toEqual(['p4', 'p4']);
    expect(byKind('changed')).toEqual(['p20']);
    // their numbers in the 48-project version, as seed 002 prints them
    const v48 = (await json(`${V}/projects?version=v48`)).body.projects;
    const number = (code: string) => v48.find((p: any) => p.code === code)?.number;
    expect(['p4', 'p21', 'p38', 'p42', 'p2', 'p3', 'p20'].map(number)).toEqual([4, 21, 36, 39, 2, 3, 20]);
  });

  it('a project keeps its identity when renumbered: 水道事業の広域連携事業 is No.37 in v48 and No.40 now', async () => {
    const old = await json(`${V}/projects/37?version=v48`);
    const now = await json(`${V}/projects/40`);
    expect(old.body.name).toBe('水道事業の広域連携事業');
    expect(now.body.code).toBe(old.body.code);
    expect(now.body.numbers).toEqual({ v44: null, v48: 37, v55: 40 });
  });

  it('does not guess: projects whose number in v48 is unknown are not listed for v48', async () => {
    const { body } = await json(`${V}/projects?version=v48`);
    expect(body.projects).toHaveLength(15);
  });

  it('the diff page shows the documented changes and says once which numbers the documents do not give', async () => {
    const { status, html } = await page('/plans/aomori-regional-vision/versions/v44/v48');
    expect(status).toBe(200);
    expect(html).toContain('資料に記載された変更（7事業）');
    expect(html).toContain('地域企業ビジネス支援拠点運営事業');
    // No v44 number is known: the column is dropped, and one sentence says why, above each table.
    expect(html.match(/変更前（44事業）の事業番号は資料に記載がないため示していません。/g)).toHaveLength(2);
    expect(html).not.toContain('変更前（44事業）の番号');
    expect(html).not.toContain('>不明<');
    expect(html).toContain('どちらの版の番号も資料に記載がない40事業は示していません。');
    const later = await page('/plans/aomori-regional-vision/versions/v48/v55');
    expect(later.html).toContain('RPA活用推進事務');
    expect(later.html).toContain('番号変更');
  });
});

describe('FY2020 evaluations (令和2年度の取組実績)', () => {
  it('records actual, target, grade, summary, results and effects; the computed grade agrees', async () => {
    const v = await t.plans.queries.vision('aomori-regional-vision');
    const evals = v.projects.flatMap((p) => p.evaluations.map((e) => ({ n: p.number, e })));
    expect(evals.map((x) => x.n).sort((a, b) => a - b)).toEqual([7, 23, 24, 25, 26, 40, 53, 54]);
    const grades = evals.flatMap((x) => x.e.indicators.map((i) => [x.n, i.actual, i.target, i.publishedGrade, i.computedGrade]));
    expect(grades).toEqual(
      expect.arrayContaining([
        [7, '3件', '3件', 'A', 'A'],
        [25, '1回', '1回以上', 'A', 'A'],
        [23, '100％', '100％', 'A', 'A'],
        [24, '100％', '100％', 'A', 'A'],
        [40, '1回', '1回以上', 'A', 'A'],
        [54, '4回', '1回以上', 'A', 'A'],
        [53, '－', '－', '－', '－'],
        [26, '17人', '15人', 'A', 'A'],
      ]),
    );
    expect(grades).toHaveLength(8);
    expect(evals.find((x) => x.n === 40)!.e.numberInReport).toBe(37);
  });

  it('the printable report page lists them', async () => {
    const { status, html } = await page('/plans/aomori-regional-vision/reports/2020');
    expect(status).toBe(200);
    expect(html).toContain('すべて一致');
    expect(html).toContain('（実績報告での番号 37）');
    expect(html).toContain('このページは印刷に対応しています');
  });
});

describe('the city plan (青森市総合計画)', () => {
  it('has the policy tree of the document', async () => {
    const tree = await rows<{ kind: string; code: string }>(
      t.database,
      sql`select kind, code from plan_nodes where plan_id = 'aomori-city-plan' order by position`,
    );
    expect(tree.filter((n) => n.kind === 'chapter').map((n) => n.code)).toEqual(['2', '3']);
    expect(tree.filter((n) => n.kind === 'policy').map((n) => n.code)).toEqual(['2-1', '2-2', '2-3', '2-4', '3-1']);
    expect(tree.filter((n) => n.kind === 'measure').map((n) => n.code)).toEqual([
      '2-1-1',
      '2-1-2',
      '2-2-1',
      '2-2-2',
      '2-2-3',
      '2-2-4',
      '2-3-1',
      '2-3-2',
      '2-3-3',
      '2-4-1',
      '2-4-2',
      '2-4-3',
      '3-1-1',
      '3-1-2',
      '3-1-3',
    ]);
  });

  it('says in words what the blank indicator tables do not give, and links 3-1-2 広域連携の推進 to the regional vision', async () => {
    const { status, html } = await page('/plans/aomori-city-plan/policies/3-1');
    expect(status).toBe(200);
    expect(html).toContain('3-1-2 広域連携の推進');
    expect(html).toContain('<td>資料に指標の記載なし</td><td>資料に基準値の記載なし</td><td>資料に目標値の記載なし</td>');
    expect(html).not.toContain('未設定');
    expect(html).toContain('出典: 青森市総合計画 前期基本計画 第3章 3-1-2');
    expect(html).toContain('href="/plans/aomori-regional-vision"');
    const top = await page('/plans/aomori-city-plan');
    expect(top.html).toContain('<h2>3</h2><p class="meta">この章の名称は資料に記載されていません。</p>');
    expect(top.html).not.toContain('章名は資料に記載なし');
  });
});

describe('pages, open data and bad input', () => {
  it('overview, project, municipality pages', async () => {
    const ov = await page('/plans/aomori-regional-vision');
    expect(ov.status).toBe(200);
    expect(ov.html).toContain('全事業で一致しています');
    const p = await page('/plans/aomori-regional-vision/projects/2');
    expect(p.html).toContain('<span class="blank">空欄</span>');
    expect(p.html).toContain('NO.4に統合');
    const m = await page('/plans/aomori-regional-vision/municipalities/02304');
    expect(m.status).toBe(200);
    expect(m.html).toContain('蓬田村');
    expect(m.html).toContain('<strong>55事業</strong>');
  });

  it('filters the project list by category, municipality and keyword', async () => {
    const list = await page('/plans/aomori-regional-vision/projects?category=category-3-1-6&q=%E6%B0%B4%E9%81%93');
    expect(list.status).toBe(200);
    expect(list.html).toContain('<strong>1件</strong>');
    expect(list.html).toContain('水道事業の広域連携事業');
    const api = await json(`${V}/projects?category=category-1-3`);
    expect(api.body.projects.map((p: any) => p.number)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('budgets.csv has one row per project and fiscal year', async () => {
    const res = await t.app.request('/opendata/aomori-regional-vision/budgets.csv');
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('plan_id,version,project_code,number,name,fiscal_year,amount,cell,unit');
    expect(lines).toHaveLength(1 + 55 * 5);
    expect(lines).toContain('aomori-regional-vision,v55,p2,2,起業・創業等支援拠点運営事業,2022,,blank,千円');
    const projects = await json('/opendata/aomori-regional-vision/projects.json');
    expect(projects.body).toHaveLength(55);
    const indicators = await json('/opendata/aomori-regional-vision/indicators.json');
    expect(indicators.body).toHaveLength(57);
  });

  it('a bad filter or unknown project gives a clear 400/404 and changes nothing', async () => {
    const count = sql`select (select count(*) from plan_nodes)::int as nodes, (select count(*) from budget_lines)::int as budgets`;
    const before = await rows(t.database, count);
    const cases: [string, number, RegExp][] = [
      [`${V}/projects?category=nowhere`, 400, /分類が見つかりません/],
      [`${V}/projects?municipality=99999`, 400, /市町村が見つかりません/],
      [`${V}/projects?version=v99`, 400, /版「v99」はありません/],
      [`${V}/projects/0`, 400, /事業番号は1以上/],
      [`${V}/projects/abc`, 400, /事業番号は数字/],
      [`${V}/projects/56`, 404, /事業番号 56 の事業が見つかりません/],
    ];
    for (const [path, status, message] of cases) {
      const r = await json(path);
      expect(r.status, path).toBe(status);
      expect(r.body.error.message, path).toMatch(message);
    }
    const badPage = await page('/plans/aomori-regional-vision/projects?category=nowhere');
    expect(badPage.status).toBe(400);
    expect(badPage.html).toContain('分類が見つかりません');
    expect((await page('/plans/aomori-regional-vision/projects/99')).status).toBe(404);
    expect((await page('/plans/aomori-regional-vision/versions/v44/v99')).status).toBe(404);
    expect(await rows(t.database, count)).toEqual(before);
  });

  it('?version= on the pages and open data: unknown or not the current version is 400, the current one 200 (README)', async () => {
    const P = '/plans/aomori-regional-vision';
    // Visited first without the parameter, so that a cached page could answer if the check came after the cache.
    for (const path of [P, `${P}/projects`, `${P}/projects/1`, `${P}/versions`]) {
      expect((await page(path)).status, path).toBe(200);
      const bad = await page(`${path}?version=abc`);
      expect(bad.status, path).toBe(400);
      expect(bad.html, path).toContain('版「abc」はありません');
      expect((await page(`${path}?version=v48`)).status, path).toBe(400);
      expect((await page(`${path}?version=v55`)).status, path).toBe(200);
    }
    for (const file of ['projects.csv', 'budgets.json', 'indicators.csv']) {
      const path = `/opendata/aomori-regional-vision/${file}`;
      const r = await t.app.request(`${path}?version=abc`);
      expect(r.status, path).toBe(400);
      expect((await t.app.request(`${path}?version=v55`)).status, path).toBe(200);
    }
  });
});
