/**
 * disaster — あおもり防災アプリ (seed 004, 資料2-4 02.1 防災サービス) at /disaster: the disaster map and
 * lists, municipalities' own layers, offline packs, my areas with Web Push, alerts in (staff, JMA
 * 防災情報XML) and out (JSON, CAP 1.2, Atom), and routes to a shelter. Installable as a web app.
 *
 * Owns: the disaster_* tables (push subscriptions and their areas, the JMA feed state, layer imports).
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
import type { StaffEnv } from '../workspace/index.ts';
import { mapData, type MapDataSource } from './shelters.ts';
import { publicRoutes } from './public.tsx';
import type { Alert } from './alert.ts';
import { pushApi } from './push/api.ts';
import { myAreaRoutes } from './push/page.tsx';
import { alertWatcher, countRecipients, pushWorker, type PushWorkerOptions } from './push/fanout.ts';
import { vapidKeys, vapidSigner } from './push/vapid.ts';

export { alertKinds, type Alert, type AlertKind } from './alert.ts';
export type { PushWorkerOptions } from './push/fanout.ts';
export type { Shelter, Municipality, MapData } from './shelters.ts';
export { hazardTypes, hazardLabels, type HazardType } from './hazards.ts';

export interface DisasterDeps {
  db: Db;
  baseUrl: string;
  broker: Pick<BrokerModule, 'queries' | 'commands'>;
  outbound: Outbound;
  organisations: OrganisationsQueries;
  push?: PushWorkerOptions;
}

export interface DisasterCommands {
  /** Starts sending queued pushes (main.ts, once the server listens; tests start it or call pushRound). */
  startPush(): void;
  stopPush(): Promise<void>;
  /** One round of the push worker now: match queued alert versions, send what is due. */
  pushRound(): Promise<void>;
}
export interface DisasterQueries {
  /** The municipalities and shelters, from memory (shelters.ts). */
  map: MapDataSource['get'];
  /** How many registered devices an alert would reach now (the staff preview). */
  countRecipients(alert: Alert): Promise<number>;
}

export interface DisasterModule extends Module<DisasterCommands, DisasterQueries> {
  routes: { public: Routes; api: Routes };
  /** The staff screens (/staff/disaster/...), mounted by workspace behind its session (actor, CSRF). */
  staffScreens: Hono<StaffEnv>;
  /** Told of every broker entity change (cache invalidation, push fan-out); app.ts gives it to the broker. */
  watcher: ChangeListener;
}

export function createDisasterModule(deps: DisasterDeps): DisasterModule {
  const map = mapData(deps.db, deps.broker);
  const pub = new Hono();
  pub.route('/', publicRoutes(map));
  const api = new Hono();
  const staffScreens = new Hono<StaffEnv>();
  const keys = once(() => vapidKeys(deps.db));
  const base = new URL(deps.baseUrl);
  // RFC 8292 §2.1 sub: a contact for the push service's operator.
  const signer = once(async () =>
    vapidSigner(await keys(), base.protocol === 'https:' ? base.origin : `mailto:webmaster@${base.hostname}`),
  );
  const push = pushWorker(
    { db: deps.db, map: map.get, send: deps.outbound.fetch, authorization: async (endpoint) => (await signer())(endpoint) },
    deps.push,
  );
  // Each part mounts its routes here, one line each.
  pub.route('/', myAreaRoutes(map.get));
  api.route('/', pushApi(deps.db, keys, map.get, deps.outbound));
  const watchers: ChangeListener[] = [map.watcher, alertWatcher(push.wake)];
  return {
    routes: { public: pub, api },
    staffScreens,
    commands: { startPush: push.start, stopPush: push.stop, pushRound: push.runOnce },
    queries: { map: map.get, countRecipients: (alert) => countRecipients(deps.db, map.get, alert) },
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
