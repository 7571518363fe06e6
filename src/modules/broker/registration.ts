// Context source registrations (ETSI GS CIM 009 v1.8, clauses 5.2.9 and 5.9): what a client may send,
// the stored (expanded) form and the representation sent back. Which registrations a request selects
// is in registration-match.ts. Pure: no I/O.
import type { Geometry } from 'geojson';
import { compilePattern } from './pattern.ts';
import { compact, expand, type TermMap } from './context.ts';
import { checkGeometry, expiryOf, isDateTime, isUri } from './entity.ts';
import { problem } from './errors.ts';
import { isTenantName } from './rules.ts';

export const modes = ['inclusive', 'exclusive', 'redirect', 'auxiliary'] as const;
export type Mode = (typeof modes)[number];

/** The operations a registration may name (clause 4.20), and the groups that stand for several. */
const reads = ['retrieveEntity', 'queryEntity', 'queryBatch', 'retrieveTemporal', 'queryTemporal'];
const discovery = ['retrieveEntityTypes', 'retrieveEntityTypeDetails', 'retrieveEntityTypeInfo'];
const attrDiscovery = ['retrieveAttrTypes', 'retrieveAttrTypeDetails', 'retrieveAttrTypeInfo'];
const updates = ['updateEntity', 'updateAttrs', 'replaceEntity', 'replaceAttrs', 'mergeEntity', 'updateBatch', 'mergeBatch'];
const writes = ['createEntity', 'appendAttrs', 'deleteAttrs', 'deleteEntity', 'createBatch', 'upsertBatch', 'deleteBatch', 'purgeEntity'];
const temporalWrites = ['upsertTemporal', 'appendAttrsTemporal', 'deleteAttrsTemporal', 'updateAttrsTemporal'];
const temporalDeletes = ['deleteAttrInstanceTemporal', 'deleteTemporal', 'mergeTemporal'];
const subs = ['createSubscription', 'updateSubscription', 'retrieveSubscription', 'querySubscription', 'deleteSubscription'];
const maps = ['createEntityMap', 'updateEntityMap', 'deleteEntityMap', 'retrieveEntityMap'];
export const groups: Record<string, string[]> = {
  federationOps: [...reads, ...discovery, ...attrDiscovery, ...subs],
  updateOps: ['updateEntity', 'updateAttrs', 'replaceEntity', 'replaceAttrs'],
  retrieveOps: ['retrieveEntity', 'queryEntity'],
  redirectionOps: [...writes, ...updates, 'retrieveEntity', 'queryEntity', 'queryBatch', ...discovery, ...attrDiscovery],
};
const operationNames = new Set([
  ...reads,
  ...discovery,
  ...attrDiscovery,
  ...updates,
  ...writes,
  ...temporalWrites,
  ...temporalDeletes,
  ...subs,
  ...maps,
  ...Object.keys(groups),
]);

export interface EntityInfo {
  /** Expanded. */
  type: string;
  id?: string;
  idPattern?: string;
}

export interface RegistrationInfo {
  entities?: EntityInfo[];
  /** Expanded. */
  propertyNames?: string[];
  /** Expanded. */
  relationshipNames?: string[];
}

export interface TimeInterval {
  startAt: string;
  endAt?: string;
}

export interface RegistrationBody {
  id: string;
  type: 'ContextSourceRegistration';
  registrationName?: string;
  description?: string;
  information: RegistrationInfo[];
  /** The tenant to ask for at the context source (NGSILD-Tenant there). */
  tenant?: string;
  observationInterval?: TimeInterval;
  managementInterval?: TimeInterval;
  location?: Geometry;
  observationSpace?: Geometry;
  operationSpace?: Geometry;
  /** The base URL of the source's NGSI-LD API: requests go to `${endpoint}/ngsi-ld/v1/…`. */
  endpoint: string;
  /** Sent as HTTP headers with every request to the source (jsonldContext: its Link header). */
  contextSourceInfo?: { key: string; value: string }[];
  scope?: string | string[];
  mode: Mode;
  operations: string[];
  refreshRate?: string;
  /** timeout in milliseconds; localOnly asks the source for its own entities only (local=true). */
  management?: { localOnly?: boolean; cacheDuration?: string; timeout?: number; cooldown?: number };
}

/** A registration as stored, with its expiry and times (ISO 8601). */
export interface StoredRegistration {
  body: RegistrationBody;
  expiresAt: string | null;
  createdAt: string;
  modifiedAt: string;
}

const bad = (detail: string): never => {
  throw problem('BadRequestData', detail);
};
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, allowed: string[], where: string) => {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) bad(`${where}: "${k}" is not a member this broker supports (${allowed.join(', ')}).`);
};
const strings = (v: unknown, where: string) => {
  if (!Array.isArray(v) || !v.length || !v.every((n) => typeof n === 'string' && n && !/\s/.test(n)))
    bad(`${where} must be a non-empty array of names.`);
  return v as string[];
};

function entityInfo(v: unknown, map: TermMap): EntityInfo {
  if (!isObject(v)) return bad('information.entities: each item must be an object with a type.');
  onlyKeys(v, ['type', 'id', 'idPattern'], 'information.entities');
  if (typeof v.type !== 'string' || !v.type) bad('information.entities: each item needs a type (a string).');
  const e: EntityInfo = { type: expand(v.type as string, map) };
  if (v.id !== undefined) {
    if (!isUri(v.id)) bad('information.entities: id must be a URI.');
    e.id = v.id as string;
  }
  if (v.idPattern !== undefined) {
    if (typeof v.idPattern !== 'string' || !v.idPattern) bad('information.entities: idPattern must be a string.');
    compilePattern(v.idPattern as string, 'information.entities: idPattern');
    e.idPattern = v.idPattern as string;
  }
  return e;
}

function registrationInfo(v: unknown, map: TermMap): RegistrationInfo {
  if (!isObject(v)) return bad('Each item of information must be an object.');
  onlyKeys(v, ['entities', 'propertyNames', 'relationshipNames'], 'information');
  const info: RegistrationInfo = {};
  if (v.entities !== undefined) {
    if (!Array.isArray(v.entities) || !v.entities.length) bad('information.entities must be a non-empty array.');
    info.entities = (v.entities as unknown[]).map((e) => entityInfo(e, map));
  }
  for (const k of ['propertyNames', 'relationshipNames'] as const)
    if (v[k] !== undefined) info[k] = strings(v[k], `information.${k}`).map((n) => expand(n, map));
  if (!info.entities && !info.propertyNames && !info.relationshipNames)
    bad('Each item of information needs entities, propertyNames or relationshipNames.');
  return info;
}

function interval(v: unknown, where: string): TimeInterval {
  if (!isObject(v)) return bad(`${where} must be an object with startAt (and endAt).`);
  onlyKeys(v, ['startAt', 'endAt'], where);
  if (!isDateTime(v.startAt)) bad(`${where}.startAt must be an ISO 8601 date-time.`);
  if (v.endAt !== undefined && (!isDateTime(v.endAt) || Date.parse(v.endAt) < Date.parse(v.startAt as string)))
    bad(`${where}.endAt must be an ISO 8601 date-time, not before startAt.`);
  return { startAt: v.startAt as string, ...(v.endAt !== undefined && { endAt: v.endAt as string }) };
}

/** http(s) only; which addresses may be reached is the outbound policy's concern, at each request. */
function endpoint(v: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(String(v));
  } catch {
    // reported below
  }
  // The text itself needs a host: URL parsing would read http:///x as http://x/.
  if (typeof v !== 'string' || !url || !/^https?:\/\/[^/?#\s]/i.test(v)) bad('endpoint must be an http or https URL with a host.');
  if (url!.search || url!.hash || url!.username || url!.password) bad('endpoint must be a URL without query, fragment or credentials.');
  return v as string;
}

/** Headers that frame the request or carry the broker's own loop detection and tenant. */
const reservedHeaders = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'via',
  'ngsild-tenant',
]);

/** Keys become request headers: HTTP token names, values without line breaks. */
function contextSourceInfo(v: unknown) {
  if (!Array.isArray(v)) return bad('contextSourceInfo must be an array of {key, value}.');
  return v.map((kv) => {
    if (!isObject(kv)) return bad('contextSourceInfo: each item must be an object {key, value}.');
    onlyKeys(kv, ['key', 'value'], 'contextSourceInfo');
    if (typeof kv.key !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(kv.key))
      bad('contextSourceInfo: key must be an HTTP header name.');
    if (reservedHeaders.has((kv.key as string).toLowerCase()))
      bad(`contextSourceInfo: ${kv.key as string} is set by the broker itself and cannot be given.`);
    if (typeof kv.value !== 'string' || /[\0\r\n]/.test(kv.value)) bad('contextSourceInfo: value must be a string on one line.');
    return { key: kv.key as string, value: kv.value as string };
  });
}

function management(v: unknown) {
  if (!isObject(v)) return bad('management must be an object.');
  onlyKeys(v, ['localOnly', 'cacheDuration', 'timeout', 'cooldown'], 'management');
  if (v.localOnly !== undefined && typeof v.localOnly !== 'boolean') bad('management.localOnly must be true or false.');
  if (v.cacheDuration !== undefined && typeof v.cacheDuration !== 'string') bad('management.cacheDuration must be a duration.');
  for (const k of ['timeout', 'cooldown'])
    if (v[k] !== undefined && (typeof v[k] !== 'number' || !Number.isFinite(v[k]) || v[k] <= 0))
      bad(`management.${k} must be a positive number of milliseconds.`);
  return v as RegistrationBody['management'];
}

const removable = [
  'registrationName',
  'description',
  'tenant',
  'observationInterval',
  'managementInterval',
  'location',
  'observationSpace',
  'operationSpace',
  'contextSourceInfo',
  'scope',
  'refreshRate',
  'management',
  'expiresAt',
];
const supported = [...removable, 'id', 'type', 'information', 'endpoint', 'mode', 'operations', '@context'];

/** What a create or update request sets; an update's nulls remove optional members. */
export interface RegistrationFields {
  members: Partial<Omit<RegistrationBody, 'id' | 'type'>>;
  removed: string[];
  /** null: never expires. */
  expiresAt?: string | null;
}

/** Checks and expands a registration (create) or a fragment of one (update). Throws BadRequestData. */
export function readRegistration(input: Record<string, unknown>, map: TermMap, now: string, update: boolean): RegistrationFields {
  const f: RegistrationFields = { members: {}, removed: [] };
  const m = f.members as Record<string, unknown>;
  if (!update && input.type === undefined) bad('type must be "ContextSourceRegistration".');
  for (const [k, v] of Object.entries(input)) {
    if (!supported.includes(k)) bad(`"${k}" is not a ContextSourceRegistration member this broker supports.`);
    if (v === null && update && removable.includes(k)) {
      if (k === 'expiresAt') f.expiresAt = null;
      else f.removed.push(k);
      continue;
    }
    switch (k) {
      case 'type':
        if (v !== 'ContextSourceRegistration') bad('type must be "ContextSourceRegistration".');
        break;
      case 'registrationName':
      case 'description':
      case 'refreshRate':
        if (typeof v !== 'string' || !v) bad(`${k} must be a non-empty string.`);
        m[k] = v;
        break;
      case 'information':
        if (!Array.isArray(v) || !v.length) bad('information must be a non-empty array of RegistrationInfo.');
        m.information = (v as unknown[]).map((i) => registrationInfo(i, map));
        break;
      case 'tenant':
        if (typeof v !== 'string' || !isTenantName(v)) bad('tenant must be 1–64 letters, digits, "_" or "-".');
        m.tenant = v;
        break;
      case 'observationInterval':
      case 'managementInterval':
        m[k] = interval(v, k);
        break;
      case 'location':
      case 'observationSpace':
      case 'operationSpace':
        checkGeometry(v, k);
        m[k] = v;
        break;
      case 'endpoint':
        m.endpoint = endpoint(v);
        break;
      case 'contextSourceInfo':
        m.contextSourceInfo = contextSourceInfo(v);
        break;
      case 'scope':
        if (!(typeof v === 'string' && v) && !(Array.isArray(v) && v.length && v.every((s) => typeof s === 'string' && s)))
          bad('scope must be a string or a list of strings.');
        m.scope = v;
        break;
      case 'mode':
        if (!modes.includes(v as Mode)) bad(`mode must be one of ${modes.join(', ')}.`);
        m.mode = v;
        break;
      case 'operations':
        if (!Array.isArray(v) || !v.length || !v.every((o) => operationNames.has(o as string)))
          bad('operations must be a non-empty array of operation names (clause 4.20) or groups such as federationOps.');
        m.operations = v;
        break;
      case 'management':
        m.management = management(v);
        break;
      case 'expiresAt':
        f.expiresAt = expiryOf(v, now);
        break;
    }
  }
  return f;
}

/** A complete registration: what it offers and where; mode and operations take their defaults. */
export function completeRegistration(r: Partial<RegistrationBody>): RegistrationBody {
  if (!r.information) bad('A registration needs information (the entities and attributes the source offers).');
  if (!r.endpoint) bad('A registration needs an endpoint.');
  return { ...r, mode: r.mode ?? 'inclusive', operations: r.operations ?? ['federationOps'] } as RegistrationBody;
}

/** The registration compacted with a request's @context. */
export function renderRegistration(s: StoredRegistration, map: TermMap, sysAttrs: boolean): Record<string, unknown> {
  const { information, ...rest } = s.body;
  return {
    ...rest,
    information: information.map((i) => ({
      ...(i.entities && { entities: i.entities.map((e) => ({ ...e, type: compact(e.type, map) })) }),
      ...(i.propertyNames && { propertyNames: i.propertyNames.map((n) => compact(n, map)) }),
      ...(i.relationshipNames && { relationshipNames: i.relationshipNames.map((n) => compact(n, map)) }),
    })),
    ...(s.expiresAt && { expiresAt: s.expiresAt }),
    ...(sysAttrs && { createdAt: s.createdAt, modifiedAt: s.modifiedAt }),
  };
}
