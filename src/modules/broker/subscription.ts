// NGSI-LD subscriptions (ETSI GS CIM 009 v1.8, clauses 5.2.12, 5.2.14, 5.2.15 and 5.8): what a client
// may send and the stored (expanded) form. The representation sent back is in subscription-render.ts,
// what a change notifies in notification-data.ts. Pure: no I/O.
import { expand, termMap, type ContextLoader, type TermMap } from './context.ts';
import { expiryOf, isUri } from './entity.ts';
import { problem } from './errors.ts';
import { parseGeoQuery } from './geo.ts';
import { parseQ } from './q.ts';
import type { StoredSubscription } from './repository-subscriptions.ts';
import { compilePattern } from './pattern.ts';
import { checkName } from './validate.ts';

export interface EntitySelector {
  /** Expanded. */
  type: string;
  id?: string;
  idPattern?: string;
}

/** A key and a value (5.2.22): receiverInfo becomes headers of each notification. */
export interface KeyValuePair {
  key: string;
  value: string;
}

export interface NotificationParams {
  /** Expanded names of the attributes to send; all when absent. */
  attributes?: string[];
  format: 'normalized' | 'keyValues';
  sysAttrs?: boolean;
  /** previousValue, previousObject, previousLanguageMap beside what changed. */
  showChanges?: boolean;
  endpoint: {
    uri: string;
    accept: 'application/json' | 'application/ld+json';
    receiverInfo?: KeyValuePair[];
    notifierInfo?: KeyValuePair[];
  };
}

export const notificationTriggers = [
  'entityCreated',
  'entityUpdated',
  'entityDeleted',
  'attributeCreated',
  'attributeUpdated',
  'attributeDeleted',
] as const;
export type NotificationTrigger = (typeof notificationTriggers)[number];

/** A subscription's definition as stored: names expanded; isActive and expiresAt have their own columns. */
export interface SubscriptionBody {
  id: string;
  type: 'Subscription';
  subscriptionName?: string;
  description?: string;
  entities?: EntitySelector[];
  /** Expanded. */
  watchedAttributes?: string[];
  /** Absent: attributeCreated and attributeUpdated. */
  notificationTrigger?: NotificationTrigger[];
  /** Seconds between periodic notifications; such a subscription is not notified of changes. */
  timeInterval?: number;
  /** As written: it is read with the subscription's @context. */
  q?: string;
  geoQ?: { geometry: string; coordinates: unknown; georel: string; geoproperty: string };
  /** Seconds. */
  throttling?: number;
  /** The @context (a URL) notifications are compacted with, instead of the subscription's. */
  jsonldContext?: string;
  /** Language filter for LanguageProperties (4.15): tags in order of preference, or *. */
  lang?: string;
  /** Only instances of these datasetIds are considered and sent ('@none': those without one). */
  datasetId?: string[];
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
  throw problem('BadRequestData', detail);
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

/** An HTTP header name (RFC 9110 token). */
const isToken = (k: string) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(k);
/**
 * Headers receiverInfo may not set: the ones that frame the message or the connection (a wrong one
 * breaks the request or smuggles another), that the notifier sets itself (Content-Type, Link), and
 * the ones proxies and browsers own. Authorization stays allowed: receivers ask for credentials.
 */
const refusedHeaders = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'expect',
  'link',
  'cookie',
  'forwarded',
  'via',
  'http2-settings',
]);
const refusedPrefixes = ['proxy-', 'sec-', 'x-forwarded-'];

/** receiverInfo or notifierInfo (5.2.22 KeyValuePair): at most 20, keys tokens, values printable ASCII. */
function keyValues(v: unknown, where: string, headers: boolean): KeyValuePair[] {
  if (!Array.isArray(v) || v.length > 20) return bad(`${where} must be an array of at most 20 {"key", "value"} pairs.`);
  const seen = new Set<string>();
  return v.map((p) => {
    if (!isObject(p)) return bad(`${where}: each item is {"key", "value"}.`);
    onlyKeys(p, ['key', 'value'], where);
    const { key, value } = p;
    if (typeof key !== 'string' || !isToken(key))
      return bad(`${where}: key ${JSON.stringify(key)} must be a header name (letters, digits, - and the like).`);
    if (typeof value !== 'string' || !/^[\t\x20-\x7e]{0,1024}$/.test(value))
      return bad(`${where}: the value of ${key} must be printable ASCII, at most 1024 characters.`);
    const lower = key.toLowerCase();
    if (seen.has(lower)) bad(`${where}: ${key} is given twice.`);
    seen.add(lower);
    if (headers && (refusedHeaders.has(lower) || refusedPrefixes.some((x) => lower.startsWith(x))))
      bad(`${where}: ${key} cannot be set (it belongs to HTTP itself, to proxies, or to the notifier).`);
    return { key, value };
  });
}

function notificationParams(v: unknown, map: TermMap): NotificationParams {
  if (!isObject(v)) return bad('notification must be an object with an endpoint.');
  onlyKeys(v, ['attributes', 'format', 'sysAttrs', 'showChanges', 'endpoint'], 'notification');
  const format = v.format ?? 'normalized';
  if (format !== 'normalized' && format !== 'keyValues') bad('notification.format must be "normalized" or "keyValues".');
  if (v.sysAttrs !== undefined && typeof v.sysAttrs !== 'boolean') bad('notification.sysAttrs must be true or false.');
  if (v.showChanges !== undefined && typeof v.showChanges !== 'boolean') bad('notification.showChanges must be true or false.');
  const ep = v.endpoint;
  if (!isObject(ep)) return bad('notification.endpoint must be an object with a uri.');
  onlyKeys(ep, ['uri', 'accept', 'receiverInfo', 'notifierInfo'], 'notification.endpoint');
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
    ...(v.showChanges !== undefined && { showChanges: v.showChanges as boolean }),
    endpoint: {
      uri: ep.uri as string,
      accept: accept as NotificationParams['endpoint']['accept'],
      ...(ep.receiverInfo !== undefined && { receiverInfo: keyValues(ep.receiverInfo, 'notification.endpoint.receiverInfo', true) }),
      ...(ep.notifierInfo !== undefined && { notifierInfo: keyValues(ep.notifierInfo, 'notification.endpoint.notifierInfo', false) }),
    },
  };
}

/** A language tag (BCP 47, loosely) or *. */
const isLanguage = (t: string) => t === '*' || /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(t);

const removable = [
  'subscriptionName',
  'description',
  'entities',
  'watchedAttributes',
  'notificationTrigger',
  'timeInterval',
  'q',
  'geoQ',
  'throttling',
  'expiresAt',
  'jsonldContext',
  'lang',
  'datasetId',
];
const supported = [...removable, 'id', 'type', 'notification', 'isActive', '@context'];

/**
 * Checks and expands the members of a subscription (create) or of a fragment of one (update, where
 * null removes a member). Throws BadRequestData on the first problem.
 */
export function readSubscription(
  input: Record<string, unknown>,
  map: TermMap,
  now: string,
  update: boolean,
  load: ContextLoader,
): SubscriptionFields {
  const f: SubscriptionFields = { members: {}, removed: [] };
  const m = f.members;
  if (!update && input.type === undefined) bad('type must be "Subscription".');
  for (const [k, v] of Object.entries(input)) {
    if (k === 'status') bad('status is set by the broker (active, paused, expired): use isActive and expiresAt.');
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
      case 'notificationTrigger': {
        const list = v as unknown[];
        if (!Array.isArray(v) || !v.length || !list.every((x) => notificationTriggers.includes(x as NotificationTrigger)))
          bad(`notificationTrigger must be a non-empty array of ${notificationTriggers.join(', ')}.`);
        if (new Set(list).size !== list.length) bad('notificationTrigger names a trigger twice.');
        m.notificationTrigger = list as NotificationTrigger[];
        break;
      }
      case 'timeInterval':
        // At least a second: the broker checks for due periodic notifications about once a second.
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 366 * 86400)
          bad('timeInterval must be a number of seconds from 1 to 31622400 (a year).');
        m.timeInterval = v as number;
        break;
      case 'jsonldContext':
        if (!isUri(v) || !/^https?:\/\//.test(v)) bad('jsonldContext must be the URL of an @context.');
        termMap(v, load); // LdContextNotAvailable now, rather than at every notification
        m.jsonldContext = v as string;
        break;
      case 'lang':
        if (typeof v !== 'string' || !v.split(',').every(isLanguage))
          bad('lang must be language tags separated by commas (for example ja,en) or *.');
        m.lang = v as string;
        break;
      case 'datasetId':
        if (!Array.isArray(v) || !v.length || !v.every((d) => d === '@none' || isUri(d)))
          bad('datasetId must be a non-empty array of URIs (or @none for the instances without one).');
        m.datasetId = v as string[];
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
        f.expiresAt = expiryOf(v, now);
        break;
    }
  }
  return f;
}

/** A complete subscription: it says where to notify, and which entities or attributes it watches. */
export function checkComplete(s: Partial<SubscriptionBody>): asserts s is SubscriptionBody {
  if (!s.notification) bad('A subscription needs a notification with an endpoint.');
  if (!s.entities && !s.watchedAttributes) bad('A subscription needs entities, watchedAttributes or both.');
  // 5.2.12: a periodic subscription is not about changes, so nothing that selects changes goes with it.
  if (s.timeInterval !== undefined) {
    if (s.watchedAttributes) bad('timeInterval and watchedAttributes cannot go together.');
    if (s.throttling !== undefined) bad('timeInterval and throttling cannot go together.');
    if (s.notificationTrigger) bad('timeInterval and notificationTrigger cannot go together.');
  }
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

/**
 * What an update (PATCH) writes: the stored subscription with the members read replacing its own and
 * the null ones removed, checked complete; an update that brings an @context makes it the subscription's.
 */
export function updatedSubscription(old: StoredSubscription, f: SubscriptionFields, context: unknown) {
  const merged: Partial<SubscriptionBody> = { ...old.body, ...f.members };
  for (const k of f.removed) delete merged[k as keyof SubscriptionBody];
  checkComplete(merged);
  return {
    body: merged,
    context: context === undefined ? old.context : context,
    active: f.isActive ?? old.active,
    expiresAt: f.expiresAt === undefined ? old.expiresAt : f.expiresAt,
  };
}
