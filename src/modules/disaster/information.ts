// Disaster information (issue 14 point 5): flooding, seismic intensity, fires, road closures, public
// transport and utility/telecom outages, as NGSI-LD entities on the open data tenant, written by
// agencies' systems through the NGSI-LD API (a broker client with ngsi-ld:write) or by staff
// (information-staff.tsx). Every item has a source and a time (dateObserved, else when it was last
// written); an item not updated within its category's window is stale. In memory (cache_versions
// 'disaster-information'), dropped by any change to these types in any process.
import { createCache, dataVersion } from '../../platform/cache.ts';
import type { Db } from '../../platform/db.ts';
import type { BrokerModule, ChangeListener, LocalEntity } from '../broker/index.ts';
import { bumpVersion, MAP_VERSION } from './repository.ts';

export const INFO_VERSION = 'disaster-information';

/**
 * The categories: URL slug → NGSI-LD type, label, colour on the map, and how many hours without an
 * update make an item stale (fast-changing conditions short, a one-off observation long).
 */
export const infoCategories = {
  flooding: { type: 'FloodObserved', label: '浸水', colour: '#0958d9', staleHours: 3 },
  'seismic-intensity': { type: 'SeismicIntensityObserved', label: '震度', colour: '#722ed1', staleHours: 24 },
  fire: { type: 'FireIncident', label: '火災', colour: '#cf1322', staleHours: 2 },
  'road-closure': { type: 'RoadClosure', label: '通行止め・渋滞', colour: '#d46b08', staleHours: 12 },
  transit: { type: 'TransitStatus', label: '公共交通の運行', colour: '#08979c', staleHours: 3 },
  outage: { type: 'UtilityOutage', label: '電気・水道・ガス・通信の障害', colour: '#595959', staleHours: 6 },
} as const;
export type InfoCategory = keyof typeof infoCategories;
export const infoCategoryNames = Object.keys(infoCategories) as InfoCategory[];
export const isInfoCategory = (s: string): s is InfoCategory => Object.hasOwn(infoCategories, s);
/** The map's layer URLs for a municipality's information (one per category; the map colours them by the last path segment). */
export const informationLayerUrls = (code: string) =>
  infoCategoryNames.map((c) => `/api/v1/disaster/information/${c}?municipality=${code}`);
const byType = new Map(infoCategoryNames.map((c) => [infoCategories[c].type as string, c]));
const WATCHED = new Set(infoCategoryNames.map((c) => `https://uri.etsi.org/ngsi-ld/default-context/${infoCategories[c].type}`));

/** The `status` values shown in Japanese (others are shown as sent). */
export const statusTexts: Record<string, string> = {
  burning: '延焼中',
  controlled: '鎮圧',
  extinguished: '鎮火',
  closed: '通行止め',
  restricted: '規制あり',
  congested: '渋滞',
  reopened: '解除',
  normal: '平常運行',
  delayed: '遅れ',
  suspended: '運休',
  ongoing: '障害発生中',
  restored: '復旧',
  flooded: '浸水',
  receded: '水が引いた',
};
export const serviceTexts: Record<string, string> = { electricity: '電気', water: '水道', gas: 'ガス', telecom: '通信' };

export interface Information {
  id: string;
  category: InfoCategory;
  name: string;
  description: string | null;
  /** 5-digit municipality code; null when the entity names none. */
  municipality: string | null;
  geometry: { type: string; coordinates: unknown } | null;
  status: string | null;
  /** UtilityOutage: electricity | water | gas | telecom */
  service: string | null;
  /** SeismicIntensityObserved: e.g. 5弱 */
  seismicIntensity: string | null;
  /** FloodObserved: metres */
  waterDepth: number | null;
  /** UtilityOutage */
  affectedHouseholds: number | null;
  source: string;
  /** dateObserved, else the broker's modifiedAt (ISO 8601). */
  observed: string;
}

const str = (v: unknown, max = 2000) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A normalized entity with each attribute's value (or object, or json) in its place, the entity's own times kept. */
function flatten(e: LocalEntity): LocalEntity {
  const out: LocalEntity = { id: e.id, type: e.type };
  for (const [k, v] of Object.entries(e)) {
    if (k === 'id' || k === 'type') continue;
    const a: unknown = Array.isArray(v) ? v[0] : v; // several instances (datasetId): the first
    out[k] =
      a && typeof a === 'object' && 'type' in a
        ? ((a as { value?: unknown; object?: unknown; json?: unknown }).value ??
          (a as { object?: unknown }).object ??
          (a as { json?: unknown }).json)
        : a;
  }
  return out;
}

/** An entity (keyValues, with the entity's modifiedAt) as an item; undefined for other types. */
export function toInformation(e: LocalEntity): Information | undefined {
  const category = byType.get(e.type);
  if (!category) return undefined;
  const g = e.location as Information['geometry'] | undefined;
  const observed = str(e.dateObserved) ?? str(e.modifiedAt) ?? '';
  return {
    id: e.id,
    category,
    name: str(e.name, 200) ?? infoCategories[category].label,
    description: str(e.description),
    municipality: typeof e.municipality === 'string' ? (/Municipality:(\d{5})$/.exec(e.municipality)?.[1] ?? null) : null,
    geometry: g && typeof g.type === 'string' ? g : null,
    status: str(e.status, 50),
    service: str(e.service, 50),
    seismicIntensity: str(e.seismicIntensity, 10),
    waterDepth: num(e.waterDepth),
    affectedHouseholds: num(e.affectedHouseholds),
    source: str(e.source, 200) ?? '－',
    observed: Number.isNaN(Date.parse(observed)) ? (str(e.modifiedAt) ?? '') : observed,
  };
}

/** Not updated within its category's window (now in ms). */
export const isStale = (i: Information, now = Date.now()) =>
  !i.observed || now - Date.parse(i.observed) > infoCategories[i.category].staleHours * 3600_000;

/** One line of what it says, in Japanese. */
export function summary(i: Information): string {
  const parts = [
    i.seismicIntensity && `震度${i.seismicIntensity}`,
    i.service && (serviceTexts[i.service] ?? i.service),
    i.status && (statusTexts[i.status] ?? i.status),
    i.waterDepth !== null && `浸水深 約${i.waterDepth}m`,
    i.affectedHouseholds !== null && `約${i.affectedHouseholds.toLocaleString('ja-JP')}戸`,
  ].filter(Boolean);
  return parts.join('・');
}

export interface InfoData {
  all: Information[];
  version: string;
}

/** `map`: the map data, dropped with the information so the municipality pages (kept per map version) show it. */
export function informationData(db: Db, broker: Pick<BrokerModule, 'queries'>, map?: { drop: () => void }) {
  const cache = createCache<InfoData>(1, dataVersion(db, INFO_VERSION, 1000));
  let loads = 0;
  const load = async (): Promise<InfoData> => {
    // Normalized, not keyValues: only the normalized form carries the entity's modifiedAt (the time when dateObserved is missing).
    const types = infoCategoryNames.map((c) => infoCategories[c].type);
    const entities = (await broker.queries.entities('', { types, limit: 20_000 }, false)).map(flatten);
    const all = entities
      .map(toInformation)
      .filter((i) => i !== undefined)
      .sort((a, b) => b.observed.localeCompare(a.observed) || a.id.localeCompare(b.id));
    return { all, version: `${Date.now().toString(36)}-${++loads}` };
  };
  const get = () => cache.get('all', load);
  return {
    get,
    /** A municipality's items (all when code is undefined), newest first. */
    async of(code?: string, category?: InfoCategory) {
      return (await get()).all.filter((i) => (!code || i.municipality === code) && (!category || i.category === category));
    },
    /** Drops the information (and the map pages) in every process when one of these types changes on the open data tenant. */
    watcher: (async (tx, changes) => {
      if (!changes.some((c) => c.tenant === '' && [...(c.after ?? c.before)!.types].some((t) => WATCHED.has(t)))) return;
      await bumpVersion(tx, INFO_VERSION);
      if (map) await bumpVersion(tx, MAP_VERSION);
      return () => {
        cache.clear();
        map?.drop();
      };
    }) satisfies ChangeListener,
  };
}
export type InformationSource = ReturnType<typeof informationData>;

/** An item as a GeoJSON Feature (RFC 7946; geometry null when it has no location). */
export const toFeature = (i: Information, now = Date.now()) => ({
  type: 'Feature' as const,
  id: i.id,
  geometry: i.geometry,
  properties: {
    category: i.category,
    categoryLabel: infoCategories[i.category].label,
    name: i.name,
    summary: summary(i),
    description: i.description,
    municipality: i.municipality,
    status: i.status,
    service: i.service,
    seismicIntensity: i.seismicIntensity,
    waterDepth: i.waterDepth,
    affectedHouseholds: i.affectedHouseholds,
    source: i.source,
    observed: i.observed,
    stale: isStale(i, now),
  },
});
