// 避難所の受付 for the shelter's staff: /staff/disaster/shelters/{slug}/reception. Works without
// JavaScript (type the card's short code, or a walk-in's minimum fields); with it
// (assets/disaster-reception.js) the camera or a photo of the QR code fills the card field, and a
// check-in made while the network is down waits in IndexedDB and is sent when it returns, with the
// form's client id, so a retried sync counts once. A shelter the actor does not operate is 404. Bodies
// over 64 KB are refused before the session reads them (workspace/staff.tsx).
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { FormStatus } from '../../platform/errors.ts';
import { TableScroll } from '../../web/layout.tsx';
import { categoryOf } from '../residents/index.ts';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../workspace/index.ts';
import { jst } from './alerts-public.tsx';
import { ageGroups, OUTSIDE_PREFECTURE } from './checkin-attributes.ts';
import { parseCardForm, parseCheckoutForm, parseWalkInForm } from './checkin-input.ts';
import type { CheckinService } from './checkin.ts';
import { pageCsp } from './page.tsx';
import { occupancyText, statusLabels } from './public.tsx';

const BASE = '/staff/disaster/shelters';
/** The walk-in form's optional age counts (年齢不明 is the rest of the people). */
const ageInputs = ageGroups.filter((g) => g.key !== 'ageUnknown').map((g) => [g.key, g.label] as const);
type C = Context<StaffEnv>;
const form = async (c: C) =>
  Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
const methodLabels: Record<string, string> = { card: '避難カード', mynumber: 'マイナンバーカード', 'walk-in': '手書き' };
const doneLabels: Record<string, string> = {
  in: '受付しました。',
  'walk-in': '手書きで受付しました。',
  out: '退所を記録しました。',
};

/** A consented data item as text: strings as they are, lists joined, records as 「項目: 値」. */
export function itemText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return v === true ? 'はい' : v === false ? 'いいえ' : String(v);
  if (Array.isArray(v)) return v.map(itemText).filter(Boolean).join('、');
  if (typeof v === 'object')
    return Object.values(v as Record<string, unknown>)
      .map(itemText)
      .filter(Boolean)
      .join(' ');
  return '';
}

export function receptionScreens(svc: CheckinService) {
  const app = new Hono<StaffEnv>();

  async function page(c: C, error?: { form: string; message: string }, status: 200 | FormStatus = 200) {
    const { shelter: s, rows, municipalities } = await svc.list(c.get('actor'), c.req.param('slug')!);
    const here = `${BASE}/${s.slug}/reception`;
    const alert = (f: string) => error?.form === f && <FormAlert message={error.message} />;
    const done = doneLabels[c.req.query('done') ?? ''];
    c.header('content-security-policy', pageCsp);
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
            <button type="submit">受付する</button>
          </form>
        </section>

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
              <p class="field">
                <label for="walk-in-home">住所の市町村</label>
                <select id="walk-in-home" name="homeMunicipality">
                  <option value="">（聞いていない）</option>
                  {municipalities.map((m) => (
                    <option value={m.code}>{m.name}</option>
                  ))}
                  <option value={OUTSIDE_PREFECTURE}>県外</option>
                </select>
              </p>
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

  app.get(`${BASE}/:slug/reception/checkins/:id`, async (c) => {
    const d = await svc.detail(c.get('actor'), c.req.param('slug'), c.req.param('id'));
    const here = `${BASE}/${d.shelter.slug}/reception`;
    return staffPage(
      c,
      '受付の詳細',
      <>
        <h1>受付の詳細</h1>
        <dl class="shelter-facts">
          <dt>避難所</dt>
          <dd>{d.shelter.name}</dd>
          <dt>受付日時</dt>
          <dd>{jst(d.row.checkedInAt)}</dd>
          <dt>方法</dt>
          <dd>{methodLabels[d.row.method] ?? d.row.method}</dd>
          <dt>人数</dt>
          <dd>{`${d.row.people}人`}</dd>
          {d.name !== null && (
            <>
              <dt>代表者の氏名</dt>
              <dd>{d.name}</dd>
              <dt>要配慮</dt>
              <dd>{d.row.needsCare ? 'あり' : 'なし'}</dd>
            </>
          )}
        </dl>
        {d.row.method !== 'walk-in' && (
          <section aria-labelledby="support-h">
            <h2 id="support-h">事前に登録された要配慮情報</h2>
            {d.support === null || Object.keys(d.support).length === 0 ? (
              <p>
                {d.support === null
                  ? 'この世帯からこの市町村への共有の同意がないため、表示できません。'
                  : '同意はありますが、登録された情報はありません。'}
              </p>
            ) : (
              <>
                <p>世帯の同意にもとづいて表示しています。この表示は世帯の閲覧記録に残ります。</p>
                <dl>
                  {Object.entries(d.support).map(([k, v]) => (
                    <>
                      <dt>{categoryOf(k)?.label ?? k}</dt>
                      <dd>{itemText(v)}</dd>
                    </>
                  ))}
                </dl>
              </>
            )}
          </section>
        )}
        <p>
          <a href={here}>受付に戻る</a>
        </p>
      </>,
    );
  });

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
