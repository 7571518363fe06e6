// The change listener that queues the notifications of entity subscriptions (ETSI GS CIM 009 v1.8,
// 5.8, 5.11) in the transaction of each entity change; the notifier (notifier.ts) sends them.
import { randomUUID } from 'node:crypto';
import type { ContextLoader } from './context.ts';
import { notificationFor, subscriptionMaps } from './notification-data.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';
import type { ChangeListener, EntityChange } from './store.ts';

/**
 * The change listener that queues notifications: for each active, unexpired subscription of the
 * tenant that is notified of changes (not a periodic one), one notification per transaction with every
 * entity the change concerns, unless throttling holds it back. Subscriptions are read from the
 * database on every change, so every server sharing the database sees a new or changed one at once.
 * After the commit, `wake` tells the notifier.
 */
export function enqueueNotifications(loadContext: ContextLoader, wake: () => void): ChangeListener {
  return async (tx, changes) => {
    let queued = false;
    const byTenant = new Map<string, EntityChange[]>();
    for (const ch of changes) byTenant.set(ch.tenant, [...(byTenant.get(ch.tenant) ?? []), ch]);
    for (const [tenant, list] of byTenant) {
      const at = list.map((ch) => ch.at).reduce((a, b) => (a > b ? a : b));
      for (const s of await subscriptionRepo.activeSubscriptions(tx, tenant, at)) {
        if (s.body.timeInterval !== undefined) continue;
        const item = notificationFor(s.body, subscriptionMaps(s, loadContext));
        const data = list.map(item).filter((d) => d !== undefined);
        if (!data.length || !(await subscriptionRepo.takeNotificationTurn(tx, tenant, s.body.id, at, s.body.throttling))) continue;
        const payload = {
          id: `urn:ngsi-ld:Notification:${randomUUID()}`,
          type: 'Notification',
          subscriptionId: s.body.id,
          notifiedAt: at,
          data,
        };
        await subscriptionRepo.queueNotification(tx, tenant, s.body.id, payload, at);
        queued = true;
      }
    }
    return queued ? wake : undefined;
  };
}
