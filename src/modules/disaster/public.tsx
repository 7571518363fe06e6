// The public disaster map pages (the map helper extends them): the municipalities, one municipality's
// shelters, and one shelter. Plain HTML lists first, so they read without JavaScript and offline.
import { Hono } from 'hono';
import { AppError } from '../../platform/errors.ts';
import { hazardLabels } from './hazards.ts';
import { disasterPage } from './page.tsx';
import { SavePack } from './save-pack.tsx';
import type { MapDataSource, Shelter } from './shelters.ts';

const kindLabels = { emergency: '指定緊急避難場所', evacuation: '指定避難所' } as const;
const statusLabels = { open: '開設中', closed: '閉鎖' } as const;
const dash = '－';

export const occupancyText = (s: Shelter) =>
  s.occupancy === null && s.capacity === null ? dash : `${s.occupancy ?? dash}人/${s.capacity ?? dash}人`;

const notFound = () => new AppError(404, 'not_found', 'お探しのページは見つかりませんでした。URLをご確認ください。');

export function publicRoutes(map: MapDataSource) {
  const app = new Hono();
  app.get('/disaster', async (c) => {
    const data = await map.get();
    return disasterPage(
      c,
      '防災マップ',
      <>
        <h1>防災マップ</h1>
        <h2>市町村から探す</h2>
        <ul class="municipality-list">
          {[...data.municipalities.values()].map((m) => (
            <li>
              <a href={`/disaster/municipalities/${m.code}`}>{m.name}</a>
            </li>
          ))}
        </ul>
      </>,
    );
  });

  app.get('/disaster/municipalities/:code', async (c) => {
    const data = await map.get();
    const m = data.municipalities.get(c.req.param('code'));
    if (!m) throw notFound();
    const list = data.byMunicipality.get(m.code) ?? [];
    return disasterPage(
      c,
      `${m.name}の避難場所・避難所`,
      <>
        <h1>{m.name}の避難場所・避難所</h1>
        <SavePack code={m.code} />
        {list.length === 0 ? (
          <p>この市町村の避難場所・避難所のデータは公開されていません。</p>
        ) : (
          <ul class="shelter-list">
            {list.map((s) => (
              <li>
                <a href={`/disaster/shelters/${s.slug}`}>{s.name}</a>（{kindLabels[s.kind]}）
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  });

  app.get('/disaster/shelters/:slug', async (c) => {
    const data = await map.get();
    const s = data.shelters.get(c.req.param('slug'));
    if (!s) throw notFound();
    const m = data.municipalities.get(s.municipality);
    return disasterPage(
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
        </dl>
      </>,
      {
        crumbs: [
          { href: '/disaster', label: '防災マップ' },
          ...(m ? [{ href: `/disaster/municipalities/${m.code}`, label: m.name }] : []),
          { label: s.name },
        ],
      },
    );
  });
  return app;
}
