// createApp(deps) mounts every module. Tests call app.request(); main.ts serves it.
import { Hono, type Context } from 'hono';
import { sql } from 'drizzle-orm';
import type { Db } from './platform/db.ts';
import { errorJson, isApiPath, securityHeaders } from './platform/http.ts';
import { AppError, toAppError } from './platform/errors.ts';
import type { Module } from './platform/module.ts';
import { outbound, type Outbound } from './platform/outbound.ts';
import { createPlansModule } from './modules/plans/index.ts';
import { createOrganisationsModule } from './modules/organisations/index.ts';
import { categoryContext, createResidentsModule, type KeyRing, type MynumberProvider } from './modules/residents/index.ts';
import { staticRoutes } from './web/static.ts';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { ClientMetadata } from 'oidc-provider';
import {
  createIdentityModule,
  finishResidentInteraction,
  platformSecret,
  renderedPaths,
  type FederatedProvider,
} from './modules/identity/index.ts';
import type { Mailer } from './platform/mailer.ts';
import { createWorkspaceModule } from './modules/workspace/index.ts';
import { createDisasterModule, type JmaOptions, type PushWorkerOptions } from './modules/disaster/index.ts';
import { createBrokerModule, brokerPath, problem, problemDetails, type BrokerOptions } from './modules/broker/index.ts';
import { errorPage } from './web/error-page.tsx';

export interface AppDeps {
  db: Db;
  /** The URL people reach this server at: the identity service's issuer is `${baseUrl}/id`. */
  baseUrl: string;
  /** Identity federation and further trusted clients (IDENTITY_FEDERATION, IDENTITY_CLIENTS). */
  federation?: FederatedProvider[];
  clients?: ClientMetadata[];
  /** デジタル認証アプリ for residents' マイナンバーカード sign-in and shelters' マイナンバーカードで受付 (RESIDENT_MYNUMBER_PROVIDER). */
  mynumber?: MynumberProvider;
  /** Reverse proxies in front that append to X-Forwarded-For (TRUST_PROXY). */
  trustProxy?: number;
  /** NGSI-LD broker: whether it checks access tokens, and local @context documents. */
  broker?: Omit<BrokerOptions, 'outbound'>;
  /** Everything the server calls out to goes through it (OUTBOUND_ALLOW); by default nothing local is reachable. */
  outbound?: Outbound;
  /** The disaster module's JMA 防災情報XML feeds (JMA_FEEDS, JMA_POLL_SECONDS); main.ts starts the poller. */
  jma?: JmaOptions;
  /** The disaster map's base map (DISASTER_BASEMAP_URL). */
  disasterBasemapUrl?: string;
  /** The disaster module's push worker (concurrency, backoff); tests shorten the backoff. */
  disasterPush?: PushWorkerOptions;
  /** Outgoing mail (SMTP_URL): invitation links; without it the administrator sees each link once. */
  mailer?: Mailer;
  /** How long invitation, reset and re-enrolment links stay valid (ACCOUNT_LINK_HOURS). */
  linkHours?: number;
  /** The key ring that seals residents' personal data (RESIDENTS_KEYS or the key file). */
  residentKeys: KeyRing;
  /** Where unexpected errors are reported; the response never shows them. */
  log?: (err: unknown) => void;
}

export async function createApp(deps: AppDeps) {
  const organisations = createOrganisationsModule({ db: deps.db });
  const plans = createPlansModule({ db: deps.db, organisations });
  const cookieSecret = await platformSecret(deps.db, 'staff-cookie-secret', () => randomBytes(32).toString('base64url'));
  const mynumber = deps.mynumber && {
    provider: deps.mynumber,
    baseUrl: deps.baseUrl,
    cookieSecret,
    linkSecret: await platformSecret(deps.db, 'resident-link-secret', () => randomBytes(32).toString('base64url')),
  };
  const out = deps.outbound ?? outbound({ allow: [] });
  // The disaster module reads and writes the broker, and the broker tells it of changes: made first, it
  // reaches the broker (and residents, which mount its マイページ screens) through these late-bound references (used only once requests arrive).
  const brokerRef: { current?: ReturnType<typeof createBrokerModule> } = {};
  const residentsRef: { current?: ReturnType<typeof createResidentsModule> } = {};
  const disaster = createDisasterModule({
    db: deps.db,
    residents: {
      get queries() {
        return residentsRef.current!.queries;
      },
      get fields() {
        return residentsRef.current!.fields;
      },
      get mynumber() {
        return residentsRef.current!.mynumber;
      },
    },
    trustProxy: deps.trustProxy,
    baseUrl: deps.baseUrl,
    outbound: out,
    push: deps.disasterPush,
    organisations: organisations.queries,
    ...(deps.jma && { jma: deps.jma }),
    basemapUrl: deps.disasterBasemapUrl,
    broker: {
      get queries() {
        return brokerRef.current!.queries;
      },
      get commands() {
        return brokerRef.current!.commands;
      },
    },
  });
  const residents = createResidentsModule({
    db: deps.db,
    keys: deps.residentKeys,
    baseUrl: deps.baseUrl,
    trustProxy: deps.trustProxy,
    organisations: organisations.queries,
    pairwiseSecret: await platformSecret(deps.db, 'residents-pairwise-secret', () => randomBytes(32).toString('base64url')),
    mynumber,
    mailer: deps.mailer,
    linkHours: deps.linkHours,
    serviceOrigins: [
      ...new Set(
        (deps.clients ?? [])
          .filter((c) => c.audience === 'residents')
          .flatMap((c) => (c.redirect_uris ?? []).map((u) => new URL(u).origin)),
      ),
    ],
    // identity is made below; the closure runs only when a resident signs in.
    finishInteraction: (uid, residentId, method) => finishResidentInteraction(identity.provider, uid, residentId, method),
    screens: [disaster.residentScreens],
  });
  residentsRef.current = residents;
  const identity = await createIdentityModule({
    db: deps.db,
    baseUrl: deps.baseUrl,
    cookieSecret,
    federation: deps.federation,
    clients: deps.clients,
    trustProxy: deps.trustProxy,
    mailer: deps.mailer,
    linkHours: deps.linkHours,
    units: organisations.queries.unit,
    isActiveResident: residents.isActiveAccount,
  });
  // NGSI-LD clients write collection paths with a trailing slash (the specification's resource table does).
  const app = new Hono({ getPath: brokerPath });
  const log = deps.log ?? ((err) => console.error(err));

  // Set before the handler runs, so they ride along without re-creating the response;
  // handlers that build a Response themselves (cached pages) add securityHeaders directly.
  app.use((c, next) => {
    for (const [k, v] of Object.entries(securityHeaders)) c.header(k, v);
    return next();
  });

  app.get('/healthz', async (c) => {
    await deps.db.execute(sql`select 1`);
    return c.json({ status: 'ok' });
  });

  const workspace = createWorkspaceModule({
    db: deps.db,
    baseUrl: deps.baseUrl,
    identity,
    cookieSecret,
    plans,
    organisations,
    residents,
    screens: [disaster.staffScreens],
  });
  const broker = createBrokerModule({
    db: deps.db,
    baseUrl: deps.baseUrl,
    ...(deps.broker ?? { auth: true, contexts: {} }),
    outbound: out,
    watchers: [disaster.watcher],
    tokenScopes: identity.queries.brokerTokenScopes,
    personal: {
      token: identity.queries.brokerToken,
      released: (claims, only) =>
        residents.queries.releasedTo(
          { kind: 'client', id: claims.clientId, organisationId: claims.organisationId },
          claims.purposeId!,
          'broker',
          only,
        ),
      terms: categoryContext,
    },
  });
  brokerRef.current = broker;
  // Every module is mounted the same way; their paths do not overlap (each module has its own prefix).
  app.route('/', staticRoutes());
  const modules: Module[] = [identity, workspace, broker, plans, organisations, residents, disaster];
  for (const m of modules) for (const routes of [m.routes.public, m.routes.staff, m.routes.api]) if (routes) app.route('/', routes);

  // The one place an error becomes a response: NGSI-LD ProblemDetails under /ngsi-ld/, JSON under
  // /api/, a Japanese page elsewhere.
  const respond = async (c: Context, e: AppError) =>
    c.req.path.startsWith('/ngsi-ld/')
      ? c.json(problemDetails(e), e.status)
      : isApiPath(c.req.path)
        ? errorJson(c, e)
        : c.html(await errorPage(e, c.req.path, c.req.query('lang') === 'en' ? 'en' : 'ja'), e.status);

  app.notFound((c) =>
    respond(
      c,
      c.req.path.startsWith('/ngsi-ld/')
        ? problem('ResourceNotFound', `No such NGSI-LD endpoint: ${c.req.path}`)
        : new AppError(404, 'not_found', 'お探しのページは見つかりませんでした。URLをご確認ください。'),
    ),
  );
  app.onError((err, c) => {
    const e = toAppError(err);
    if (e.status >= 500) log(err);
    return respond(c, e);
  });

  // oidc-provider is a Node (req, res) handler: it gets /id/*, except the pages Renkei renders (sign-in,
  // the callback of federated sign-in, the one-time links).
  const hono = getRequestListener(app.fetch);
  const oidcHandler = identity.provider.callback();
  const nodeHandler = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url.startsWith('/id/') && !renderedPaths.some((p) => url.startsWith(p))) {
      for (const [k, v] of Object.entries(securityHeaders)) if (k !== 'content-security-policy') res.setHeader(k, v);
      // As when mounted in Express: the provider finds its mount path from originalUrl.
      Object.assign(req, { originalUrl: url });
      req.url = url.slice(3);
      return oidcHandler(req, res);
    }
    return hono(req, res);
  };

  return { app, plans, workspace, identity, broker, organisations, residents, disaster, nodeHandler };
}
