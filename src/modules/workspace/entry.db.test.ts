// Data entry as people type, over HTTP: full-width numbers, the message beside the field that caused
// it with everything typed kept, and a redirect after every successful POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { staffCommands } from '../../../test/staff-commands.ts';
import { staffHttp } from '../../../test/staff-http.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let roundId: number;

/** The start tag of the input named `name` in the form posting to `action`. */
function inputIn(html: string, action: string, name: string): string {
  const form = html.slice(html.indexOf(`action="${action}"`));
  const tags = [...form.slice(0, form.indexOf('</form>')).matchAll(/<input[^>]*>/g)].map((m) => m[0]);
  return tags.find((tag) => tag.includes(`name="${name}"`)) ?? '';
}

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  const adminId = await http.account('admin', ['prefecture_admin', 'plan_admin']);
  await http.account('dx', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  const admin = {
    id: adminId,
    name: 'admin',
    roles: ['prefecture_admin' as const, 'plan_admin' as const],
    department: null,
    municipalityCode: null,
  };
  const cmd = staffCommands(t);
  await cmd.assignOwner(admin, 'aomori-dx', 'industry-1-1', { department: 'sogo-seisaku.dx-suishin' });
  roundId = (await cmd.openRound(admin, 'aomori-dx', { label: '2025年7月末時点', asOf: '2025-07-31', dueDate: '2099-12-31' })).id;
});
afterAll(() => t.close());

const entries = () => rows(t.database, sql`select value::float as value, status from round_entries order by id`);

describe('a round entry refused', () => {
  const action = () => `/staff/rounds/${roundId}/indicators/industry-1-1`;
  const typed = { value: '１２．５', unit: '件', periodLabel: 'R6年度', source: 'DX推進課調べ（窓口記録）', note: '上期分' };

  it('shows the message beside the indicator’s form, naming it, the field marked, everything typed kept', async () => {
    const res = await http.post('dx', action(), typed);
    expect(res.status).toBe(400);
    const html = await res.text();
    const row = html.slice(html.indexOf('id="i-industry-1-1"'));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(
      /<p id="err-industry-1-1" class="differs">「県内企業のデジタル化・DX支援件数（DX総合窓口への相談件数）」: この指標は数（件）なので、小数は入力できません。/,
    );
    const value = inputIn(html, action(), 'value');
    expect(value).toContain('value="１２．５"');
    expect(value).toContain('aria-invalid="true"');
    expect(value).toContain('aria-describedby="err-industry-1-1"');
    for (const [name, v] of Object.entries(typed)) expect(inputIn(html, action(), name)).toContain(`value="${v}"`);
    expect(inputIn(html, action(), 'source')).not.toContain('aria-invalid');
    expect(await entries()).toEqual([]);
  });

  it('marks the period when the period is what is wrong', async () => {
    const html = await (await http.post('dx', action(), { ...typed, value: '１５０', periodLabel: 'R4年度' })).text();
    expect(inputIn(html, action(), 'periodLabel')).toContain('aria-invalid="true"');
    expect(inputIn(html, action(), 'value')).not.toContain('aria-invalid');
    expect(html).toContain('期間は前回の値（R5年度）より後にしてください。');
  });

  it('accepts full-width digits and redirects (303) to the round page', async () => {
    const res = await http.post('dx', action(), { ...typed, value: '１，２３４' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/rounds/${roundId}#i-industry-1-1`);
    expect(await entries()).toEqual([{ value: 1234, status: 'submitted' }]);
  });
});

describe('the round page before publishing', () => {
  it('counts 未提出 only for owned indicators, says how many have no owner, and publishing asks to confirm them', async () => {
    const html = await (await http.get('admin', `/staff/rounds/${roundId}`)).text();
    expect(html).toContain('未提出（担当部局のある指標）: <strong>0件</strong>');
    expect(html).toContain('担当部局が未設定の指標: <strong>29件</strong>');
    expect(html).toMatch(
      /<input type="checkbox" name="confirmMissing" value="総合政策部DX推進課（1件）／担当部局が未設定の指標29件: [^"]*" required=""\/>/,
    );
    expect(html).toContain('未提出の部局（総合政策部DX推進課（1件）／担当部局が未設定の指標29件: DX・デジタル化推進人財');
    expect(html).toContain('ほか24件）があることを確認しました');
    const refused = await http.post('admin', `/staff/rounds/${roundId}/publish`, {});
    expect(refused.status).toBe(409);
    // The entry submitted above is not approved yet: that comes first.
    expect(await refused.text()).toContain('承認されていない入力が1件あります。');
  });
});

describe('the budget form refused', () => {
  const form = { y2020: '－', y2021: '６２９', y2022: '517', y2023: '5,17', y2024: '', total: '２，２６３', reason: 'R5当初予算の確定' };

  it('shows the message beside the year that caused it, keeping every cell typed', async () => {
    const res = await http.post('aomori', '/staff/projects/9', form);
    expect(res.status).toBe(400);
    const html = await res.text();
    const y2023 = inputIn(html, '/staff/projects/9', 'y2023');
    expect(y2023).toContain('aria-invalid="true"');
    expect(y2023).toContain('aria-describedby="budget-error"');
    expect(html).toMatch(
      /<span id="budget-error" class="differs">2023年度は千円単位の0以上の整数、「－」、または空欄にしてください（「5,17」）。<\/span>/,
    );
    for (const [name, v] of Object.entries(form)) expect(inputIn(html, '/staff/projects/9', name)).toContain(`value="${v}"`);
    expect(html).toContain('No.9');
  });

  it('reads full-width figures and redirects (303) to the project page', async () => {
    const res = await http.post('aomori', '/staff/projects/9', { ...form, y2023: '６００' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/projects/9');
    const api = (await (await t.app.request('/api/v1/plans/aomori-regional-vision/projects/9')).json()) as any;
    expect(api).toMatchObject({ statedTotal: 2263, computedTotal: 1746 });
  });
});
