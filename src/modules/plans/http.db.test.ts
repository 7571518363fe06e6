import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const get = (path: string) => t.app.request(path);
const json = async (path: string) => {
  const res = await get(path);
  return { status: res.status, body: (await res.json()) as any };
};

describe('API /api/v1', () => {
  it('lists the plans with their ids', async () => {
    const { status, body } = await json('/api/v1/plans');
    expect(status).toBe(200);
    expect(body.plans.map((p: { id: string }) => p.id)).toEqual([
      'aomori-city-plan',
      'aomori-dx',
      'aomori-dx-talent',
      'aomori-regional-vision',
    ]);
    expect(body.plans[1]).toMatchObject({ kind: 'dashboard', name: '青森県DX推進プラン', latestPublication: '2025-01-31' });
  });

  it('returns each KPI with official and computed figures and its indicators', async () => {
    const { status, body } = await json('/api/v1/plans/aomori-dx/kpis');
    expect(status).toBe(200);
    expect(body.kpis).toHaveLength(8);
    const k = body.kpis.find((x: { code: string }) => x.code === 'administration-2');
    expect(k).toMatchObject({
      name: '業務の効率化に向けたDXの推進状況',
      field: 'administration',
      index: 58.0,
      computedIndex: 58.1,
      previousIndex: null,
      change: null,
    });
    expect(k.indicators[1]).toEqual({
      code: 'administration-2-2',
      name: '県内市町村におけるテレワークの導入率',
      unit: '%',
      target: 60.1,
      direction: 'higher',
      base: null,
      previous: { value: 40, period: 'R4年度', rate: 66.5, computedRate: 66.6 },
      latest: { value: 45, period: 'R5年度', rate: 74.8, computedRate: 74.9 },
      source: '総務省「地方公共団体におけるテレワークに関する取組状況の調査」',
      previousSource: null,
      latestSource: null,
      notes: 'R5年度全国値 60.1%',
    });
    const unknownPrevious = body.kpis[0].indicators[0];
    expect(unknownPrevious.previous).toEqual({ value: null, period: 'R4年度', rate: null, computedRate: null });
  });

  it('returns one KPI and the reconciliation', async () => {
    expect((await json('/api/v1/plans/aomori-dx/kpis/industry-2')).body).toMatchObject({ code: 'industry-2', index: 51.7 });
    const { body } = await json('/api/v1/plans/aomori-dx/reconciliation');
    expect(body.discrepancies).toHaveLength(7);
    expect(body.settings).toEqual({ clip: { min: 0, max: 100 }, rounding: { digits: 1, mode: 'half-up' }, averaging: 'rounded-rates' });
  });

  it('answers 404 with a Japanese JSON error for an unknown plan or KPI', async () => {
    for (const path of ['/api/v1/plans/unknown/kpis', '/api/v1/plans/aomori-dx/kpis/industry-9', '/api/v1/nothing']) {
      const { status, body } = await json(path);
      expect(status, path).toBe(404);
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toMatch(/見つかりません/);
    }
  });

  it('answers 400 for a malformed parameter, naming it', async () => {
    const cases: [string, RegExp][] = [
      ['/api/v1/plans/Aomori_DX/kpis', /計画ID/],
      ['/api/v1/plans/aomori-dx/kpis?asOf=2025-02-30', /asOf: 存在しない日付/],
      ['/api/v1/plans/aomori-dx/kpis?asOf=yesterday', /YYYY-MM-DD/],
      ['/api/v1/plans/aomori-dx/kpis/KPI%201', /KPIコード/],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await json(path);
      expect(status, path).toBe(400);
      expect(body.error).toMatchObject({ code: 'bad_request' });
      expect(body.error.message).toMatch(message);
    }
  });

  it('answers 404 for a publication date that has none', async () => {
    expect((await json('/api/v1/plans/aomori-dx/kpis?asOf=2024-01-31')).status).toBe(404);
  });
});

describe('open data', () => {
  const parseCsv = (text: string) =>
    text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');

  it('kpis.csv: UTF-8, one header row, one KPI per row, ISO dates, unit in its own column', async () => {
    const res = await get('/opendata/aomori-dx/kpis.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = parseCsv(await res.text());
    expect(lines[0]).toBe(
      'plan_id,as_of,field_code,field_name,kpi_code,kpi_name,unit,index,computed_index,previous_index,change,components,provenance',
    );
    expect(lines).toHaveLength(9);
    expect(lines[8]).toMatch(/^aomori-dx,2025-01-31,administration,行政経営,administration-3,デジタル人財の育成状況,%,31,31,,,/);
  });

  it('indicators.csv has the 30 indicators, quoting cells that hold commas', async () => {
    const lines = parseCsv(await (await get('/opendata/aomori-dx/indicators.csv')).text());
    expect(lines).toHaveLength(31);
    expect(lines[0]!.split(',')).toContain('latest_computed_rate');
    const rice = lines.find((l) => l.includes('稲作'))!;
    expect(rice).toContain(',R3年労働時間 19.07時間、R4年労働時間 17.93時間,'); // no comma inside: unquoted
    const wage = lines.find((l) => l.includes('労働１時間当たり給与'))!;
    expect(wage).toContain('"R4年時間当たり給与 1,827円、R5年時間当たり給与 1,822円"');
  });

  it('the same records as JSON', async () => {
    const { body } = await json('/opendata/aomori-dx/indicators.json');
    expect(body).toHaveLength(30);
    expect(body[0]).toMatchObject({
      indicator_code: 'industry-1-1',
      target: 375,
      latest_value: 109,
      latest_rate: 29.1,
      as_of: '2025-01-31',
    });
    expect((await get('/opendata/aomori-dx/other.csv')).status).toBe(404);
  });
});

describe('public pages', () => {
  const page = async (path: string) => {
    const res = await get(path);
    return { status: res.status, html: await res.text(), type: res.headers.get('content-type') };
  };

  it('the dashboard top shows the as-of date, basic goals, 8 KPIs by field, charts with tables', async () => {
    const { status, html } = await page('/plans/aomori-dx');
    expect(status).toBe(200);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('2025年1月末時点');
    for (const goal of ['702万円', '35.8%', '49.1%', '64.2%', '769万円']) expect(html).toContain(goal);
    for (const idx of ['35.9%', '51.7%', '22.9%', '62.6%', '44.1%', '63.1%', '58.0%', '31.0%']) expect(html).toContain(idx);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(2);
    // Each chart is drawn for wide screens and for phones.
    expect(html.match(/<div class="chart-wide"><svg role="img"/g)).toHaveLength(2);
    expect(html.match(/<div class="chart-narrow"><svg role="img"/g)).toHaveLength(2);
    expect(html.match(/<details>/g)).toHaveLength(2);
    expect(html).toContain('前期差</dt><dd>ー</dd>');
    expect(html).toContain('出典');
  });

  it('a field page shows its KPIs, their components and the cases', async () => {
    const { status, html } = await page('/plans/aomori-dx/fields/living');
    expect(status).toBe(200);
    expect(html).toContain('【指標の構成要素】');
    expect(html).toContain('遠隔医療に係る施設基準の届出を行っている医療機関数、地域公共交通のオープンデータ化の割合など');
    expect(html).toContain('県が南部町で高齢者見守り体制の構築を実施');
    expect(html).not.toContain('行政経営分野</h1>');
  });

  it('a KPI page shows the indicator table A–E with sources, "－" for unknown', async () => {
    const { status, html } = await page('/plans/aomori-dx/kpis/industry-1');
    expect(status).toBe(200);
    expect(html).toContain('目標値（A）');
    expect(html).toContain('375件');
    expect(html).toContain('109件<span class="period">（R5年度）</span>');
    expect(html).toContain('－<span class="period">（R4年度）</span>');
    expect(html).toContain('総合政策部DX推進課調べ（デジタルトランスフォーメーション推進事業（人財育成））');
  });

  it('the reconciliation page lists the 7 differences with arithmetic', async () => {
    const { status, html } = await page('/plans/aomori-dx/reconciliation');
    expect(status).toBe(200);
    expect(html).toContain('<strong>7件</strong>');
    expect(html).toContain('2,113 ÷ 3,000 × 100 = 70.433… → 70.4（四捨五入）');
  });

  it('English page chrome with ?lang=en', async () => {
    const { html } = await page('/plans/aomori-dx?lang=en');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Goal achievement dashboard');
    expect(html).toContain('href="/plans/aomori-dx/kpis/industry-1?lang=en"');
  });

  it('unknown pages give a Japanese 404 page; bad parameters a 400 page', async () => {
    for (const path of ['/plans/unknown', '/plans/aomori-dx/kpis/industry-9', '/plans/aomori-dx/fields/sea', '/no/such/page']) {
      const r = await page(path);
      expect(r.status, path).toBe(404);
      expect(r.type).toMatch(/text\/html/);
      expect(r.html).toContain('見つかりません');
    }
    const bad = await page('/plans/aomori-dx?lang=fr');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('入力に誤りがあります');
  });

  it('serves the design tokens locally and answers the health check', async () => {
    const css = await get('/assets/tokens.css');
    expect(css.status).toBe(200);
    expect(await css.text()).toContain('--color-primitive-blue-900');
    expect((await get('/healthz')).status).toBe(200);
  });

  it('bad input changes nothing', async () => {
    const count = sql`select count(*)::int as n, max(id) as last from publications`;
    const before = await rows(t.database, count);
    await get('/api/v1/plans/aomori-dx/kpis?asOf=bad');
    await get('/plans/aomori-dx?lang=xx');
    expect(await rows(t.database, count)).toEqual(before);
    expect(t.errors).toEqual([]);
  });
});
