// An alert as an OASIS CAP 1.2 message (Common Alerting Protocol v1.2, §3), for L-Alert and other
// systems. Each version of an alert is one message: issued → Alert, updated → Update, cancelled →
// Cancel, and every later message `references` all earlier ones. The やさしい日本語 text is a second
// <info> block in language ja-JP-x-easy (a BCP 47 private-use subtag), so a receiver that only knows
// ja-JP takes the first block and one that shows easy Japanese can pick it. Pure.
import { XMLBuilder } from 'fast-xml-parser';
import { alertKinds, type Alert, type AlertKind } from './alert.ts';
import type { HazardType } from './hazards.ts';
import type { Polygon } from './area.ts';

type Urgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
type Certainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';

/** CAP 1.2 §3.2.2 urgency, severity, certainty by kind (避難情報 levels 3–5 are immediate action). */
export const capLevels: Record<AlertKind, [Urgency, CapSeverity, Certainty]> = {
  emergencySafety: ['Immediate', 'Extreme', 'Observed'],
  evacuationOrder: ['Immediate', 'Severe', 'Likely'],
  elderlyEvacuation: ['Expected', 'Severe', 'Likely'],
  shelterOpening: ['Expected', 'Minor', 'Observed'],
  advisory: ['Future', 'Moderate', 'Possible'],
  weatherWarning: ['Expected', 'Severe', 'Likely'],
  weatherAdvisory: ['Future', 'Moderate', 'Possible'],
  landslideWarning: ['Immediate', 'Severe', 'Likely'],
  floodForecast: ['Expected', 'Severe', 'Likely'],
  earthquake: ['Past', 'Severe', 'Observed'],
  tsunami: ['Immediate', 'Extreme', 'Likely'],
};

const hazardCategory: Record<HazardType, string> = {
  flood: 'Met',
  stormSurge: 'Met',
  inlandFlooding: 'Met',
  landslide: 'Geo',
  earthquake: 'Geo',
  tsunami: 'Geo',
  volcano: 'Geo',
  largeFire: 'Fire',
};

/** CAP 1.2 §3.2.2 category: from the hazard when there is one, else from the kind. */
export function capCategory(a: Pick<Alert, 'kind' | 'hazard'>): string {
  if (a.hazard) return hazardCategory[a.hazard];
  if (a.kind === 'earthquake' || a.kind === 'tsunami' || a.kind === 'landslideWarning') return 'Geo';
  if (a.kind.startsWith('weather') || a.kind === 'floodForecast') return 'Met';
  return 'Safety';
}

/** CAP 1.2 §3.3.2 DateTime: with a numeric offset, no "Z"; JST for a Japanese receiver. */
export const capTime = (iso: string) => `${new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 19)}+09:00`;

/** CAP 1.2 §3.2.4 polygon: "lat,lon" pairs separated by spaces, the first pair equal to the last. */
export const capPolygon = (ring: number[][]) => ring.map(([lon, lat]) => `${lat},${lon}`).join(' ');

const versions = (a: Alert) => [...(a.history ?? []), a.updated];
/** A message's identifier (§3.2.1: no spaces, commas or < &): the slug and the version's number. */
export const capIdentifier = (slug: string, version: number) => `renkei-alert-${slug}-v${version}`;

export interface CapContext {
  /** §3.2.1 sender: the host name of the server (no spaces or commas). */
  sender: string;
  slug: string;
  /** Municipality code → name, for areaDesc. */
  names: (code: string) => string;
  /** The public page of the alert (§3.2.2 web). */
  web: string;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, suppressEmptyNode: true });

export function toCap(a: Alert, ctx: CapContext): string {
  const all = versions(a);
  const n = all.length - 1;
  const [urgency, severity, certainty] = capLevels[a.kind];
  const polygons =
    a.area?.type === 'Polygon'
      ? [(a.area as Polygon).coordinates[0]!]
      : a.area
        ? (a.area.coordinates as number[][][][]).map((p) => p[0]!)
        : [];
  const area = {
    areaDesc: a.municipalities.map(ctx.names).join('、') || '青森県',
    ...(polygons.length && { polygon: polygons.map(capPolygon) }),
    geocode: a.municipalities.map((code) => ({ valueName: 'JIS X 0402', value: code })),
  };
  const info = (language: string, headline: string, description: string) => ({
    language,
    category: capCategory(a),
    event: alertKinds[a.kind],
    urgency,
    severity,
    certainty,
    effective: capTime(a.issued),
    ...(a.expires && { expires: capTime(a.expires) }),
    senderName: a.source.startsWith('jma') ? '気象庁' : '青森県 あおもり防災アプリ',
    headline,
    description,
    web: ctx.web,
    area,
  });
  const message = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    alert: {
      '@xmlns': 'urn:oasis:names:tc:emergency:cap:1.2',
      identifier: capIdentifier(ctx.slug, n),
      sender: ctx.sender,
      sent: capTime(a.updated),
      status: 'Actual',
      msgType: a.status === 'cancelled' ? 'Cancel' : n === 0 ? 'Alert' : 'Update',
      scope: 'Public',
      ...(n > 0 && {
        references: all
          .slice(0, n)
          .map((t, i) => `${ctx.sender},${capIdentifier(ctx.slug, i)},${capTime(t)}`)
          .join(' '),
      }),
      info: [
        info('ja-JP', a.headline, a.description || a.headline),
        ...(a.easyJapanese ? [info('ja-JP-x-easy', a.headline, a.easyJapanese)] : []),
      ],
    },
  };
  return builder.build(message) as string;
}
