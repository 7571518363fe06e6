// NGSI-LD entities: validation of what a client sends, the stored (expanded) form, and the
// representations sent back (normalized, keyValues). Pure: no I/O.
import { compact, expand, type TermMap } from './context.ts';
import { problem } from './errors.ts';
import { checkName, isIri, MAX_VERTICES, reservedGeoProperties, ringIntersectsItself } from './validate.ts';

export const attributeTypes = ['Property', 'Relationship', 'GeoProperty', 'LanguageProperty', 'JsonProperty', 'VocabProperty'] as const;
export type AttributeType = (typeof attributeTypes)[number];

export interface Instance {
  type: AttributeType;
  value?: unknown;
  object?: string;
  languageMap?: Record<string, string>;
  /** A JsonProperty's JSON, kept as sent (never expanded). */
  json?: unknown;
  /** A VocabProperty's term or terms, stored expanded. */
  vocab?: string | string[];
  observedAt?: string;
  unitCode?: string;
  datasetId?: string;
  createdAt: string;
  modifiedAt: string;
  /** Sub-attributes (properties of the attribute), by expanded name. */
  sub?: Record<string, Instance[]>;
}

export interface StoredEntity {
  id: string;
  types: string[];
  attrs: Record<string, Instance[]>;
  /** Scopes (4.18): paths such as /Aomori/Hirosaki; absent when the entity has none. */
  scope?: string[];
  createdAt: string;
  modifiedAt: string;
}

/** The NGSI-LD Null (5.6.2): as an attribute's content it deletes the attribute; notifications and history show deletions with it. */
export const NGSI_LD_NULL = 'urn:ngsi-ld:null';
export const reservedEntityKeys = new Set(['id', 'type', '@context', 'createdAt', 'modifiedAt', 'scope']);
const reservedAttrKeys = new Set([
  'type',
  'value',
  'object',
  'languageMap',
  'json',
  'vocab',
  'observedAt',
  'unitCode',
  'datasetId',
  'createdAt',
  'modifiedAt',
]);
const geometryTypes = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

export const isUri = (s: unknown): s is string => typeof s === 'string' && isIri(s);
/** The instants PostgreSQL's timestamptz and JavaScript's Date both hold as four-digit years. */
const FIRST = Date.parse('0001-01-01T00:00:00Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');
/**
 * An ISO 8601 date-time with a time zone, checked field by field (Date.parse takes 2025-02-30 as
 * 2 March); offsets within ±14:00 (the world's), at most nanoseconds, and in UTC within years 1–9999.
 */
export function isDateTime(s: unknown): s is string {
  const m =
    typeof s === 'string' && /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec = 0, oh = 0, om = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  day.setUTCFullYear(y!); // Date.UTC reads years 0–99 as 1900–1999
  const fields = day.getUTCMonth() === mo! - 1 && day.getUTCDate() === d && h! < 24 && mi! < 60 && sec < 60 && om < 60;
  const t = Date.parse(s as string);
  return fields && oh * 60 + om <= 14 * 60 && t >= FIRST && t <= LAST;
}

/** The expiresAt of a subscription or registration: a date-time in the future, given back in UTC. */
export function expiryOf(v: unknown, now: string): string {
  if (!isDateTime(v)) throw bad('expiresAt must be an ISO 8601 date-time.');
  if (Date.parse(v) <= Date.parse(now)) throw bad('expiresAt must be in the future.');
  return new Date(v).toISOString();
}
const bad = (detail: string) => problem('BadRequestData', detail);

function checkPosition(p: unknown, where: string) {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw bad(`${where}: a position is [longitude, latitude] in numbers.`);
  }
  if (Math.abs(p[0] as number) > 180 || Math.abs(p[1] as number) > 90)
    throw bad(`${where}: longitude must be within ±180 and latitude within ±90.`);
}

/** A GeoJSON geometry as NGSI-LD allows it; rings of polygons must be closed. */
export function checkGeometry(g: unknown, where: string): void {
  const geom = g as { type?: unknown; coordinates?: unknown };
  if (!geom || typeof geom !== 'object' || typeof geom.type !== 'string' || !geometryTypes.has(geom.type)) {
    throw bad(`${where}: the value of a GeoProperty must be a GeoJSON geometry (Point, LineString, Polygon or their Multi* forms).`);
  }
  const c = geom.coordinates;
  let vertices = 0;
  const line = (l: unknown, min: number) => {
    if (!Array.isArray(l) || l.length < min) throw bad(`${where}: a ${geom.type} needs at least ${min} positions.`);
    if ((vertices += l.length) > MAX_VERTICES) throw bad(`${where}: a geometry has at most ${MAX_VERTICES} positions here.`);
    l.forEach((p) => checkPosition(p, where));
  };
  const ring = (r: unknown) => {
    line(r, 4);
    const pts = r as number[][];
    if (pts[0]![0] !== pts.at(-1)![0] || pts[0]![1] !== pts.at(-1)![1]) throw bad(`${where}: a polygon ring must end where it starts.`);
    if (ringIntersectsItself(pts)) throw bad(`${where}: a polygon ring must not cross or touch itself (RFC 7946 3.1.6).`);
  };
  const list = (x: unknown, each: (v: unknown) => void) => {
    if (!Array.isArray(x) || x.length === 0) throw bad(`${where}: ${geom.type} coordinates must be a non-empty array.`);
    x.forEach(each);
  };
  switch (geom.type) {
    case 'Point':
      return checkPosition(c, where);
    case 'MultiPoint':
      return line(c, 1);
    case 'LineString':
      return line(c, 2);
    case 'MultiLineString':
      return list(c, (l) => line(l, 2));
    case 'Polygon':
      return list(c, ring);
    case 'MultiPolygon':
      return list(c, (poly) => list(poly, ring));
  }
}

function instance(name: string, raw: unknown, map: TermMap, now: string): Instance {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`Attribute ${name}: must be an object with a type.`);
  const a = raw as Record<string, unknown>;
  const type = a.type as AttributeType;
  if (!attributeTypes.includes(type)) throw bad(`Attribute ${name}: type must be one of ${attributeTypes.join(', ')}.`);
  const out: Instance = { type, createdAt: now, modifiedAt: now };
  if (type === 'Property') {
    if (a.value === undefined || a.value === null) throw bad(`Attribute ${name}: a Property needs a value.`);
    out.value = a.value;
  } else if (type === 'Relationship') {
    if (!isUri(a.object)) throw bad(`Attribute ${name}: a Relationship needs an object that is a URI.`);
    out.object = a.object;
  } else if (type === 'GeoProperty') {
    checkGeometry(a.value, `Attribute ${name}`);
    out.value = a.value;
  } else if (type === 'JsonProperty') {
    const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
    if (!isObject(a.json) && !(Array.isArray(a.json) && a.json.every(isObject)))
      throw bad(`Attribute ${name}: a JsonProperty needs json, a JSON object or a list of them.`);
    // Raw JSON is unitless and is its own value.
    if (a.value !== undefined || a.unitCode !== undefined) throw bad(`Attribute ${name}: a JsonProperty has json, not value or unitCode.`);
    out.json = a.json;
  } else if (type === 'VocabProperty') {
    const terms = Array.isArray(a.vocab) ? a.vocab : [a.vocab];
    if (!terms.length || !terms.every((t) => typeof t === 'string' && t))
      throw bad(`Attribute ${name}: a VocabProperty needs vocab, a term or a list of terms.`);
    out.vocab = Array.isArray(a.vocab) ? terms.map((t) => expand(t as string, map)) : expand(a.vocab as string, map);
  } else {
    const lm = a.languageMap as Record<string, unknown>;
    if (!lm || typeof lm !== 'object' || !Object.values(lm).every((v) => typeof v === 'string'))
      throw bad(`Attribute ${name}: a LanguageProperty needs a languageMap of strings.`);
    out.languageMap = lm as Record<string, string>;
  }
  if (a.observedAt !== undefined) {
    if (!isDateTime(a.observedAt)) throw bad(`Attribute ${name}: observedAt must be an ISO 8601 date-time.`);
    out.observedAt = a.observedAt as string;
  }
  if (a.unitCode !== undefined) {
    if (typeof a.unitCode !== 'string' || !a.unitCode) throw bad(`Attribute ${name}: unitCode must be a string.`);
    out.unitCode = a.unitCode;
  }
  if (a.datasetId !== undefined) {
    if (!isUri(a.datasetId)) throw bad(`Attribute ${name}: datasetId must be a URI.`);
    out.datasetId = a.datasetId;
  }
  const sub: Record<string, Instance[]> = {};
  for (const [k, v] of Object.entries(a)) {
    if (reservedAttrKeys.has(k)) continue;
    checkName(k, `Attribute ${name}: sub-attribute`);
    sub[expand(k, map)] = instances(`${name}.${k}`, v, map, now);
  }
  if (Object.keys(sub).length) out.sub = sub;
  return out;
}

/** One attribute, or several instances of it told apart by datasetId. */
export function instances(name: string, raw: unknown, map: TermMap, now: string): Instance[] {
  const list = (Array.isArray(raw) ? raw : [raw]).map((r) => instance(name, r, map, now));
  if (reservedGeoProperties.has(expand(name, map)) && list.some((i) => i.type !== 'GeoProperty'))
    throw bad(`Attribute ${name}: the specification reserves this name for a GeoProperty (clause 4.7).`);
  const ids = list.map((i) => i.datasetId ?? '');
  if (new Set(ids).size !== ids.length) throw bad(`Attribute ${name}: each instance needs a different datasetId.`);
  return list;
}

/** Validates and expands an entity as a client sends it. */
export function toStored(body: unknown, map: TermMap, now: string): StoredEntity {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('The entity must be a JSON object.');
  const e = body as Record<string, unknown>;
  if (!isUri(e.id)) throw bad('The entity id must be a URI (for example urn:ngsi-ld:Shelter:001).');
  const scope = scopesOf(e.scope);
  return { id: e.id, types: typesOf(e, map), attrs: attributesOf(e, map, now), ...(scope && { scope }), createdAt: now, modifiedAt: now };
}

const isScope = (s: unknown) => typeof s === 'string' && /^(\/[^/#+\s]+)+$/.test(s);
/** The scopes of a body's `scope` (4.18): one path or a list of them, each like /Aomori/Hirosaki. */
export function scopesOf(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.length || !list.every(isScope)) throw bad('scope must be a path such as /Aomori/Hirosaki, or a list of them.');
  return [...new Set(list as string[])];
}

/** The entity types of a body, expanded. */
export function typesOf(e: Record<string, unknown>, map: TermMap): string[] {
  const types = (Array.isArray(e.type) ? e.type : [e.type]) as unknown[];
  if (!types.length || !types.every((t) => typeof t === 'string' && t)) throw bad('The entity type must be a string or a list of strings.');
  types.forEach((t) => checkName(t as string, 'The entity type'));
  return types.map((t) => expand(t as string, map));
}

/** The attributes of a fragment (an entity, or the body of an attribute update). */
export function attributesOf(fragment: Record<string, unknown>, map: TermMap, now: string): Record<string, Instance[]> {
  const attrs: Record<string, Instance[]> = {};
  for (const [k, v] of Object.entries(fragment)) {
    if (reservedEntityKeys.has(k)) continue;
    checkName(k, 'Attribute');
    attrs[expand(k, map)] = instances(k, v, map, now);
  }
  return attrs;
}

export interface RenderOptions {
  keyValues: boolean;
  sysAttrs: boolean;
  /** Expanded names to include; all when undefined. */
  attrs?: Set<string>;
  /** The `lang` parameter: LanguageProperties are given as a Property in the best language (4.15). */
  lang?: string;
}

/**
 * The language of a languageMap that `lang` asks for (4.15): tags with q-values as in Accept-Language,
 * a tag also matching its subtags (en matches en-GB), `*` any; when none is there, @none, else the first.
 */
export function pickLanguage(languageMap: Record<string, string>, lang: string): string | undefined {
  const tags = Object.keys(languageMap);
  const wanted = lang
    .split(',')
    .map((part, order) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const w of wanted) {
    const found = w.tag === '*' ? tags[0] : tags.find((t) => t.toLowerCase() === w.tag || t.toLowerCase().startsWith(`${w.tag}-`));
    if (found) return found;
  }
  return '@none' in languageMap ? '@none' : tags[0];
}

const compactVocab = (v: string | string[], map: TermMap) => (Array.isArray(v) ? v.map((t) => compact(t, map)) : compact(v, map));

export function renderInstance(i: Instance, map: TermMap, o: RenderOptions): unknown {
  const tag = o.lang && i.languageMap ? pickLanguage(i.languageMap, o.lang) : undefined;
  if (o.keyValues) {
    if (tag !== undefined) return i.languageMap![tag];
    if (i.type === 'Relationship') return i.object;
    // Simplified forms that keep the kind of value apart from a plain Property's (4.5.x, v1.8).
    if (i.type === 'LanguageProperty') return { languageMap: i.languageMap };
    if (i.type === 'JsonProperty') return { json: i.json };
    if (i.type === 'VocabProperty') return { vocab: compactVocab(i.vocab!, map) };
    return i.value;
  }
  const out: Record<string, unknown> = { type: tag !== undefined ? 'Property' : i.type };
  if (i.value !== undefined) out.value = i.value;
  if (i.object !== undefined) out.object = i.object;
  if (tag !== undefined) Object.assign(out, { value: i.languageMap![tag], lang: tag });
  else if (i.languageMap !== undefined) out.languageMap = i.languageMap;
  if (i.json !== undefined) out.json = i.json;
  if (i.vocab !== undefined) out.vocab = compactVocab(i.vocab, map);
  if (i.observedAt) out.observedAt = i.observedAt;
  if (i.unitCode) out.unitCode = i.unitCode;
  if (i.datasetId) out.datasetId = i.datasetId;
  if (o.sysAttrs) Object.assign(out, { createdAt: i.createdAt, modifiedAt: i.modifiedAt });
  for (const [k, v] of Object.entries(i.sub ?? {})) out[compact(k, map)] = renderList(v, map, { ...o, attrs: undefined });
  return out;
}

const renderList = (list: Instance[], map: TermMap, o: RenderOptions) =>
  list.length === 1 ? renderInstance(list[0]!, map, o) : list.map((i) => renderInstance(i, map, o));

/** The entity compacted with the request's @context. */
export function render(e: StoredEntity, map: TermMap, o: RenderOptions): Record<string, unknown> {
  const types = e.types.map((t) => compact(t, map));
  const out: Record<string, unknown> = { id: e.id, type: types.length === 1 ? types[0] : types };
  if (e.scope) out.scope = e.scope.length === 1 ? e.scope[0] : e.scope;
  if (o.sysAttrs && !o.keyValues) Object.assign(out, { createdAt: e.createdAt, modifiedAt: e.modifiedAt });
  for (const [name, list] of Object.entries(e.attrs)) {
    if (o.attrs && !o.attrs.has(name)) continue;
    out[compact(name, map)] = renderList(list, map, o);
  }
  return out;
}
