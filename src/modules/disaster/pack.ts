// The offline pack (オフラインパック) of one municipality: everything its pages and map need with no
// signal, in one JSON download the service worker saves on 「この市町村を保存」 (docs/disaster.md):
// the municipality and its boundary, its shelters, the layers it loaded on its own tenant, and the
// nearest suitable shelter per hazard on a ~500 m grid. Built once per data version and kept encoded;
// its version (the ETag) is a hash of the content, so a rebuild of the same data answers 304.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { createCache, dataVersion } from '../../platform/cache.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { securityHeaders } from '../../platform/http.ts';
import type { BrokerModule, ChangeListener, LocalEntity } from '../broker/index.ts';
import { nearestGrid } from './pack-grid.ts';
import { bumpVersion } from './repository.ts';
import type { MapDataSource } from './shelters.ts';

/** The layers a municipality loads (broker types), by their names in the layers API and the pack. */
export const LAYER_TYPES = {
  medical: 'MedicalFacility',
  aed: 'Aed',
  'hazard-areas': 'HazardArea',
  'high-ground': 'HighGround',
  roads: 'RoadSegment',
} as const;

/** Bumped when a layer entity changes, so every process drops its packs (cache_versions). */
export const PACK_VERSION = 'disaster-pack';
const WATCHED = new Set<string>(Object.values(LAYER_TYPES).map((t) => `https://uri.etsi.org/ngsi-ld/default-context/${t}`));
const SYSTEM = new Set(['id', 'type', 'location', 'createdAt', 'modifiedAt']);

function featureCollection(entities: LocalEntity[]) {
  const features = entities.flatMap((e) =>
    e.location && typeof e.location === 'object'
      ? [
          {
            type: 'Feature' as const,
            id: e.id,
            geometry: e.location,
            properties: Object.fromEntries(Object.entries(e).filter(([k]) => !SYSTEM.has(k))),
          },
        ]
      : [],
  );
  return { type: 'FeatureCollection' as const, features };
}

/** `size` is the byte length of the body that carries it: the number is settled by a few rounds (its own digits). */
function withSize(head: string, rest: string): string {
  let size = 0;
  for (;;) {
    const body = `${head},"size":${size},${rest}`;
    const bytes = Buffer.byteLength(body);
    if (bytes === size) return body;
    size = bytes;
  }
}

/** A pack as served: its JSON, and the same gzipped once (a weak signal in a disaster: ~14× fewer bytes). */
export interface BuiltPack {
  version: string;
  json: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
}

export function packs(db: Db, broker: Pick<BrokerModule, 'queries'>, map: MapDataSource) {
  const cache = createCache<BuiltPack>(200, dataVersion(db, PACK_VERSION, 1000));
  // The last pack served per municipality: an unchanged rebuild keeps its bytes (and `generated`).
  const last = new Map<string, BuiltPack>();

  const build = async (code: string): Promise<BuiltPack | undefined> => {
    const data = await map.get();
    const m = data.municipalities.get(code);
    if (!m) return undefined;
    const shelters = data.byMunicipality.get(code) ?? [];
    const layers = Object.fromEntries(
      await Promise.all(
        Object.entries(LAYER_TYPES).map(async ([name, type]) => [
          name,
          featureCollection(await broker.queries.entities(code, { types: [type] }, true)),
        ]),
      ),
    );
    const content = JSON.stringify({
      municipality: m,
      shelters,
      layers,
      nearestShelter: nearestGrid(m.boundary?.coordinates ?? [], shelters),
    }).slice(1, -1);
    const version = createHash('sha1').update(content).digest('base64url').slice(0, 20);
    const kept = last.get(code);
    if (kept?.version === version) return kept;
    const json = new TextEncoder().encode(withSize(`{"version":"${version}","generated":"${new Date().toISOString()}"`, `${content}}`));
    const built = { version, json, gzip: new Uint8Array(gzipSync(json)) };
    last.set(code, built);
    return built;
  };

  return {
    /** The encoded pack, or undefined for an unknown municipality. */
    get: async (code: string) => {
      const data = await map.get();
      // Keyed by the map's version too: a shelter change makes new packs.
      return data.municipalities.has(code) ? cache.get(`${data.version}:${code}`, async () => (await build(code))!) : undefined;
    },
    watcher: (async (tx, changes) => {
      if (!changes.some((c) => [...(c.after ?? c.before)!.types].some((t) => WATCHED.has(t)))) return;
      await bumpVersion(tx, PACK_VERSION);
      return () => cache.clear();
    }) satisfies ChangeListener,
  };
}

export type Packs = ReturnType<typeof packs>;

export function packRoutes(source: Packs) {
  const app = new Hono();
  app.get('/disaster/municipalities/:code/pack', async (c) => {
    const pack = await source.get(c.req.param('code'));
    if (!pack) throw new AppError(404, 'not_found', 'お探しの市町村は見つかりませんでした。');
    // Each encoding its own ETag (RFC 9110 8.8.3); either one answers 304, the content being the same.
    const gzip = /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '');
    const plain = `"${pack.version}"`;
    const zipped = `"${pack.version}-gz"`;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      // The service worker revalidates (If-None-Match) whenever the app opens online.
      'cache-control': 'public, max-age=60',
      vary: 'accept-encoding',
      etag: gzip ? zipped : plain,
      ...securityHeaders,
    };
    const held = (c.req.header('if-none-match') ?? '').split(',').map((t) => t.trim());
    if (held.includes(plain) || held.includes(zipped)) return new Response(null, { status: 304, headers });
    if (gzip) headers['content-encoding'] = 'gzip';
    return new Response(gzip ? pack.gzip : pack.json, { headers });
  });
  return app;
}
