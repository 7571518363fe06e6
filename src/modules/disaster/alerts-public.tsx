// Alerts out: the JSON list (GET /api/v1/disaster/alerts), a CAP 1.2 message per alert, the Atom feed,
// and the public pages. All from the alerts in memory (alerts.ts); a body is encoded once per version of
// the alerts and the set that is current, so a peak is ETag/304 or bytes from memory.
import { Hono } from 'hono';
import { AppError } from '../../platform/errors.ts';
import { encode, sendEncoded, type Encoded } from '../../platform/http.ts';
import { alertKinds, isCurrent, type Alert } from './alert.ts';
import type { AlertService } from './alerts.ts';
import { toAtom } from './atom.ts';
import { toCap } from './cap.ts';
import { disasterPage } from './page.tsx';
import type { MapDataSource } from './shelters.ts';

type Shown = Alert & { slug: string };
const css = <link rel="stylesheet" href="/assets/disaster-alerts.css" />;
/** How long an ended alert stays in `?all=1` and on the public list. */
const RECENT_MS = 7 * 86400_000;
const statusLabels = { issued: '発令中', updated: '発令中（更新）', cancelled: '解除' } as const;

export const jst = (iso: string) => {
  const d = new Date(Date.parse(iso) + 9 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};
const ended = (a: Alert, now: number) => !isCurrent(a, now);
const recent = (a: Alert, now: number) => isCurrent(a, now) || now - Date.parse(a.updated) < RECENT_MS;
const notFound = () => new AppError(404, 'not_found', 'お探しの警報・避難情報は見つかりませんでした。');

export function alertRoutes(alerts: AlertService, map: MapDataSource, baseUrl: string) {
  const url = (path: string) => new URL(path, baseUrl).href;
  const sender = new URL(baseUrl).hostname;
  const encoded = new Map<string, Encoded>();
  /** One encoding per (what, alerts version, the alerts shown): time moves alerts out, so the set is in the key. */
  const once = (what: string, version: string, shown: Shown[], make: () => [string, string]) => {
    const key = `${what}|${version}|${shown.map((a) => a.slug).join(',')}`;
    let e = encoded.get(key);
    if (!e) {
      if (encoded.size > 100) encoded.clear();
      e = encode(...make());
      encoded.set(key, e);
    }
    return e;
  };
  const names = async () => {
    const m = (await map.get()).municipalities;
    return (code: string) => m.get(code)?.name ?? code;
  };

  const pub = new Hono();
  pub.get('/disaster/alerts.atom', async (c) => {
    const { all, version } = await alerts.get();
    const shown = all.filter((a) => isCurrent(a));
    return sendEncoded(
      c,
      once('atom', version, shown, () => [toAtom(shown, baseUrl), 'application/atom+xml; charset=utf-8']),
    );
  });

  pub.get('/disaster/alerts/:file{[^/]+\\.cap}', async (c) => {
    const { bySlug, version } = await alerts.get();
    const a = bySlug.get(c.req.param('file').slice(0, -4));
    if (!a) throw notFound();
    const nameOf = await names();
    const web = url(`/disaster/alerts/${a.slug}`);
    return sendEncoded(
      c,
      once('cap', version, [a], () => [toCap(a, { sender, slug: a.slug, names: nameOf, web }), 'application/cap+xml; charset=utf-8']),
    );
  });

  pub.get('/disaster/alerts', async (c) => {
    const now = Date.now();
    const shown = (await alerts.get()).all.filter((a) => recent(a, now));
    const nameOf = await names();
    return disasterPage(
      c,
      '警報・避難情報',
      <>
        <h1>警報・避難情報</h1>
        <p>
          <a href="/disaster/alerts.atom">Atom フィード</a>・<a href="/api/v1/disaster/alerts">JSON</a>
        </p>
        {shown.length === 0 ? <p>いま発令中の警報・避難情報はありません。</p> : <AlertList alerts={shown} names={nameOf} now={now} />}
      </>,
      { maxAge: 30, head: css },
    );
  });

  pub.get('/disaster/alerts/:slug', async (c) => {
    const a = (await alerts.get()).bySlug.get(c.req.param('slug'));
    if (!a) throw notFound();
    const nameOf = await names();
    const over = ended(a, Date.now());
    return disasterPage(
      c,
      a.headline || alertKinds[a.kind],
      <article class={`alert alert-${a.kind}${over ? ' alert-ended' : ''}`}>
        <h1>
          {over && <span class="alert-ended-badge">{a.status === 'cancelled' ? '解除' : '終了'}</span>}
          {a.headline}
        </h1>
        <p class="alert-kind">{alertKinds[a.kind]}</p>
        <section aria-labelledby="easy">
          <h2 id="easy">やさしい日本語</h2>
          <p lang="ja">{a.easyJapanese}</p>
        </section>
        <h2>くわしい内容</h2>
        <p class="alert-text">{a.description}</p>
        <dl class="alert-facts">
          <dt>状態</dt>
          <dd>{a.status === 'cancelled' ? '解除' : over ? '期限切れ' : statusLabels[a.status]}</dd>
          <dt>対象の市町村</dt>
          <dd>
            <ul>
              {a.municipalities.map((m) => (
                <li>
                  <a href={`/disaster/municipalities/${m}`}>{nameOf(m)}</a>
                </li>
              ))}
            </ul>
          </dd>
          <dt>発令</dt>
          <dd>
            <time datetime={a.issued}>{jst(a.issued)}</time>
          </dd>
          <dt>更新</dt>
          <dd>
            <time datetime={a.updated}>{jst(a.updated)}</time>
          </dd>
          <dt>終了予定</dt>
          <dd>{a.expires ? <time datetime={a.expires}>{jst(a.expires)}</time> : '－'}</dd>
        </dl>
        <p>
          <a href={`/disaster/alerts/${a.slug}.cap`}>CAP 1.2（XML）</a>
        </p>
      </article>,
      {
        crumbs: [{ href: '/disaster', label: '防災マップ' }, { href: '/disaster/alerts', label: '警報・避難情報' }, { label: a.headline }],
        maxAge: 30,
        head: css,
      },
    );
  });

  const api = new Hono();
  api.get('/api/v1/disaster/alerts', async (c) => {
    const now = Date.now();
    const all = c.req.query('all') === '1';
    const { all: list, version } = await alerts.get();
    const shown = list.filter((a) => (all ? recent(a, now) : isCurrent(a, now)));
    return sendEncoded(
      c,
      once(all ? 'json-all' : 'json', version, shown, () => [
        JSON.stringify({ alerts: shown.map((a) => asJson(a, url)) }),
        'application/json; charset=utf-8',
      ]),
      30,
    );
  });
  return { pub, api };
}

/** The JSON API's alert (docs/disaster.md): stable member names. */
export const asJson = (a: Shown, url: (p: string) => string) => ({
  id: a.id,
  kind: a.kind,
  kindLabel: alertKinds[a.kind],
  headline: a.headline,
  areas: a.municipalities,
  issued: a.issued,
  updated: a.updated,
  expires: a.expires ?? null,
  status: a.status,
  source: a.source,
  severity: a.severity,
  ...(a.hazard && { hazard: a.hazard }),
  easyJapanese: a.easyJapanese,
  url: url(`/disaster/alerts/${a.slug}`),
});

function AlertList(props: { alerts: Shown[]; names: (c: string) => string; now: number }) {
  return (
    <ul class="alert-list">
      {props.alerts.map((a) => (
        <li class={`alert alert-${a.kind}`}>
          <p>
            <span class="alert-badge">{alertKinds[a.kind]}</span>
            {ended(a, props.now) && <span class="alert-ended-badge">{a.status === 'cancelled' ? '解除' : '終了'}</span>}
          </p>
          <h2>
            <a href={`/disaster/alerts/${a.slug}`}>{a.headline}</a>
          </h2>
          <p class="alert-places">{a.municipalities.map(props.names).join('、')}</p>
          <p class="alert-easy">{a.easyJapanese}</p>
          <p class="alert-time">
            <time datetime={a.updated}>{jst(a.updated)}</time>
          </p>
        </li>
      ))}
    </ul>
  );
}
