// The representation of a subscription that the API gives back (5.2.12), with its status (5.2.12)
// and its notification's status (5.2.14). Pure: no I/O.
import { compact, type TermMap } from './context.ts';
import type { SubscriptionState } from './subscription.ts';

const isExpired = (s: { expiresAt: string | null }, now: string) => !!s.expiresAt && Date.parse(s.expiresAt) <= Date.parse(now);

/** The subscription compacted with a request's @context, with its status and its notification's status. */
export function renderSubscription(s: SubscriptionState, map: TermMap, now: string, sysAttrs: boolean): Record<string, unknown> {
  const b = s.body;
  const n = b.notification;
  const failed = !!s.lastFailure && (!s.lastSuccess || s.lastFailure > s.lastSuccess);
  return {
    id: b.id,
    type: 'Subscription',
    ...(b.subscriptionName !== undefined && { subscriptionName: b.subscriptionName }),
    ...(b.description !== undefined && { description: b.description }),
    ...(b.entities && { entities: b.entities.map((e) => ({ ...e, type: compact(e.type, map) })) }),
    ...(b.watchedAttributes && { watchedAttributes: b.watchedAttributes.map((a) => compact(a, map)) }),
    ...(b.notificationTrigger && { notificationTrigger: b.notificationTrigger }),
    ...(b.timeInterval !== undefined && { timeInterval: b.timeInterval }),
    ...(b.q !== undefined && { q: b.q }),
    ...(b.geoQ && { geoQ: { ...b.geoQ, geoproperty: compact(b.geoQ.geoproperty, map) } }),
    isActive: s.active,
    status: isExpired(s, now) ? 'expired' : s.active ? 'active' : 'paused',
    ...(s.expiresAt && { expiresAt: s.expiresAt }),
    ...(b.throttling !== undefined && { throttling: b.throttling }),
    ...(b.jsonldContext !== undefined && { jsonldContext: b.jsonldContext }),
    ...(b.lang !== undefined && { lang: b.lang }),
    ...(b.datasetId && { datasetId: b.datasetId }),
    notification: {
      ...(n.attributes && { attributes: n.attributes.map((a) => compact(a, map)) }),
      format: n.format,
      ...(n.sysAttrs !== undefined && { sysAttrs: n.sysAttrs }),
      ...(n.showChanges !== undefined && { showChanges: n.showChanges }),
      endpoint: n.endpoint,
      status: failed ? 'failed' : 'ok',
      timesSent: s.timesSent,
      ...(s.lastNotification && { lastNotification: s.lastNotification }),
      ...(s.lastSuccess && { lastSuccess: s.lastSuccess }),
      ...(s.lastFailure && { lastFailure: s.lastFailure }),
    },
    ...(sysAttrs && { createdAt: s.createdAt, modifiedAt: s.modifiedAt }),
  };
}
