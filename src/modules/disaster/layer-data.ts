// The municipalities' layers as the open data tenant publishes them, in memory as ready GeoJSON (the
// same pattern as shelters.ts): read once, dropped in every process by a change to one of the layer
// types (cache_versions 'disaster-layers'). The public API and the routes read from here.
import { Hono } from 'hono';
import { createCache, dataVersion } from '../../platform/cache.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { BrokerModule, ChangeListener, LocalEntity } from '../broker/index.ts';
import { isLayerName, layerNames, layers, type LayerName } from './layers.ts';
import { bumpVersion } from './repository.ts';
import type { MapDataSource } from './shelters.ts';

export const LAYERS_VERSION = 'disaster-layers';
const typeToLayer = new Map(layerNames.map((l) => [layers[l].type, l]));
const WATCHED = new Set(layerNames.map((l) => `https://uri.etsi.org/ngsi-ld/default-context/${layers[l].type}`));

export interface Feature {
  type: 'Feature';
  id: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown> & { name: string; municipality: string };
}
export interface LayerData {
  /** Layer → municipality code → features. */
  features: Map<LayerName, Map<string, Feature[]>>;
  version: string;
}

function toFeature(e: LocalEntity): Feature | undefined {
  const code = typeof e.municipality === 'string' ? /Municipality:(\d{5})$/.exec(e.municipality)?.[1] : undefined;
  const g = e.location as Feature['geometry'] | undefined;
  if (!code || !g?.type) return undefined;
  const properties: Feature['properties'] = { name: String(e.name ?? e.id), municipality: code };
  for (const [k, v] of Object.entries(e))
    if (!['id', 'type', 'location', 'municipality', 'name', 'createdAt', 'modifiedAt', '@context'].includes(k)) properties[k] = v;
  return { type: 'Feature', id: e.id, geometry: g, properties };
}

export function layerData(db: Db, broker: Pick<BrokerModule, 'queries'>) {
  const cache = createCache<LayerData>(1, dataVersion(db, LAYERS_VERSION, 1000));
  let loads = 0;
  const load = async (): Promise<LayerData> => {
    const all = await broker.queries.entities('', { types: layerNames.map((l) => layers[l].type), limit: 200_000 }, true);
    const features = new Map(layerNames.map((l) => [l, new Map<string, Feature[]>()]));
    for (const e of all) {
      const layer = typeToLayer.get(e.type);
      const f = toFeature(e);
      if (!layer || !f) continue;
      const byCode = features.get(layer)!;
      byCode.set(f.properties.municipality, [...(byCode.get(f.properties.municipality) ?? []), f]);
    }
    return { features, version: `${Date.now().toString(36)}-${++loads}` };
  };
  return {
    get: () => cache.get('all', load),
    watcher: (async (tx, changes) => {
      if (!changes.some((c) => c.tenant === '' && [...(c.after ?? c.before)!.types].some((t) => WATCHED.has(t)))) return;
      await bumpVersion(tx, LAYERS_VERSION);
      return () => cache.clear();
    }) satisfies ChangeListener,
  };
}
export type LayerDataSource = ReturnType<typeof layerData>;

const problem = (status: 400 | 404, detail: string) => new AppError(status, status === 400 ? 'bad_request' : 'not_found', detail);

/** GET /api/v1/disaster/layers/{layer}?municipality={code}: a GeoJSON FeatureCollection, ETag/304. */
export function layerApi(data: LayerDataSource, map: MapDataSource) {
  const app = new Hono();
  app.get('/api/v1/disaster/layers/:layer', async (c) => {
    const layer = c.req.param('layer');
    if (!isLayerName(layer)) throw problem(404, `Unknown layer; one of ${layerNames.join(', ')}.`);
    const code = c.req.query('municipality');
    if (code !== undefined && !/^\d{5}$/.test(code)) throw problem(400, 'municipality must be a 5-digit municipality code.');
    if (code !== undefined && !(await map.get()).municipalities.has(code)) throw problem(404, `No municipality ${code}.`);
    const d = await data.get();
    const etag = `W/"${d.version}-${layer}-${code ?? 'all'}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'public, max-age=60');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    const byCode = d.features.get(layer)!;
    const features = code ? (byCode.get(code) ?? []) : [...byCode.values()].flat();
    c.header('Content-Type', 'application/geo+json');
    return c.body(JSON.stringify({ type: 'FeatureCollection', features }));
  });
  return app;
}
