// The shelter operation forms, parsed (lengths, whole numbers in range, no control characters) before
// anything is written. Pure.
import { z } from 'zod';
import { parse } from '../../platform/http.ts';
import type { NeedsInput, StatusInput } from './shelter-ops.ts';

/** Control characters other than line breaks and tabs: refused in staff texts, not stripped. */
// eslint-disable-next-line no-control-regex -- finding them is the point
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const text = (max: number, what: string) =>
  z
    .string({ message: `${what}を入力してください。` })
    .max(max, `${what}は${max}文字以内です。`)
    .refine((s) => !CONTROL.test(s), `${what}に制御文字は使えません。`)
    .transform((s) => s.replace(/\r\n?/g, '\n').trim());

/** Empty: not given (null); else a whole number 0–100,000 (half- or full-width digits). */
const count = (what: string) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim())
    .refine((s) => s === '' || /^\d{1,6}$/.test(s), `${what}は0以上の整数で入力してください。`)
    .transform((s) => (s === '' ? null : Number(s)))
    .refine((n) => n === null || n <= 100_000, `${what}は100,000以下です。`);

const statusForm = z.object({
  status: z.enum(['open', 'closed'], { message: '開設状況を選んでください。' }),
  capacity: count('収容人数'),
});
const needsForm = z.object({
  supplies: text(1000, '備蓄・物資'),
  shortages: text(1000, '不足している物資'),
  sickCount: count('体調不良の人数'),
  injuredCount: count('負傷者数'),
});
const incidentForm = z.object({
  text: text(500, '出来事').refine((s) => s.length > 0, '出来事を入力してください。'),
});

export const parseStatusForm = (body: Record<string, unknown>): StatusInput => parse(statusForm, body, '開設状況');
export const parseNeedsForm = (body: Record<string, unknown>): NeedsInput => parse(needsForm, body, '物資・傷病者');
export const parseIncidentForm = (body: Record<string, unknown>): string => parse(incidentForm, body, '出来事').text;
