// Staff pages for the spreadsheet round trip: download a dataset as XLSX or CSV, upload it edited,
// see every error by row and column or a preview of the changes, then apply them all or none.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Change, Value } from '../../platform/columns.ts';
import { badRequest, notFound, type FormStatus } from '../../platform/errors.ts';
import { submitForm } from './form.ts';
import { formatNumber } from '../../web/format.ts';
import { TableScroll } from '../../web/layout.tsx';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import type { PlansModule } from '../plans/index.ts';
import { diffSheet, readTable, sheetTable, toCsvText, toXlsx } from './spreadsheet.ts';

const show = (v: Value) =>
  v === null
    ? '（空欄）'
    : typeof v === 'object'
      ? v.cell === 'blank'
        ? '（空欄）'
        : v.cell === 'dash'
          ? '－'
          : formatNumber(v.amount)
      : typeof v === 'number'
        ? formatNumber(v)
        : v;

export function spreadsheetRoutes(deps: { plans: Pick<PlansModule, 'commands' | 'queries'>; cookieSecret: string }) {
  const { plans } = deps;
  const app = new Hono<Env>();
  const sign = (payload: string) => createHmac('sha256', deps.cookieSecret).update(`sheet|${payload}`).digest('base64url');
  /** The dataset in the URL as this staff member may edit it (404 for none). */
  const sheetOf = (c: Context<Env>) => plans.queries.sheet(c.req.param('dataset') ?? '', c.get('actor'));

  async function page(c: Context<Env>, result?: Child, status: 200 | FormStatus = 200) {
    return staffPage(
      c,
      'スプレッドシート',
      <>
        <h1>スプレッドシートで更新する</h1>
        <p>
          ダウンロードしたファイルを同じ形式のまま編集して取り込むと、変更点の確認画面が出ます。1行でも誤りがあるファイルは取り込みません。
        </p>
        {result}
        {plans.queries.sheets().map((ds) => (
          <section aria-labelledby={`ds-${ds.name}`}>
            <h2 id={`ds-${ds.name}`}>{ds.title}</h2>
            <p>
              ダウンロード: <a href={`/staff/spreadsheets/${ds.name}/xlsx`}>Excel（XLSX）</a>・
              <a href={`/staff/spreadsheets/${ds.name}/csv`}>CSV</a>（編集できる行だけが入ります）
            </p>
            <form method="post" action={`/staff/spreadsheets/${ds.name}`} enctype="multipart/form-data" class="filters">
              <Csrf c={c} />
              <label>
                ファイル（XLSX または CSV）
                <input type="file" name="file" accept=".xlsx,.csv" required />
              </label>
              <button type="submit">取り込んで確認する</button>
            </form>
          </section>
        ))}
      </>,
      status,
    );
  }

  app.get('/staff/spreadsheets', (c) => page(c, c.req.query('imported') ? <p role="status">取り込みました。</p> : undefined));

  app.get('/staff/spreadsheets/:dataset/:format', async (c) => {
    const ds = await sheetOf(c);
    const format = c.req.param('format');
    if (format !== 'xlsx' && format !== 'csv') throw notFound('ファイル');
    const table = sheetTable(ds, [...ds.records.values()]);
    c.header('Content-Disposition', `attachment; filename="renkei-${ds.name}.${format}"`);
    c.header('Cache-Control', 'no-store');
    if (format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      return c.body(toCsvText(table));
    }
    c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return c.body((await toXlsx(table, ds.name)) as Uint8Array<ArrayBuffer>);
  });

  app.post('/staff/spreadsheets/:dataset', async (c) => {
    const ds = await sheetOf(c);
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) return page(c, <Alert message="ファイルを選んでください。" />, 400);
    if (file.size > 5_000_000) return page(c, <Alert message="ファイルが大きすぎます（5MBまで）。" />, 400);
    let table: unknown[][];
    try {
      table = await readTable({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    } catch {
      return page(c, <Alert message="ファイルを読み取れません。XLSX または CSV を選んでください。" />, 400);
    }
    const { changes, errors } = diffSheet(ds, table, ds.records);
    if (errors.length) return page(c, <Errors errors={errors} />, 400);
    const payload = JSON.stringify({ dataset: ds.name, changes, fileName: file.name, actor: c.get('actor').id });
    // A value as its column writes it into the file (a unit's id as its full name).
    const shown = (field: string, v: Value) =>
      v === null || typeof v === 'object' ? show(v) : String(ds.columns.find((col) => col.field === field)?.show(v) ?? v);
    const warnings = changes.flatMap((ch) => {
      const w = ds.warning?.({ ...ds.records.get(ch.key), ...Object.fromEntries(ch.fields.map((f) => [f.field, f.after])) });
      return w ? [{ row: ch.row, message: w }] : [];
    });
    return page(
      c,
      <>
        <h2>
          変更点の確認: {ds.title}（{changes.length}行）
        </h2>
        <TableScroll label="変更点">
          <table>
            <thead>
              <tr>
                <th scope="col">行</th>
                <th scope="col">キー</th>
                <th scope="col">項目</th>
                <th scope="col">現在</th>
                <th scope="col">取り込み後</th>
              </tr>
            </thead>
            <tbody>
              {changes.flatMap((ch) =>
                ch.fields.map((f) => (
                  <tr>
                    <td>{ch.row}</td>
                    <th scope="row">{ch.key}</th>
                    <td>{f.header}</td>
                    <td>{shown(f.field, f.before)}</td>
                    <td>{shown(f.field, f.after)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </TableScroll>
        {warnings.length > 0 && (
          <section aria-labelledby="sheet-warnings">
            <h3 id="sheet-warnings">確認してください（{warnings.length}件。取り込みは止めません）</h3>
            <ul>
              {warnings.map((w) => (
                <li class="differs">
                  {w.row}行目: {w.message}
                </li>
              ))}
            </ul>
          </section>
        )}
        {changes.length > 0 ? (
          <form method="post" action={`/staff/spreadsheets/${ds.name}/apply`}>
            <Csrf c={c} />
            <input type="hidden" name="payload" value={payload} />
            <input type="hidden" name="signature" value={sign(payload)} />
            <button type="submit">この内容で取り込む</button>
          </form>
        ) : (
          <p>変更はありません。</p>
        )}
      </>,
    );
  });

  app.post('/staff/spreadsheets/:dataset/apply', async (c) => {
    const ds = plans.queries.sheets().find((d) => d.name === c.req.param('dataset'));
    if (!ds) throw notFound('データセット');
    const body = await c.req.parseBody();
    const payload = String(body.payload ?? '');
    const signature = String(body.signature ?? '');
    const expected = sign(payload);
    if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
      throw badRequest('確認画面の内容が改変されています。もう一度取り込んでください。');
    }
    const p = JSON.parse(payload) as { dataset: string; changes: Change[]; fileName: string; actor: string };
    if (p.actor !== c.get('actor').id || p.dataset !== ds.name) throw badRequest('別の確認画面の内容です。もう一度取り込んでください。');
    return submitForm(
      c,
      () => plans.commands.importSheet(c.get('actor'), { dataset: ds.name, changes: p.changes, fileName: p.fileName }),
      (message, status) => page(c, <Alert message={message} />, status),
      '/staff/spreadsheets?imported=1',
    );
  });

  return app;
}

function Errors(props: { errors: { row: number; column: string; message: string }[] }) {
  return (
    <>
      <Alert message={`このファイルには誤りが${props.errors.length}件あります。ファイル全体を取り込みませんでした。`} />
      <TableScroll label="誤りの一覧">
        <table>
          <thead>
            <tr>
              <th scope="col">行</th>
              <th scope="col">列</th>
              <th scope="col">内容</th>
            </tr>
          </thead>
          <tbody>
            {props.errors.map((e) => (
              <tr>
                <td>{e.row}</td>
                <td>{e.column}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
