// 災害情報管理ダッシュボード (issue 14 point 6): what a municipality's staff (the prefecture: every
// municipality) need at one glance — current alerts, open shelters with 避難者数/収容人数 and their
// staff-only needs, 写真投稿 waiting for moderation, disaster information with stale items flagged.
// The data is read from the parts' in-memory sources, and its version is the tuple of their
// cache_versions rows, so the live page (server-sent events) learns of a change written by any
// process — a vendor's PATCH on the broker, a check-in, another staff member — within a second.
import { inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { cacheVersions } from '../../platform/schema.ts';
import type { Actor } from '../identity/index.ts';
import type { BrokerModule, ChangeListener } from '../broker/index.ts';
import { isCurrent } from './alert.ts';
import { ALERT_VERSION, type AlertService } from './alerts.ts';
import { INFO_VERSION, isStale, type Information, type InformationSource } from './information.ts';
import { MAP_VERSION, STAFF_VERSION, bumpVersion } from './repository.ts';
import { staffReports, type ReportRow } from './repository-reports.ts';
import { evacueeAttributes, evacueeCounts } from './repository-checkin.ts';
import { alertMunicipalitiesOf } from './rules.ts';
import { needsOf } from './shelter-ops.ts';
import { SHELTER_TYPES, type MapDataSource, type Shelter } from './shelters.ts';

const VERSIONS = [MAP_VERSION, ALERT_VERSION, INFO_VERSION, STAFF_VERSION];
const SHELTER_URIS = new Set(Object.keys(SHELTER_TYPES).map((t) => `https://uri.etsi.org/ngsi-ld/default-context/${t}`));

/** Bumps STAFF_VERSION when a shelter's staff-only entity (a municipality's tenant) changes. */
export const staffWatcher: ChangeListener = async (tx, changes) => {
  if (changes.some((c) => c.tenant !== '' && [...(c.after ?? c.before)!.types].some((t) => SHELTER_URIS.has(t))))
    await bumpVersion(tx, STAFF_VERSION);
};

/** The dashboard data's version: one read of the four rows, shared by every caller within `everyMs`. */
export function dashboardVersion(db: Db, everyMs = 1000) {
  let last: { at: number; value: Promise<string> } | undefined;
  return () => {
    if (!last || performance.now() - last.at >= everyMs) {
      const value = db
        .select({ name: cacheVersions.name, version: cacheVersions.version })
        .from(cacheVersions)
        .where(inArray(cacheVersions.name, VERSIONS))
        .then((rows) => VERSIONS.map((n) => rows.find((r) => r.name === n)?.version ?? 0).join('.'));
      last = { at: performance.now(), value };
      value.catch(() => (last = undefined));
    }
    return last.value;
  };
}

export interface ShelterRow extends ReturnType<typeof needsOf> {
  shelter: Shelter;
}

export interface Dashboard {
  /** The municipalities in view (code → name). */
  scope: Map<string, string>;
  /** Every municipality's name (code → name): a home municipality may lie outside the scope. */
  municipalityNames: Map<string, string>;
  alerts: { slug: string; headline: string; kind: string; municipalities: string[]; updated: string; source: string }[];
  shelters: ShelterRow[];
  totals: { open: number; occupancy: number; capacity: number; unknownOccupancy: number };
  reports: { pending: number; latest: ReportRow[] };
  /** Checked in now, from the receptions' records: counts only. */
  evacuees: { households: number; people: number; byCard: number; walkIns: number; needsCare: number };
  /** Counted attributes (checkin-attributes.ts); `outside`: people whose home municipality is not the shelter's. */
  attributes: Awaited<ReturnType<typeof evacueeAttributes>>;
  information: (Information & { stale: boolean })[];
}

export interface DashboardDeps {
  db: Db;
  broker: Pick<BrokerModule, 'queries'>;
  map: MapDataSource;
  alerts: AlertService;
  info: InformationSource;
}

export async function dashboardData(deps: DashboardDeps, actor: Actor, now = Date.now()): Promise<Dashboard> {
  const data = await deps.map.get();
  const own = alertMunicipalitiesOf(actor);
  const codes = own ?? [...data.municipalities.keys()];
  const scope = new Map(codes.flatMap((c) => (data.municipalities.has(c) ? [[c, data.municipalities.get(c)!.name] as const] : [])));
  const inScope = (m: string | null) => m !== null && scope.has(m);
  const open = codes.flatMap((c) => data.byMunicipality.get(c) ?? []).filter((s) => s.status === 'open');
  // Staff-only needs: one query per municipality with open shelters (its tenant holds only those staff wrote).
  const ownEntities = new Map(
    (
      await Promise.all(
        [...new Set(open.map((s) => s.municipality))].map((c) =>
          deps.broker.queries.entities(c, { types: Object.keys(SHELTER_TYPES), limit: 10_000 }, false),
        ),
      )
    )
      .flat()
      .map((e) => [e.id, e] as const),
  );
  const shelters = open
    .map((s): ShelterRow => ({ shelter: s, ...needsOf(ownEntities.get(s.id)) }))
    .sort((a, b) => a.shelter.municipality.localeCompare(b.shelter.municipality) || a.shelter.name.localeCompare(b.shelter.name, 'ja'));
  const [alertData, infoData, reports, counts, attributes] = await Promise.all([
    deps.alerts.get(),
    deps.info.get(),
    staffReports(deps.db, own, 200),
    evacueeCounts(deps.db, [...scope.keys()]),
    evacueeAttributes(deps.db, [...scope.keys()]),
  ]);
  const sum = (f: (r: (typeof counts)[number]) => number) => counts.reduce((n, r) => n + f(r), 0);
  const pending = reports.filter((r) => r.status === 'pending');
  return {
    scope,
    municipalityNames: new Map([...data.municipalities.values()].map((m) => [m.code, m.name])),
    alerts: alertData.all
      .filter((a) => isCurrent(a, now) && a.municipalities.some(inScope))
      .map((a) => ({
        slug: a.slug,
        headline: a.headline,
        kind: a.kind,
        municipalities: a.municipalities,
        updated: a.updated,
        source: a.source,
      })),
    shelters,
    totals: {
      open: open.length,
      occupancy: open.reduce((n, s) => n + (s.occupancy ?? 0), 0),
      capacity: open.reduce((n, s) => n + (s.capacity ?? 0), 0),
      unknownOccupancy: open.filter((s) => s.occupancy === null).length,
    },
    reports: { pending: pending.length, latest: pending.slice(0, 5) },
    evacuees: {
      households: sum((r) => r.households),
      people: sum((r) => r.people),
      byCard: sum((r) => (r.method !== 'walk-in' ? r.households : 0)),
      walkIns: sum((r) => (r.method === 'walk-in' ? r.households : 0)),
      needsCare: sum((r) => r.needsCare),
    },
    attributes,
    information: infoData.all.filter((i) => inScope(i.municipality)).map((i) => ({ ...i, stale: isStale(i, now) })),
  };
}
