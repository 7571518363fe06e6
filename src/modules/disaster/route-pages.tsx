// The route to a shelter: the page /disaster/route (a GET form that works without JavaScript, the
// steps as a list, the line on a map with it) and GET /api/v1/disaster/route (JSON with a GeoJSON
// LineString). The road graph is built once per version of the layer data.
import { Hono, type Context } from 'hono';
import { AppError } from '../../platform/errors.ts';
import { hazardLabels, hazardTypes, isHazardType, type HazardType } from './hazards.ts';
import type { LayerDataSource } from './layer-data.ts';
import { AOMORI_BOX } from './layers.ts';
import { MapView, mapCsp, mapHead } from './map-view.tsx';
import { disasterPage } from './page.tsx';
import { buildNetwork, nearestShelter, planRoute, type Route, type RoadNetwork, type ShelterRule } from './route.ts';
import { RouteSketch } from './route-sketch.tsx';
import type { MapDataSource, Shelter } from './shelters.ts';

const ruleTexts: Record<ShelterRule, string> = {
  open: '開設中と分かっている指定緊急避難場所のうち、最も近いところです。',
  designated: 'この災害に対応する指定緊急避難場所のうち、最も近いところです（開設状況は分かっていません）。',
  chosen: '選んだ避難場所です。',
};

interface Query {
  from: [number, number];
  hazard: HazardType;
  to?: string;
}

/** The query as given, or a message in Japanese naming what is wrong (an empty form is no error). */
function parseQuery(q: (name: string) => string | undefined): Query | string | undefined {
  const from = q('from')?.trim();
  const hazard = q('hazard');
  if (!from && !hazard) return undefined;
  const m = /^(\d{2,3}(?:\.\d{1,15})?)\s*,\s*(\d{2}(?:\.\d{1,15})?)$/.exec(from ?? '');
  if (!m) return '出発地点（from）は「経度,緯度」の形で入力してください（例: 140.7400,40.8244）。';
  const p: [number, number] = [Number(m[1]), Number(m[2])];
  if (p[0] < AOMORI_BOX[0] || p[0] > AOMORI_BOX[2] || p[1] < AOMORI_BOX[1] || p[1] > AOMORI_BOX[3])
    return '出発地点（from）が青森県の範囲外です。経度,緯度の順か確認してください。';
  if (!isHazardType(hazard)) return '災害の種類（hazard）を選んでください。';
  const to = q('to');
  if (to !== undefined && !/^[a-z]+-[A-Za-z0-9]{1,40}$/.test(to)) return '避難場所（to）の指定が正しくありません。';
  return { from: p, hazard, to };
}

export function routeRoutes(map: MapDataSource, layers: LayerDataSource, o: { basemapUrl?: string } = {}) {
  let built: { version: string; net: RoadNetwork } | undefined;
  const network = async () => {
    const d = await layers.get();
    if (built?.version !== d.version) {
      const roads = [...d.features.get('roads')!.values()].flat().filter((f) => f.geometry.type === 'LineString');
      built = {
        version: d.version,
        net: buildNetwork(roads.map((f) => ({ name: f.properties.name, coordinates: f.geometry.coordinates as [number, number][] }))),
      };
    }
    return built.net;
  };

  /** The shelter and route for a query; a message when there is no shelter to go to. */
  async function answer(q: Query): Promise<{ shelter: Shelter; rule: ShelterRule; route: Route } | string> {
    const data = await map.get();
    let chosen: { shelter: Shelter; rule: ShelterRule } | undefined;
    if (q.to) {
      const s = data.shelters.get(q.to);
      if (!s) return '指定された避難場所が見つかりません。';
      chosen = { shelter: s, rule: 'chosen' };
    } else chosen = nearestShelter([...data.shelters.values()], q.from, q.hazard);
    if (!chosen) return `${hazardLabels[q.hazard]}に対応する指定緊急避難場所のデータがありません。市町村の案内や防災無線に従ってください。`;
    return { ...chosen, route: planRoute(await network(), q.from, chosen.shelter) };
  }

  const api = new Hono();
  api.get('/api/v1/disaster/route', async (c) => {
    const q = parseQuery((n) => c.req.query(n));
    if (q === undefined || typeof q === 'string') throw new AppError(400, 'bad_request', q ?? 'from と hazard が必要です。');
    const a = await answer(q);
    if (typeof a === 'string') throw new AppError(404, 'not_found', a);
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({
      from: q.from,
      hazard: q.hazard,
      shelter: { slug: a.shelter.slug, name: a.shelter.name, coordinates: a.shelter.coordinates, status: a.shelter.status },
      rule: a.rule,
      ruleText: ruleTexts[a.rule],
      mode: a.route.mode,
      distance: Math.round(a.route.metres),
      direction: a.route.direction,
      note: a.route.note ?? null,
      steps: a.route.steps.map((s) => ({ text: s.text, distance: Math.round(s.metres) })),
      line: { type: 'Feature', geometry: { type: 'LineString', coordinates: a.route.line }, properties: { mode: a.route.mode } },
    });
  });

  const pages = new Hono();
  pages.get('/disaster/route', async (c) => {
    const q = parseQuery((n) => c.req.query(n));
    const a = q && typeof q !== 'string' ? await answer(q) : undefined;
    const error = typeof q === 'string' ? q : typeof a === 'string' ? a : undefined;
    // A malformed query is 400; no shelter for the hazard is an answer (200) with its message.
    return page(c, typeof q === 'string' ? 400 : 200, error, typeof a === 'object' ? a : undefined, o.basemapUrl);
  });
  return { pages, api };
}

async function page(
  c: Context,
  status: 200 | 400,
  error: string | undefined,
  a: { shelter: Shelter; rule: ShelterRule; route: Route } | undefined,
  basemapUrl: string | undefined,
) {
  const from = c.req.query('from') ?? '';
  const hazard = c.req.query('hazard') ?? '';
  return disasterPage(
    c,
    '避難場所までの道順',
    <>
      <h1>避難場所までの道順</h1>
      <form method="get" action="/disaster/route" class="filters route-form">
        <label>
          出発地点（経度,緯度）
          <input name="from" value={from} inputmode="decimal" placeholder="140.7400,40.8244" autocomplete="off" />
        </label>
        <button type="button" class="use-location" hidden>
          現在地を使う
        </button>
        <label>
          災害の種類
          <select name="hazard">
            {hazardTypes.map((h) => (
              <option value={h} selected={h === hazard}>
                {hazardLabels[h]}
              </option>
            ))}
          </select>
        </label>
        {c.req.query('to') && <input type="hidden" name="to" value={c.req.query('to')} />}
        <button type="submit">道順を調べる</button>
      </form>
      {error && (
        <p class="differs" role="alert">
          {error}
        </p>
      )}
      {a && (
        <section aria-labelledby="route-result" class="route-result">
          <h2 id="route-result">
            <a href={`/disaster/shelters/${a.shelter.slug}`}>{a.shelter.name}</a>まで
            {` ${a.route.mode === 'network' ? '道のり' : '直線で'}約${Math.round(a.route.metres).toLocaleString('ja-JP')} m（${a.route.direction}）`}
          </h2>
          <p>{ruleTexts[a.rule]}</p>
          {a.route.note && (
            <p class="differs" role="note">
              {a.route.note}
            </p>
          )}
          <ol class="route-steps">
            {a.route.steps.map((s) => (
              <li>{s.text}</li>
            ))}
          </ol>
          {/* The map (MapLibre, as on the other pages) with the line, its start and the shelter over the
              shelter's municipality; without JavaScript or WebGL, the sketch below it. */}
          <MapView
            shelters={`/api/v1/disaster/shelters?municipality=${a.shelter.municipality}&hazard=${hazard}`}
            municipality={a.shelter.municipality}
            route={`/api/v1/disaster/route?${new URLSearchParams(c.req.query()).toString()}`}
            basemapUrl={basemapUrl}
            label={`${a.shelter.name}までの道順の地図`}
          />
          <RouteSketch line={a.route.line} network={a.route.mode === 'network'} />
        </section>
      )}
      <script src="/assets/disaster-route.js" defer></script>
    </>,
    // The map's policy (our scripts, MapLibre's worker and blob: tiles); on every answer, the form's script too.
    { status, maxAge: 60, head: a ? mapHead : undefined, csp: mapCsp(basemapUrl) },
  );
}
