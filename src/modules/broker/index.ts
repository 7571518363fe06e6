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
import { entityStore } from './store.ts';
import { recordHistory, temporalRoutes } from './temporal.ts';

export { BrokerError } from './errors.ts';

export interface BrokerOptions {
  /** Tenant ('' = default) -> API key for writes; null when NGSI_LD_AUTH=off. */
  apiKeys: Record<string, string> | null;
  /** Context URL -> its document, for @contexts the broker may not fetch (it never uses the internet). */
  contexts: Record<string, unknown>;
}

export function brokerModule(db: Db, options: BrokerOptions) {
  const store = entityStore(db, [indexGeoProperties, recordHistory]);
  const authorizeWrite = async (c: Context, tenant: string) => {
    if (!options.apiKeys) return;
    const key = options.apiKeys[tenant];
    const given = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (!key || given !== key)
      throw new BrokerError('Unauthorized', 'Writing to this tenant needs its access token (Authorization: Bearer …).');
  };
  const routes = new Hono();
  const deps = { db, store, authorizeWrite, loadContext: (url: string) => options.contexts[url] };
  routes.route('/', brokerRoutes(deps));
  routes.route('/', temporalRoutes(deps));
  routes.onError((err, c) => {
    const e = err instanceof BrokerError ? err : new BrokerError('InternalError', 'The broker could not complete the request.');
    if (!(err instanceof BrokerError)) console.error(err);
    return c.json(e.toJSON(), e.status as 400);
  });
  return {
    routes,
    /** The Aomori municipalities and shelters, into the default tenant when it is empty. */
    loadDefaultDataIfEmpty: () => loadAomoriIfEmpty(db, store),
  };
}
