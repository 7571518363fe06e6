// Staff 安否確認 (/staff/disaster/safety): a municipality's disaster staff export its 安否 records as
// PFIF 1.4 (the residents who told it their status and the persons it imported; a prefecture
// administrator: every municipality) and import a PFIF 1.4 file: preview with row errors first, then
// written all or nothing for their municipality. Every opening of a sealed value is logged, every
// export and import audited. Anyone else gets 404.
import { Hono, type Context } from 'hono';
import type { Db } from '../../../platform/db.ts';
import { decodeText } from '../../../platform/text.ts';
import { TableScroll } from '../../../web/layout.tsx';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../../workspace/index.ts';
import { canUseSafety, safetyImportMunicipality, safetyMunicipalitiesOf } from '../rules.ts';
import { IMPORT_LIMITS, statusFromNote, type Exchange } from './exchange.ts';
import { latestNote, type PfifPerson, type RowError } from './pfif.ts';
import { safetyStatuses } from './safety.ts';

type Preview = { persons: PfifPerson[]; errors: RowError[]; expired: string[]; xml: string };

export function staffSafetyRoutes(db: Db, exchange: Exchange) {
  const app = new Hono<StaffEnv>();
  app.use('/staff/disaster/safety', async (c, next) => (canUseSafety(c.get('actor')) ? next() : c.notFound()));
  app.use('/staff/disaster/safety/*', async (c, next) => (canUseSafety(c.get('actor')) ? next() : c.notFound()));

  async function page(c: Context<StaffEnv>, o: { message?: string; preview?: Preview } = {}, status: 200 | 400 | 409 | 413 | 422 = 200) {
    // staffPage knows the form statuses; a file over the limit is answered 413 with the same page.
    const res = await framed(c, o, status === 413 ? 400 : status);
    return status === 413 ? new Response(res.body, { status, headers: res.headers }) : res;
  }

  async function framed(c: Context<StaffEnv>, o: { message?: string; preview?: Preview }, status: 200 | 400 | 409 | 422) {
    const own = safetyImportMunicipality(c.get('actor'));
    const counts = await exchange.counts(db, safetyMunicipalitiesOf(c.get('actor')));
    const count = (imported: boolean, s: string | null) => counts.find((x) => x.imported === imported && x.status === s)?.n ?? 0;
    const done = c.req.query('imported');
    return staffPage(
      c,
      '安否情報（PFIF）',
      <>
        <h1>安否情報（PFIF）</h1>
        <p>
          住民が市町村に知らせた安否と、取り込んだ安否の記録を、PFIF 1.4（Person Finder Interchange
          Format）で出力・取り込みします。氏名・居場所・伝言は個人データです。出力したファイルは必要な相手にだけ渡してください（出力と取り込みは記録されます）。
        </p>
        {done && <p role="status">{`${done}人の記録を取り込みました。`}</p>}
        <FormAlert message={o.message} />
        <TableScroll label="安否の件数">
          <table>
            <caption>出力される記録の件数</caption>
            <thead>
              <tr>
                <th scope="col">安否</th>
                <th scope="col">住民が知らせたもの</th>
                <th scope="col">取り込んだもの</th>
              </tr>
            </thead>
            <tbody>
              {[
                ...(Object.keys(safetyStatuses) as (keyof typeof safetyStatuses)[]).map((s) => [s, safetyStatuses[s]] as const),
                [null, 'その他・不明'] as const,
              ].map(([s, label]) => (
                <tr>
                  <th scope="row">{label}</th>
                  <td>{`${count(false, s)}人`}</td>
                  <td>{`${count(true, s)}人`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <h2>出力</h2>
        <p>
          <a href="/staff/disaster/safety/pfif.xml" class="button">
            PFIF 1.4 で出力する
          </a>
        </p>
        <h2>取り込み</h2>
        {own === null ? (
          <p>取り込みは、市町村の職員が自分の市町村の記録として行います。</p>
        ) : (
          <form method="post" action="/staff/disaster/safety/import" enctype="multipart/form-data">
            <Csrf c={c} />
            <p class="field">
              <label for="pfif-file">{`PFIF 1.4 のXMLファイル（${IMPORT_LIMITS.bytes / 1024 / 1024}MB・${IMPORT_LIMITS.persons}人まで）`}</label>
              <input id="pfif-file" type="file" name="file" accept=".xml,application/xml,text/xml" required />
            </p>
            <button type="submit" name="action" value="preview" class="button">
              確認する
            </button>
          </form>
        )}
        {o.preview && <PreviewTable c={c} preview={o.preview} />}
      </>,
      status,
    );
  }

  app.get('/staff/disaster/safety', (c) => page(c));

  app.get('/staff/disaster/safety/pfif.xml', async (c) => {
    const actor = c.get('actor');
    const xml = await exchange.municipality(
      db,
      { kind: 'staff', id: actor.id, organisationId: actor.municipalityCode },
      safetyMunicipalitiesOf(actor),
    );
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', 'attachment; filename="safety-pfif.xml"');
    return c.body(xml, 200, { 'Content-Type': 'application/xml; charset=utf-8' });
  });

  // The body's ceiling is workspace's (12 MB for every staff form, before its session reads it); the file's is ours.
  app.post('/staff/disaster/safety/import', async (c) => {
    const municipality = safetyImportMunicipality(c.get('actor'));
    if (municipality === null) return c.notFound();
    const body = await c.req.parseBody();
    let xml: string;
    if (body.file instanceof File) {
      if (body.file.size > IMPORT_LIMITS.bytes) return page(c, { message: 'ファイルが大きすぎます（2MBまで）。' }, 413);
      xml = decodeText(new Uint8Array(await body.file.arrayBuffer())).text;
    } else xml = typeof body.xml === 'string' ? body.xml : '';
    if (new TextEncoder().encode(xml).length > IMPORT_LIMITS.bytes) return page(c, { message: 'ファイルが大きすぎます（2MBまで）。' }, 413);
    if (!xml.trim()) return page(c, { message: 'PFIF 1.4 のXMLファイルを選んでください。' }, 400);
    if (body.action !== 'import')
      return submitForm(
        c,
        async () => exchange.preview(xml),
        (message, status) => page(c, { message }, status),
        (p) => page(c, { preview: { ...p, xml } }),
      );
    return submitForm(
      c,
      () => exchange.importFile(db, c.get('actor'), municipality, xml),
      (message, status) => page(c, { message }, status),
      (n) => c.redirect(`/staff/disaster/safety?imported=${n}`, 303),
    );
  });
  return app;
}

function PreviewTable(props: { c: Context<StaffEnv>; preview: Preview }) {
  const { persons, errors, expired, xml } = props.preview;
  return (
    <section aria-labelledby="pfif-preview">
      <h2 id="pfif-preview">{`取り込みの確認（${persons.length}人、誤り${errors.length}件）`}</h2>
      {expired.length > 0 && (
        <p id="pfif-expired">{`保存期限（expiry_date）を過ぎた${expired.length}人の記録は取り込みません。前に取り込んだその人の記録は削除します。`}</p>
      )}
      {errors.length > 0 && (
        <TableScroll label="誤りのある記録">
          <table>
            <caption>誤りのある記録（直すまで取り込めません）</caption>
            <thead>
              <tr>
                <th scope="col">位置</th>
                <th scope="col">記録ID</th>
                <th scope="col">誤り</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e) => (
                <tr>
                  <td>{e.row}</td>
                  <td>{e.recordId || '－'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <TableScroll label="取り込む記録">
        <table>
          <caption>取り込む記録</caption>
          <thead>
            <tr>
              <th scope="col">person_record_id</th>
              <th scope="col">氏名</th>
              <th scope="col">安否</th>
              <th scope="col">最後にいた場所</th>
            </tr>
          </thead>
          <tbody>
            {persons.map((p) => {
              const n = latestNote(p);
              const s = statusFromNote(n?.text, n?.status);
              return (
                <tr>
                  <td>{p.person_record_id}</td>
                  <td>{p.full_name}</td>
                  <td>{s ? safetyStatuses[s] : (n?.status ?? '－')}</td>
                  <td>{n?.last_known_location ?? '－'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {errors.length === 0 && (
        <form method="post" action="/staff/disaster/safety/import" enctype="multipart/form-data">
          <Csrf c={props.c} />
          <input type="hidden" name="xml" value={xml} />
          <button type="submit" name="action" value="import" class="button">
            {`${persons.length}人の記録を取り込む`}
          </button>
        </form>
      )}
    </section>
  );
}
