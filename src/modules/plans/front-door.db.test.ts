// The top page is the platform's front door (issue 11, point 9): the plans and goals and the data
// linkage platform, in Japanese and, with ?lang=en, with no Japanese chrome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const text = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the front door', () => {
  it('links the plans and the data linkage platform', async () => {
    const html = await (await t.app.request('/')).text();
    expect(html).toMatch(/<h1>Renkei 青森県・市町村連携プラットフォーム<\/h1>/);
    expect(html).toMatch(/<h2>計画と目標<\/h2>/);
    expect(html).toMatch(/<h2>データ連携基盤<\/h2>/);
    for (const plan of ['aomori-dx', 'aomori-regional-vision', 'aomori-city-plan', 'aomori-dx-talent'])
      expect(html).toContain(`href="/plans/${plan}"`);
    expect(html).toContain('href="/ngsi-ld/v1/types"');
    expect(html).toContain('最新の公表: 2025年1月31日時点');
    // The links lead somewhere.
    expect((await t.app.request('/ngsi-ld/v1/types')).status).toBe(200);
  });

  it('in English, only the plans’ names (data) are Japanese', async () => {
    const html = await (await t.app.request('/?lang=en')).text();
    // The data shown there: each plan's name and owner, as the API gives them.
    const { plans } = (await (await t.app.request('/api/v1/plans')).json()) as { plans: { name: string; owner: string }[] };
    const names = plans.flatMap((p) => [p.name, p.owner]).sort((a, b) => b.length - a.length);
    let rest = text(html.slice(html.indexOf('<main'), html.indexOf('</main>')));
    for (const n of names) rest = rest.replaceAll(n, '');
    expect(rest.match(/[\u3040-\u30ff\u4e00-\u9fff]+/g)).toBeNull();
    expect(html).toContain('Latest publication: as of 31 January 2025');
  });
});
