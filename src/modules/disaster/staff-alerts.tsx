// Staff alerts at /staff/disaster/alerts: the list and 「発令する」 form, a preview (what residents
// see, the やさしい日本語, the municipalities touched, how many will receive it), then the write;
// per alert, 改めて発令 (update) and 解除 (cancel). A municipality editor works on their own
// municipality's alerts only; anything else is 404.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { staffPage, submitForm, Csrf, type StaffEnv } from '../workspace/index.ts';
import { alertKinds, isCurrent, type Alert } from './alert.ts';
import { parseAlertForm, toJst } from './alert-input.ts';
import { AlertForm, formValues, type FormValues } from './alert-form.tsx';
import type { AlertService } from './alerts.ts';
import { jst } from './alerts-public.tsx';
import { mapCsp } from './map-view.tsx';
import { alertMunicipalitiesOf, canActOnAlert, canUseAlerts } from './rules.ts';
import type { MapDataSource, Municipality } from './shelters.ts';

/** How many devices an alert will reach (the push part's countRecipients); null when unknown. */
export type Recipients = (alert: Alert) => Promise<number | null>;

const BASE = '/staff/disaster/alerts';
type C = Context<StaffEnv>;

export function staffAlertRoutes(alerts: AlertService, map: MapDataSource, recipients: Recipients) {
  const app = new Hono<StaffEnv>();
  const staffOnly: MiddlewareHandler<StaffEnv> = async (c, next) => {
    if (!canUseAlerts(c.get('actor'))) throw notFound('ページ');
    // The form's map to draw an area on: our own module scripts, MapLibre's worker, blob: tiles.
    c.header('content-security-policy', mapCsp());
    await next();
  };
  app.use(BASE, staffOnly);
  app.use(`${BASE}/*`, staffOnly);

  const choices = async (c: C): Promise<Municipality[]> => {
    const all = [...(await map.get()).municipalities.values()];
    const own = alertMunicipalitiesOf(c.get('actor'));
    return own ? all.filter((m) => own.includes(m.code)) : all;
  };
  const refused =
    (c: C, title: string, action: string, values: FormValues) => async (error: string, status: FormStatus, details?: unknown) =>
      staffPage(
        c,
        title,
        <>
          <h1>{title}</h1>
          <AlertForm
            c={c}
            action={action}
            values={values}
            choices={await choices(c)}
            error={error}
            field={(details as { field?: string })?.field}
          />
        </>,
        status,
      );

  async function list(c: C) {
    const actor = c.get('actor');
    const mine = (await alerts.get()).all.filter((a) => a.source.startsWith('staff:') && canActOnAlert(actor, a.municipalities));
    const defaults: FormValues = { expires: toJst(new Date(Date.now() + 24 * 3600_000).toISOString()) };
    return staffPage(
      c,
      '避難情報の発令',
      <>
        <h1>避難情報の発令</h1>
        {c.req.query('done') && (
          <p role="status">
            {{ issued: '発令しました。', updated: '改めて発令しました。', cancelled: '解除しました。' }[c.req.query('done')!]}
          </p>
        )}
        <h2>発令中・最近の避難情報</h2>
        {mine.length ? (
          <ul class="alert-list">
            {mine.map((a) => (
              <li>
                <a href={`${BASE}/${a.slug}`}>{a.headline}</a>（{alertKinds[a.kind]}・
                {isCurrent(a) ? '発令中' : a.status === 'cancelled' ? '解除' : '期限切れ'}・{jst(a.updated)}）
              </li>
            ))}
          </ul>
        ) : (
          <p>まだありません。</p>
        )}
        <h2>発令する</h2>
        <AlertForm c={c} action={`${BASE}/preview`} values={defaults} choices={await choices(c)} />
      </>,
    );
  }

  /** The preview: the alert as residents will see it, and the form again (editable) with 発令する. */
  async function preview(c: C, values: FormValues, action: string, confirm: { action: string; label: string }) {
    const d = parseAlertForm(values as Record<string, unknown>);
    const done = await alerts.preview(c.get('actor'), d);
    const now = new Date().toISOString();
    const draft: Alert = {
      id: 'urn:ngsi-ld:Alert:preview',
      kind: d.kind,
      headline: done.headline,
      description: done.description,
      easyJapanese: done.easyJapanese,
      severity: 'informational',
      municipalities: done.municipalities,
      ...(d.area && { area: d.area }),
      ...(d.hazard && { hazard: d.hazard }),
      status: 'issued',
      issued: now,
      updated: now,
      expires: d.expires,
      source: 'staff:preview',
    };
    const count = await recipients(draft);
    const filled: FormValues = { ...values, headline: done.headline, description: done.description, easyJapanese: done.easyJapanese };
    return staffPage(
      c,
      '発令内容の確認',
      <>
        <h1>発令内容の確認</h1>
        <section class="alert-preview" aria-labelledby="seen">
          <h2 id="seen">住民に表示される内容</h2>
          <p class="alert-badge">{alertKinds[d.kind]}</p>
          <p>
            <strong>{done.headline}</strong>
          </p>
          <p class="alert-text">{done.description}</p>
          <h3>やさしい日本語</h3>
          <p class="alert-easy">{done.easyJapanese}</p>
          <dl>
            <dt>対象の市町村</dt>
            <dd class="alert-places">{done.names.join('、')}</dd>
            {d.area && (
              <>
                <dt>描いた範囲</dt>
                <dd class="alert-area">頂点{d.area.coordinates[0]!.length - 1}個の範囲（下の地図と入力欄）</dd>
              </>
            )}
            <dt>通知を受け取る端末の数</dt>
            <dd class="recipients">{count === null ? '－' : `${count.toLocaleString('ja-JP')}台`}</dd>
            <dt>終了日時</dt>
            <dd>{jst(d.expires)}</dd>
          </dl>
        </section>
        <h2>内容を直す・発令する</h2>
        <AlertForm c={c} action={action} values={filled} choices={await choices(c)} confirm={confirm} />
      </>,
    );
  }

  app.get(BASE, (c) => list(c));

  app.post(`${BASE}/preview`, async (c) => {
    const values = formValues(await c.req.parseBody({ all: true }));
    return submitForm(
      c,
      async () => preview(c, values, `${BASE}/preview`, { action: BASE, label: '発令する' }),
      refused(c, '避難情報の発令', `${BASE}/preview`, values),
      (page) => page,
    );
  });

  app.post(BASE, async (c) => {
    const body = await c.req.parseBody({ all: true });
    const values = formValues(body);
    // Only the preview's button sends confirm=yes: a write always follows a preview.
    if (body.confirm !== 'yes') return c.redirect(BASE, 303);
    return submitForm(
      c,
      () => alerts.issue(c.get('actor'), parseAlertForm(body)),
      refused(c, '避難情報の発令', `${BASE}/preview`, values),
      (a) => c.redirect(`${BASE}/${a.slug}?done=issued`, 303),
    );
  });

  app.get(`${BASE}/:slug`, async (c) => {
    const a = await alerts.editable(c.get('actor'), c.req.param('slug'));
    const names = (await map.get()).municipalities;
    const values: FormValues = {
      kind: a.kind,
      municipalities: a.municipalities,
      area: a.area ? JSON.stringify(a.area) : '',
      hazard: a.hazard ?? '',
      headline: a.headline,
      description: a.description,
      easyJapanese: a.easyJapanese,
      expires: a.expires ? toJst(a.expires) : '',
    };
    const done = c.req.query('done');
    return staffPage(
      c,
      a.headline,
      <>
        <h1>{a.headline}</h1>
        {done && <p role="status">{{ issued: '発令しました。', updated: '改めて発令しました。', cancelled: '解除しました。' }[done]}</p>}
        <dl>
          <dt>種類</dt>
          <dd>{alertKinds[a.kind]}</dd>
          <dt>状態</dt>
          <dd class="alert-status">{a.status === 'cancelled' ? '解除' : isCurrent(a) ? '発令中' : '期限切れ'}</dd>
          <dt>対象の市町村</dt>
          <dd>{a.municipalities.map((m) => names.get(m)?.name ?? m).join('、')}</dd>
          <dt>発令・更新</dt>
          <dd>
            {jst(a.issued)}・{jst(a.updated)}
          </dd>
        </dl>
        <p>
          <a href={`/disaster/alerts/${a.slug}`}>公開ページ</a>・<a href={`/disaster/alerts/${a.slug}.cap`}>CAP</a>
        </p>
        {a.status !== 'cancelled' && (
          <>
            <h2>解除する</h2>
            <form method="post" action={`${BASE}/${a.slug}/cancel`}>
              <Csrf c={c} />
              <button type="submit" name="confirm" value="yes">
                解除する
              </button>
            </form>
            <h2>改めて発令する</h2>
            <AlertForm c={c} action={`${BASE}/${a.slug}/preview`} values={values} choices={await choices(c)} />
          </>
        )}
      </>,
    );
  });

  app.post(`${BASE}/:slug/preview`, async (c) => {
    const slug = (await alerts.editable(c.get('actor'), c.req.param('slug'))).slug;
    const values = formValues(await c.req.parseBody({ all: true }));
    return submitForm(
      c,
      async () => preview(c, values, `${BASE}/${slug}/preview`, { action: `${BASE}/${slug}`, label: '改めて発令する' }),
      refused(c, '改めて発令する', `${BASE}/${slug}/preview`, values),
      (page) => page,
    );
  });

  app.post(`${BASE}/:slug`, async (c) => {
    const slug = c.req.param('slug');
    const body = await c.req.parseBody({ all: true });
    if (body.confirm !== 'yes') return c.redirect(`${BASE}/${slug}`, 303);
    return submitForm(
      c,
      () => alerts.update(c.get('actor'), slug, parseAlertForm(body)),
      refused(c, '改めて発令する', `${BASE}/${slug}/preview`, formValues(body)),
      (a) => c.redirect(`${BASE}/${a.slug}?done=updated`, 303),
    );
  });

  app.post(`${BASE}/:slug/cancel`, async (c) => {
    const slug = c.req.param('slug');
    const body = await c.req.parseBody();
    if (body.confirm !== 'yes') return c.redirect(`${BASE}/${slug}`, 303);
    const a = await alerts.cancel(c.get('actor'), slug);
    return c.redirect(`${BASE}/${a.slug}?done=cancelled`, 303);
  });

  return app;
}
