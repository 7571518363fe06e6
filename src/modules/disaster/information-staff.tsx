// Staff screen for disaster information at /staff/disaster/information: the form (category,
// municipality, subject, the category's fields, an optional point) and the items of the actor's
// municipalities with 「最新と確認」 and 「終了」. Works without JavaScript.
import { Hono, type Context } from 'hono';
import type { FormStatus } from '../../platform/errors.ts';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../workspace/index.ts';
import { jst } from './alerts-public.tsx';
import type { InformationCommands } from './information-commands.ts';
import { categoryStatuses, intensities, parseInformationForm } from './information-input.ts';
import { STALE_TEXT } from './information-public.tsx';
import { infoCategories, infoCategoryNames, isStale, serviceTexts, statusTexts, summary, type InformationSource } from './information.ts';
import { layerMunicipalities } from './rules.ts';
import type { MapDataSource } from './shelters.ts';

const BASE = '/staff/disaster/information';
type C = Context<StaffEnv>;
const strings = async (c: C) =>
  Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : '']));

export function informationScreens(deps: { map: MapDataSource; info: InformationSource; commands: InformationCommands }) {
  const app = new Hono<StaffEnv>();

  async function page(c: C, error?: string, status: 200 | FormStatus = 200, values: Record<string, string> = {}) {
    const mine = layerMunicipalities(c.get('actor'), [...(await deps.map.get()).municipalities.values()]);
    const codes = new Set(mine.map((m) => m.code));
    const items = (await deps.info.get()).all.filter((i) => i.municipality && codes.has(i.municipality)).slice(0, 300);
    const done = c.req.query('done');
    const now = Date.now();
    return staffPage(
      c,
      '災害情報の登録',
      <>
        <h1>災害情報の登録</h1>
        <p>浸水・震度・火災・通行止め・公共交通・ライフラインの障害を登録すると、防災マップと市町村のページにすぐ公開されます。</p>
        {done && (
          <p role="status">{{ posted: '登録しました。', confirmed: '最新と確認しました。', ended: '終了しました。' }[done] ?? ''}</p>
        )}
        {error && <FormAlert message={error} />}
        {mine.length === 0 ? (
          <p>登録できる市町村がありません。</p>
        ) : (
          <form method="post" action={BASE} class="info-form">
            <Csrf c={c} />
            <label>
              種類
              <select name="category" required>
                {infoCategoryNames.map((k) => (
                  <option value={k} selected={values.category === k}>
                    {infoCategories[k].label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              市町村
              <select name="municipality" required>
                {mine.map((m) => (
                  <option value={m.code} selected={values.municipality === m.code}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              件名（100文字まで）
              <input type="text" name="name" required maxlength={100} value={values.name ?? ''} />
            </label>
            <label>
              状況
              <select name="status">
                <option value="">（なし）</option>
                {infoCategoryNames
                  .filter((k) => categoryStatuses[k].length)
                  .map((k) => (
                    <optgroup label={infoCategories[k].label}>
                      {categoryStatuses[k].map((s) => (
                        <option value={s} selected={values.status === s}>
                          {statusTexts[s]}
                        </option>
                      ))}
                    </optgroup>
                  ))}
              </select>
            </label>
            <label>
              震度（震度のとき）
              <select name="seismicIntensity">
                <option value="">（なし）</option>
                {intensities.map((s) => (
                  <option value={s} selected={values.seismicIntensity === s}>{`震度${s}`}</option>
                ))}
              </select>
            </label>
            <label>
              ライフラインの種類（障害のとき）
              <select name="service">
                <option value="">（なし）</option>
                {Object.entries(serviceTexts).map(([k, v]) => (
                  <option value={k} selected={values.service === k}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
            <label>
              浸水深（m）
              <input type="text" name="waterDepth" inputmode="decimal" maxlength={6} value={values.waterDepth ?? ''} />
            </label>
            <label>
              影響戸数
              <input type="text" name="affectedHouseholds" inputmode="numeric" maxlength={9} value={values.affectedHouseholds ?? ''} />
            </label>
            <label>
              経度（例: 140.74）
              <input type="text" name="lon" inputmode="decimal" maxlength={12} value={values.lon ?? ''} />
            </label>
            <label>
              緯度（例: 40.82）
              <input type="text" name="lat" inputmode="decimal" maxlength={12} value={values.lat ?? ''} />
            </label>
            <label>
              内容（1000文字まで）
              <textarea name="description" rows={3} maxlength={1000}>
                {values.description ?? ''}
              </textarea>
            </label>
            <label>
              情報源（空欄: 市町村名（職員入力））
              <input type="text" name="source" maxlength={100} value={values.source ?? ''} />
            </label>
            <button type="submit">登録する</button>
          </form>
        )}
        <h2>登録されている災害情報</h2>
        {items.length === 0 ? (
          <p>ありません。</p>
        ) : (
          <ul class="info-list">
            {items.map((i) => (
              <li>
                <strong>{`【${infoCategories[i.category].label}】${i.name}`}</strong>
                {summary(i) && `（${summary(i)}）`}
                <p class="info-meta">
                  {`情報源: ${i.source}・${i.observed ? jst(i.observed) : '－'}`}
                  {isStale(i, now) && <strong class="info-stale">{`・${STALE_TEXT}`}</strong>}
                </p>
                {/:staff-\d{5}-/.test(i.id) && (
                  <form method="post" action={`${BASE}/item`} class="info-actions">
                    <Csrf c={c} />
                    <input type="hidden" name="id" value={i.id} />
                    <button type="submit" name="action" value="confirm">
                      最新と確認
                    </button>
                    <button type="submit" name="action" value="end">
                      終了
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
      </>,
      status,
    );
  }

  app.get(BASE, (c) => page(c));
  app.post(BASE, async (c) => {
    const body = await strings(c);
    return submitForm(
      c,
      async () => deps.commands.post(c.get('actor'), parseInformationForm(body)),
      (message, status) => page(c, message, status, body),
      () => c.redirect(`${BASE}?done=posted`, 303),
    );
  });
  app.post(`${BASE}/item`, async (c) => {
    const body = await strings(c);
    const id = (body.id ?? '').slice(0, 300);
    const confirm = body.action === 'confirm';
    return submitForm(
      c,
      () => (confirm ? deps.commands.confirm(c.get('actor'), id) : deps.commands.end(c.get('actor'), id)),
      (message, status) => page(c, message, status),
      () => c.redirect(`${BASE}?done=${confirm ? 'confirmed' : 'ended'}`, 303),
    );
  });
  return app;
}
