// The reception forms, parsed before anything is written (lengths, people 1–99, no control
// characters, a client id of the form's own making). Pure.
import { z } from 'zod';
import { parse } from '../../platform/http.ts';
import type { CardInput, WalkInInput } from './checkin.ts';
import { CONTROL } from './shelter-ops-input.ts';

const halfWidth = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim();
const clientId = z
  .string({ message: '画面を読み込み直してください。' })
  .regex(/^[A-Za-z0-9-]{8,64}$/, '画面を読み込み直してください（受付番号が正しくありません）。');
const people = z
  .string()
  .optional()
  .transform((s) => halfWidth(s ?? '') || '1')
  .refine((s) => /^\d{1,2}$/.test(s) && Number(s) >= 1, '人数は1〜99の整数で入力してください。')
  .transform(Number);
const card = z
  .string({ message: 'カードを読み取るか、番号を入力してください。' })
  .max(200, 'カードの内容が正しくありません。')
  .refine((s) => !CONTROL.test(s), 'カードの内容が正しくありません。')
  .refine((s) => s.trim().length > 0, 'カードを読み取るか、番号を入力してください。');

const cardForm = z.object({ card, people, clientId });
const walkInForm = z.object({
  name: z
    .string({ message: '氏名を入力してください。' })
    .max(100, '氏名は100文字以内です。')
    .refine((s) => !CONTROL.test(s), '氏名に制御文字は使えません。')
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, '氏名を入力してください。'),
  people,
  needsCare: z.enum(['yes', 'no'], { message: '要配慮の有無を選んでください。' }).transform((v) => v === 'yes'),
  clientId,
});
const checkoutForm = z.union([z.object({ checkin: z.string().regex(/^ci_[A-Za-z0-9_-]{16}$/) }), z.object({ card })]);

export const parseCardForm = (body: Record<string, unknown>): CardInput => parse(cardForm, body, 'カードで受付');
export const parseWalkInForm = (body: Record<string, unknown>): WalkInInput => parse(walkInForm, body, '手書きの受付');
export function parseCheckoutForm(body: Record<string, string>): { id: string } | { card: string } {
  if (body.checkin) {
    const r = checkoutForm.safeParse({ checkin: body.checkin });
    return r.success && 'checkin' in r.data ? { id: r.data.checkin } : { id: '' };
  }
  return { card: parse(z.object({ card }), body, '退所').card };
}
