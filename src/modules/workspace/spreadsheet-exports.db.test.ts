// Spreadsheets of budgets, indicators and projects: exported, edited as offices do, previewed and
// imported back, with only what the staff member may edit.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;

beforeAll(async () => {
  t = await createTestApp();
  http = staffHttp(t);
  await http.account('admin', ['prefecture_admin', 'plan_admin']);
  await http.account('dx', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hiranai', ['municipality_editor'], { municipalityCode: '02301' });
});
afterAll(() => t.close());

/** Sends a file to the import of `dataset`: the answer is its preview, or the rows in error. */
const upload = (key: string, dataset: string, name: string, bytes: Uint8Array) => {
  const form = new FormData();
  form.set('csrf', http.sessions[key]!.csrf);
  form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  return t.app.request(`/staff/spreadsheets/${dataset}`, { method: 'POST', headers: { cookie: http.sessions[key]!.cookie }, body: form });
};
/** The signed rows a preview carries, as its form posts them back to apply. */
const signed = (html: string) => ({
  payload: /name="payload" value="([^"]*)"/
    .exec(html)![1]!
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&'),
  signature: /name="signature" value="([^"]*)"/.exec(html)![1]!,
});

describe('spreadsheets', () => {
  const allBudgets = () =>
    rows(
      t.database,
      sql`select node_id, fiscal_year, amount::float as amount, cell from budget_lines order by node_id, fiscal_year nulls last`,
    );

  it('an exported XLSX, edited and imported back, produces exactly the edited change', async () => {
    const exported = new Uint8Array(await (await http.get('aomori', '/staff/spreadsheets/budgets/xlsx')).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([
      undefined,
      '事業コード',
      '事業番号',
      '事業名',
      '2020年度',
      '2021年度',
      '2022年度',
      '2023年度',
      '2024年度',
      '計',
    ]);
    const row = ws.getRow(21); // No.20 在宅医療・介護連携推進事業
    expect(row.getCell(2).value).toBe(20);
    row.getCell(8).value = 300; // 2024年度 289 -> 300
    const edited = new Uint8Array(await wb.xlsx.writeBuffer());
    const before = await allBudgets();

    const preview = await upload('aomori', 'budgets', 'budgets.xlsx', edited);
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(html).toContain('（1行）');
    const { payload, signature } = signed(html);
    expect(await allBudgets()).toEqual(before); // a preview changes nothing

    const forged = await http.post('aomori', '/staff/spreadsheets/budgets/apply', { payload: payload.replace('300', '999'), signature });
    expect(forged.status).toBe(400);
    const applied = await http.post('aomori', '/staff/spreadsheets/budgets/apply', { payload, signature });
    expect(applied.status).toBe(303);
    const after = await allBudgets();
    const changed = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i]));
    expect(changed).toEqual([expect.objectContaining({ fiscal_year: 2024, amount: 300, cell: 'value' })]);
  });

  it('a file with one bad row is rejected whole, naming the row and column', async () => {
    const csv = new TextDecoder().decode(new Uint8Array(await (await http.get('aomori', '/staff/spreadsheets/budgets/csv')).arrayBuffer()));
    const lines = csv.split('\r\n');
    lines[3] = lines[3]!.replace(/,([^,]*)$/, ',99999'); // row 4: a changed total — a valid change
    lines[6] = lines[6]!
      .split(',')
      .map((v, i) => (i === 5 ? '12万' : v))
      .join(','); // row 7, column F: not a number
    const before = await allBudgets();
    const res = await upload('aomori', 'budgets', 'budgets.csv', new TextEncoder().encode(lines.join('\r\n')));
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('このファイルには誤りが1件あります。ファイル全体を取り込みませんでした。');
    expect(html).toMatch(/<td>7<\/td><td>F<\/td><td>2022年度は千円単位の0以上の整数、「－」、または空欄にしてください（「12万」）。<\/td>/);
    expect(await allBudgets()).toEqual(before);
  });

  it('exports only the projects the staff member may edit', async () => {
    const res = await http.get('hiranai', '/staff/spreadsheets/budgets/csv');
    expect((await res.text()).trim().split('\r\n')).toHaveLength(1);
  });
});

describe('spreadsheets of indicators and projects', () => {
  const uploadAndApply = async (key: string, dataset: string, name: string, bytes: Uint8Array) => {
    const preview = await upload(key, dataset, name, bytes);
    const html = await preview.text();
    if (preview.status !== 200) return { status: preview.status, html };
    const applied = await http.post(key, `/staff/spreadsheets/${dataset}/apply`, signed(html));
    return { status: applied.status, html };
  };

  it('indicators: an administrator changes a target and an owner through CSV (the owner by its full name, as typed)', async () => {
    const csv = await (await http.get('admin', '/staff/spreadsheets/indicators/csv')).text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('指標コード,KPI,指標名,単位,目標値,目標年,担当部局');
    const i = lines.findIndex((l) => l.startsWith('industry-1-5,'));
    lines[i] = lines[i]!.replace(/,150,,$/, ',200,,総合政策部ＤＸ推進課');
    const r = await uploadAndApply('admin', 'indicators', 'indicators.csv', new TextEncoder().encode(lines.join('\r\n')));
    expect(r.status).toBe(303);
    expect(r.html).toContain('（1行）');
    const [row] = await rows(
      t.database,
      sql`select target_value::float as t, owner_department from indicators i join plan_nodes n on n.id = i.node_id where n.code = 'industry-1-5'`,
    );
    expect(row).toEqual({ t: 200, owner_department: 'sogo-seisaku.dx-suishin' });
  });

  it('indicators: a row without a name is rejected with its row and column; editors get no rows', async () => {
    const csv = (await (await http.get('admin', '/staff/spreadsheets/indicators/csv')).text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    csv[2] = csv[2]!
      .split(',')
      .map((v, k) => (k === 2 ? '' : v))
      .join(',');
    const r = await uploadAndApply('admin', 'indicators', 'x.csv', new TextEncoder().encode(csv.join('\r\n')));
    expect(r.status).toBe(400);
    expect(r.html).toMatch(/<td>3<\/td><td>C<\/td><td>指標名を入力してください。<\/td>/);
    expect((await (await http.get('dx', '/staff/spreadsheets/indicators/csv')).text()).trim().split('\r\n')).toHaveLength(1);
  });

  it('projects: the lead city’s editor renames a project through XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await (await http.get('aomori', '/staff/spreadsheets/projects/xlsx')).arrayBuffer()) as ArrayBuffer);
    const row = wb.worksheets[0]!.getRow(19); // No.18
    expect(row.getCell(2).value).toBe(18);
    row.getCell(3).value = '大学連携推進事業（改称）';
    const r = await uploadAndApply('aomori', 'projects', 'projects.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(r.status).toBe(303);
    const api = (await (await t.app.request('/api/v1/plans/aomori-regional-vision/projects/18')).json()) as any;
    expect(api.name).toBe('大学連携推進事業（改称）');
  });
});
