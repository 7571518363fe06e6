/**
 * broker — the data linkage platform's NGSI-LD context broker (ETSI GS CIM 009 v1.8) at
 * /ngsi-ld/v1, on the same database (see docs/ngsi-ld.md).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import { brokerRoutes } from './api.ts';
import { loadAomoriIfEmpty } from './default-data.ts';
import { BrokerError } from './errors.ts';
import { indexGeoProperties } from './geo.ts';
import { notifier, type NotifierOptions } from './notifier.ts';
import { entityStore } from './store.ts';
import { enqueueNotifications, subscriptionRoutes } from './subscriptions.ts';

export { BrokerError } from './errors.ts';

export interface BrokerOptions {
  /** Tenant ('' = default) -> API key for writes; null when NGSI_LD_AUTH=off. */
  apiKeys: Record<string, string> | null;
  /** Context URL -> its document, for @contexts the broker may not fetch (it never uses the internet). */
  contexts: Record<string, unknown>;
  /** Delivery of notifications: retry timing and the like (tests make it fast). */
  notifier?: NotifierOptions;
}

export function brokerModule(db: Db, options: BrokerOptions) {
  const loadContext = (url: string) => options.contexts[url];
  const delivery = notifier(db, options.notifier);
  // Only a commit that queued notifications wakes the notifier; a wake missed because two commits
  // overlapped is made up by its polling.
  let queued = false;
  const store = entityStore(db, [indexGeoProperties, enqueueNotifications(loadContext, () => (queued = true))], () => {
    if (queued) {
      queued = false;
      delivery.wake();
    }
  });
  const authorizeWrite = async (c: Context, tenant: string) => {
    if (!options.apiKeys) return;
    const key = options.apiKeys[tenant];
    const given = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (!key || given !== key)
      throw new BrokerError('Unauthorized', 'Writing to this tenant needs its access token (Authorization: Bearer …).');
  };
  const routes = new Hono();
  routes.route('/', brokerRoutes({ db, store, authorizeWrite, loadContext }));
  routes.route('/', subscriptionRoutes({ db, authorizeWrite, loadContext }));
  routes.onError((err, c) => {
    const e = err instanceof BrokerError ? err : new BrokerError('InternalError', 'The broker could not complete the request.');
    if (!(err instanceof BrokerError)) console.error(err);
    return c.json(e.toJSON(), e.status as 400);
  });
  return {
    routes,
    /** The Aomori municipalities and shelters, into the default tenant when it is empty. */
    loadDefaultDataIfEmpty: () => loadAomoriIfEmpty(db, store),
    /**
     * Sends the queued notifications. Not started by createApp: main.ts starts it once the server
     * listens and stops it on shutdown; tests that need deliveries start and stop it themselves.
     */
    notifier: delivery,
  };
}
