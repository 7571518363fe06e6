// Public history over HTTP: every publication (公表版) of a dashboard has a stable link (?asOf=), a
// picker lists them all, and an older one says so and links to the latest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { formatRate, formatValue } from '../../web/format.ts';
import { readSnapshot, type StoredSnapshot } from './snapshot.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  // A second publication with a new value for 観光施設の入込客数 (industry-2-3).
  await t.database.db.execute(sql`
    insert into observations (indicator_id, value, period_label, period_end, provenance)
    select node_id, 135000, 'R7年7月末時点', '2025-07-31', 'test' from indicators i join plan_nodes n on n.id = i.node_id
    where n.code = 'industry-2-3'`);
  // and a value the new period does not know (null, never 0) for indicator living-2-1
  await t.database.db.execute(sql`
    insert into observations (indicator_id, value, period_label, period_end, provenance)
    select node_id, null, 'R7年7月末時点', '2025-07-31', 'test' from indicators i join plan_nodes n on n.id = i.node_id
    where n.code = 'living-2-1'`);
  await t.plans.commands.publish({ planId: 'aomori-dx', asOf: '2025-07-31', label: '2025年7月末時点', provenance: 'test' });
});
afterAll(() => t.close());

const page = async (path: string) => {
  const res = await t.app.request(path);
  return { status: res.status, html: await res.text() };
};
const options = (html: string) => [...html.matchAll(/<option value="([^"]+)"( selected="")?/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`);

describe('a dashboard page at a publication', () => {
  const pages = ['/plans/aomori-dx', '/plans/aomori-dx/fields/industry', '/plans/aomori-dx/kpis/industry-2'];

  it.each(pages)('%s: the latest by default, with a picker of every publication as a GET form', async (path) => {
    const { status, html } = await page(path);
    expect(status).toBe(200);
    expect(html).toMatch(/表示中の公表版: <span class="as-of">2025年7月末時点<\/span>/);
    expect(html).toContain(`<form method="get" action="${path}" class="publication-picker">`);
    expect(html).toContain('<label for="publication-as-of">公表版</label>');
    expect(html).toContain('<select id="publication-as-of" name="asOf">');
    expect(options(html)).toEqual(['2025-07-31*', '2025-01-31']);
    expect(html).not.toContain('これは過去の公表版です。');
  });

  it.each(pages)('%s?asOf= an older publication: says so and links to the latest', async (path) => {
    const { status, html } = await page(`${path}?asOf=2025-01-31`);
    expect(status).toBe(200);
    expect(html).toMatch(/表示中の公表版: <span class="as-of">2025年1月末時点<\/span>/);
    expect(options(html)).toEqual(['2025-07-31', '2025-01-31*']);
    expect(html).toContain(`これは過去の公表版です。 最新の公表版: <a href="${path}">2025年7月末時点</a>`);
    // the language switch keeps the publication
    expect(html).toContain(`href="${path}?asOf=2025-01-31&amp;lang=en"`);
  });

  it('the figures are those of the publication asked for, each cached under its own URL', async () => {
    const indicators = (html: string) => /<table class="indicators">[\s\S]*?<\/table>/.exec(html)![0];
    const latest = (await page('/plans/aomori-dx/kpis/industry-2')).html;
    const older = (await page('/plans/aomori-dx/kpis/industry-2?asOf=2025-01-31')).html;
    expect(indicators(latest)).toContain('135,000人');
    expect(indicators(older)).not.toContain('135,000人');
    expect(indicators(older)).toContain('99,658人');
    expect((await page('/plans/aomori-dx/kpis/industry-2')).html).toBe(latest);
    expect((await page('/plans/aomori-dx/kpis/industry-2?asOf=2025-01-31')).html).toBe(older);
  });

  it('links on an older publication keep it', async () => {
    const { html } = await page('/plans/aomori-dx?asOf=2025-01-31');
    expect(html).toContain('href="/plans/aomori-dx/fields/industry?asOf=2025-01-31"');
    expect(html).toContain('href="/plans/aomori-dx/kpis/industry-2?asOf=2025-01-31"');
  });

  it('in English: the picker and the hidden lang', async () => {
    const { html } = await page('/plans/aomori-dx/kpis/industry-2?asOf=2025-01-31&lang=en');
    expect(html).toContain('<label for="publication-as-of">Publication</label>');
    expect(html).toContain('<input type="hidden" name="lang" value="en"/>');
    expect(html).toContain('<a href="/plans/aomori-dx/kpis/industry-2?lang=en">as of end of July 2025</a>');
    expect(html).toContain('<h2 id="trend-chart-heading">Across publications</h2>');
  });

  it.each(pages)('%s: an unknown publication is a Japanese 404 page, a malformed date 400', async (path) => {
    const unknown = await page(`${path}?asOf=2024-01-31`);
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('2024-01-31 時点の公表版');
    expect(unknown.html).toContain('<html lang="ja"');
    for (const bad of ['yesterday', '2025-02-30', '2025-1-31']) {
      const r = await page(`${path}?asOf=${bad}`);
      expect(r.status).toBe(400);
      expect(r.html).toContain('asOf:');
    }
  });

  it('a plan without publications (the vision) has no ?asOf=', async () => {
    expect((await page('/plans/aomori-regional-vision?asOf=2025-01-31')).status).toBe(404);
  });
});

/** The trend table's rows as text, cell by cell. */
const trendRows = (html: string) => {
  const table = /<table class="trend">([\s\S]*?)<\/table>/.exec(html)![1]!;
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')),
  );
};

describe('a KPI across publications', () => {
  it('the trend table holds each publication’s index and indicator values, as their snapshots hold them', async () => {
    const stored = await rows<{ label: string; snapshot: StoredSnapshot }>(
      t.database,
      sql`select label, snapshot from publications where plan_id = 'aomori-dx' order by as_of`,
    );
    expect(stored).toHaveLength(2);
    for (const code of ['industry-2', 'living-2']) {
      const expected = stored.map(({ label, snapshot }) => {
        const kpi = readSnapshot(snapshot).kpis.find((k) => k.code === code)!;
        return [
          label,
          formatRate(kpi.index),
          ...kpi.indicators.map((i) =>
            i.latest && i.latest.value !== null ? `${formatValue(i.latest.value, i.unit)}（${i.latest.period}）` : '－',
          ),
        ];
      });
      // the same on every publication's page: the trend is the plan's whole history
      for (const path of [`/plans/aomori-dx/kpis/${code}`, `/plans/aomori-dx/kpis/${code}?asOf=2025-01-31`]) {
        const { html } = await page(path);
        expect(trendRows(html)).toEqual(expected);
        expect(html).toContain('<figure class="chart" aria-labelledby="trend-chart-caption">');
      }
    }
    expect(trendRows((await page('/plans/aomori-dx/kpis/industry-2')).html)[1]).toContain('135,000人（R7年7月末時点）');
  });

  it('unknown values show as －, never 0', async () => {
    const [stored] = await rows<{ snapshot: StoredSnapshot }>(
      t.database,
      sql`select snapshot from publications where plan_id = 'aomori-dx' order by as_of desc limit 1`,
    );
    let unknown = 0;
    for (const kpi of readSnapshot(stored!.snapshot).kpis) {
      const latestRow = trendRows((await page(`/plans/aomori-dx/kpis/${kpi.code}`)).html).at(-1)!;
      kpi.indicators.forEach((i, n) => {
        if (i.latest?.value != null) return;
        unknown++;
        expect(latestRow[n + 2]).toBe('－');
      });
    }
    expect(unknown).toBeGreaterThan(0);
  });

  it('reads the history once per plan until the data changes', async () => {
    const a = await t.plans.queries.history('aomori-dx');
    expect(await t.plans.queries.history('aomori-dx')).toBe(a);
  });
});
