// What one alert version pushes (pure): the notification the service worker shows, and the RFC 8030
// headers that go with it.
import { createHash } from 'node:crypto';
import type { Alert, Severity } from '../alert.ts';

export interface PushMessage {
  title: string;
  /** The headline's text, then the やさしい日本語 on the second line. */
  body: string;
  url: string;
  /** One notification per alert on the device: a newer version replaces the older one. */
  tag: string;
}

/** The alert page's slug (alerts helper's URL contract): the id after `urn:ngsi-ld:Alert:`. */
export const alertSlug = (id: string) => id.replace(/^urn:ngsi-ld:Alert:/, '');

/** The version pushed once: a write that changes neither the date nor the status sends nothing new. */
export const alertVersion = (a: Alert) => `${a.id}|${a.updated}|${a.status}`;

export function pushMessage(a: Alert): PushMessage {
  const cancelled = a.status === 'cancelled';
  return {
    title: cancelled ? `【解除】${a.headline}` : a.headline,
    body: [a.description.split('\n')[0] ?? '', cancelled ? 'この情報は解除されました。' : a.easyJapanese].filter(Boolean).join('\n'),
    url: `/disaster/alerts/${alertSlug(a.id)}`,
    tag: alertSlug(a.id),
  };
}

/** RFC 8030 §5.3: how soon the device must wake; a cancellation is never urgent. */
export function urgency(a: Alert): 'very-low' | 'low' | 'normal' | 'high' {
  if (a.status === 'cancelled') return 'normal';
  const by: Record<Severity, 'very-low' | 'low' | 'normal' | 'high'> = {
    informational: 'low',
    low: 'low',
    medium: 'normal',
    high: 'high',
    critical: 'high',
  };
  return by[a.severity] ?? 'normal';
}

/** RFC 8030 §5.2 TTL (s): until the alert expires, at most a day, at least a minute. */
export function ttl(a: Alert, now = Date.now()): number {
  const until = a.expires ? Math.floor((Date.parse(a.expires) - now) / 1000) : 86_400;
  return Math.max(60, Math.min(86_400, Number.isFinite(until) ? until : 86_400));
}

/** RFC 8030 §5.4 Topic (≤ 32 base64url characters): the push service keeps only the newest undelivered version. */
export const topic = (a: Alert) => createHash('sha256').update(a.id).digest('base64url').slice(0, 32);
