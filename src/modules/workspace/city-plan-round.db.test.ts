// The city plan (青森市総合計画) in a reporting round, through the staff forms: its document gives no
// indicators, so an administrator adds one under a 施策 (target blank), opens a round for that plan,
// and entry, approval and publication work as for the DX plan; the public page then shows the value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
const CITY = 'aomori-city-plan';
/** The city plan is 青森市's own: its indicators are owned by the municipality, entered by its editors. */
const AOMORI_CITY = '02201';

const get = async (key: string, path: string) => {
  const res = await http.get(key, path);
  return { status: res.status, html: await res.text() };
};
const publicPage = async (path: string) => (await t.app.request(path)).text();

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  await http.account('admin', ['prefecture_admin', 'plan_admin']);
  await http.account('editor', ['municipality_editor'], { municipalityCode: AOMORI_CITY });
  await http.account('approver', ['approver']);
});
afterAll(() => t.close());

describe('the city plan in a reporting round', () => {
  let code: string;
  let roundId: number;

  it('an administrator adds an indicator under a 施策 with no target; editors may not', async () => {
    expect((await get('editor', `/staff/measures/${CITY}`)).status).toBe(404);
    expect((await get('admin', `/staff/measures/aomori-dx`)).status).toBe(404);
    const form = {
      kind: 'indicator',
      parent: '2-1-1',
      name: '子育て支援センターの利用者数',
      unit: '人',
      target: '',
      targetYear: '',
      reason: '市の指標',
    };
    const bad = await http.post('admin', `/staff/measures/${CITY}/add`, { ...form, target: '多い' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('目標値は数字で入力してください（資料にない場合は空欄）。');
    // Only under a 施策: not under a policy, nor under a code the plan does not have; another plan's page is 404.
    for (const parent of ['2-1', '9-9-9']) {
      const refused = await http.post('admin', `/staff/measures/${CITY}/add`, { ...form, parent });
      expect(refused.status, parent).toBe(400);
      expect(await refused.text()).toContain('指標を追加するKPIまたは施策を選んでください。');
    }
    expect((await http.post('admin', `/staff/measures/aomori-dx/add`, form)).status).toBe(404);
    // The page adds indicators only: a field posted to it is refused like any parentless indicator.
    expect((await http.post('admin', `/staff/measures/${CITY}/add`, { ...form, kind: 'field', parent: '', code: 'sports' })).status).toBe(
      400,
    );
    const res = await http.post('admin', `/staff/measures/${CITY}/add`, form);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/measures/${CITY}#m-2-1-1`);
    const page = (await get('admin', `/staff/measures/${CITY}`)).html;
    code = /子育て支援センターの利用者数（(2-1-1-\d+)、単位 人、目標値 資料に記載なし）/.exec(page)![1]!;
    const html = await publicPage(`/plans/${CITY}/policies/2-1`);
    expect(html).toContain(
      `<th scope="row">子育て支援センターの利用者数</th><td>資料に基準値の記載なし</td><td>資料に目標値の記載なし</td><td>－</td>`,
    );
  });

  it('the administrator chooses the plan a round is for; a plan without indicators to report is refused', async () => {
    const home = (await get('admin', '/staff')).html;
    expect(home).toContain(`<option value="${CITY}">青森市総合計画</option>`);
    const round = { label: '2025年7月末時点', asOf: '2025-07-31', dueDate: '2099-12-31' };
    const refused = await http.post('admin', '/staff/rounds', { ...round, planId: 'aomori-regional-vision' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('報告ラウンドを開ける計画を選んでください。');
    expect((await http.post('admin', '/staff/rounds', { ...round, planId: CITY })).status).toBe(303);
    // The DX plan's rounds are its own: it can have a round open at the same time.
    expect((await http.post('admin', '/staff/rounds', { ...round, planId: 'aomori-dx' })).status).toBe(303);
    const after = (await get('admin', '/staff')).html;
    roundId = Number(/<a href="\/staff\/rounds\/(\d+)">2025年7月末時点<\/a>（青森市総合計画、/.exec(after)![1]);
    // A plan with a round open is no longer offered.
    expect(after).not.toContain(`<option value="${CITY}">`);
    expect(after).not.toContain('<option value="aomori-dx">');
    const page = (await get('admin', `/staff/rounds/${roundId}`)).html;
    expect(page).toContain('子育て支援センターの利用者数');
    expect(page).not.toContain('industry-1-1');
  });

  it('the owner is set, the editor enters, the approver approves and publishes; the public page shows the value and its 時点', async () => {
    const owner = await http.post('admin', `/staff/owners?plan=${CITY}`, { indicators: code, department: AOMORI_CITY });
    expect(owner.status).toBe(303);
    expect(owner.headers.get('location')).toBe(`/staff/owners?plan=${CITY}`);
    const entry = { value: '１２，３４０', unit: '人', periodLabel: 'R6年度', source: 'こども支援課調べ', note: '' };
    expect((await http.post('editor', `/staff/rounds/${roundId}/indicators/${code}`, entry)).status).toBe(303);
    const page = (await get('approver', `/staff/rounds/${roundId}`)).html;
    const entryId = /\/staff\/rounds\/\d+\/entries\/(\d+)\/review/.exec(page)![1];
    expect(
      (await http.post('approver', `/staff/rounds/${roundId}/entries/${entryId}/review`, { decision: 'approve', comment: '' })).status,
    ).toBe(303);
    expect((await http.post('approver', `/staff/rounds/${roundId}/publish`, {})).status).toBe(303);

    const html = await publicPage(`/plans/${CITY}/policies/2-1`);
    expect(html).toContain(
      '<th scope="row">子育て支援センターの利用者数</th><td>資料に基準値の記載なし</td><td>資料に目標値の記載なし</td>' +
        '<td>12,340人（R6年度）<span class="period">報告ラウンド「2025年7月末時点」で承認された値</span><span class="period">データの出所: こども支援課調べ</span></td>',
    );
    const pubs = (await (await t.app.request(`/api/v1/plans/${CITY}/publications`)).json()) as { publications: { asOf: string }[] };
    expect(pubs.publications.map((p) => p.asOf)).toEqual(['2025-07-31']);
  });
});
