// NGSI-LD subscriptions (ETSI GS CIM 009 v1.8, clauses 5.2.12 and 5.8): what a client may send, the
// stored (expanded) form, the representation sent back, and which entity changes a subscription is
// notified of (5.11). Pure: no I/O.
import { compact, expand, type TermMap } from './context.ts';
import { isDateTime, isUri, render, type Instance, type StoredEntity } from './entity.ts';
import { BrokerError } from './errors.ts';
import { geoHolds, parseGeoQuery } from './geo.ts';
import { compilePattern } from './pattern.ts';
import { checkName } from './validate.ts';
import { matches, parseQ } from './q.ts';

export interface EntitySelector {
  /** Expanded. */
  type: string;
  id?: string;
  idPattern?: string;
}

export interface NotificationParams {
  /** Expanded names of the attributes to send; all when absent. */
  attributes?: string[];
  format: 'normalized' | 'keyValues';
  sysAttrs?: boolean;
  endpoint: { uri: string; accept: 'application/json' | 'application/ld+json' };
}

/** A subscription's definition as stored: names expanded; isActive and expiresAt have their own columns. */
export interface SubscriptionBody {
  id: string;
  type: 'Subscription';
  subscriptionName?: string;
  description?: string;
  entities?: EntitySelector[];
  /** Expanded. */
  watchedAttributes?: string[];
  /** As written: it is read with the subscription's @context. */
  q?: string;
  geoQ?: { geometry: string; coordinates: unknown; georel: string; geoproperty: string };
  /** Seconds. */
  throttling?: number;
  notification: NotificationParams;
}

/** What a create or update request sets. */
export interface SubscriptionFields {
  members: Partial<Omit<SubscriptionBody, 'id' | 'type'>>;
  /** Members an update gives as null, to remove them. */
  removed: string[];
  isActive?: boolean;
  /** null: never expires. */
  expiresAt?: string | null;
}

const bad = (detail: string): never => {
  throw new BrokerError('BadRequestData', detail);
};
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, allowed: string[], where: string) => {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) bad(`${where}: "${k}" is not a member this broker supports (${allowed.join(', ')}).`);
};
const names = (v: unknown, where: string, map: TermMap) => {
  if (!Array.isArray(v) || !v.length || !v.every((n) => typeof n === 'string' && n))
    bad(`${where} must be a non-empty array of attribute names.`);
  (v as string[]).forEach((n) => checkName(n, `${where}: attribute`));
  return (v as string[]).map((n) => expand(n, map));
};

function entitySelector(v: unknown, map: TermMap): EntitySelector {
  if (!isObject(v)) return bad('Each item of entities must be an object with a type.');
  onlyKeys(v, ['type', 'id', 'idPattern'], 'entities');
  if (typeof v.type !== 'string' || !v.type) bad('Each item of entities needs a type (a string).');
  checkName(v.type as string, 'entities: type');
  const s: EntitySelector = { type: expand(v.type as string, map) };
  if (v.id !== undefined) {
    if (!isUri(v.id)) bad('entities: id must be a URI.');
    s.id = v.id as string;
  }
  if (v.idPattern !== undefined) {
    if (typeof v.idPattern !== 'string') bad('entities: idPattern must be a string.');
    compilePattern(v.idPattern as string, 'entities: idPattern');
    s.idPattern = v.idPattern as string;
  }
  return s;
}

function notificationParams(v: unknown, map: TermMap): NotificationParams {
  if (!isObject(v)) return bad('notification must be an object with an endpoint.');
  onlyKeys(v, ['attributes', 'format', 'sysAttrs', 'endpoint'], 'notification');
  const format = v.format ?? 'normalized';
  if (format !== 'normalized' && format !== 'keyValues') bad('notification.format must be "normalized" or "keyValues".');
  if (v.sysAttrs !== undefined && typeof v.sysAttrs !== 'boolean') bad('notification.sysAttrs must be true or false.');
  const ep = v.endpoint;
  if (!isObject(ep)) return bad('notification.endpoint must be an object with a uri.');
  onlyKeys(ep, ['uri', 'accept'], 'notification.endpoint');
  let url: URL | undefined;
  try {
    url = new URL(String(ep.uri));
  } catch {
    // reported below
  }
  if (typeof ep.uri !== 'string' || !url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    bad('notification.endpoint.uri must be an http or https URL.');
  const accept = ep.accept ?? 'application/json';
  if (accept !== 'application/json' && accept !== 'application/ld+json')
    bad('notification.endpoint.accept must be "application/json" or "application/ld+json".');
  return {
    ...(v.attributes !== undefined && { attributes: names(v.attributes, 'notification.attributes', map) }),
    format: format as NotificationParams['format'],
    ...(v.sysAttrs !== undefined && { sysAttrs: v.sysAttrs as boolean }),
    endpoint: { uri: ep.uri as string, accept: accept as NotificationParams['endpoint']['accept'] },
  };
}

const removable = ['subscriptionName', 'description', 'entities', 'watchedAttributes', 'q', 'geoQ', 'throttling', 'expiresAt'];
const supported = [...removable, 'id', 'type', 'notification', 'isActive', '@context'];

/**
 * Checks and expands the members of a subscription (create) or of a fragment of one (update, where
 * null removes a member). Throws BadRequestData on the first problem.
 */
export function readSubscription(input: Record<string, unknown>, map: TermMap, now: string, update: boolean): SubscriptionFields {
  const f: SubscriptionFields = { members: {}, removed: [] };
  const m = f.members;
  if (!update && input.type === undefined) bad('type must be "Subscription".');
  for (const [k, v] of Object.entries(input)) {
    if (!supported.includes(k)) bad(`"${k}" is not a Subscription member this broker supports.`);
    if (v === null && update && removable.includes(k)) {
      if (k === 'expiresAt') f.expiresAt = null;
      else f.removed.push(k);
      continue;
    }
    switch (k) {
      case 'type':
        if (v !== 'Subscription') bad('type must be "Subscription".');
        break;
      case 'subscriptionName':
      case 'description':
        if (typeof v !== 'string') bad(`${k} must be a string.`);
        m[k] = v as string;
        break;
      case 'entities':
        if (!Array.isArray(v) || !v.length) bad('entities must be a non-empty array of {type, id?, idPattern?}.');
        m.entities = (v as unknown[]).map((s) => entitySelector(s, map));
        break;
      case 'watchedAttributes':
        m.watchedAttributes = names(v, 'watchedAttributes', map);
        break;
      case 'q':
        if (typeof v !== 'string' || !v) bad('q must be a non-empty string.');
        // parseQ compiles its patterns, so evaluating q later, inside an entity write, cannot fail.
        parseQ(v as string);
        m.q = v as string;
        break;
      case 'geoQ': {
        if (!isObject(v)) return bad('geoQ must be an object with geometry, coordinates and georel.');
        onlyKeys(v, ['geometry', 'coordinates', 'georel', 'geoproperty'], 'geoQ');
        if (typeof v.georel !== 'string' || typeof v.geometry !== 'string') bad('geoQ needs georel and geometry (strings).');
        if (v.geoproperty !== undefined && (typeof v.geoproperty !== 'string' || !v.geoproperty)) bad('geoQ.geoproperty must be a string.');
        if (v.geoproperty !== undefined) checkName(v.geoproperty as string, 'geoQ.geoproperty');
        const coordinates = typeof v.coordinates === 'string' ? v.coordinates : JSON.stringify(v.coordinates);
        parseGeoQuery(v.georel as string, v.geometry as string, coordinates);
        m.geoQ = {
          geometry: v.geometry as string,
          coordinates: JSON.parse(coordinates!),
          georel: v.georel as string,
          geoproperty: expand((v.geoproperty as string | undefined) ?? 'location', map),
        };
        break;
      }
      case 'notification':
        m.notification = notificationParams(v, map);
        break;
      case 'throttling':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad('throttling must be a number of seconds, 0 or more.');
        m.throttling = v as number;
        break;
      case 'isActive':
        if (typeof v !== 'boolean') bad('isActive must be true or false.');
        f.isActive = v as boolean;
        break;
      case 'expiresAt':
        if (!isDateTime(v)) bad('expiresAt must be an ISO 8601 date-time.');
        if (Date.parse(v as string) <= Date.parse(now)) bad('expiresAt must be in the future.');
        f.expiresAt = new Date(v as string).toISOString();
        break;
    }
  }
  return f;
}

/** A complete subscription: it says where to notify, and which entities or attributes it watches. */
export function checkComplete(s: Partial<SubscriptionBody>): asserts s is SubscriptionBody {
  if (!s.notification) bad('A subscription needs a notification with an endpoint.');
  if (!s.entities && !s.watchedAttributes) bad('A subscription needs entities, watchedAttributes or both.');
}

/** A subscription as stored, with its state. Times are ISO 8601. */
export interface SubscriptionState {
  body: SubscriptionBody;
  active: boolean;
  expiresAt: string | null;
  timesSent: number;
  lastNotification: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  createdAt: string;
  modifiedAt: string;
}

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
    ...(b.q !== undefined && { q: b.q }),
    ...(b.geoQ && { geoQ: { ...b.geoQ, geoproperty: compact(b.geoQ.geoproperty, map) } }),
    isActive: s.active,
    status: isExpired(s, now) ? 'expired' : s.active ? 'active' : 'paused',
    ...(s.expiresAt && { expiresAt: s.expiresAt }),
    ...(b.throttling !== undefined && { throttling: b.throttling }),
    notification: {
      ...(n.attributes && { attributes: n.attributes.map((a) => compact(a, map)) }),
      format: n.format,
      ...(n.sysAttrs !== undefined && { sysAttrs: n.sysAttrs }),
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

/** Key order and system times aside, so that the same content read back from jsonb compares equal. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : isObject(v)
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const content = (list: Instance[]): unknown =>
  list.map(({ createdAt: _c, modifiedAt: _m, sub, ...rest }) => ({
    ...rest,
    sub: sub && Object.fromEntries(Object.entries(sub).map(([k, l]) => [k, content(l)])),
  }));

/**
 * The attributes an entity change created or updated (all of them for a new entity). Writing the
 * same content again is no change, and deleted attributes are not counted: deletions are not among
 * the default notification triggers (attributeCreated, attributeUpdated).
 */
export function changedAttributes(before: StoredEntity | undefined, after: StoredEntity): string[] {
  return Object.keys(after.attrs).filter(
    (a) => !before?.attrs[a] || canonical(content(before.attrs[a])) !== canonical(content(after.attrs[a]!)),
  );
}

/** Whether a created or modified entity is to be notified to the subscription; `map` is the subscription's @context. */
export function selector(s: SubscriptionBody, map: TermMap) {
  const q = s.q ? parseQ(s.q) : undefined;
  const g = s.geoQ;
  const geo = g && parseGeoQuery(g.georel, g.geometry, JSON.stringify(g.coordinates));
  const chosen = (e: StoredEntity, sel: EntitySelector) =>
    e.types.includes(sel.type) && (sel.id ? sel.id === e.id : !sel.idPattern || compilePattern(sel.idPattern, 'idPattern').test(e.id));
  return (before: StoredEntity | undefined, after: StoredEntity) => {
    if (s.entities && !s.entities.some((sel) => chosen(after, sel))) return false;
    const changed = changedAttributes(before, after);
    if (s.watchedAttributes ? !s.watchedAttributes.some((a) => changed.includes(a)) : before && !changed.length) return false;
    return (!q || matches(after, q, map)) && (!geo || geoHolds(after, g.geoproperty, geo));
  };
}

/** The entity as a notification carries it: the subscription's format, attributes and @context. */
export function notificationData(s: SubscriptionBody, e: StoredEntity, map: TermMap) {
  const n = s.notification;
  return render(e, map, {
    keyValues: n.format === 'keyValues',
    sysAttrs: !!n.sysAttrs,
    attrs: n.attributes && new Set(n.attributes),
  });
}
