// Periodic notifications (ETSI GS CIM 009 v1.8, 5.2.12 timeInterval): every timeInterval seconds, the
// entities a subscription selects, as they are now, queued like any other notification. The database
// decides which server sends each one (repository-subscriptions.ts), so several servers send it once.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { selectEntities, type EntityFilter } from './select.ts';
import { expand, type ContextLoader } from './context.ts';
import type { StoredEntity } from './entity.ts';
import { parseGeoQuery } from './geo.ts';
import { notificationData, subscriptionMaps } from './notification-data.ts';
import { parseQ } from './q.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';
import { claimPeriodic } from './repository-subscriptions.ts';
import { defaultLimits } from './limits.ts';

/** Subscriptions claimed per round, and entities per periodic notification. */
const CLAIM = 20;
const MAX_ENTITIES = 1000;

/** Queues the periodic notifications that are due; true when it queued one. */
export function periodicNotifications(db: Db, loadContext: ContextLoader): () => Promise<boolean> {
  return () =>
    db.transaction(async (tx) => {
      let queued = false;
      for (const s of await claimPeriodic(tx, CLAIM)) {
        const b = s.body;
        const maps = subscriptionMaps(s, loadContext);
        const q = b.q ? parseQ(b.q) : undefined;
        const geo = b.geoQ && parseGeoQuery(b.geoQ.georel, b.geoQ.geometry, JSON.stringify(b.geoQ.coordinates));
        const found = new Map<string, StoredEntity>();
        for (const sel of b.entities ?? []) {
          const f: EntityFilter = {
            types: [sel.type],
            ids: sel.id ? [sel.id] : undefined,
            idPattern: sel.id ? undefined : sel.idPattern,
            attrs: undefined,
            q,
            geo,
            geoproperty: b.geoQ?.geoproperty ?? expand('location', maps.q),
            scopeQ: undefined,
            empty: false,
          };
          const { entities } = await selectEntities(
            tx,
            s.tenant,
            f,
            maps.q,
            { limit: MAX_ENTITIES, offset: 0, count: false },
            defaultLimits.queryMs,
          );
          for (const e of entities) if (found.size < MAX_ENTITIES) found.set(e.id, e);
        }
        const now = new Date().toISOString();
        if (!found.size || !(await subscriptionRepo.takeNotificationTurn(tx, s.tenant, b.id, now))) continue;
        const payload = {
          id: `urn:ngsi-ld:Notification:${randomUUID()}`,
          type: 'Notification',
          subscriptionId: b.id,
          notifiedAt: now,
          data: [...found.values()].map((e) => notificationData(b, e, maps.out)),
        };
        await subscriptionRepo.queueNotification(tx, s.tenant, b.id, payload, now);
        queued = true;
      }
      return queued;
    });
}
