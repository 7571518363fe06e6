// The public disaster map pages: the municipalities (with the prefecture's map), one municipality's
// shelters (list + map), and one shelter. Plain HTML lists first, so they read without JavaScript and
// offline; the map (map-view.tsx) is the same data drawn, and the filter is a GET form both share.
import { Hono, type Context } from 'hono';
import { AppError, badRequest } from '../../platform/errors.ts';
import { distanceM, distanceText, parsePoint } from './geo.ts';
import { hazardLabels } from './hazards.ts';
import { selectShelters, shelterQuery, type ShelterQuery } from './map-api.ts';
import { FilterForm, kindLabels, mapCsp, mapHead, MapView } from './map-view.tsx';
import { disasterPage } from './page.tsx';
import { SavePack } from './save-pack.tsx';
import type { MapData, MapDataSource, Shelter } from './shelters.ts';
import type { InformationSection } from './information-public.tsx';

export { kindLabels };
export const statusLabels = { open: '開設中', closed: '閉鎖' } as const;
const dash = '－';

export const occupancyText = (s: Shelter) =>
  s.occupancy === null && s.capacity === null ? dash : `${s.occupancy ?? dash}人/${s.capacity ?? dash}人`;

export const notFoundPage = () => new AppError(404, 'not_found', 'お探しのページは見つかりませんでした。URLをご確認ください。');

/** The API URL with the same filters as the page, for the map. */
const sheltersUrl = (q: Pick<ShelterQuery, 'municipality' | 'hazard' | 'kind'>) => {
  const p = new URLSearchParams();
  for (const k of ['municipality', 'hazard', 'kind'] as const) if (q[k]) p.set(k, q[k]);
  return `/api/v1/disaster/shelters${p.size ? `?${p}` : ''}`;
};

/** One shelter in a list: the facts a resident needs to choose, the rest on its page. */
export const ShelterItem = (p: { s: Shelter; distance?: number; from?: string }) => (
  <li data-kind={p.s.kind} data-hazards={p.s.hazards.join(' ')}>
    <a href={`/disaster/shelters/${p.s.slug}${p.from ? `?from=${p.from}` : ''}`}>{p.s.name}</a>
    <span class="shelter-meta">
      {kindLabels[p.s.kind]}・{p.s.status ? statusLabels[p.s.status] : `開設状況${dash}`}・避難者数/収容人数 {occupancyText(p.s)}
      {p.distance !== undefined && `・約${distanceText(p.distance)}`}
    </span>
  </li>
);

/**
 * Rendered pages kept per map version, by page and checked filter (a bounded set of keys, never the
 * raw query): in a disaster everyone opens the same few pages, and a change to the data drops them.
 */
function pageMemo() {
  const memo = new WeakMap<MapData, Map<string, string>>();
  return async (c: Context, data: MapData, key: string, render: () => Promise<Response>) => {
    let pages = memo.get(data);
    if (!pages) memo.set(data, (pages = new Map()));
    const hit = pages.get(key);
    if (hit !== undefined) {
      c.header('Cache-Control', 'public, max-age=60');
      return c.html(hit);
    }
    const res = await render();
    if (res.status === 200) pages.set(key, await res.clone().text());
    return res;
  };
}

export function publicRoutes(map: MapDataSource, o: { basemapUrl?: string; information?: InformationSection } = {}) {
  const app = new Hono();
  const cached = pageMemo();
  const csp = mapCsp(o.basemapUrl);
  app.get('/disaster', async (c) => {
    const q = shelterQuery({ hazard: c.req.query('hazard') || undefined });
    const data = await map.get();
    c.header('content-security-policy', csp); // for pages from memory too
    const count = (code: string) => selectShelters(data, { ...q, municipality: code }).length;
    const suffix = q.hazard ? `?hazard=${q.hazard}` : '';
    return cached(c, data, `top|${q.hazard ?? ''}`, () =>
      disasterPage(
        c,
        '防災マップ',
        <>
          <h1>防災マップ</h1>
          <p>
            <a href="/disaster/near">近くの避難場所・避難所を探す</a>
          </p>
          <FilterForm action="/disaster" hazard={q.hazard} />
          <MapView shelters={sheltersUrl(q)} basemapUrl={o.basemapUrl} label="青森県の避難場所・避難所の地図" />
          <h2>市町村から探す</h2>
          {q.hazard && <p>{hazardLabels[q.hazard]}に対応する避難場所の数を表示しています。</p>}
          <ul class="municipality-list">
            {[...data.municipalities.values()].map((m) => (
              <li>
                <a href={`/disaster/municipalities/${m.code}${suffix}`}>{m.name}</a>（{count(m.code)}か所）
              </li>
            ))}
          </ul>
        </>,
        { head: mapHead, csp },
      ),
    );
  });

  app.get('/disaster/municipalities/:code', async (c) => {
    const data = await map.get();
    const m = data.municipalities.get(c.req.param('code'));
    if (!m) throw notFoundPage();
    const q = shelterQuery({ municipality: m.code, hazard: c.req.query('hazard') || undefined, kind: c.req.query('kind') || undefined });
    const list = selectShelters(data, q).map((r) => r.shelter);
    const all = data.byMunicipality.get(m.code)?.length ?? 0;
    c.header('content-security-policy', csp); // for pages from memory too
    // The disaster information's part of the key changes when an item goes stale (its changes reload the map data).
    const info = o.information ? await o.information.key(m.code) : '';
    const InfoSection = async () => (o.information ? await o.information.section(m.code) : null);
    return cached(c, data, `municipality|${m.code}|${q.hazard ?? ''}|${q.kind ?? ''}|${info}`, () =>
      disasterPage(
        c,
        `${m.name}の避難場所・避難所`,
        <>
          <h1>{m.name}の避難場所・避難所</h1>
          <SavePack code={m.code} />
          <p>
            <a href={`/disaster/municipalities/${m.code}/reports`}>{`${m.name}の写真投稿（被害の写真）`}</a>
          </p>
          {all === 0 ? (
            <p>この市町村の避難場所・避難所のデータは公開されていません。</p>
          ) : (
            <>
              <FilterForm action={`/disaster/municipalities/${m.code}`} hazard={q.hazard} kind={q.kind} withKind />
              <MapView
                shelters={sheltersUrl(q)}
                municipality={m.code}
                basemapUrl={o.basemapUrl}
                label={`${m.name}の避難場所・避難所の地図`}
              />
              <p class="shelter-count" aria-live="polite">
                {list.length}か所{list.length < all && `（全${all}か所中）`}
              </p>
              <ul class="shelter-list">
                {list.map((s) => (
                  <ShelterItem s={s} />
                ))}
              </ul>
            </>
          )}
          <InfoSection />
        </>,
        { head: mapHead, csp },
      ),
    );
  });

  app.get('/disaster/shelters/:slug', async (c) => {
    const data = await map.get();
    const s = data.shelters.get(c.req.param('slug'));
    if (!s) throw notFoundPage();
    const fromText = c.req.query('from');
    const from = fromText === undefined ? undefined : parsePoint(fromText);
    if (fromText !== undefined && !from) throw badRequest('from は「経度,緯度」（例: 140.74,40.82）で指定してください。');
    const m = data.municipalities.get(s.municipality);
    const route = `/disaster/route?${from ? `from=${from.join(',')}&` : ''}to=${s.slug}`;
    const render = () =>
      disasterPage(
        c,
        s.name,
        <>
          <h1>{s.name}</h1>
          <dl class="shelter-facts">
            <dt>種別</dt>
            <dd>{kindLabels[s.kind]}</dd>
            <dt>住所</dt>
            <dd>{s.address ?? dash}</dd>
            <dt>対象となる災害</dt>
            <dd>{s.hazards.length ? s.hazards.map((h) => hazardLabels[h]).join('、') : dash}</dd>
            <dt>開設状況</dt>
            <dd>{s.status ? statusLabels[s.status] : dash}</dd>
            <dt>避難者数/収容人数</dt>
            <dd>{occupancyText(s)}</dd>
            {from && (
              <>
                <dt>直線距離</dt>
                <dd>約{distanceText(distanceM(from, s.coordinates))}</dd>
              </>
            )}
          </dl>
          <p>
            <a href={route}>{from ? 'ここまでの道順' : '現在地からの道順'}</a>
          </p>
        </>,
        {
          crumbs: [
            { href: '/disaster', label: '防災マップ' },
            ...(m ? [{ href: `/disaster/municipalities/${m.code}`, label: m.name }] : []),
            { label: s.name },
          ],
        },
      );
    return from ? render() : cached(c, data, `shelter|${s.slug}`, render);
  });
  return app;
}
