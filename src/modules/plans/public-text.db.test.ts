// Public output speaks to citizens: provenance is the document, its 資料 number and page or
// section, never our seed files, their line numbers or file names (those stay in data/aomori).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  // The broker's open data comes from data/aomori too (municipalities, shelters).
  await t.broker.loadDefaultData();
}, 120_000);
afterAll(() => t.close());

/** What must not reach the public: the seed files, our folders, line references and file names. */
const internal: [string, RegExp][] = [
  ['seed', /seed/i],
  ['shared/', /shared\//],
  ['line reference', /\d\s*行[）)]|\d+[–-]\d+行|\d行目/],
  ['file name', /\b[\w-]+\.(txt|mjs|ts|geojson|topojson)\b|data\/aomori\/|N03-\d\d_/],
];

/** Every page and API body reachable from the top page and the API's plan list, by following links. */
async function crawl() {
  const start = [
    '/',
    '/?lang=en',
    '/api/v1/plans',
    '/ngsi-ld/v1/types',
    '/ngsi-ld/v1/entities?type=Municipality&limit=40',
    '/ngsi-ld/v1/entities?type=EvacuationShelter&limit=20',
  ];
  const seen = new Map<string, string>();
  const queue = [...start];
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    const res = await t.app.request(path);
    expect(res.status, path).toBe(200);
    const body = await res.text();
    seen.set(path, body);
    if (path.startsWith('/ngsi-ld/')) expect(body, path).toMatch(/urn:ngsi-ld:|"typeList"/);
    const links = [...body.matchAll(/href="([^"#]+)[^"]*"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    if (path === '/api/v1/plans') {
      for (const p of (JSON.parse(body) as { plans: { id: string; kind: string }[] }).plans) {
        const api = `/api/v1/plans/${p.id}`;
        links.push(api, `${api}/publications`);
        if (p.kind === 'vision') links.push(`${api}/projects`, `${api}/projects/1`, `${api}/projects/55`, `${api}/versions`);
        if (p.kind === 'dashboard') links.push(`${api}/kpis`, `${api}/kpis/industry-2`, `${api}/reconciliation`);
      }
    }
    for (const l of links) if (/^\/(plans|opendata|api\/v1\/plans)\b|^\/(\?lang=en)?$/.test(l) && !seen.has(l)) queue.push(l);
  }
  return seen;
}

describe('public text', () => {
  let pages: Map<string, string>;
  beforeAll(async () => {
    pages = await crawl();
  }, 120_000);

  it('reaches every public page type: plans, fields, KPIs, projects, municipalities, versions, policies, API, open data', () => {
    const paths = [...pages.keys()];
    for (const shape of [
      /^\/plans\/aomori-dx\/fields\//,
      /^\/plans\/aomori-dx\/kpis\//,
      /^\/plans\/aomori-dx\/reconciliation/,
      /^\/plans\/aomori-regional-vision\/projects\/\d+/,
      /^\/plans\/aomori-regional-vision\/municipalities\//,
      /^\/plans\/aomori-regional-vision\/versions\/v\d+\/v\d+/,
      /^\/plans\/aomori-regional-vision\/reports\//,
      /^\/plans\/aomori-city-plan\/policies\//,
      /^\/opendata\/.*\.csv$/,
      /^\/opendata\/.*\.json$/,
      /^\/api\/v1\/plans\/aomori-dx\/kpis$/,
      /^\/api\/v1\/plans\/aomori-regional-vision\/projects\/55$/,
      /^\/ngsi-ld\/v1\/entities\?type=Municipality/,
    ]) {
      expect(
        paths.some((p) => shape.test(p)),
        String(shape),
      ).toBe(true);
    }
  });

  it('no page, API body or open data file names a seed, a folder of ours, a line number or a file', () => {
    const found: string[] = [];
    for (const [path, body] of pages) {
      for (const [what, re] of internal) {
        const m = re.exec(body);
        if (m) found.push(`${path}: ${what} 「${body.slice(Math.max(0, m.index - 40), m.index + 40)}」`);
      }
    }
    expect(found).toEqual([]);
  });
});
