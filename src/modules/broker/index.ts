/**
 * broker — the data linkage platform's NGSI-LD context broker (ETSI GS CIM 009 v1.8) at
 * /ngsi-ld/v1, on the same database: entities and attributes so far (see docs/ngsi-ld.md).
 */
import type { Db } from '../../platform/db.ts';
import { brokerRoutes } from './api.ts';
import { loadAomoriIfEmpty } from './default-data.ts';

export { BrokerError } from './errors.ts';

export interface BrokerOptions {
  /** Tenant ('' = default) -> API key for writes; null when NGSI_LD_AUTH=off. */
  apiKeys: Record<string, string> | null;
  /** Context URL -> its document, for @contexts the broker may not fetch (it never uses the internet). */
  contexts: Record<string, unknown>;
}

export function brokerModule(db: Db, options: BrokerOptions) {
  return {
    routes: brokerRoutes({ db, apiKeys: options.apiKeys, loadContext: (url) => options.contexts[url] }),
    /** The Aomori municipalities and shelters, into the default tenant when it is empty. */
    loadDefaultDataIfEmpty: () => loadAomoriIfEmpty(db),
  };
}
