/**
 * broker — the data linkage platform's NGSI-LD context broker (ETSI GS CIM 009 v1.8) at
 * /ngsi-ld/v1, on the same database (see docs/ngsi-ld.md).
 *
 * Owns: the broker_* tables (entities and their geo index, attribute history, subscriptions and the
 * notification queue, context source registrations, the context store) and every /ngsi-ld/ route.
 * Needs: the database, the URL it is reached at (hosted @contexts, Via), the outbound policy (every
 * notification and context source request goes through it) and, from identity, `tokenScopes`: the
 * scopes of a common-ID access token; from residents, `personal`: what a token's organisation may read for its
 * purpose (the personal tenant, personal.ts). Errors are `problem(type, detail)`; app.ts renders them.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { getPath } from 'hono/utils/url';
import type { Db } from '../../platform/db.ts';
import type { Outbound } from '../../platform/outbound.ts';
import type { Module, Routes } from '../../platform/module.ts';
import { entityRoutes } from './api.ts';
import { contextStore } from './contexts.ts';
import { loadAomoriIfEmpty } from './default-data.ts';
import { problem } from './errors.ts';
import { csourceSubscriptionRoutes } from './csource-subscriptions.ts';
import { contextSources } from './forward.ts';
import { indexGeoProperties } from './geo.ts';
import { acceptable } from './media.ts';
import { discoveryRoutes } from './discovery.ts';
import { entityQueryRoutes } from './entity-query.ts';
import { mergeRoutes } from './merge.ts';
import { defaultLimits, type Limits } from './limits.ts';
import { notifier, type NotifierOptions } from './notifier.ts';
import { periodicNotifications } from './periodic.ts';
import { PERSONAL_CONTEXT_ID, personalContext, personalTenant, type PersonalSource } from './personal.ts';
import { registrationCache } from './registration-cache.ts';
import { registrationRoutes } from './registrations.ts';
import { tenantOf } from './request.ts';
import { allows, neededScope } from './rules.ts';
import { entityStore, type ChangeListener } from './store.ts';
import { localBroker, type LocalBroker } from './local.ts';
import { enqueueNotifications } from './queue-notifications.ts';
import { subscriptionRoutes } from './subscriptions.ts';
import { recordHistory } from './record-history.ts';
import { temporalRoutes } from './temporal.ts';
import { temporalWriteRoutes } from './temporal-write.ts';
import { checkText } from './validate.ts';

export { problem, problemDetails } from './errors.ts';
export { isTenantName, scopeOf } from './rules.ts';
export { defaultLimits, type Limits } from './limits.ts';
export type { ChangeListener, EntityChange } from './store.ts';
export type { LocalEntity, LocalQuery } from './local.ts';
export { localEntity } from './local.ts';
export { PERSONAL_TENANT, type PersonalClaims, type PersonalSource } from './personal.ts';

/**
 * The path a request is routed by: under /ngsi-ld/ a trailing slash is dropped, so `POST /entities/`
 * is `POST /entities` (clients write the specification's resource paths with one); elsewhere as sent.
 */
export function brokerPath(request: Request): string {
  const path = getPath(request);
  return path.startsWith('/ngsi-ld/') && path.length > 9 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export interface BrokerOptions {
  /** Whether requests other than reads of the default tenant need an access token (NGSI_LD_AUTH). */
  auth: boolean;
  /** Context URL -> its document, for @contexts the broker may not fetch (it never uses the internet). */
  contexts: Record<string, unknown>;
  /** Delivery of notifications: retry timing and the like (tests make it fast). */
  notifier?: NotifierOptions;
  /** The outbound policy: notification endpoints and context sources are checked against it and called through it. */
  outbound: Outbound;
  /** The longest wait for a context source, in milliseconds (default 3000). */
  sourceTimeoutMs?: number;
  /** What one request may ask (NGSI_LD_MAX_*); defaults where not given. */
  limits?: Partial<Limits>;
}

/**
 * Puts the broker's limits where the routes read them (limitsOf), and refuses control characters
 * and broken Unicode in the path and the query before any of it reaches the database.
 */
function guard(limits: Limits): MiddlewareHandler {
  return async (c, next) => {
    c.set('brokerLimits', limits);
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      throw problem('BadRequestData', 'The path has a malformed percent-encoding.');
    }
    checkText(path, 'The path');
    for (const [name, values] of Object.entries(c.req.queries())) for (const v of values) checkText(v, `The query parameter ${name}`);
    return next();
  };
}

/** Checks the request's access token of the common ID against the scope it needs (rules.ts). */
function access(tokenScopes: (token: string) => Promise<Set<string>>): MiddlewareHandler {
  return async (c, next) => {
    const needed = neededScope(c.req.method, c.req.path, tenantOf(c));
    if (!needed) return next();
    const token = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (!token)
      throw problem('Unauthorized', `This request needs an access token from the common ID (/id/token) with the scope ${needed}.`);
    const scopes = await tokenScopes(token).catch(() => {
      throw problem('Unauthorized', 'The access token is not valid or has expired.');
    });
    if (!allows(scopes, needed)) throw problem('Forbidden', `The access token does not have the scope ${needed}.`);
    return next();
  };
}

export interface BrokerDeps extends BrokerOptions {
  db: Db;
  /** The URL people reach this server at: hosted @contexts are served under it. */
  baseUrl: string;
  /** The scopes of a common-ID access token (identity); rejects when the token is not valid. */
  tokenScopes: (token: string) => Promise<Set<string>>;
  /** Residents' released data, the only source of the personal tenant (personal.ts); without it that tenant does not exist. */
  personal?: PersonalSource;
  /** Other modules told of every entity change inside its transaction (e.g. the disaster module's map cache and push fan-out). */
  watchers?: ChangeListener[];
}

export interface BrokerCommands {
  /**
   * Starts sending the queued notifications. Not started by createApp: main.ts starts it once the server
   * listens; tests that need deliveries start and stop it themselves.
   */
  startNotifier(): void;
  /** Stops taking notifications and waits for those being sent (on shutdown). */
  stopNotifier(): Promise<void>;
  /** In-process writes for the other modules (local.ts): they authorize first. */
  put: LocalBroker['put'];
  update: LocalBroker['update'];
  remove: LocalBroker['remove'];
  batch: LocalBroker['batch'];
}

/** In-process reads for the other modules (local.ts); outside clients use the NGSI-LD API. */
export interface BrokerQueries {
  entities: LocalBroker['query'];
  entity: LocalBroker['find'];
}

export interface BrokerModule extends Module<BrokerCommands, BrokerQueries> {
  routes: { api: Routes };
  /** The Aomori municipalities and shelters, into the default tenant when it is empty. */
  loadDefaultData: () => Promise<boolean>;
}

export function createBrokerModule(deps: BrokerDeps): BrokerModule {
  const { db, baseUrl, tokenScopes, personal, watchers = [], ...options } = deps;
  const ownContexts = personal ? { [PERSONAL_CONTEXT_ID]: personalContext(personal.terms) } : {};
  const contexts = contextStore(db, baseUrl, options.contexts, options.limits?.contexts ?? defaultLimits.contexts, ownContexts);
  const delivery = notifier(db, options.outbound.fetch, options.notifier, periodicNotifications(db, contexts.load));
  const store = entityStore(db, [
    indexGeoProperties,
    recordHistory,
    enqueueNotifications(contexts.load, () => delivery.wake()),
    ...watchers,
  ]);
  const local = localBroker(db, store);
  const api = new Hono();
  api.use('/ngsi-ld/*', acceptable);
  api.use('/ngsi-ld/*', guard({ ...defaultLimits, ...options.limits }));
  // Before the token check and every route: the personal tenant always needs a token, and nothing of it is stored.
  api.use('/ngsi-ld/*', personalTenant(personal, { ...contexts, url: contexts.urlOf(PERSONAL_CONTEXT_ID) }));
  if (options.auth) api.use('/ngsi-ld/*', access(tokenScopes));
  api.use('/ngsi-ld/*', contexts.ready);
  api.route('/', contexts.routes);
  const registrations = registrationCache(db);
  const sources = contextSources(registrations, contexts.load, {
    fetch: options.outbound.fetch,
    self: new URL(baseUrl).host,
    timeoutMs: options.sourceTimeoutMs ?? 3000,
  });
  const routeDeps = { db, store, loadContext: contexts.load, outbound: options.outbound };
  const wake = () => delivery.wake();
  api.route('/', entityRoutes({ ...routeDeps, sources }));
  api.route('/', mergeRoutes(routeDeps));
  api.route('/', entityQueryRoutes({ ...routeDeps, sources }));
  api.route('/', discoveryRoutes(routeDeps));
  api.route('/', registrationRoutes({ ...routeDeps, registrations, wake }));
  api.route('/', csourceSubscriptionRoutes({ ...routeDeps, wake }));
  api.route('/', temporalRoutes(routeDeps));
  api.route('/', temporalWriteRoutes(routeDeps));
  api.route('/', subscriptionRoutes(routeDeps));
  return {
    routes: { api },
    commands: {
      startNotifier: () => delivery.start(),
      stopNotifier: () => delivery.stop(),
      put: local.put,
      update: local.update,
      remove: local.remove,
      batch: local.batch,
    },
    queries: { entities: local.query, entity: local.find },
    loadDefaultData: () => loadAomoriIfEmpty(db, store),
  };
}
