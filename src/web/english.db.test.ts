// Full English for every public page (issue 11, point 9): with ?lang=en, Japanese appears only in
// proper names and data, and those are marked lang="ja" (WCAG 2.1 SC 3.1.2 Language of Parts);
// the links keep ?lang=en.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/db.ts';
import { langParts, unmarkedInLabel } from '../../test/lang-parts.ts';
import { measureIndicatorInput } from '../modules/plans/index.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let asOf: string;
const CITY = 'aomori-city-plan';
beforeAll(async () => {
  t = await createTestApp();
  // A second publication, so that the first is an earlier one (its note, the picker, a trend of two).
  await t.plans.commands.publish({ planId: 'aomori-dx', asOf: '2025-07-31', label: '2025年7月末時点', provenance: 'test' });
  const { publications } = (await (await t.app.request('/api/v1/plans/aomori-dx/publications')).json()) as {
    publications: { asOf: string }[];
  };
  asOf = publications.at(-1)!.asOf;
  expect(publications).toHaveLength(2);
  // A city-plan indicator added by staff and reported in a round: its target, published value and 時点.
  const admin = { id: 'admin', name: 'admin', roles: ['plan_admin' as const], department: null, municipalityCode: null };
  const indicator = measureIndicatorInput.parse({
    name: '子育て支援センターの利用者数',
    unit: '人',
    target: '15000',
    targetYear: '2028',
    reason: '追加',
  });
  const code = await t.plans.commands.addNode(admin, {
    planId: CITY,
    kind: 'indicator',
    parent: '2-1-1',
    name: indicator.name,
    reason: '追加',
    indicator,
  });
  const id = (await t.plans.queries.indicatorsForEntry(CITY)).find((i) => i.code === code)!.id;
  await t.plans.commands.publishObservations((_tx, publish) =>
    publish({
      planId: CITY,
      asOf: '2025-07-31',
      label: '2025年7月末時点',
      provenance: 'test',
      observations: [{ indicatorId: id, value: 12340, periodLabel: 'R6年度', note: null, dataSource: 'こども支援課調べ' }],
    }),
  );
});
afterAll(() => t.close());

const pages: [string, () => string, number?][] = [
  ['the front door', () => '/'],
  ['a dashboard', () => '/plans/aomori-dx'],
  ['a dashboard at an earlier publication', () => `/plans/aomori-dx?asOf=${asOf}`],
  ['a field', () => '/plans/aomori-dx/fields/industry'],
  ['a field at an earlier publication', () => `/plans/aomori-dx/fields/industry?asOf=${asOf}`],
  ['a KPI', () => '/plans/aomori-dx/kpis/industry-2'],
  ['a KPI at an earlier publication', () => `/plans/aomori-dx/kpis/industry-2?asOf=${asOf}`],
  ['the reconciliation', () => '/plans/aomori-dx/reconciliation'],
  ['a vision', () => '/plans/aomori-regional-vision'],
  ['the project list', () => '/plans/aomori-regional-vision/projects'],
  ['the project list, filtered', () => '/plans/aomori-regional-vision/projects?category=category-1'],
  ['a project', () => '/plans/aomori-regional-vision/projects/1'],
  ['a municipality', () => '/plans/aomori-regional-vision/municipalities/02201'],
  ['a partner municipality', () => '/plans/aomori-regional-vision/municipalities/02301'],
  ['a progress report', () => '/plans/aomori-regional-vision/reports/2020'],
  ['the versions', () => '/plans/aomori-regional-vision/versions'],
  ['a diff of two versions', () => '/plans/aomori-regional-vision/versions/v44/v55'],
  ['the city plan', () => '/plans/aomori-city-plan'],
  ['a policy', () => '/plans/aomori-city-plan/policies/2-1'],
  ['a policy with a related plan', () => '/plans/aomori-city-plan/policies/3-1'],
  ['a development policy', () => '/plans/aomori-dx-talent'],
  ['the 404 page', () => '/no-such-page', 404],
  ['a missing KPI', () => '/plans/aomori-dx/kpis/no-such-kpi', 404],
  ['a malformed request', () => '/plans/aomori-dx?asOf=yesterday', 400],
];

const withLang = (path: string) => `${path}${path.includes('?') ? '&' : '?'}lang=en`;

describe('English pages (?lang=en)', () => {
  it.each(pages)('SC 3.1.2 %s: Japanese only inside lang="ja", links keep ?lang=en', async (what, path, status = 200) => {
    const res = await t.app.request(withLang(path()));
    expect(res.status, what).toBe(status);
    const html = await res.text();
    expect(html, what).toMatch(/^<!DOCTYPE html><html lang="en">/);
    const r = langParts(html);
    expect(r.outside.map((o) => `${what}: ${o.text}  (${o.path})`)).toEqual([]);
    const labels = r.labels.map((l) => unmarkedInLabel(l, r.marked)).filter((x) => x !== null);
    expect(labels.map((l) => `${what}: ${l}`)).toEqual([]);
    // Our own pages keep the language; data files, the APIs and the stylesheets do not take it.
    const ours = r.links.filter((l) => l.startsWith('/') && !/^\/(assets|api|opendata|ngsi-ld)\//.test(l));
    expect(ours.filter((l) => !/[?&]lang=en(&|#|$)/.test(l)).map((l) => `${what}: ${l}`)).toEqual([]);
  });
});

describe('English wording of what is ours to write', () => {
  it('periods and dates: "2025年1月末時点" is "as of end of January 2025", R5年度 is FY2023', async () => {
    const html = await (await t.app.request(withLang(`/plans/aomori-dx/kpis/industry-2?asOf=${asOf}`))).text();
    expect(html).toContain('Publication shown: <span class="as-of">as of end of January 2025</span>');
    expect(html).toContain('<time datetime="2025-01-31">31 January 2025</time>');
    expect(html).toContain(
      'This is an earlier publication. Latest publication: <a href="/plans/aomori-dx/kpis/industry-2?lang=en">as of end of July 2025</a>',
    );
    expect(html).toContain('<option value="2025-07-31">as of end of July 2025 (2025-07-31)</option>');
    expect(html).toMatch(/<span class="period"> \(FY2023\)<\/span>/);
    // Both publications in the trend table, in English.
    expect(html.match(/<th scope="row">as of end of (January|July) 2025<\/th>/g)).toHaveLength(2);
  });

  it('the city plan: what the document does not give, a published value with its period and unit as data', async () => {
    const html = await (await t.app.request('/plans/aomori-city-plan/policies/2-1?lang=en')).text();
    expect(html).toContain('<th scope="col">Published value (period, as of)</th>');
    expect(html).toContain(
      '<th scope="row" lang="ja">子育て支援センターの利用者数</th><td>No baseline in the document</td><td>15,000<span lang="ja">人</span> (2028)</td>' +
        '<td>12,340<span lang="ja">人</span> (FY2024)<span class="period" lang="ja">報告ラウンド「2025年7月末時点」で承認された値</span>' +
        '<span class="period">Data source: <span lang="ja">こども支援課調べ</span></span></td>',
    );
    expect(html).toContain('<td>No indicator in the document</td><td>No baseline in the document</td><td>No target in the document</td>');
  });

  it('names: a plan or field with an English name shows it; others stay Japanese, marked', async () => {
    const html = await (await t.app.request('/plans/aomori-dx/fields/industry?lang=en')).text();
    expect(html).toContain('<h1>Industry and work field</h1>');
    expect(html).toContain('<title>Industry and work field | Aomori Prefecture DX Promotion Plan | ');
    expect(html).toMatch(/<a href="\/plans\/aomori-dx\/kpis\/industry-2\?lang=en" lang="ja">あらゆる産業分野のDXの推進状況<\/a>/);
  });

  it('the error page in English names no Japanese detail and leads home in English', async () => {
    const html = await (await t.app.request('/plans/aomori-dx/kpis/nothing?lang=en')).text();
    expect(html).toContain('<h1>Page not found</h1>');
    expect(html).toContain('<a href="/?lang=en">Back to the home page</a>');
  });
});

describe('langParts (the walker the test above relies on)', () => {
  it('finds Japanese outside lang="ja", in labels, and accepts it inside', () => {
    const r = langParts(
      '<html lang="en"><head><title>A | 青森</title></head><body><p>As of <span lang="ja">青森市</span>, 見出し</p>' +
        '<div aria-label="Chart of 青森市 と"><br><svg><text lang="ja">名前</text><rect/></svg></div><a href="/x?lang=en">x</a><a href="/x" hreflang="ja" lang="ja">日本語</a></body></html>',
    );
    expect(r.outside).toEqual([{ text: ', 見出し', path: 'html>body>p' }]);
    expect(r.marked).toEqual(['青森市', '名前', '日本語']);
    expect(r.labels).toEqual(['A | 青森', 'Chart of 青森市 と']);
    expect(unmarkedInLabel('Chart of 青森市 と', r.marked)).toBe('Chart of  と');
    expect(unmarkedInLabel('Chart of 青森市', r.marked)).toBeNull();
    expect(r.links).toEqual(['/x?lang=en']);
  });
});
