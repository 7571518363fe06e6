// Listing, retrieving and deleting subscriptions (ETSI GS CIM 009 v1.8, 5.8.3–5.8.5 and 5.11.4–5.11.6):
// entity subscriptions (subscriptions.ts) and registration subscriptions (csource-subscriptions.ts) are
// read and deleted alike, each kind under its own tenant key of broker_subscriptions.
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { ContextLoader } from './context.ts';
import { problem } from './errors.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';
import { idParam, options, paging, readContext, send, tenantOf } from './request.ts';
import { renderSubscription } from './subscription-render.ts';

export const subscriptionNotFound = (id: string) => problem('ResourceNotFound', `Subscription ${id} was not found.`);

/** GET `base`, GET `base`/{id} and DELETE `base`/{id}; `keyOf` gives the kind's tenant key of a request's tenant. */
export function subscriptionReads(base: string, deps: { db: Db; loadContext: ContextLoader }, keyOf: (tenant: string) => string) {
  const app = new Hono();
  const { db, loadContext } = deps;

  app.get(base, async (c) => {
    const tenant = keyOf(tenantOf(c));
    const { link, map } = readContext(c, loadContext);
    const { sysAttrs } = options(c);
    const { subscriptions, total } = await subscriptionRepo.listSubscriptions(db, tenant, paging(c));
    if (total !== null) c.header('NGSILD-Results-Count', String(total));
    const now = new Date().toISOString();
    return send(
      c,
      subscriptions.map((s) => renderSubscription(s, map, now, sysAttrs)),
      link,
    );
  });

  app.get(`${base}/:id`, async (c) => {
    const tenant = keyOf(tenantOf(c));
    const { link, map } = readContext(c, loadContext);
    const s = await subscriptionRepo.findSubscription(db, tenant, idParam(c, 'subscription'));
    if (!s) throw subscriptionNotFound(c.req.param('id'));
    return send(c, renderSubscription(s, map, new Date().toISOString(), options(c).sysAttrs), link);
  });

  app.delete(`${base}/:id`, async (c) => {
    const tenant = keyOf(tenantOf(c));
    const id = idParam(c, 'subscription');
    if (!(await subscriptionRepo.deleteSubscription(db, tenant, id))) throw subscriptionNotFound(id);
    return c.body(null, 204);
  });

  return app;
}
