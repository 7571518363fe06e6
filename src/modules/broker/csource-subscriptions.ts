// Context source registration subscriptions (ETSI GS CIM 009 v1.8, clauses 5.11.2–5.11.7) at
// /ngsi-ld/v1/csourceSubscriptions: a subscriber is told when a registration that matches its
// entities / watchedAttributes / geoQ appears (newlyMatching), changes (updated) or stops matching or
// is deleted (noLongerMatching), and once on subscribing with every registration that matches.
//
// They are stored and delivered as entity subscriptions are — broker_subscriptions and the durable
// notification queue, sent by the same notifier — under the tenant key `csource:<tenant>`. A colon
// is never in a tenant name, so the entity change listener, which reads a tenant's subscriptions,
// never sees them, and each tenant's two kinds keep separate ids.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { compact, termMap, type ContextLoader, type TermMap } from './context.ts';
import { isUri } from './entity.ts';
import { problem } from './errors.ts';
import { parseGeoQuery } from './geo.ts';
import { matchingInformation, registrationGeoHolds } from './registration-match.ts';
import { renderRegistration, type RegistrationBody, type RegistrationInfo, type StoredRegistration } from './registration.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';
import { checkOutbound, checkSameId, idParam, options, paging, pathSegment, readBody, readContext, send, tenantOf } from './request.ts';
import { checkComplete, readSubscription, updatedSubscription, type SubscriptionBody } from './subscription.ts';
import { renderSubscription } from './subscription-render.ts';
import { liveRegistrations } from './repository-registrations.ts';
import type { Outbound } from '../../platform/outbound.ts';

const MAX_LIMIT = 1000;
/** The broker_subscriptions tenant key of a tenant's registration subscriptions. */
export const csourceTenant = (tenant: string) => `csource:${tenant}`;

/** Members of entity subscriptions that mean nothing for registrations (q: registrations carry no properties here). */
const notForRegistrations = ['q', 'throttling'];

export type TriggerReason = 'newlyMatching' | 'updated' | 'noLongerMatching';

/** The parts of a registration's information that a registration subscription selects; empty: none. */
export function selectedInformation(s: SubscriptionBody, map: TermMap, r: RegistrationBody): RegistrationInfo[] {
  const attrs = s.watchedAttributes;
  const selections = s.entities
    ? s.entities.map((e) => ({ types: [e.type], ids: e.id ? [e.id] : undefined, idPattern: e.idPattern, attrs }))
    : [{ attrs }];
  const infos = new Set(selections.flatMap((sel) => matchingInformation(r, sel)));
  if (!infos.size) return [];
  if (s.geoQ) {
    const g = s.geoQ;
    if (!registrationGeoHolds(r, compact(g.geoproperty, map), parseGeoQuery(g.georel, g.geometry, JSON.stringify(g.coordinates))))
      return [];
  }
  return r.information.filter((i) => infos.has(i));
}

/** A registration as a notification carries it: only the information that matched (clause 5.11.7). */
const notified = (r: StoredRegistration, infos: RegistrationInfo[], map: TermMap) =>
  renderRegistration({ ...r, body: { ...r.body, information: infos } }, map, false);

export interface CsourceDeps {
  db: Db;
  loadContext: ContextLoader;
  /** Endpoints are checked against it as written (they are called through it). */
  outbound: Outbound;
  /** Tells the notifier, once the transaction that queued something has committed. */
  wake: () => void;
}

/** The subscription's @context; should it have become unavailable, the core context stands in. */
function mapOf(context: unknown, loadContext: ContextLoader) {
  try {
    return termMap(context, loadContext);
  } catch {
    return termMap(undefined, loadContext);
  }
}

async function queue(db: Db, tenant: string, subscriptionId: string, data: unknown[], triggerReason: TriggerReason, at: string) {
  if (!(await subscriptionRepo.takeNotificationTurn(db, csourceTenant(tenant), subscriptionId, at))) return false;
  const payload = {
    id: `urn:ngsi-ld:Notification:${randomUUID()}`,
    type: 'Notification',
    subscriptionId,
    notifiedAt: at,
    data,
    triggerReason,
  };
  await subscriptionRepo.queueNotification(db, csourceTenant(tenant), subscriptionId, payload, at);
  return true;
}

/**
 * Queues, in the transaction `tx` of a registration change, a notification for each active
 * registration subscription whose selection the registration enters, stays in or leaves.
 * Returns whether something was queued (the caller wakes the notifier after the commit).
 */
export async function notifyRegistrationChange(
  tx: Db,
  loadContext: ContextLoader,
  tenant: string,
  before: StoredRegistration | undefined,
  after: StoredRegistration | undefined,
  at: string,
): Promise<boolean> {
  let queued = false;
  for (const s of await subscriptionRepo.activeSubscriptions(tx, csourceTenant(tenant), at)) {
    const map = mapOf(s.context, loadContext);
    const was = before ? selectedInformation(s.body, map, before.body) : [];
    const is = after ? selectedInformation(s.body, map, after.body) : [];
    if (!was.length && !is.length) continue;
    const reason: TriggerReason = !was.length ? 'newlyMatching' : is.length ? 'updated' : 'noLongerMatching';
    // A registration that no longer matches is sent as it now is (or was, when deleted).
    const data = is.length ? notified(after!, is, map) : notified(after ?? before!, (after ?? before!).body.information, map);
    queued = (await queue(tx, tenant, s.body.id, [data], reason, at)) || queued;
  }
  return queued;
}

export function csourceSubscriptionRoutes(deps: CsourceDeps) {
  const app = new Hono();
  const { db, loadContext, wake } = deps;
  const base = '/ngsi-ld/v1/csourceSubscriptions';
  const notFound = (id: string) => problem('ResourceNotFound', `Subscription ${id} was not found.`);

  const read = (body: Record<string, unknown>, map: TermMap, now: string, update: boolean) => {
    for (const k of notForRegistrations)
      if (body[k] !== undefined) throw problem('BadRequestData', `"${k}" is not supported in a context source registration subscription.`);
    const f = readSubscription(body, map, now, update, loadContext);
    checkOutbound(deps.outbound, f.members.notification?.endpoint.uri, 'notification.endpoint.uri');
    return f;
  };

  /** Every registration the subscription now selects, in one newlyMatching notification (if any). */
  const notifyCurrent = async (tx: Db, tenant: string, s: SubscriptionBody, map: TermMap, at: string) => {
    const data = (await liveRegistrations(tx, tenant, at)).flatMap((r) => {
      const infos = selectedInformation(s, map, r.body);
      return infos.length ? [notified(r, infos, map)] : [];
    });
    return data.length > 0 && (await queue(tx, tenant, s.id, data, 'newlyMatching', at));
  };

  app.post(base, async (c) => {
    const tenant = tenantOf(c);
    const { body, map, context } = await readBody(c, loadContext);
    const now = new Date().toISOString();
    if (body.id !== undefined && !isUri(body.id)) throw problem('BadRequestData', 'The subscription id must be a URI.');
    const id = (body.id as string | undefined) ?? `urn:ngsi-ld:Subscription:${randomUUID()}`;
    const f = read(body, map, now, false);
    const s: Partial<SubscriptionBody> = { id, type: 'Subscription', ...f.members };
    checkComplete(s);
    const active = f.isActive ?? true;
    const queued = await db.transaction(async (tx) => {
      const write = { body: s, context: context ?? null, active, expiresAt: f.expiresAt ?? null };
      if (!(await subscriptionRepo.insertSubscription(tx, csourceTenant(tenant), write, now)))
        throw problem('AlreadyExists', `Subscription ${id} already exists.`);
      return active && (await notifyCurrent(tx, tenant, s, map, now));
    });
    if (queued) wake();
    c.header('Location', `${base}/${pathSegment(id)}`);
    return c.body(null, 201);
  });

  app.get(base, async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c, loadContext);
    const { sysAttrs } = options(c);
    const { subscriptions, total } = await subscriptionRepo.listSubscriptions(db, csourceTenant(tenant), paging(c, MAX_LIMIT));
    if (total !== null) c.header('NGSILD-Results-Count', String(total));
    const now = new Date().toISOString();
    return send(
      c,
      subscriptions.map((s) => renderSubscription(s, map, now, sysAttrs)),
      link,
    );
  });

  // The collection itself is only read and added to: 405 names the methods it has (an update without an id).
  app.on(['PUT', 'PATCH', 'DELETE'], base, (c) => c.body(null, 405, { Allow: 'GET, POST' }));

  app.get(`${base}/:id`, async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c, loadContext);
    const s = await subscriptionRepo.findSubscription(db, csourceTenant(tenant), idParam(c, 'subscription'));
    if (!s) throw notFound(c.req.param('id'));
    return send(c, renderSubscription(s, map, new Date().toISOString(), options(c).sysAttrs), link);
  });

  // Update (5.11.3): as for entity subscriptions; then every registration it now selects is notified.
  app.patch(`${base}/:id`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'subscription');
    const { body, map, context } = await readBody(c, loadContext);
    checkSameId(body, id);
    const now = new Date().toISOString();
    const f = read(body, map, now, true);
    const queued = await db.transaction(async (tx) => {
      const old = await subscriptionRepo.findSubscription(tx, csourceTenant(tenant), id, true);
      if (!old) throw notFound(id);
      const write = updatedSubscription(old, f, context);
      await subscriptionRepo.updateSubscription(tx, csourceTenant(tenant), write, now);
      return write.active && (await notifyCurrent(tx, tenant, write.body as SubscriptionBody, mapOf(write.context, loadContext), now));
    });
    if (queued) wake();
    return c.body(null, 204);
  });

  app.delete(`${base}/:id`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'subscription');
    if (!(await subscriptionRepo.deleteSubscription(db, csourceTenant(tenant), id))) throw notFound(id);
    return c.body(null, 204);
  });

  return app;
}
