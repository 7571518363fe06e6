// The staff alert form, parsed: what was typed, checked (lengths, no control characters, a real future
// expiry, a simple polygon), before anything is previewed or written. The times are JST (the form's
// datetime-local has no zone). Pure.
import { z } from 'zod';
import { badRequest } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { staffAlertKinds, type StaffAlertKind } from './alert.ts';
import { checkPolygon, type Polygon } from './area.ts';
import { hazardTypes, type HazardType } from './hazards.ts';

// Line breaks and tabs are text; every other control character (and DEL) is refused, not stripped.
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const text = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what}は${max}文字以内です。`)
    .refine((s) => !CONTROL.test(s), `${what}に制御文字は使えません。`)
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .optional()
    .transform((s) => s || undefined);

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean));

export const MAX_DAYS = 14;

const form = z.object({
  kind: z.enum(staffAlertKinds, { message: '種類を選んでください。' }),
  municipalities: list.pipe(z.array(z.string().regex(/^\d{5}$/, '市町村コードが正しくありません。')).max(40)),
  area: text(50_000, '範囲（GeoJSON）'),
  hazard: z
    .union([z.literal(''), z.enum(hazardTypes, { message: '災害の種類が正しくありません。' })])
    .optional()
    .transform((h) => h || undefined),
  headline: text(100, '見出し'),
  description: text(2000, '本文'),
  easyJapanese: text(1000, 'やさしい日本語'),
  expires: z.string().max(40).optional(),
});

export interface AlertDraft {
  kind: StaffAlertKind;
  /** As chosen (a drawn area adds the ones it touches later). */
  municipalities: string[];
  area?: Polygon;
  hazard?: HazardType;
  headline?: string;
  description?: string;
  easyJapanese?: string;
  /** ISO 8601 (UTC) */
  expires: string;
}

/** `2026-12-02T18:00` in JST, as UTC ISO 8601; undefined when it is no such time. */
export function fromJst(local: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h - 9, mi);
  const back = new Date(t + 9 * 3600_000);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return undefined;
  return new Date(t).toISOString();
}

/** For the form's datetime-local value. */
export const toJst = (iso: string) => new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 16);

export function parseAlertForm(body: Record<string, unknown>, now = Date.now()): AlertDraft {
  const v = parse(form, body, '避難情報');
  const expires = v.expires ? fromJst(v.expires) : undefined;
  if (!expires) throw badRequest('終了日時を「2026-12-02T18:00」の形で入力してください。', { field: 'expires' });
  const t = Date.parse(expires);
  if (t <= now) throw badRequest('終了日時は今より後にしてください。', { field: 'expires' });
  if (t > now + MAX_DAYS * 86400_000) throw badRequest(`終了日時は${MAX_DAYS}日以内にしてください。`, { field: 'expires' });
  let area: Polygon | undefined;
  if (v.area) {
    let json: unknown;
    try {
      json = JSON.parse(v.area);
    } catch {
      throw badRequest('範囲は GeoJSON（JSON）で入力してください。', { field: 'area' });
    }
    const checked = checkPolygon(json);
    if (typeof checked === 'string') throw badRequest(checked, { field: 'area' });
    area = checked;
  }
  if (!area && v.municipalities.length === 0) throw badRequest('対象の市町村を選ぶか、範囲を描いてください。', { field: 'municipalities' });
  return {
    kind: v.kind,
    municipalities: [...new Set(v.municipalities)].sort(),
    ...(area && { area }),
    ...(v.hazard && { hazard: v.hazard }),
    ...(v.headline && { headline: v.headline }),
    ...(v.description && { description: v.description }),
    ...(v.easyJapanese && { easyJapanese: v.easyJapanese }),
    expires,
  };
}
