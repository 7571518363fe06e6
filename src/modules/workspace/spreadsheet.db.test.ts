// Spreadsheet imports as offices send them, over HTTP: a CSV saved by Excel in Japan (CP932), and a
// year changed while the stated total (計) is left — warned about in the preview, imported, and
// reported as a difference on the public project page.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, rows } from '../../../test/db.ts';
import { encodeCp932 } from '../../../test/cp932.ts';
import { createAccount } from '../identity/index.ts';
import { insertSession } from './repository.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
const session = { cookie: '', csrf: '' };

beforeAll(async () => {
  t = await createTestApp();
  const a = await createAccount(t.database.db, {
    email: 'aomori@example.jp',
    name: '青森市 編集者',
    password: 'a long enough password',
    roles: ['municipality_editor'],
    municipalityCode: '02201',
  });
  const sid = randomBytes(16).toString('hex');
  session.csrf = randomBytes(16).toString('hex');
  session.cookie = `renkei_staff=${sid}`;
  await insertSession(t.database.db, { id: sid, accountId: a.id, csrf: session.csrf, expiresAt: new Date(Date.now() + 3600_000) });
});
afterAll(() => t.close());

const upload = (name: string, bytes: Uint8Array) => {
  const form = new FormData();
  form.set('csrf', session.csrf);
  form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  return t.app.request('/staff/spreadsheets/budgets', { method: 'POST', headers: { cookie: session.cookie }, body: form });
};
const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`)
    .exec(html)![1]!
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const budgets = () =>
  rows(
    t.database,
    sql`select fiscal_year, amount::float as amount, cell from budget_lines b join plan_nodes n on n.id = b.node_id where n.code = 'p9' order by fiscal_year nulls last`,
  );

// No.9 圏域の水産物の食ブランド化推進事業: －, 629, 517, 517, 517, 計 2,180 in the document. 2023年度 becomes
// 600 and 計 is left: the years now add up to 2,263.
const header = '事業コード,事業番号,事業名,2020年度,2021年度,2022年度,2023年度,2024年度,計';
const edited = `${header}\r\np9,9,圏域の水産物の食ブランド化推進事業,－,629,517,600,517,"2,180"\r\n`;

describe('a CSV saved by Excel in Japan (CP932)', () => {
  it('a header error is shown in Japanese, never as mojibake', async () => {
    const res = await upload('budgets.csv', encodeCp932(edited.replace('事業名', '事業の名前')));
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('見出しは「事業名」にしてください（「事業の名前」になっています）。');
    expect(html).not.toContain('\uFFFD');
  });

  it('is previewed with a warning naming the project and both totals, imported, and the public page reports the difference', async () => {
    const before = await budgets();
    const preview = await upload('budgets.csv', encodeCp932(edited));
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(html).toContain('（1行）');
    expect(html).toContain(
      '2行目: No.9 圏域の水産物の食ブランド化推進事業: 計（2,180千円）が年度の合計（2,263千円）と83千円異なります。取り込みはできますが、公開ページには差として表示されます。',
    );
    expect(await budgets()).toEqual(before);

    const applied = await t.app.request('/staff/spreadsheets/budgets/apply', {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: session.csrf, payload: hidden(html, 'payload'), signature: hidden(html, 'signature') }).toString(),
    });
    expect(applied.status).toBe(303);
    expect(applied.headers.get('location')).toBe('/staff/spreadsheets?imported=1');
    expect((await budgets()).find((b) => b.fiscal_year === 2023)).toEqual({ fiscal_year: 2023, amount: 600, cell: 'value' });

    const page = await (await t.app.request('/plans/aomori-regional-vision/projects/9')).text();
    expect(page).toContain('資料の「計」と年度の合計が -83千円 異なります。');
    const overview = await (await t.app.request('/plans/aomori-regional-vision')).text();
    expect(overview).toMatch(/事業で一致しません: [^<]*No\.9/);
    expect(overview).not.toContain('全事業で一致しています。');

    // The budget form says the same where the lead city edits the project.
    const form = await (await t.app.request('/staff/projects/9', { headers: { cookie: session.cookie } })).text();
    expect(form).toContain('No.9 圏域の水産物の食ブランド化推進事業: 計（2,180千円）が年度の合計（2,263千円）と83千円異なります。');
  });

  it('a UTF-8 CSV with the same content reads the same (no change left to import)', async () => {
    const html = await (await upload('budgets.csv', new TextEncoder().encode(`\uFEFF${edited}`))).text();
    expect(html).toContain('変更はありません。');
  });
});
