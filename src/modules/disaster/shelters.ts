// The disaster map's data: the 40 municipalities and their shelters (指定緊急避難場所, 指定避難所) as the
// broker holds them in the default (open data) tenant, in one plain shape for the map API, the pages,
// offline packs and routes. Read once into memory and kept until a broker change to one of these
// types (in any process: cache_versions 'disaster-map') drops it: a disaster is everyone at once.
import { createCache, dataVersion } from '../../platform/cache.ts';
import type { Db } from '../../platform/db.ts';
import type { BrokerModule, ChangeListener, LocalEntity } from '../broker/index.ts';
import { hazardTypes, isHazardType, type HazardType } from './hazards.ts';
import { bumpVersion, MAP_VERSION } from './repository.ts';

export type ShelterKind = 'emergency' | 'evacuation';

/** A shelter's stable map properties (the GeoJSON API's `properties`, docs/disaster.md). */
export interface Shelter {
  id: string;
  /** In URLs (/disaster/shelters/{slug}): the kind and the 共通ID, e.g. evacuation-E0220100002111. */
  slug: string;
  kind: ShelterKind;
  name: string;
  address: string | null;
  /** 5-digit municipality code */
  municipality: string;
  /** [lon, lat] */
  coordinates: [number, number];
  /** The hazards it is designated for (指定緊急避難場所); [] for a 指定避難所, whose data names none. */
  hazards: HazardType[];
  /** null: unknown (never set by staff). */
  status: 'open' | 'closed' | null;
  occupancy: number | null;
  capacity: number | null;
  /** When staff last opened it (ISO 8601; shelter operations), else null. */
  openedAt: string | null;
  /** When the broker entity last changed (ISO 8601). */
  updated: string;
}

export interface Municipality {
  code: string;
  name: string;
  /** The N03 boundary (MultiPolygon coordinates). */
  boundary: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

export interface MapData {
  municipalities: Map<string, Municipality>;
  /** By slug. */
  shelters: Map<string, Shelter>;
  byMunicipality: Map<string, Shelter[]>;
  /** Bumped with every reload: ETags are built from it. */
  version: string;
}

export const SHELTER_TYPES = { EmergencyEvacuationSite: 'emergency', EvacuationShelter: 'evacuation' } as const;
const WATCHED = new Set<string>(
  [...Object.keys(SHELTER_TYPES), 'Municipality'].map((t) => `https://uri.etsi.org/ngsi-ld/default-context/${t}`),
);

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
const codeOf = (ref: unknown) => (typeof ref === 'string' ? (/Municipality:(\d{5})$/.exec(ref)?.[1] ?? null) : null);

export function toShelter(e: LocalEntity): Shelter | undefined {
  const kind = SHELTER_TYPES[e.type as keyof typeof SHELTER_TYPES];
  const point = e.location as { type?: string; coordinates?: unknown } | undefined;
  const municipality = codeOf(e.municipality);
  if (!kind || point?.type !== 'Point' || !Array.isArray(point.coordinates) || !municipality) return undefined;
  const status = e.shelterStatus === 'open' || e.shelterStatus === 'closed' ? e.shelterStatus : null;
  return {
    id: e.id,
    slug: `${kind}-${e.id.slice(e.id.lastIndexOf(':') + 1)}`,
    kind,
    name: str(e.name) ?? e.id,
    address: str(e.address),
    municipality,
    coordinates: point.coordinates.slice(0, 2) as [number, number],
    hazards: Array.isArray(e.hazards) ? e.hazards.filter(isHazardType).sort((a, b) => hazardTypes.indexOf(a) - hazardTypes.indexOf(b)) : [],
    status,
    occupancy: num(e.occupancy),
    capacity: num(e.capacity),
    openedAt: str(e.openedAt),
    updated: str(e.modifiedAt) ?? '',
  };
}

export function mapData(db: Db, broker: Pick<BrokerModule, 'queries'>) {
  const cache = createCache<MapData>(1, dataVersion(db, MAP_VERSION, 1000));
  let loads = 0;
  const load = async (): Promise<MapData> => {
    const [places, sites] = await Promise.all([
      broker.queries.entities('', { types: ['Municipality'], limit: 1000 }, true),
      broker.queries.entities('', { types: Object.keys(SHELTER_TYPES), limit: 100_000 }, true),
    ]);
    const municipalities = new Map<string, Municipality>();
    for (const m of places) {
      const code = str(m.code);
      if (code) municipalities.set(code, { code, name: str(m.name) ?? code, boundary: m.location as Municipality['boundary'] });
    }
    const shelters = new Map<string, Shelter>();
    const byMunicipality = new Map<string, Shelter[]>([...municipalities.keys()].map((c) => [c, []]));
    for (const e of sites) {
      const s = toShelter(e);
      if (!s) continue;
      shelters.set(s.slug, s);
      byMunicipality.get(s.municipality)?.push(s);
    }
    return { municipalities, shelters, byMunicipality, version: `${Date.now().toString(36)}-${++loads}` };
  };
  return {
    get: () => cache.get('all', load),
    /** Drops the data in this process (a part whose data the map pages show bumps MAP_VERSION for the others). */
    drop: () => cache.clear(),
    /** Bumps the map version when a change touches shelters or municipalities of the open data tenant. */
    watcher: (async (tx, changes) => {
      const touches = changes.some((c) => c.tenant === '' && [...(c.after ?? c.before)!.types].some((t) => WATCHED.has(t)));
      if (!touches) return;
      await bumpVersion(tx, MAP_VERSION);
      return () => cache.clear();
    }) satisfies ChangeListener,
  };
}

export type MapDataSource = ReturnType<typeof mapData>;
