// Disaster information for the public: the GeoJSON API (all categories, and one per category for the
// map's layers) and the section with legend and list on a municipality's page. Stale items say so.
import { Hono } from 'hono';
import { AppError } from '../../platform/errors.ts';
import { jst } from './alerts-public.tsx';
import {
  infoCategories,
  infoCategoryNames,
  isInfoCategory,
  isStale,
  summary,
  toFeature,
  type InfoCategory,
  type InformationSource,
} from './information.ts';
import type { MapDataSource } from './shelters.ts';

export const STALE_TEXT = '情報が古い可能性があります';
const problem = (status: 400 | 404, message: string) => new AppError(status, status === 400 ? 'bad_request' : 'not_found', message);

/**
 * GET /api/v1/disaster/information?municipality=&category= — every item as a GeoJSON Feature (geometry
 * null without a location); /api/v1/disaster/information/{category}?municipality= — one category's
 * items with a location (the map layer).
 */
export function informationApi(info: InformationSource, map: MapDataSource) {
  const app = new Hono();
  const answer = async (code: string | undefined, category: InfoCategory | undefined, located: boolean) => {
    if (code !== undefined && !/^\d{5}$/.test(code)) throw problem(400, 'municipality は5桁の市町村コードで指定してください。');
    if (code !== undefined && !(await map.get()).municipalities.has(code)) throw problem(404, `市町村 ${code} は見つかりません。`);
    const now = Date.now();
    const features = (await info.of(code, category)).filter((i) => !located || i.geometry).map((i) => toFeature(i, now));
    return new Response(JSON.stringify({ type: 'FeatureCollection', features }), {
      headers: { 'content-type': 'application/geo+json', 'cache-control': 'public, max-age=30' },
    });
  };
  app.get('/api/v1/disaster/information', async (c) => {
    const category = c.req.query('category');
    if (category !== undefined && !isInfoCategory(category))
      throw problem(400, `category は ${infoCategoryNames.join(', ')} のいずれかで指定してください。`);
    return answer(c.req.query('municipality'), category, false);
  });
  app.get('/api/v1/disaster/information/:category', async (c) => {
    const category = c.req.param('category');
    if (!isInfoCategory(category)) throw problem(404, `category は ${infoCategoryNames.join(', ')} のいずれかです。`);
    return answer(c.req.query('municipality'), category, true);
  });
  return app;
}

const Swatch = (p: { colour: string }) => (
  <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
    <circle cx="7" cy="7" r="6" fill={p.colour} />
  </svg>
);

/** The municipality page's part: the page memo's key (changes when an item goes stale) and the section. */
export function informationSection(info: InformationSource) {
  return {
    async key(code: string) {
      const now = Date.now();
      const items = await info.of(code);
      return `${items.length}:${items
        .filter((i) => isStale(i, now))
        .map((i) => i.id)
        .join(',')}`;
    },
    async section(code: string) {
      const now = Date.now();
      const items = await info.of(code);
      return (
        <section aria-labelledby="disaster-information" class="disaster-information">
          <h2 id="disaster-information">災害情報</h2>
          <ul class="info-legend" aria-label="地図の凡例">
            {infoCategoryNames.map((c) => (
              <li>
                <Swatch colour={infoCategories[c].colour} /> {infoCategories[c].label}
              </li>
            ))}
          </ul>
          {items.length === 0 ? (
            <p>現在、この市町村の災害情報はありません。</p>
          ) : (
            <ul class="info-list">
              {items.map((i) => (
                <li data-category={i.category}>
                  <Swatch colour={infoCategories[i.category].colour} />{' '}
                  <strong>{`【${infoCategories[i.category].label}】${i.name}`}</strong>
                  {summary(i) && `（${summary(i)}）`}
                  {i.description && <p>{i.description}</p>}
                  <p class="info-meta">
                    {`情報源: ${i.source}・`}
                    <time datetime={i.observed}>{i.observed ? jst(i.observed) : '－'}</time>
                    {isStale(i, now) && <strong class="info-stale">{`・${STALE_TEXT}`}</strong>}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      );
    },
  };
}
export type InformationSection = ReturnType<typeof informationSection>;
