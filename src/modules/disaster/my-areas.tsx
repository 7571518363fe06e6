// マイエリア（防災）in マイページ (/my/disaster/areas, issue 13.5): the areas stored on the resident's
// account, and the devices linked to it. A device is linked from this page (the push subscription is
// posted with the session's CSRF token, assets/disaster-my-areas.js); an alert matching the account's
// areas then reaches every linked device, through the one fan-out (push/fanout.ts). Plain forms: the
// areas can be kept without JavaScript; linking a device needs it (push does).
import { Hono, type Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import { AppError, badRequest, isFormError, toAppError, type FormStatus } from '../../platform/errors.ts';
import type { Outbound } from '../../platform/outbound.ts';
import type { HeldFields, ResidentEnv } from '../residents/index.ts';
import { myPage, Csrf } from '../residents/page.tsx';
import { parsePoint } from './geo.ts';
import { pageCsp } from './page.tsx';
import { checkEndpoint, endpointHash, MAX_AREAS, RADIUS, subscription } from './push/api.ts';
import { coarseBox, openPoints, sealPoint } from './my-area-points.ts';
import * as repo from './repository-my-areas.ts';
import type { MapDataSource } from './shelters.ts';

export const myAreaSections = [{ href: '/my/disaster/areas', label: 'マイエリア（防災）' }] as const;
const radii = [500, 1000, 2000, 5000, 10_000];
const radiusText = (r: number) => (r >= 1000 ? `${r / 1000}km` : `${r}m`);
const gone = () => new AppError(404, 'not_found', '見つかりません。');

export function myAreaAccountRoutes(db: Db, map: MapDataSource['get'], policy: Outbound, fields: HeldFields) {
  const app = new Hono<ResidentEnv>();

  async function page(c: Context<ResidentEnv>, message?: string, status: 200 | FormStatus = 200) {
    const { municipalities } = await map();
    const residentId = c.get('residentId');
    const areas = await repo.myAreas(db, residentId);
    const devices = await repo.myDevices(db, residentId);
    // The resident's own points, opened for this page (logged: 閲覧記録).
    const sealed = areas.flatMap((a) => ('pointId' in a.area ? [a.area] : []));
    const opened = await openPoints(db, fields, { kind: 'resident', id: residentId }, residentId, sealed);
    const points = new Map(sealed.map((p, i) => [p.pointId, opened[i]!]));
    const name = (a: repo.StoredMyArea) => {
      if ('municipality' in a) return municipalities.get(a.municipality)?.name ?? a.municipality;
      const [lon, lat] = points.get(a.pointId)!;
      return `地点 ${lat.toFixed(4)}, ${lon.toFixed(4)} から半径${radiusText(a.radius)}`;
    };
    const done = c.req.query('done');
    c.header('content-security-policy', pageCsp);
    return myPage(
      c,
      'マイエリア（防災）',
      <>
        <h1>マイエリア（防災）</h1>
        <p>
          登録したエリアに避難情報・警報が出ると、このアカウントで通知を受け取る設定にしたすべての端末に通知が届きます。エリアはアカウントに保存され、機種変更しても引き継がれます。
        </p>
        {message && (
          <p class="differs" role="alert">
            {message}
          </p>
        )}
        {done && !message && <p role="status">保存しました。</p>}
        <h2>登録したエリア</h2>
        {areas.length === 0 ? (
          <p>まだエリアがありません。</p>
        ) : (
          <ul id="my-areas">
            {areas.map((a) => (
              <li>
                {name(a.area)}{' '}
                <form method="post" action={`/my/disaster/areas/${a.id}/delete`} class="inline">
                  <Csrf c={c} />
                  <button type="submit" aria-label={`${name(a.area)}を削除`}>
                    削除
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <h2>エリアを追加（{MAX_AREAS}件まで）</h2>
        <form method="post" action="/my/disaster/areas">
          <Csrf c={c} />
          <p class="field">
            <label for="area-municipality">市町村</label>
            <select id="area-municipality" name="municipality">
              {[...municipalities.values()].map((m) => (
                <option value={m.code}>{m.name}</option>
              ))}
            </select>
          </p>
          <button type="submit" class="button">
            市町村を追加
          </button>
        </form>
        <form method="post" action="/my/disaster/areas" id="area-point-form">
          <Csrf c={c} />
          <p class="field">
            <label for="area-point">地点（経度,緯度。例: 140.74,40.8222）</label>
            <input id="area-point" name="point" inputmode="decimal" maxlength={64} required />
          </p>
          <p class="field">
            <label for="area-radius">半径</label>
            <select id="area-radius" name="radius">
              {radii.map((r) => (
                <option value={String(r)}>{radiusText(r)}</option>
              ))}
            </select>
          </p>
          <p id="area-here-box" hidden>
            <button type="button" id="area-here">
              現在地を使う
            </button>
          </p>
          <button type="submit" class="button">
            地点を追加
          </button>
        </form>
        <h2>通知を受け取る端末</h2>
        {devices.length === 0 ? (
          <p>まだ端末はありません。</p>
        ) : (
          <ul id="my-devices">
            {devices.map((d, i) => (
              <li>
                {`端末${i + 1}（${d.linkedAt.slice(0, 10)} に設定）`}{' '}
                <form method="post" action={`/my/disaster/areas/devices/${d.id}/delete`} class="inline">
                  <Csrf c={c} />
                  <button type="submit" aria-label={`端末${i + 1}の設定を解除`}>
                    解除
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action="/my/disaster/areas/devices" id="device-form" hidden>
          <Csrf c={c} />
          <input type="hidden" name="subscription" value="" />
          <button type="submit" class="button">
            この端末で通知を受け取る
          </button>
          <p id="device-status" role="status" aria-live="polite"></p>
        </form>
        <p id="device-nojs">この端末で通知を受け取るには、JavaScript を有効にしてください。</p>
        <script type="module" src="/assets/disaster-my-areas.js"></script>
      </>,
      status,
    );
  }

  const failed = async (c: Context<ResidentEnv>, err: unknown) => {
    const e = toAppError(err);
    if (isFormError(e)) return page(c, e.message, e.status as FormStatus);
    throw err;
  };
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const id = (c: Context<ResidentEnv>, name: string) => {
    const v = c.req.param(name) ?? '';
    if (!/^\d{1,15}$/.test(v)) throw gone();
    return Number(v);
  };

  app.get('/my/disaster/areas', (c) => page(c));

  app.post('/my/disaster/areas', async (c) => {
    const body = await c.req.parseBody();
    try {
      let area: repo.StoredMyArea;
      let box: ReturnType<typeof coarseBox> | undefined;
      if (body.point !== undefined) {
        const point = parsePoint(text(body.point).replace(/\s/g, ''));
        if (!point) throw badRequest('地点は「経度,緯度」の形で入力してください（例: 140.74,40.8222）。');
        const radius = Number(text(body.radius));
        if (!Number.isInteger(radius) || radius < RADIUS.min || radius > RADIUS.max)
          throw badRequest(`半径は${RADIUS.min}mから${RADIUS.max / 1000}kmまでです。`);
        area = { ...sealPoint(fields, point), radius };
        box = coarseBox(point, radius);
      } else {
        const code = text(body.municipality);
        if (!/^\d{5}$/.test(code) || !(await map()).municipalities.has(code)) throw badRequest('市町村を選んでください。');
        area = { municipality: code };
      }
      if (!(await repo.addMyArea(db, c.get('residentId'), area, box, MAX_AREAS)))
        throw badRequest(`エリアは${MAX_AREAS}件までです。不要なエリアを削除してから追加してください。`);
      return c.redirect('/my/disaster/areas?done=1', 303);
    } catch (err) {
      return failed(c, err);
    }
  });

  app.post('/my/disaster/areas/:id/delete', async (c) => {
    if (!(await repo.removeMyArea(db, c.get('residentId'), id(c, 'id')))) throw gone();
    return c.redirect('/my/disaster/areas?done=1', 303);
  });

  app.post('/my/disaster/areas/devices', async (c) => {
    const body = await c.req.parseBody();
    try {
      let json: unknown;
      try {
        json = JSON.parse(text(body.subscription).slice(0, 4096));
      } catch {
        throw badRequest('通知の登録情報を読み取れませんでした。ページを開き直してください。');
      }
      const parsed = subscription.safeParse(json);
      if (!parsed.success) throw badRequest('通知の登録情報が正しくありません。ページを開き直してください。');
      checkEndpoint(parsed.data.endpoint, policy);
      const { endpoint, keys } = parsed.data;
      await repo.linkDevice(db, c.get('residentId'), endpointHash(endpoint), { endpoint, keys });
      return c.redirect('/my/disaster/areas?done=1', 303);
    } catch (err) {
      return failed(c, err);
    }
  });

  app.post('/my/disaster/areas/devices/:id/delete', async (c) => {
    if (!(await repo.unlinkDevice(db, c.get('residentId'), id(c, 'id')))) throw gone();
    return c.redirect('/my/disaster/areas?done=1', 303);
  });
  return app;
}
