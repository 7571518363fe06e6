// What a change of context source registrations notifies (ETSI GS CIM 009 v1.8, clauses 5.11.2–5.11.7):
// each registration subscription whose entities / watchedAttributes / geoQ a registration enters
// (newlyMatching), stays in (updated) or leaves (noLongerMatching), queued in the transaction of the
// change. Registration subscriptions are stored and delivered as entity subscriptions are, under the
// tenant key `csource:<tenant>` (see csource-subscriptions.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { compact, storedTermMap, type ContextLoader, type TermMap } from './context.ts';
import { parseGeoQuery } from './geo.ts';
import { matchingInformation, registrationGeoHolds } from './registration-match.ts';
import { renderRegistration, type RegistrationBody, type RegistrationInfo, type StoredRegistration } from './registration.ts';
import { liveRegistrations } from './repository-registrations.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';
import type { SubscriptionBody } from './subscription.ts';

/** The broker_subscriptions tenant key of a tenant's registration subscriptions. */
export const csourceTenant = (tenant: string) => `csource:${tenant}`;

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
    const map = storedTermMap(s.context, loadContext);
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

/** Every registration the subscription now selects, in one newlyMatching notification (if any); whether it queued one. */
export async function notifyMatchingRegistrations(tx: Db, tenant: string, s: SubscriptionBody, map: TermMap, at: string) {
  const data = (await liveRegistrations(tx, tenant, at)).flatMap((r) => {
    const infos = selectedInformation(s, map, r.body);
    return infos.length ? [notified(r, infos, map)] : [];
  });
  return data.length > 0 && (await queue(tx, tenant, s.id, data, 'newlyMatching', at));
}
