// The staff disaster information form, parsed (category, municipality, texts without control
// characters, an optional point inside Aomori, the category's own fields), and turned into the
// broker entity. Pure.
import { z } from 'zod';
import { parse } from '../../platform/http.ts';
import type { LocalEntity } from '../broker/index.ts';
import { CONTROL } from './shelter-ops-input.ts';
import { infoCategories, infoCategoryNames, serviceTexts, statusTexts, type InfoCategory } from './information.ts';

const text = (max: number, what: string) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').replace(/\r\n?/g, '\n').trim())
    .refine((s) => s.length <= max, `${what}は${max}文字以内です。`)
    .refine((s) => !CONTROL.test(s), `${what}に制御文字は使えません。`);
const decimal = (what: string, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim())
    .refine(
      (s) => s === '' || (/^-?\d+(\.\d+)?$/.test(s) && Number(s) >= min && Number(s) <= max),
      `${what}は${min}〜${max}の数で入力してください。`,
    )
    .transform((s) => (s === '' ? null : Number(s)));

/** The status values offered per category (statusTexts has their labels). */
export const categoryStatuses: Record<InfoCategory, string[]> = {
  flooding: ['flooded', 'receded'],
  'seismic-intensity': [],
  fire: ['burning', 'controlled', 'extinguished'],
  'road-closure': ['closed', 'restricted', 'congested', 'reopened'],
  transit: ['normal', 'delayed', 'suspended'],
  outage: ['ongoing', 'restored'],
};
export const intensities = ['1', '2', '3', '4', '5弱', '5強', '6弱', '6強', '7'];

const form = z
  .object({
    category: z.enum(infoCategoryNames as [InfoCategory, ...InfoCategory[]], { message: '種類を選んでください。' }),
    municipality: z.string().regex(/^\d{5}$/, '市町村を選んでください。'),
    name: text(100, '件名').refine((s) => s.length > 0, '件名を入力してください。'),
    description: text(1000, '内容'),
    source: text(100, '情報源'),
    status: z
      .string()
      .optional()
      .transform((s) => s || null),
    seismicIntensity: z
      .string()
      .optional()
      .transform((s) => s || null)
      .refine((s) => s === null || intensities.includes(s), '震度が正しくありません。'),
    service: z
      .string()
      .optional()
      .transform((s) => s || null)
      .refine((s) => s === null || Object.hasOwn(serviceTexts, s), '種類（電気・水道・ガス・通信）が正しくありません。'),
    waterDepth: decimal('浸水深', 0, 30),
    affectedHouseholds: decimal('影響戸数', 0, 10_000_000),
    lon: decimal('経度', 139.4, 141.8),
    lat: decimal('緯度', 40.1, 41.7),
  })
  .refine((f) => (f.lon === null) === (f.lat === null), { message: '経度と緯度は両方入力してください。', path: ['lon'] })
  .refine((f) => f.status === null || (categoryStatuses[f.category].includes(f.status) && Object.hasOwn(statusTexts, f.status)), {
    message: 'この種類では選べない状況です。',
    path: ['status'],
  });

export type InformationInput = z.infer<typeof form>;
export const parseInformationForm = (body: Record<string, unknown>): InformationInput => parse(form, body, '災害情報');

/** The broker entity (normalized; every Property observed now), on the open data tenant. */
export function toEntity(id: string, i: InformationInput, source: string, now: string): LocalEntity {
  const p = (value: unknown) => ({ type: 'Property', value, observedAt: now });
  const e: LocalEntity = {
    id,
    type: infoCategories[i.category].type,
    name: p(i.name),
    municipality: { type: 'Relationship', object: `urn:ngsi-ld:Municipality:${i.municipality}` },
    source: p(source),
    dateObserved: p(now),
  };
  if (i.description) e.description = p(i.description);
  if (i.lon !== null && i.lat !== null) e.location = { type: 'GeoProperty', value: { type: 'Point', coordinates: [i.lon, i.lat] } };
  for (const k of ['status', 'seismicIntensity', 'service', 'waterDepth', 'affectedHouseholds'] as const) if (i[k] !== null) e[k] = p(i[k]);
  return e;
}
