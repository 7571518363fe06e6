// Approved 写真投稿 for everyone: GeoJSON for the map (/api/v1/disaster/reports?municipality=), the
// image (/disaster/reports/{id}.jpg, cacheable with its ETag) and a plain list per municipality that
// reads without JavaScript. Pending and rejected reports, and unknown ids, are 404. No reporter id, no
// exact point (rounded to ~100 m), no metadata in the image.
import { Hono, type Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { disasterPage } from './page.tsx';
import { publicPoint, publishedReports, reportCategories, reportImage, type ReportRow } from './reports.ts';
import type { MapDataSource } from './shelters.ts';

export const label = (r: Pick<ReportRow, 'category'>) => reportCategories[r.category as keyof typeof reportCategories] ?? r.category;
/** A time in Japan as people read it; unknown 「－」. */
export const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }) : '－';
/** A report's image for its reporter or staff: never cached anywhere. */
export function privateJpeg(c: Context, img: { jpeg: Uint8Array } | undefined) {
  if (!img) return c.notFound();
  c.header('Cache-Control', 'private, no-store');
  return c.body(img.jpeg as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'image/jpeg' });
}
export const reportImageUrl = (id: string) => `/disaster/reports/${id}.jpg`;

export function reportFeature(r: ReportRow) {
  const point = publicPoint(r);
  return {
    type: 'Feature',
    id: r.id,
    geometry: point ? { type: 'Point', coordinates: point } : null,
    properties: {
      category: r.category,
      categoryLabel: label(r),
      note: r.note,
      municipality: r.municipality,
      takenAt: r.takenAt,
      publishedAt: r.decidedAt,
      image: reportImageUrl(r.id),
    },
  };
}

export function publicReportRoutes(db: Db, map: MapDataSource['get']) {
  const pub = new Hono();
  const api = new Hono();

  api.get('/api/v1/disaster/reports', async (c) => {
    const code = c.req.query('municipality');
    if (code !== undefined && !/^\d{5}$/.test(code)) throw badRequest('municipality は5桁の市町村コードで指定してください。');
    if (code !== undefined && !(await map()).municipalities.has(code)) throw notFound('市町村');
    const rows = await publishedReports(db, code);
    c.header('Cache-Control', 'public, max-age=30');
    return c.body(JSON.stringify({ type: 'FeatureCollection', features: rows.map(reportFeature) }), 200, {
      'Content-Type': 'application/geo+json; charset=utf-8',
    });
  });

  pub.get('/disaster/reports/:file{[0-9a-f-]+\\.jpg}', async (c) => {
    const img = await reportImage(db, c.req.param('file').slice(0, -4), { public: true });
    if (!img) throw notFound('写真');
    const etag = `"${img.hash}"`;
    // Short: a report staff take down later should leave caches soon.
    const headers = { ETag: etag, 'Cache-Control': 'public, max-age=300' };
    const tags = c.req
      .header('if-none-match')
      ?.split(',')
      .map((t) => t.trim().replace(/^W\//, ''));
    if (tags?.includes(etag) || tags?.includes('*')) return c.body(null, 304, headers);
    return c.body(img.jpeg as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': 'image/jpeg' });
  });

  pub.get('/disaster/municipalities/:code/reports', async (c) => {
    const m = (await map()).municipalities.get(c.req.param('code'));
    if (!m) throw notFound('市町村');
    const rows = await publishedReports(db, m.code, 100);
    return disasterPage(
      c,
      `${m.name}の写真投稿`,
      <>
        <h1>{`${m.name}の写真投稿`}</h1>
        <p>住民が投稿し、市町村が確認した被害の写真です（新しい順）。位置は約100mに丸めています。</p>
        <p>
          <a href="/my/disaster/reports/new">被害の写真を投稿する（マイページ）</a>
        </p>
        {rows.length === 0 ? (
          <p>公開中の写真投稿はありません。</p>
        ) : (
          <ul class="report-list">
            {rows.map((r) => (
              <li>
                <img
                  src={reportImageUrl(r.id)}
                  alt={`${label(r)}の写真${r.note ? `: ${r.note}` : ''}`}
                  width={Math.min(320, r.width)}
                  height={Math.round((Math.min(320, r.width) * r.height) / r.width)}
                  loading="lazy"
                  style="max-width:100%;height:auto"
                />
                <p>
                  <strong>{label(r)}</strong>
                  {`・撮影 ${when(r.takenAt)}・公開 ${when(r.decidedAt)}`}
                </p>
                {r.note && <p>{r.note}</p>}
              </li>
            ))}
          </ul>
        )}
      </>,
      {
        crumbs: [
          { href: '/disaster', label: '防災マップ' },
          { href: `/disaster/municipalities/${m.code}`, label: m.name },
          { label: '写真投稿' },
        ],
        maxAge: 30,
      },
    );
  });
  return { pub, api };
}
