// The resident's side of 写真投稿, in マイページ (/my/disaster/reports): a signed-in resident posts, so a
// report is one person's (abuse can be traced and stopped by staff, the post can later pre-fill their
// 罹災証明書 application) while the reporter's id is never published. A plain multipart form that works
// without JavaScript; with it (assets/disaster-reports.js) the post waits in IndexedDB while offline
// and is sent when the network returns, with the form's client id so a retry is never a second report.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { isFormError, toAppError, type FormStatus } from '../../platform/errors.ts';
import type { Db } from '../../platform/db.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { ResidentEnv } from '../residents/index.ts';
import { parsePoint } from './geo.ts';
import { pageCsp } from './page.tsx';
import { imageLimits } from './report-image.ts';
import { NOTE_MAX, ownReports, reportCategories, reportImage, reportStatusLabels, submitReport, type ReportRow } from './reports.ts';
import type { MapDataSource } from './shelters.ts';
import { label, privateJpeg, when } from './reports-public.tsx';
import { myPage, Csrf } from '../residents/page.tsx';

export const reportSections = [{ href: '/my/disaster/reports', label: '写真投稿（被害の報告）' }] as const;

export function myReportRoutes(db: Db, map: MapDataSource['get']) {
  const app = new Hono<ResidentEnv>();

  async function form(c: Context<ResidentEnv>, message?: string, status: 200 | FormStatus | 413 = 200) {
    const { municipalities } = await map();
    c.header('content-security-policy', pageCsp);
    return myPage(
      c,
      '写真を投稿する',
      <>
        <h1>写真を投稿する</h1>
        <p>
          浸水・土砂・倒木・道路の損壊・火災などの被害を、写真で市町村に知らせてください。職員が確認してから防災マップに公開します。公開する写真からは位置情報などのデータをすべて取り除き、投稿した人は公開しません。
        </p>
        {message && (
          <p class="differs" role="alert">
            {message}
          </p>
        )}
        <form method="post" action="/my/disaster/reports" enctype="multipart/form-data" id="report-form">
          <Csrf c={c} />
          <input type="hidden" name="clientId" value={randomUUID()} />
          <input type="hidden" name="point" value="" />
          <p class="field">
            <label for="report-photo">写真（JPEG・PNG・WebP・HEIC、15MBまで）</label>
            <input
              id="report-photo"
              type="file"
              name="photo"
              accept="image/jpeg,image/png,image/webp,image/heic,image/heif,.heic"
              required
            />
          </p>
          <fieldset>
            <legend>種類</legend>
            {Object.entries(reportCategories).map(([k, label], i) => (
              <label class="choice">
                <input type="radio" name="category" value={k} required checked={i === 0} /> {label}
              </label>
            ))}
          </fieldset>
          <p class="field">
            <label for="report-note">{`説明（任意、${NOTE_MAX}文字まで。人の名前や電話番号は書かないでください）`}</label>
            <textarea id="report-note" name="note" maxlength={NOTE_MAX} rows={3}></textarea>
          </p>
          <p class="field">
            <label for="report-municipality">市町村（写真や端末の位置情報がないときに使います）</label>
            <select id="report-municipality" name="municipality">
              <option value="">選んでください</option>
              {[...municipalities.values()].map((m) => (
                <option value={m.code}>{m.name}</option>
              ))}
            </select>
          </p>
          <p class="field">
            <label for="report-time">撮影日時（写真に記録がないときに使います）</label>
            <input id="report-time" type="datetime-local" name="takenAt" />
          </p>
          <p id="report-here-box" hidden>
            <button type="button" id="report-here" class="button">
              現在地を使う
            </button>
            <span id="report-here-status" role="status"></span>
          </p>
          <button type="submit" class="button">
            投稿する
          </button>
          <p id="report-queue" role="status" aria-live="polite"></p>
        </form>
        <p>
          <a href="/my/disaster/reports">投稿した写真の一覧</a>
        </p>
        <script type="module" src="/assets/disaster-reports.js"></script>
      </>,
      status,
    );
  }

  app.get('/my/disaster/reports/new', (c) => form(c));

  app.post('/my/disaster/reports', async (c) => {
    const body = await c.req.parseBody();
    const photo = body.photo instanceof File ? body.photo : undefined;
    if (photo && photo.size > imageLimits.bytes) return form(c, '写真のファイルが大きすぎます（15MBまで）。', 413);
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    try {
      const id = await submitReport(db, map, c.get('residentId'), {
        clientId: field('clientId'),
        category: field('category'),
        note: field('note'),
        municipality: field('municipality') || undefined,
        point: parsePoint(field('point') || undefined),
        takenAt: field('takenAt') || undefined,
        image: photo ? new Uint8Array(await photo.arrayBuffer()) : new Uint8Array(),
      });
      return c.redirect(`/my/disaster/reports?sent=${id}`, 303);
    } catch (err) {
      const e = toAppError(err);
      if (isFormError(e) || e.status === 413) return form(c, e.message, e.status as FormStatus | 413);
      throw err;
    }
  });

  app.get('/my/disaster/reports', async (c) => {
    const rows = await ownReports(db, c.get('residentId'));
    const { municipalities } = await map();
    const sent = c.req.query('sent');
    return myPage(
      c,
      '写真投稿',
      <>
        <h1>写真投稿</h1>
        {sent && rows.some((r) => r.id === sent) && <p role="status">投稿しました。職員が確認してから防災マップに公開します。</p>}
        <p>
          <a href="/my/disaster/reports/new" class="button">
            写真を投稿する
          </a>
        </p>
        {rows.length === 0 ? (
          <p>まだ投稿はありません。</p>
        ) : (
          <TableScroll label="投稿した写真">
            <table>
              <thead>
                <tr>
                  <th scope="col">写真</th>
                  <th scope="col">種類</th>
                  <th scope="col">市町村</th>
                  <th scope="col">投稿日時</th>
                  <th scope="col">状態</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r: ReportRow) => (
                  <tr>
                    <td>
                      <img src={`/my/disaster/reports/${r.id}/image`} alt={`${label(r)}の写真`} width={96} loading="lazy" />
                    </td>
                    <td>{label(r)}</td>
                    <td>{municipalities.get(r.municipality)?.name ?? r.municipality}</td>
                    <td>{when(r.createdAt)}</td>
                    <td>
                      {reportStatusLabels[r.status as keyof typeof reportStatusLabels]}
                      {r.reason && `（理由: ${r.reason}）`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </>,
    );
  });

  app.get('/my/disaster/reports/:id/image', async (c) => {
    return privateJpeg(c, await reportImage(db, c.req.param('id'), { residentId: c.get('residentId') }));
  });
  return app;
}
