// The route page and API on the default data (the GSI shelters): a straight line with distance and
// 方角 while no roads are loaded, then on a road segment written to the open data tenant; hostile
// parameters answer 400 with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { roadBeside } from '../../../test/disaster-road.ts';
import type { Shelter } from './shelters.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let target: Shelter;
let from: [number, number];

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  const data = await t.disaster.queries.map();
  target = data.byMunicipality.get('02201')!.find((s) => s.kind === 'emergency' && s.hazards.includes('tsunami'))!;
  // A start right beside it, so it is the nearest tsunami site.
  from = [target.coordinates[0] + 0.0004, target.coordinates[1]];
});
afterAll(() => t.database.close());

interface Answer {
  shelter: { slug: string; name: string };
  rule: string;
  mode: string;
  distance: number;
  direction: string;
  note: string | null;
  steps: { text: string; distance: number }[];
  line: { type: string; geometry: { type: string; coordinates: number[][] } };
}
const api = async (query: string) => {
  const res = await t.app.request(`/api/v1/disaster/route?${query}`);
  return { status: res.status, body: (await res.json()) as Answer & { detail?: string; message?: string } };
};

describe('route API and page (issue 13 point 8)', () => {
  it('without a road network: the nearest tsunami site as a straight line with distance, 方角 and a note', async () => {
    const { status, body } = await api(`from=${from.join(',')}&hazard=tsunami`);
    expect(status).toBe(200);
    expect(body.shelter.slug).toBe(target.slug);
    expect(body.rule).toBe('designated');
    expect(body.mode).toBe('straight');
    expect(body.direction).toBe('西');
    expect(body.distance).toBeGreaterThan(25);
    expect(body.distance).toBeLessThan(40);
    expect(body.note).toContain('歩く道順ではありません');
    expect(body.line.geometry).toEqual({ type: 'LineString', coordinates: [from, target.coordinates] });
  });

  it('on a loaded road network: snapped to it, along the road, as steps', async () => {
    await t.broker.commands.put('', roadBeside('02201-test-1', target.coordinates));
    const { body } = await api(`from=${from.join(',')}&hazard=tsunami`);
    expect(body.mode).toBe('network');
    expect(body.note).toBeNull();
    expect(body.steps.map((s) => s.text)).toEqual([
      expect.stringMatching(/^道路まで北へ/),
      expect.stringMatching(/^テスト通りを西へ/),
      expect.stringMatching(new RegExp(`^${target.name}まで南へ`)),
    ]);
    expect(body.line.geometry.coordinates.length).toBe(4);
    const page = await (await t.app.request(`/disaster/route?from=${from.join(',')}&hazard=tsunami`)).text();
    expect(page).toContain('<ol class="route-steps"><li>道路まで北へ');
    expect(page).toContain(`<a href="/disaster/shelters/${target.slug}">${target.name}</a>まで 道のり約`);
    expect(page).toContain('この災害に対応する指定緊急避難場所のうち、最も近いところです');
  });

  it('prefers a site known to be open, and says so', async () => {
    const data = await t.disaster.queries.map();
    const other = data.byMunicipality
      .get('02201')!
      .find((s) => s.kind === 'emergency' && s.hazards.includes('tsunami') && s.slug !== target.slug)!;
    await t.broker.commands.update('', other.id, { shelterStatus: { type: 'Property', value: 'open' } });
    const { body } = await api(`from=${from.join(',')}&hazard=tsunami`);
    expect(body.shelter.slug).toBe(other.slug);
    expect(body.rule).toBe('open');
  });

  it('the page without a query shows the form; a chosen shelter (to=) is used as given', async () => {
    const empty = await t.app.request('/disaster/route');
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await empty.text();
    expect(html).toContain('<form method="get" action="/disaster/route"');
    expect(html).toContain('<script src="/assets/disaster-route.js" defer="">');
    const { body } = await api(`from=${from.join(',')}&hazard=tsunami&to=${target.slug}`);
    expect(body).toMatchObject({ rule: 'chosen', shelter: { slug: target.slug } });
  });

  it('hostile parameters: 400 with a message naming the parameter; unknown shelter 404; never a 5xx', async () => {
    for (const q of [
      'hazard=tsunami',
      'from=abc&hazard=tsunami',
      'from=1e400,40&hazard=tsunami',
      'from=139.69,35.68&hazard=tsunami',
      `from=${from.join(',')}&hazard=meteor`,
      `from=${from.join(',')}&hazard=tsunami&to=%3Cscript%3E`,
    ]) {
      const r = await api(q);
      expect(r.status, q).toBe(400);
    }
    expect((await api(`from=${from.join(',')}&hazard=tsunami&to=emergency-nope`)).status).toBe(404);
    const page = await t.app.request('/disaster/route?from=abc&hazard=tsunami');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('「経度,緯度」の形で入力してください');
  });
});
