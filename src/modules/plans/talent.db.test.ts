// The デジタル人財育成方針 (資料3) as a plan of kind `development_policy`: listed with the other plans, its page
// (pillars, targets per year against what was reached, the stage table), its API and open data,
// hostile requests, and a reporting round whose publication the page then shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
const PLAN = 'aomori-dx-talent';
const DX = 'sogo-seisaku.dx-suishin';
const JINJI = 'somu.jinji';

const get = (path: string) => t.app.request(path);
const page = async (path: string) => (await get(path)).text();
const json = async (path: string) => {
  const res = await get(path);
  return { status: res.status, body: (await res.json()) as any };
};
/** The rows of the page's table whose caption is `caption`, as cell texts. */
const tableRows = (html: string, caption: string) => {
  const table = html.split('<table').find((x) => x.includes(`${caption}</caption>`)) ?? '';
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  return body
    .split('<tr>')
    .slice(1)
    .map((r) => [...r.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '')));
};

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  await http.account('admin', ['prefecture_admin', 'plan_admin']);
  await http.account('dx', ['department_editor'], { department: DX });
  await http.account('jinji', ['department_editor'], { department: JINJI });
  await http.account('approver', ['approver']);
});
afterAll(() => t.close());

describe('the デジタル人財育成方針 as a plan', () => {
  it('is in GET /api/v1/plans and on the top page', async () => {
    const { body } = await json('/api/v1/plans');
    expect(body.plans.find((p: { id: string }) => p.id === PLAN)).toEqual({
      id: PLAN,
      kind: 'development_policy',
      name: '青森県デジタル人財育成方針',
      nameEn: 'Aomori Prefecture Digital Talent Development Policy',
      owner: '青森県 総務部 人事課・総合政策部 DX推進課',
      provenance: '青森県DX推進本部会議 資料3「青森県デジタル人財育成方針に基づく実施状況」',
      latestPublication: '2025-01-31',
      links: { kpis: `/api/v1/plans/${PLAN}/kpis`, targets: `/api/v1/plans/${PLAN}/targets`, page: `/plans/${PLAN}` },
    });
    const home = await page('/');
    expect(home).toContain(`<a href="/plans/${PLAN}">青森県デジタル人財育成方針</a>`);
  });

  it('its page shows the two pillars with their figures and the measures as text', async () => {
    const html = await page(`/plans/${PLAN}`);
    expect(html).toContain('<h2 id="policy-1-heading">基本方針１ 全職員のデジタルに関する基礎知識の底上げ</h2>');
    expect(html).toContain('<h2 id="policy-2-heading">基本方針２ ＤＸ推進の中核を担う「ＤＸ推進員」の育成</h2>');
    expect(html).toContain('<th scope="row">基本研修「デジタルリテラシー」（動画視聴）の修了者数</th><td>602名（R6年度）</td><td>－</td>');
    expect(html).toContain('<th scope="row">ＤＸ推進員の育成数</th><td>200名（R6年度）</td><td>1,000名（2028年度まで）</td>');
    expect(html).toContain(
      '<th scope="row">ＤＸ推進員の育成予定数（新規と継続の計）</th><td>－</td><td>300名（R7年度）<span class="period">うち新規２００名以上</span></td>',
    );
    for (const m of ['<dt>動画研修</dt>', '<dt>集合研修</dt>', '<dt>ツールの利活用</dt>']) expect(html).toContain(m);
    expect(html).toContain('公表版: 青森県DX推進本部会議 資料3（2025年1月31日時点）');
  });

  it('the ＤＸ推進員: target per year against reached, and cumulative, as two charts and a table', async () => {
    const html = await page(`/plans/${PLAN}`);
    expect(tableRows(html, 'ＤＸ推進員の育成数：年度ごとの目標と実績')).toEqual([
      ['R6年度', '200名', '200名', '200名', '200名'],
      ['R7年度', '200名', '－', '400名', '－'],
      ['R8年度', '200名', '－', '600名', '－'],
      ['R9年度', '200名', '－', '800名', '－'],
      ['R10年度', '200名', '－', '1,000名', '－'],
    ]);
    expect(html).toContain('<figcaption id="years-policy-2-1-chart-caption">ＤＸ推進員の育成数：年度ごとの目標と実績</figcaption>');
    expect(html).toContain('<figcaption id="years-policy-2-1-cumulative-caption">ＤＸ推進員の育成数：累計の目標と実績</figcaption>');
    expect(html).toContain('aria-label="ＤＸ推進員の育成数：累計の目標と実績（R6年度 目標 200名 実績 200名、R7年度 目標 400名 実績 －');
  });

  it('the stage table: stage, method, years, and the yearly figures of ①', async () => {
    const rows = tableRows(await page(`/plans/${PLAN}`), '青森県デジタル人財育成方針（育成計画）');
    expect(rows.map((r) => [r[2], r[4]])).toEqual([
      ['⑤ＡＩ等活用', '5年'],
      ['④データ利活用', '4年'],
      ['③業務改革', '3年'],
      ['②業務改善', '2年'],
      ['①業務効率化', '1年'],
      ['全職員の基礎知識の底上げ', '－'],
    ]);
    expect(rows[4]).toEqual([
      'DX推進員',
      '各所属1名ほか',
      '①業務効率化',
      'eーラーニング・ハンズオン集合研修',
      '1年',
      '200',
      '200',
      '200',
      '200',
      '200',
      '1,000',
    ]);
    expect(rows[0]!.slice(5)).toEqual(['－', '－', '－', '－', '－', '－']);
  });

  it('its API: targets per year, the pillars as KPIs; open data in CSV and JSON', async () => {
    const { status, body } = await json(`/api/v1/plans/${PLAN}/targets`);
    expect(status).toBe(200);
    const dx = body.indicators.find((i: { code: string }) => i.code === 'policy-2-1');
    expect(dx).toMatchObject({ target: 1000, targetYear: 2028, unit: '名', values: [{ value: 200, period: 'R6年度' }] });
    expect(dx.periods[0]).toEqual({
      period: 'R6年度',
      target: 200,
      targetNote: null,
      reached: 200,
      cumulativeTarget: 200,
      cumulativeReached: 200,
    });
    expect(body.stages.rows).toHaveLength(5);
    const kpis = await json(`/api/v1/plans/${PLAN}/kpis`);
    expect(kpis.body.kpis.map((k: { code: string; index: number | null }) => [k.code, k.index])).toEqual([
      ['policy-1', null],
      ['policy-2', null],
    ]);
    const csv = await get(`/opendata/${PLAN}/targets.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'plan_id,pillar_code,indicator_code,indicator_name,unit,period,target,target_note,reached,cumulative_target,cumulative_reached,final_target,final_target_year',
    );
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe(`${PLAN},policy-2,policy-2-1,ＤＸ推進員の育成数,名,R6年度,200,,200,200,200,1000,2028`);
    expect((await json(`/opendata/${PLAN}/targets.json`)).body).toHaveLength(6);
    expect((await get(`/opendata/${PLAN}/indicators.csv`)).status).toBe(200);
  });

  it('the routes every plan with KPIs has answer for it too (a pillar is a KPI)', async () => {
    for (const path of [
      `/plans/${PLAN}/kpis/policy-2`,
      `/plans/${PLAN}/fields/policy`,
      `/plans/${PLAN}?lang=en`,
      `/api/v1/plans/${PLAN}`,
    ]) {
      expect((await get(path)).status, path).toBe(200);
    }
    expect(await page(`/plans/${PLAN}/kpis/policy-2`)).toContain('ＤＸ推進員の育成数');
    expect((await get(`/plans/${PLAN}/kpis/policy-9`)).status).toBe(404);
  });

  it('hostile requests: another kind, an unknown plan, a malformed id or file → 404 or 400, never 5xx', async () => {
    for (const [path, status] of [
      ['/api/v1/plans/aomori-dx/targets', 404],
      ['/api/v1/plans/no-such-plan/targets', 404],
      ['/api/v1/plans/%00%0a/targets', 400],
      [`/api/v1/plans/${'a'.repeat(500)}/targets`, 400],
      ['/opendata/aomori-dx/targets.csv', 404],
      ['/opendata/aomori-regional-vision/targets.json', 404],
      [`/opendata/${PLAN}/targets.xml`, 404],
      [`/opendata/${PLAN}/projects.csv`, 404],
      [`/plans/${PLAN}?asOf=2025-01-31`, 404],
      [`/plans/${PLAN}?lang=xx`, 400],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      if (path.startsWith('/api/')) expect(((await res.json()) as any).error.code, path).toEqual(expect.any(String));
    }
  });
});

describe('a reporting round for the デジタル人財育成方針', () => {
  let roundId: number;

  it('the owners come from the organisation registry: 人事課 and DX推進課', async () => {
    const owners = await (await http.get('admin', `/staff/owners?plan=${PLAN}`)).text();
    expect(owners).toContain('人事課');
    expect(owners).toContain('DX推進課');
    const rows = await t.plans.queries.indicatorsForEntry(PLAN);
    expect(Object.fromEntries(rows.map((r) => [r.code, r.ownerDepartment]))).toEqual({
      'policy-1-1': JINJI,
      'policy-1-2': DX,
      'policy-1-3': DX,
      'policy-2-1': DX,
      'policy-2-2': DX,
      'policy-2-3': DX,
    });
  });

  it('a round updates the R7 ＤＸ推進員 figure; the public page shows the new publication', async () => {
    const round = { label: '2026年3月末時点', asOf: '2026-03-31', dueDate: '2099-12-31', planId: PLAN };
    expect((await http.post('admin', '/staff/rounds', round)).status).toBe(303);
    const home = await (await http.get('admin', '/staff')).text();
    roundId = Number(/<a href="\/staff\/rounds\/(\d+)">2026年3月末時点<\/a>（青森県デジタル人財育成方針、/.exec(home)![1]);
    // 人事課 may not report DX推進課's figure.
    const entry = { value: '２１０', unit: '名', periodLabel: 'R7年度', source: 'DX推進課調べ', note: '' };
    expect((await http.post('jinji', `/staff/rounds/${roundId}/indicators/policy-2-1`, entry)).status).toBe(404);
    expect((await http.post('dx', `/staff/rounds/${roundId}/indicators/policy-2-1`, entry)).status).toBe(303);
    const review = await (await http.get('approver', `/staff/rounds/${roundId}`)).text();
    const entryId = /\/staff\/rounds\/\d+\/entries\/(\d+)\/review/.exec(review)![1];
    expect(
      (await http.post('approver', `/staff/rounds/${roundId}/entries/${entryId}/review`, { decision: 'approve', comment: '' })).status,
    ).toBe(303);
    // The other owners did not report: publishing asks to confirm that, then publishes.
    const refused = await http.post('approver', `/staff/rounds/${roundId}/publish`, {});
    expect(refused.status).toBe(409);
    const summary = /name="confirmMissing" value="([^"]+)"/
      .exec(await refused.text())![1]!
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect((await http.post('approver', `/staff/rounds/${roundId}/publish`, { confirmMissing: summary })).status).toBe(303);

    const html = await page(`/plans/${PLAN}`);
    expect(html).toContain('公表版: 2026年3月末時点（2026年3月31日時点）');
    expect(tableRows(html, 'ＤＸ推進員の育成数：年度ごとの目標と実績').slice(0, 2)).toEqual([
      ['R6年度', '200名', '200名', '200名', '200名'],
      ['R7年度', '200名', '210名', '400名', '410名'],
    ]);
    expect(html).toContain(
      '<th scope="row">ＤＸ推進員の育成数</th><td>210名（R7年度）<span class="period">報告ラウンド「2026年3月末時点」で承認された値</span><span class="period">データの出所: DX推進課調べ</span></td>',
    );
    const pubs = await json(`/api/v1/plans/${PLAN}/publications`);
    expect(pubs.body.publications.map((p: { asOf: string }) => p.asOf)).toEqual(['2026-03-31', '2025-01-31']);
    const kpi = await json(`/api/v1/plans/${PLAN}/kpis/policy-2`);
    expect(kpi.body.indicators[0]).toMatchObject({ latest: { value: 210, period: 'R7年度' }, previous: { value: 200, period: 'R6年度' } });
  });
});
