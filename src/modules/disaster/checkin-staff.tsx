// 避難所の受付 for the shelter's staff: /staff/disaster/shelters/{slug}/reception. Works without
// JavaScript (type the card's short code, or a walk-in's minimum fields); with it
// (assets/disaster-reception.js) the camera or a photo of the QR code fills the card field, and a
// check-in made while the network is down waits in IndexedDB and is sent when it returns, with the
// form's client id, so a retried sync counts once. A shelter the actor does not operate is 404. Bodies
// over 64 KB are refused before the session reads them (workspace/staff.tsx).
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { MynumberReception } from '../residents/index.ts';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../workspace/index.ts';
import { jst } from './alerts-public.tsx';
import { ageGroups, OUTSIDE_PREFECTURE } from './checkin-attributes.ts';
import { BASE, methodLabels, receptionDetail } from './checkin-detail.tsx';
import { parseCardForm, parseCheckoutForm, parseMynumberForm, parseWalkInForm } from './checkin-input.ts';
import type { CheckinService } from './checkin.ts';
import { pageCsp } from './page.tsx';
import { occupancyText, statusLabels } from './public.tsx';

/** The walk-in form's optional age counts (年齢不明 is the rest of the people). */
const ageInputs = ageGroups.filter((g) => g.key !== 'ageUnknown').map((g) => [g.key, g.label] as const);
type C = Context<StaffEnv>;
const form = async (c: C) =>
  Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
/** Where デジタル認証アプリ returns to (a registered redirect URI of the RP) and the flow cookie's path. */
const MYNUMBER_CALLBACK = '/staff/disaster/reception/mynumber/callback';
const MYNUMBER_COOKIE_PATH = '/staff/disaster';
const mynumberFailures: Record<string, string> = {
  interrupted: 'マイナンバーカードでの認証が中断されたか、有効期限が切れました。受付していません。',
  'other-acr': 'マイナンバーカードでの認証ではありませんでした。受付していません。',
  unlinked: 'このマイナンバーカードはマイページに連携されていません。受付していません。避難カードか手書きで受付してください。',
};
const doneLabels: Record<string, string> = {
  in: '受付しました。',
  'walk-in': '手書きで受付しました。',
  out: '退所を記録しました。',
};

/** A callback with no flow cookie (expired, or opened twice): nothing was checked in. */
const lostFlow = (c: C) =>
  staffPage(
    c,
    '受付できませんでした',
    <>
      <h1>受付できませんでした</h1>
      <p>{mynumberFailures.interrupted}</p>
      <p>
        <a href="/staff/disaster">災害対応の画面に戻る</a>
      </p>
    </>,
    400,
  );

/** 住所の市町村 as the household tells it at reception (optional: the prefecture's count of people sheltering outside their municipality). */
const HomeSelect = (props: { id: string; municipalities: { code: string; name: string }[] }) => (
  <p class="field">
    <label for={props.id}>住所の市町村（任意）</label>
    <select id={props.id} name="homeMunicipality">
      <option value="">（聞いていない）</option>
      {props.municipalities.map((m) => (
        <option value={m.code}>{m.name}</option>
      ))}
      <option value={OUTSIDE_PREFECTURE}>県外</option>
    </select>
  </p>
);

/** `mynumber`: the residents module's reception sign-in (unset without RESIDENT_MYNUMBER_PROVIDER; late-bound). */
export function receptionScreens(svc: CheckinService, mynumber: () => MynumberReception | undefined) {
  const app = new Hono<StaffEnv>();

  async function page(c: C, error?: { form: string; message: string }, status: 200 | FormStatus = 200, slug = c.req.param('slug')!) {
    const { shelter: s, rows, municipalities } = await svc.list(c.get('actor'), slug);
    const failed = mynumberFailures[c.req.query('mynumber') ?? ''];
    if (!error && failed) error = { form: 'mynumber', message: failed };
    const here = `${BASE}/${s.slug}/reception`;
    const alert = (f: string) => error?.form === f && <FormAlert message={error.message} />;
    const done = doneLabels[c.req.query('done') ?? ''];
    // The マイナンバーカード form redirects to デジタル認証アプリ: the browser checks form-action on that redirect.
    const provider = mynumber()?.authorizationOrigins() ?? [];
    c.header('content-security-policy', pageCsp.replace("form-action 'self'", ["form-action 'self'", ...provider].join(' ')));
    return staffPage(
      c,
      `${s.name} 受付`,
      <>
        <h1>{`${s.name} 受付`}</h1>
        {done && <p role="status">{done}</p>}
        <dl class="shelter-facts">
          <dt>開設状況</dt>
          <dd>{s.status ? statusLabels[s.status] : '－'}</dd>
          <dt>避難者数/収容人数</dt>
          <dd id="reception-occupancy">{occupancyText(s)}</dd>
        </dl>
        {s.status !== 'open' && (
          <p>
            この避難所は開設されていません。<a href={`${BASE}/${s.slug}`}>避難所の運営</a>で開設を記録してから受付してください。
          </p>
        )}
        <p id="reception-queue" role="status" aria-live="polite"></p>

        <section aria-labelledby="reception-card-h">
          <h2 id="reception-card-h">避難カードで受付</h2>
          <p>マイページの避難カードのQRコードを読み取るか、カードの番号（XXXXX-XXXXX）を入力してください。</p>
          {alert('card')}
          <form method="post" action={`${here}/checkin`} id="reception-card" class="reception-form">
            <Csrf c={c} />
            <input type="hidden" name="clientId" value={randomUUID()} />
            <p id="reception-scan" hidden>
              <button type="button" id="reception-camera" class="button">
                カメラで読み取る
              </button>
              <label for="reception-file">QRコードの写真から読み取る</label>
              <input id="reception-file" type="file" accept="image/*" capture="environment" />
              <span id="reception-scan-status" role="status"></span>
            </p>
            <video id="reception-video" hidden muted playsinline aria-label="カメラの映像"></video>
            <p class="field">
              <label for="reception-card-input">カードの番号またはQRコードの内容</label>
              <input id="reception-card-input" name="card" type="text" maxlength={200} autocomplete="off" required />
            </p>
            <p class="field">
              <label for="reception-card-people">人数</label>
              <input id="reception-card-people" name="people" type="text" inputmode="numeric" maxlength={2} value="1" />
            </p>
            <HomeSelect id="reception-card-home" municipalities={municipalities} />
            <button type="submit">受付する</button>
          </form>
        </section>

        {mynumber() && (
          <section aria-labelledby="reception-mynumber-h">
            <h2 id="reception-mynumber-h">マイナンバーカードで受付</h2>
            <p>
              デジタル認証アプリの画面に移ります。本人がカードを読み取って認証すると、この画面に戻って受付されます（通信が必要です）。マイページにカードを連携した人だけが使えます。
            </p>
            {alert('mynumber')}
            <form method="post" action={`${here}/mynumber`} id="reception-mynumber" class="reception-form">
              <Csrf c={c} />
              <input type="hidden" name="clientId" value={randomUUID()} />
              <p class="field">
                <label for="reception-mynumber-people">人数</label>
                <input id="reception-mynumber-people" name="people" type="text" inputmode="numeric" maxlength={2} value="1" />
              </p>
              <HomeSelect id="reception-mynumber-home" municipalities={municipalities} />
              <button type="submit">マイナンバーカードで受付する</button>
            </form>
          </section>
        )}

        <section aria-labelledby="reception-walk-in-h">
          <h2 id="reception-walk-in-h">手書きで受付（カードがない人）</h2>
          {alert('walk-in')}
          <form method="post" action={`${here}/walk-in`} id="reception-walk-in" class="reception-form">
            <Csrf c={c} />
            <input type="hidden" name="clientId" value={randomUUID()} />
            <p class="field">
              <label for="walk-in-name">代表者の氏名</label>
              <input id="walk-in-name" name="name" type="text" maxlength={100} required autocomplete="off" />
            </p>
            <p class="field">
              <label for="walk-in-people">人数</label>
              <input id="walk-in-people" name="people" type="text" inputmode="numeric" maxlength={2} value="1" />
            </p>
            <fieldset>
              <legend>要配慮（介助・医療・乳幼児など）</legend>
              <label class="choice">
                <input type="radio" name="needsCare" value="no" checked /> なし
              </label>
              <label class="choice">
                <input type="radio" name="needsCare" value="yes" /> あり
              </label>
            </fieldset>
            <details>
              <summary>年齢と住所の市町村（任意）</summary>
              {ageInputs.map(([key, label]) => (
                <p class="field">
                  <label for={`walk-in-${key}`}>{`${label}の人数`}</label>
                  <input id={`walk-in-${key}`} name={key} type="text" inputmode="numeric" maxlength={2} />
                </p>
              ))}
              <HomeSelect id="walk-in-home" municipalities={municipalities} />
            </details>
            <button type="submit">手書きで受付する</button>
          </form>
        </section>

        <section aria-labelledby="reception-out-h">
          <h2 id="reception-out-h">退所</h2>
          {alert('out')}
          <form method="post" action={`${here}/checkout`} class="reception-form">
            <Csrf c={c} />
            <p class="field">
              <label for="checkout-card">カードの番号またはQRコードの内容</label>
              <input id="checkout-card" name="card" type="text" maxlength={200} autocomplete="off" required />
            </p>
            <button type="submit">退所を記録する</button>
          </form>
        </section>

        <section aria-labelledby="reception-list-h">
          <h2 id="reception-list-h">{`受付中（${rows.length}世帯）`}</h2>
          {rows.length === 0 ? (
            <p>受付中の世帯はありません。</p>
          ) : (
            <TableScroll label="受付中の世帯">
              <table>
                <thead>
                  <tr>
                    <th scope="col">受付日時</th>
                    <th scope="col">方法</th>
                    <th scope="col">人数</th>
                    <th scope="col">要配慮</th>
                    <th scope="col">退所</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr>
                      <th scope="row">
                        <a href={`${here}/checkins/${r.id}`}>{jst(r.checkedInAt)}</a>
                      </th>
                      <td>{methodLabels[r.method] ?? r.method}</td>
                      <td>{`${r.people}人`}</td>
                      <td>{r.needsCare === null ? '詳細で確認' : r.needsCare ? 'あり' : 'なし'}</td>
                      <td>
                        <form method="post" action={`${here}/checkout`}>
                          <Csrf c={c} />
                          <input type="hidden" name="checkin" value={r.id} />
                          <button type="submit" aria-label={`${jst(r.checkedInAt)}の受付を退所にする`}>
                            退所
                          </button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
        <p>
          <a href={`${BASE}/${s.slug}`}>避難所の運営に戻る</a>
        </p>
        <script src="/assets/jsqr.js"></script>
        <script type="module" src="/assets/disaster-reception.js"></script>
      </>,
      status,
    );
  }

  app.get(`${BASE}/:slug/reception`, (c) => page(c));

  app.route('/', receptionDetail(svc));

  const refused = (c: C, f: string) => (message: string, status: FormStatus) => page(c, { form: f, message }, status);
  const back = (c: C, done: string) => () => c.redirect(`${BASE}/${c.req.param('slug')}/reception?done=${done}`, 303);
  app.post(`${BASE}/:slug/reception/checkin`, async (c) => {
    const body = await form(c);
    return submitForm(
      c,
      () => svc.checkInCard(c.get('actor'), c.req.param('slug'), parseCardForm(body)),
      refused(c, 'card'),
      back(c, 'in'),
    );
  });
  // マイナンバーカードで受付: the form starts the flow (the shelter checked first), the callback checks in.
  app.post(`${BASE}/:slug/reception/mynumber`, async (c) => {
    const flow = mynumber();
    if (!flow) throw notFound('受付');
    const body = await form(c);
    const slug = c.req.param('slug');
    return submitForm(
      c,
      async () => {
        const input = parseMynumberForm(body);
        await svc.checkBeforeSignIn(c.get('actor'), slug, input);
        const extra = { slug, people: String(input.people), clientId: input.clientId, home: input.homeMunicipality ?? '' };
        return (await flow.begin(c, MYNUMBER_CALLBACK, MYNUMBER_COOKIE_PATH, extra)).href;
      },
      refused(c, 'mynumber'),
      (url) => c.redirect(url, 303),
    );
  });
  app.get(MYNUMBER_CALLBACK, async (c) => {
    const flow = mynumber();
    if (!flow) throw notFound('受付');
    const r = await flow.identify(c, MYNUMBER_CALLBACK, MYNUMBER_COOKIE_PATH);
    const slug = r.extra?.slug;
    if (!slug) return lostFlow(c);
    const to = (query: string) => c.redirect(`${BASE}/${encodeURIComponent(slug)}/reception?${query}`, 303);
    if (!r.ok) return to(`mynumber=${r.reason}`);
    const residentId = r.residentId;
    if (!residentId) return to('mynumber=unlinked');
    const input = { people: Number(r.extra.people), clientId: r.extra.clientId!, homeMunicipality: r.extra.home || undefined };
    return submitForm(
      c,
      () => svc.checkInMynumber(c.get('actor'), slug, residentId, input),
      (message, status) => page(c, { form: 'mynumber', message }, status, slug),
      () => to('done=in'),
    );
  });
  app.post(`${BASE}/:slug/reception/walk-in`, async (c) => {
    const body = await form(c);
    return submitForm(
      c,
      () => svc.walkIn(c.get('actor'), c.req.param('slug'), parseWalkInForm(body)),
      refused(c, 'walk-in'),
      back(c, 'walk-in'),
    );
  });
  app.post(`${BASE}/:slug/reception/checkout`, async (c) => {
    const body = await form(c);
    return submitForm(
      c,
      () => svc.checkOut(c.get('actor'), c.req.param('slug'), parseCheckoutForm(body)),
      refused(c, 'out'),
      back(c, 'out'),
    );
  });
  return app;
}
