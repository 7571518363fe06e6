// Context source registration subscriptions (ETSI GS CIM 009 v1.8, clauses 5.11.2–5.11.7) at
// /ngsi-ld/v1/csourceSubscriptions: a subscriber is told when a registration that matches its
// entities / watchedAttributes / geoQ appears (newlyMatching), changes (updated) or stops matching or
// is deleted (noLongerMatching), and once on subscribing with every registration that matches
// (what is notified and when: csource-notify.ts).
//
// They are stored and delivered as entity subscriptions are — broker_subscriptions and the durable
// notification queue, sent by the same notifier — under the tenant key `csource:<tenant>`. A colon
// is never in a tenant name, so the entity change listener, which reads a tenant's subscriptions,
// never sees them, and each tenant's two kinds keep separate ids.
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { Outbound } from '../../platform/outbound.ts';
import { storedTermMap, type ContextLoader, type TermMap } from './context.ts';
import { csourceTenant, notifyMatchingRegistrations } from './csource-notify.ts';
import { problem } from './errors.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';
import { checkOutbound, checkSameId, idParam, newId, pathSegment, readBody, tenantOf } from './request.ts';
import { checkComplete, readSubscription, updatedSubscription, type SubscriptionBody } from './subscription.ts';
import { subscriptionNotFound, subscriptionReads } from './subscription-reads.ts';

/** Members of entity subscriptions that mean nothing for registrations (q: registrations carry no properties here). */
const notForRegistrations = ['q', 'throttling'];

export interface CsourceDeps {
  db: Db;
  loadContext: ContextLoader;
  /** Endpoints are checked against it as written (they are called through it). */
  outbound: Outbound;
  /** Tells the notifier, once the transaction that queued something has committed. */
  wake: () => void;
}

export function csourceSubscriptionRoutes(deps: CsourceDeps) {
  const app = new Hono();
  const { db, loadContext, wake } = deps;
  const base = '/ngsi-ld/v1/csourceSubscriptions';

  const read = (body: Record<string, unknown>, map: TermMap, now: string, update: boolean) => {
    for (const k of notForRegistrations)
      if (body[k] !== undefined) throw problem('BadRequestData', `"${k}" is not supported in a context source registration subscription.`);
    const f = readSubscription(body, map, now, update, loadContext);
    checkOutbound(deps.outbound, f.members.notification?.endpoint.uri, 'notification.endpoint.uri');
    return f;
  };

  app.post(base, async (c) => {
    const tenant = tenantOf(c);
    const { body, map, context } = await readBody(c, loadContext);
    const now = new Date().toISOString();
    const id = newId(body, 'subscription', 'Subscription');
    const f = read(body, map, now, false);
    const s: Partial<SubscriptionBody> = { id, type: 'Subscription', ...f.members };
    checkComplete(s);
    const active = f.isActive ?? true;
    const queued = await db.transaction(async (tx) => {
      const write = { body: s, context: context ?? null, active, expiresAt: f.expiresAt ?? null };
      if (!(await subscriptionRepo.insertSubscription(tx, csourceTenant(tenant), write, now)))
        throw problem('AlreadyExists', `Subscription ${id} already exists.`);
      return active && (await notifyMatchingRegistrations(tx, tenant, s, map, now));
    });
    if (queued) wake();
    c.header('Location', `${base}/${pathSegment(id)}`);
    return c.body(null, 201);
  });

  // The collection itself is only read and added to: 405 names the methods it has (an update without an id).
  app.on(['PUT', 'PATCH', 'DELETE'], base, (c) => c.body(null, 405, { Allow: 'GET, POST' }));

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
      if (!old) throw subscriptionNotFound(id);
      const write = updatedSubscription(old, f, context);
      await subscriptionRepo.updateSubscription(tx, csourceTenant(tenant), write, now);
      return (
        write.active &&
        (await notifyMatchingRegistrations(tx, tenant, write.body as SubscriptionBody, storedTermMap(write.context, loadContext), now))
      );
    });
    if (queued) wake();
    return c.body(null, 204);
  });

  app.route('/', subscriptionReads(base, deps, csourceTenant));
  return app;
}
