// An alert (警報・避難情報) as the broker holds it: an NGSI-LD `Alert` entity after the FIWARE Smart Data
// Model (dataModel.Alert: category, subCategory, severity, description, dateIssued, validFrom, validTo,
// alertSource, location) plus what the app needs (kind, headline, やさしい日本語, municipalities, status).
// Staff alerts and the JMA adapter write them; the push fan-out, the alert list, CAP and Atom read them.
// Pure: no I/O.
import type { LocalEntity } from '../broker/index.ts';
import type { HazardType } from './hazards.ts';

/** What an alert is (glossary): staff's 避難情報 and the JMA reports the adapter takes. */
export const alertKinds = {
  evacuationOrder: '避難指示',
  elderlyEvacuation: '高齢者等避難',
  emergencySafety: '緊急安全確保',
  shelterOpening: '避難所開設',
  advisory: '注意喚起',
  weatherWarning: '気象警報',
  weatherAdvisory: '気象注意報',
  landslideWarning: '土砂災害警戒情報',
  floodForecast: '指定河川洪水予報',
  earthquake: '地震情報',
  tsunami: '津波警報・注意報',
} as const;
export type AlertKind = keyof typeof alertKinds;

/** FIWARE Alert severity values. */
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/** issued → updated (any number of times) → cancelled (取消・解除); a cancelled alert is kept, not deleted. */
export type AlertStatus = 'issued' | 'updated' | 'cancelled';

export interface Alert {
  /** urn:ngsi-ld:Alert:<source>-<unique part> */
  id: string;
  kind: AlertKind;
  /** One line, e.g. 「青森市に大雨警報（土砂災害）」. */
  headline: string;
  /** The full text (FIWARE description). */
  description: string;
  /** The same in やさしい日本語 (short sentences, common words, furigana-free). */
  easyJapanese: string;
  severity: Severity;
  /** The hazard it concerns, when one of the eight (routes pick shelters suitable for it). */
  hazard?: HazardType;
  /** 5-digit municipality codes the alert is for (always given; a drawn area gives those it touches). */
  municipalities: string[];
  /** A drawn area (GeoJSON Polygon/MultiPolygon), when staff drew one; else the municipalities' boundaries. */
  area?: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  status: AlertStatus;
  /** ISO 8601 */
  issued: string;
  updated: string;
  expires?: string;
  /** 'jma' or 'staff:<municipality code or pref>' */
  source: string;
  /** The JMA report this came from (its EventID + the feed entry), so a report never alerts twice. */
  sourceReport?: string;
  /** The `updated` times of the earlier versions, oldest first (CAP `references`: each version is a message). */
  history?: string[];
}

/** The staff alert kinds (避難情報 and 注意喚起); the others come from the JMA adapter. */
export const staffAlertKinds = ['evacuationOrder', 'elderlyEvacuation', 'emergencySafety', 'shelterOpening', 'advisory'] as const;
export type StaffAlertKind = (typeof staffAlertKinds)[number];

const ID_PREFIX = 'urn:ngsi-ld:Alert:';
const SAFE = /^[A-Za-z0-9._-]{1,200}$/;

/**
 * The alert's part of its URLs (/disaster/alerts/{slug}): the id's unique part when it is URL-safe (ours
 * and the JMA adapter's are); an id written by another system through the API otherwise gets `~` and the
 * whole id in base64url (also when the part ends in .cap, the CAP URL's suffix), so every alert has exactly one slug and a slug names exactly one alert.
 */
export function alertSlug(id: string): string {
  const tail = id.startsWith(ID_PREFIX) ? id.slice(ID_PREFIX.length) : '';
  return SAFE.test(tail) && !tail.startsWith('~') && !tail.endsWith('.cap') ? tail : `~${Buffer.from(id).toString('base64url')}`;
}

/** An alert is current until it is cancelled or has expired. */
export const isCurrent = (a: Alert, now = Date.now()) => a.status !== 'cancelled' && (!a.expires || Date.parse(a.expires) > now);

const prop = (value: unknown) => ({ type: 'Property', value });

export function toEntity(a: Alert): LocalEntity {
  const e: LocalEntity = {
    id: a.id,
    type: 'Alert',
    category: prop(a.kind.startsWith('weather') ? 'weather' : 'naturalDisaster'),
    subCategory: prop(a.kind),
    name: prop(a.headline),
    description: prop(a.description),
    easyJapanese: prop(a.easyJapanese),
    severity: prop(a.severity),
    municipalities: prop(a.municipalities),
    alertStatus: prop(a.status),
    dateIssued: prop({ '@type': 'DateTime', '@value': a.issued }),
    dateModified: prop({ '@type': 'DateTime', '@value': a.updated }),
    alertSource: prop(a.source),
  };
  if (a.hazard) e.hazard = prop(a.hazard);
  if (a.area) e.location = { type: 'GeoProperty', value: a.area };
  if (a.expires) e.validTo = prop({ '@type': 'DateTime', '@value': a.expires });
  if (a.sourceReport) e.sourceReport = prop(a.sourceReport);
  if (a.history?.length) e.previousVersions = prop(a.history);
  return e;
}

// One version is stored as a bare string (NGSI-LD keeps a one-element array as its element).
const history = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : undefined);

/** Reads an Alert entity in keyValues form back; undefined when it is not one we can show. */
export function fromEntity(e: Record<string, unknown>): Alert | undefined {
  const text = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
  const date = (k: string) => {
    const v = e[k] as { '@value'?: string } | string | undefined;
    return typeof v === 'string' ? v : v?.['@value'];
  };
  const kind = text('subCategory');
  if (e.type !== 'Alert' || !kind || !(kind in alertKinds)) return undefined;
  return {
    id: String(e.id),
    kind: kind as AlertKind,
    headline: text('name') ?? '',
    description: text('description') ?? '',
    easyJapanese: text('easyJapanese') ?? '',
    severity: (text('severity') ?? 'informational') as Severity,
    ...(text('hazard') && { hazard: text('hazard') as HazardType }),
    municipalities: history(e.municipalities) ?? [],
    ...(e.location ? { area: e.location as Alert['area'] } : {}),
    status: (text('alertStatus') ?? 'issued') as AlertStatus,
    issued: date('dateIssued') ?? '',
    updated: date('dateModified') ?? date('dateIssued') ?? '',
    ...(date('validTo') && { expires: date('validTo') }),
    source: text('alertSource') ?? '',
    ...(text('sourceReport') && { sourceReport: text('sourceReport') }),
    ...(history(e.previousVersions) && { history: history(e.previousVersions) }),
  };
}
