// Staff moderation of 写真投稿 (/staff/disaster/reports): a municipality's staff see its reports the moment
// they are posted (the prefecture's see all), pending first, each with its photo, and approve one or
// reject it with a reason, or take a published one down (rejected, with a reason); every decision is
// audited. Another municipality's report is a 404.
import { Hono, type Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { FormStatus } from '../../platform/errors.ts';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../workspace/index.ts';
import { decideReport, reportImage, reportStatusLabels, staffReports } from './reports.ts';
import { label, privateJpeg, when } from './reports-public.tsx';
import { alertMunicipalitiesOf } from './rules.ts';
import type { MapDataSource } from './shelters.ts';

const sources: Record<string, string> = { exif: '写真の位置情報', device: '端末の現在地', none: '市町村のみ' };

export function staffReportRoutes(db: Db, map: MapDataSource['get']) {
  const app = new Hono<StaffEnv>();

  async function page(c: Context<StaffEnv>, message?: string, status: 200 | FormStatus = 200) {
    // The same staff as alerts and layers: a prefecture administrator (all), a municipality editor (own).
    const rows = await staffReports(db, alertMunicipalitiesOf(c.get('actor')));
    const { municipalities } = await map();
    const pending = rows.filter((r) => r.status === 'pending');
    const done = c.req.query('done');
    return staffPage(
      c,
      '写真投稿の確認',
      <>
        <h1>写真投稿の確認</h1>
        <p>
          住民が投稿した被害の写真です。承認すると防災マップに公開されます（写真の位置情報などのデータは取り除き、位置は約100mに丸めます）。人の顔や車のナンバー、個人が特定できる説明があるものは却下してください。
        </p>
        {done && <p role="status">{done === 'approved' ? '承認し、公開しました。' : '却下しました。'}</p>}
        <FormAlert message={message} />
        <h2>{`確認待ち（${pending.length}件）`}</h2>
        {pending.length === 0 && <p>確認待ちの投稿はありません。</p>}
        {rows.map((r) => (
          <article class="report" aria-labelledby={`report-${r.id}`}>
            <h3
              id={`report-${r.id}`}
            >{`${label(r)}・${municipalities.get(r.municipality)?.name ?? r.municipality}・${reportStatusLabels[r.status as keyof typeof reportStatusLabels] ?? r.status}`}</h3>
            <img
              src={`/staff/disaster/reports/${r.id}/image`}
              alt={`${label(r)}の写真${r.note ? `: ${r.note}` : ''}`}
              width={Math.min(320, r.width)}
              height={Math.round((Math.min(320, r.width) * r.height) / r.width)}
              loading="lazy"
              style="max-width:100%;height:auto"
            />
            <dl>
              <dt>説明</dt>
              <dd>{r.note || '－'}</dd>
              <dt>撮影日時</dt>
              <dd>{when(r.takenAt)}</dd>
              <dt>投稿日時</dt>
              <dd>{when(r.createdAt)}</dd>
              <dt>位置</dt>
              <dd>
                {r.lon !== null && r.lat !== null
                  ? `${r.lat.toFixed(5)}, ${r.lon.toFixed(5)}（${sources[r.locationSource] ?? ''}）`
                  : '－（市町村のみ）'}
              </dd>
              {r.reason && (
                <>
                  <dt>却下の理由</dt>
                  <dd>{r.reason}</dd>
                </>
              )}
            </dl>
            {r.status === 'pending' && (
              <form method="post" action={`/staff/disaster/reports/${r.id}/decision`} class="filters">
                <Csrf c={c} />
                <button type="submit" name="decision" value="approve" class="button">
                  承認して公開する
                </button>
                <label>
                  却下の理由
                  <input name="reason" maxlength={500} />
                </label>
                <button type="submit" name="decision" value="reject">
                  却下する
                </button>
              </form>
            )}
            {r.status === 'approved' && (
              <form method="post" action={`/staff/disaster/reports/${r.id}/decision`} class="filters">
                <Csrf c={c} />
                <label>
                  取り下げの理由
                  <input name="reason" maxlength={500} required />
                </label>
                <button type="submit" name="decision" value="reject">
                  公開を取り下げる
                </button>
              </form>
            )}
          </article>
        ))}
      </>,
      status,
    );
  }

  app.get('/staff/disaster/reports', (c) => page(c));

  app.post('/staff/disaster/reports/:id/decision', async (c) => {
    const body = await c.req.parseBody();
    const decision = String(body.decision ?? '');
    return submitForm(
      c,
      () => decideReport(db, c.get('actor'), c.req.param('id'), decision, String(body.reason ?? '')),
      (message, status) => page(c, message, status),
      () => c.redirect(`/staff/disaster/reports?done=${decision === 'approve' ? 'approved' : 'rejected'}`, 303),
    );
  });

  app.get('/staff/disaster/reports/:id/image', async (c) => {
    return privateJpeg(c, await reportImage(db, c.req.param('id'), { actor: c.get('actor') }));
  });
  return app;
}
