// The NGSI-LD subscription API (ETSI GS CIM 009 v1.8, clause 5.8) at /ngsi-ld/v1/subscriptions; the
// change listener that queues their notifications is queue-notifications.ts, the timeInterval ones periodic.ts.
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { Outbound } from '../../platform/outbound.ts';
import type { ContextLoader } from './context.ts';
import { problem } from './errors.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';
import { checkOutbound, checkSameId, idParam, newId, pathSegment, readBody, tenantOf } from './request.ts';
import { checkComplete, readSubscription, updatedSubscription, type SubscriptionBody } from './subscription.ts';
import { subscriptionNotFound, subscriptionReads } from './subscription-reads.ts';

export interface SubscriptionDeps {
  db: Db;
  loadContext: ContextLoader;
  /** Endpoints are checked against it as written; where their names resolve is checked at each delivery. */
  outbound: Outbound;
}

export function subscriptionRoutes(deps: SubscriptionDeps) {
  const app = new Hono();
  const { db, loadContext } = deps;

  const checkEndpoint = (uri: string | undefined) => checkOutbound(deps.outbound, uri, 'notification.endpoint.uri');

  app.post('/ngsi-ld/v1/subscriptions', async (c) => {
    const tenant = tenantOf(c);
    const { body, map, context } = await readBody(c, loadContext);
    const now = new Date().toISOString();
    const id = newId(body, 'subscription', 'Subscription');
    const f = readSubscription(body, map, now, false, loadContext);
    checkEndpoint(f.members.notification?.endpoint.uri);
    const s: Partial<SubscriptionBody> = { id, type: 'Subscription', ...f.members };
    checkComplete(s);
    const write = { body: s, context: context ?? null, active: f.isActive ?? true, expiresAt: f.expiresAt ?? null };
    if (!(await subscriptionRepo.insertSubscription(db, tenant, write, now)))
      throw problem('AlreadyExists', `Subscription ${id} already exists.`);
    c.header('Location', `/ngsi-ld/v1/subscriptions/${pathSegment(id)}`);
    return c.body(null, 201);
  });

  // Update (5.8.2): the members given replace the stored ones (null removes an optional one). An
  // update that brings an @context makes it the subscription's, for its q and its notifications.
  app.patch('/ngsi-ld/v1/subscriptions/:id', async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'subscription');
    const { body, map, context } = await readBody(c, loadContext);
    checkSameId(body, id);
    const now = new Date().toISOString();
    const f = readSubscription(body, map, now, true, loadContext);
    checkEndpoint(f.members.notification?.endpoint.uri);
    await db.transaction(async (tx) => {
      const old = await subscriptionRepo.findSubscription(tx, tenant, id, true);
      if (!old) throw subscriptionNotFound(id);
      const write = updatedSubscription(old, f, context);
      await subscriptionRepo.updateSubscription(tx, tenant, write, now);
    });
    return c.body(null, 204);
  });

  app.route(
    '/',
    subscriptionReads('/ngsi-ld/v1/subscriptions', deps, (tenant) => tenant),
  );
  return app;
}
