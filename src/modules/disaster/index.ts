/**
 * disaster — あおもり防災アプリ (seed 004, 資料2-4 02.1 防災サービス) at /disaster: the disaster map and
 * lists, municipalities' own layers, offline packs, my areas with Web Push, alerts in (staff, JMA
 * 防災情報XML) and out (JSON, CAP 1.2, Atom), and routes to a shelter. Installable as a web app.
 *
 * Owns: the disaster_* tables (push subscriptions and their areas, the JMA feed state, layer imports, photo
 * reports, 安否確認: statuses, links, codes and PFIF-imported persons).
 * The data itself lives on the broker: shelters, boundaries, layers and `Alert` entities are NGSI-LD
 * entities (the broker is the source; other systems read and write the same), read and written through
 * the broker's in-process queries and commands, and watched through its change listeners (`watchers`).
 * Needs: the database; the broker; the outbound policy (push services, JMA feeds); the organisation
 * registry (municipalities); the staff session (its screens are mounted behind workspace's session).
 */
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { Module, Routes } from '../../platform/module.ts';
import type { Outbound } from '../../platform/outbound.ts';
import type { BrokerModule, ChangeListener } from '../broker/index.ts';
import type { OrganisationsQueries } from '../organisations/index.ts';
import type { StaffEnv, StaffScreens } from '../workspace/index.ts';
import type { DeletedWithAccount, GateActor, HeldFields, ResidentEnv, ResidentScreens, ResidentsModule } from '../residents/index.ts';
import { discloseResident } from './disclosure.ts';
import { mapData, type MapDataSource } from './shelters.ts';
import type { AlertService } from './alerts.ts';
import { mapApi } from './map-api.ts';
import { nearRoutes } from './near.tsx';
import { publicRoutes } from './public.tsx';
import { packRoutes, packs } from './pack.ts';
import { offlineRoutes } from './offline.tsx';
import { jmaPoller, type FeedPoll, type JmaOptions } from './jma/poller.ts';
import { alertService } from './alerts.ts';
import { alertRoutes } from './alerts-public.tsx';
import { staffAlertRoutes } from './staff-alerts.tsx';
import { layerApi, layerData } from './layer-data.ts';
import { layerScreens } from './layers-staff.tsx';
import { routeRoutes } from './route-pages.tsx';
import { shelterOps } from './shelter-ops.ts';
import { shelterOpsScreens } from './shelter-ops-staff.tsx';
import { informationData } from './information.ts';
import { informationApi, informationSection } from './information-public.tsx';
import { informationCommands } from './information-commands.ts';
import { informationScreens } from './information-staff.tsx';
import { myReportRoutes, reportSections } from './reports-my.tsx';
import { staffReportRoutes } from './reports-staff.tsx';
import { publicReportRoutes } from './reports-public.tsx';
import { deleteReportsOf } from './repository-reports.ts';
import { staffDisasterLinks, staffHomeRoutes } from './staff-home.tsx';
import { dashboardVersion, staffWatcher } from './dashboard.ts';
import { safetyPart } from './safety/index.ts';
import { safetyConfirmations } from './safety/confirmations.ts';
import { rosterScreens } from './roster/staff.tsx';
import { unlinkResident } from './roster/repository.ts';
import { rosterSummary, type ConfirmationSource } from './roster/followups.ts';

export type { Confirmation, ConfirmationSource } from './roster/followups.ts';
import { certificates } from './certificate/index.ts';
import { checkins, type CheckInListener } from './checkin.ts';
import { cardKey } from './card.ts';
import { myCardRoutes, cardSections } from './card-my.tsx';
import { receptionScreens } from './checkin-staff.tsx';
import { deleteCheckinDataOf } from './repository-checkin.ts';
import { myAreaAccountRoutes, myAreaSections } from './my-areas.tsx';
import { deleteMyAreasOf } from './repository-my-areas.ts';

export { alertKinds, alertSlug, isCurrent, type Alert, type AlertKind } from './alert.ts';
export type { Recipients } from './staff-alerts.tsx';
import type { Alert } from './alert.ts';
import { pushApi } from './push/api.ts';
import { myAreaRoutes } from './push/page.tsx';
import { alertWatcher, countRecipients, pushWorker, type PointOpener, type PushWorkerOptions } from './push/fanout.ts';
import { FANOUT_ACTOR, openPointsOfMany, sealMyAreaPoints } from './my-area-points.ts';
import { vapidKeys, vapidSigner } from './push/vapid.ts';

export type { PushWorkerOptions } from './push/fanout.ts';
export type { CheckInEvent, CheckInListener } from './checkin.ts';
export type { Shelter, Municipality, MapData } from './shelters.ts';
export type { FeedPoll, JmaOptions } from './jma/poller.ts';
export { hazardTypes, hazardLabels, type HazardType } from './hazards.ts';

export interface DisasterDeps {
  db: Db;
  baseUrl: string;
  broker: Pick<BrokerModule, 'queries' | 'commands'>;
  outbound: Outbound;
  organisations: OrganisationsQueries;
  /** Residents' personal data, only through the consent gate (`read`, every call logged); late-bound in app.ts. */
  residents: Pick<ResidentsModule, 'queries' | 'fields' | 'mynumber'>;
  /**
   * 避難行動要支援者名簿: the sources that confirm a person on it (check-in at a shelter, 安否確認 無事), beside the
   * roster's own follow-ups; app.ts adds them (roster/followups.ts ConfirmationSource).
   */
  rosterConfirmations?: readonly ConfirmationSource[];
  /** The JMA 防災情報XML feeds to poll (JMA_FEEDS, JMA_POLL_SECONDS); none: off. */
  jma?: JmaOptions;
  /** A raster tile URL template or a .pmtiles file under the map (DISASTER_BASEMAP_URL); none: boundaries only. */
  basemapUrl?: string;
  /** Reverse proxies in front (TRUST_PROXY): the client address the push API's and the public 安否照会's rate limits count. */
  trustProxy?: number;
  /** The push worker's settings (concurrency, backoff); tests shorten the backoff. */
  push?: PushWorkerOptions;
}

export interface DisasterCommands {
  /** Polls the JMA feeds once (what the timer does); main.ts starts and stops the timer. */
  pollJma(): Promise<FeedPoll[]>;
  startJmaPoller(): void;
  stopJmaPoller(): Promise<void>;
  /** 安否: marks a resident 無事/負傷/避難中 in `db` (callable inside the caller's transaction; check-in uses it). */
  markSafety: ReturnType<typeof safetyPart>['markSafety'];
  /** Starts sending queued pushes (main.ts, once the server listens; tests start it or call pushRound). */
  startPush(): void;
  stopPush(): Promise<void>;
  /** One round of the push worker now: match queued alert versions, send what is due. */
  pushRound(): Promise<void>;
  /** Tells the listener of each card holder's shelter check-in `{residentId, shelterName, at}`, inside the check-in's transaction. */
  onCheckIn(listener: CheckInListener): void;
  /** Seals マイエリア points an earlier version kept in clear (main.ts, at start); answers how many. */
  sealMyAreaPoints(): Promise<number>;
}
export interface DisasterQueries {
  /** The municipalities and shelters, from memory (shelters.ts). */
  map: MapDataSource['get'];
  /** Every Alert entity of the open data tenant, from memory (alerts.ts), newest first. */
  alerts: AlertService['get'];
  /** How many registered devices an alert would reach now (the staff preview). */
  countRecipients(alert: Alert): Promise<number>;
}

export interface DisasterModule extends Module<DisasterCommands, DisasterQueries> {
  routes: { public: Routes; api: Routes };
  /** The staff screens (/staff/disaster/...), mounted by workspace behind its session (actor, CSRF). */
  staffScreens: StaffScreens;
  /** The resident's screens (/my/disaster/...), mounted by residents behind its session (residentId, CSRF). */
  residentScreens: ResidentScreens;
  /** Told of every broker entity change (cache invalidation, push fan-out); app.ts gives it to the broker. */
  watcher: ChangeListener;
}

export function createDisasterModule(deps: DisasterDeps): DisasterModule {
  const map = mapData(deps.db, deps.broker);
  const pack = packs(deps.db, deps.broker, map);
  const pub = new Hono();
  const alerts = alertService(deps.db, deps.broker, map);
  const alertsOut = alertRoutes(alerts, map, deps.baseUrl);
  pub.route('/', alertsOut.pub);
  const info = informationData(deps.db, deps.broker, map);
  pub.route('/', publicRoutes(map, { basemapUrl: deps.basemapUrl, information: informationSection(info) }));
  pub.route('/', nearRoutes(map, { basemapUrl: deps.basemapUrl }));
  pub.route('/', packRoutes(pack));
  pub.route('/', offlineRoutes());
  const layers = layerData(deps.db, deps.broker);
  const api = new Hono();
  api.route('/', mapApi(map));
  api.route('/', alertsOut.api);
  const jma = jmaPoller(
    { db: deps.db, broker: deps.broker, outbound: deps.outbound, isOurs: async (code) => (await map.get()).municipalities.has(code) },
    deps.jma ?? { feeds: [], pollSeconds: 60 },
  );
  const staffScreens = new Hono<StaffEnv>();
  const residentScreens = {
    routes: new Hono<ResidentEnv>(),
    sections: [] as { href: string; label: string }[],
    deletedWithAccount: [] as DeletedWithAccount[],
    disclosed: { disaster: (db: Db, reader: GateActor, residentId: string) => discloseResident(db, fields, reader, residentId) },
  };
  const keys = once(() => vapidKeys(deps.db));
  const base = new URL(deps.baseUrl);
  // RFC 8292 §2.1 sub: a contact for the push service's operator.
  const signer = once(async () =>
    vapidSigner(await keys(), base.protocol === 'https:' ? base.origin : `mailto:webmaster@${base.hostname}`),
  );
  // residents is late-bound (app.ts): its fields are reached only when a request arrives.
  const fields: HeldFields = {
    seal: (...a) => deps.residents.fields.seal(...a),
    open: (...a) => deps.residents.fields.open(...a),
    openEach: (...a) => deps.residents.fields.openEach(...a),
  };
  const openPoints: PointOpener = (db, due) => openPointsOfMany(db, fields, FANOUT_ACTOR, due);
  const push = pushWorker(
    { db: deps.db, map: map.get, send: deps.outbound.fetch, authorization: async (endpoint) => (await signer())(endpoint), openPoints },
    deps.push,
  );
  // Each part mounts its routes here, one line each.
  pub.route('/', myAreaRoutes(map.get));
  api.route('/', pushApi(deps.db, keys, map.get, deps.outbound, deps.trustProxy));
  const recipients = (alert: Alert) => countRecipients(deps.db, map.get, openPoints, alert);
  const confirmations = [safetyConfirmations, ...(deps.rosterConfirmations ?? [])];
  staffScreens.route(
    '/',
    staffHomeRoutes({
      db: deps.db,
      broker: deps.broker,
      map,
      alerts,
      info,
      version: dashboardVersion(deps.db),
      basemapUrl: deps.basemapUrl,
      roster: rosterSummary({ db: deps.db, fields }, confirmations),
    }),
  );
  staffScreens.route('/', staffAlertRoutes(alerts, map, recipients));
  api.route('/', layerApi(layers, map));
  const route = routeRoutes(map, layers, { basemapUrl: deps.basemapUrl });
  pub.route('/', route.pages);
  api.route('/', route.api);
  staffScreens.route('/', layerScreens({ broker: deps.broker, map }));
  const ops = shelterOps(deps.broker, map);
  staffScreens.route('/', shelterOpsScreens(ops));
  api.route('/', informationApi(info, map));
  staffScreens.route('/', informationScreens({ map, info, commands: informationCommands(deps.broker, map, info) }));
  const reportsOut = publicReportRoutes(deps.db, map.get);
  pub.route('/', reportsOut.pub);
  api.route('/', reportsOut.api);
  staffScreens.route('/', staffReportRoutes(deps.db, map.get));
  residentScreens.routes.route('/', myReportRoutes(deps.db, map.get));
  residentScreens.sections.push(...reportSections);
  residentScreens.deletedWithAccount.push(deleteReportsOf);
  const safety = safetyPart({ db: deps.db, fields, map: map.get, baseUrl: deps.baseUrl, trustProxy: deps.trustProxy });
  pub.route('/', safety.pub);
  residentScreens.routes.route('/', safety.my);
  staffScreens.route('/', safety.staff);
  residentScreens.sections.push(...safety.sections);
  residentScreens.deletedWithAccount.push(safety.deletedWithAccount);
  staffScreens.route(
    '/',
    rosterScreens({
      db: deps.db,
      fields,
      confirmations,
      read: (...a) => deps.residents.queries.read(...a),
    }),
  );
  residentScreens.deletedWithAccount.push(unlinkResident);
  const cert = certificates({ db: deps.db, map: map.get, residents: deps.residents, baseUrl: deps.baseUrl });
  pub.route('/', cert.pub);
  staffScreens.route('/', cert.staff);
  residentScreens.routes.route('/', cert.my);
  residentScreens.sections.push(...cert.sections);
  residentScreens.deletedWithAccount.push(cert.deletedWithAccount);
  const key = cardKey(deps.db);
  const reception = checkins({ db: deps.db, broker: deps.broker, map, residents: deps.residents, key });
  staffScreens.route(
    '/',
    receptionScreens(reception, () => deps.residents.mynumber),
  );
  residentScreens.routes.route('/', myCardRoutes(deps.db, key));
  residentScreens.sections.push(...cardSections);
  residentScreens.deletedWithAccount.push(deleteCheckinDataOf);
  // A card holder's check-in marks them 避難中 「○○に避難」 for those they linked with (and the roster).
  reception.onCheckIn((tx, e) =>
    safety.markSafety(tx, e.residentId, {
      status: 'evacuating',
      place: `${e.shelterName}に避難`.slice(0, 100),
      source: 'check-in',
      municipality: e.municipality,
    }),
  );
  residentScreens.routes.route('/', myAreaAccountRoutes(deps.db, map.get, deps.outbound, fields));
  residentScreens.sections.push(...myAreaSections);
  residentScreens.deletedWithAccount.push(deleteMyAreasOf);
  const watchers: ChangeListener[] = [
    map.watcher,
    pack.watcher,
    alerts.watcher,
    layers.watcher,
    alertWatcher(push.wake),
    ops.watcher,
    info.watcher,
    staffWatcher,
  ];
  return {
    routes: { public: pub, api },
    staffScreens: { routes: staffScreens, links: staffDisasterLinks },
    residentScreens,
    commands: {
      pollJma: jma.pollOnce,
      startJmaPoller: jma.start,
      stopJmaPoller: jma.stop,
      startPush: push.start,
      stopPush: push.stop,
      pushRound: push.runOnce,
      markSafety: safety.markSafety,
      onCheckIn: reception.onCheckIn,
      sealMyAreaPoints: () => sealMyAreaPoints(deps.db, fields),
    },
    queries: { map: map.get, alerts: alerts.get, countRecipients: recipients },
    watcher: async (tx, changes) => {
      const after: (() => void)[] = [];
      for (const w of watchers) {
        const then = await w(tx, changes);
        if (then) after.push(then);
      }
      return after.length ? () => after.forEach((f) => f()) : undefined;
    },
  };
}

/** The first call's promise, kept (a failed one is dropped so the next call tries again). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= make().catch((err: unknown) => {
      p = undefined;
      throw err;
    }));
}
