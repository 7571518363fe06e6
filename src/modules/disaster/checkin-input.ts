// The reception forms, parsed before anything is written (lengths, people 1–99, no control
// characters, a client id of the form's own making). Pure.
import { z } from 'zod';
import { badRequest } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { OUTSIDE_PREFECTURE, type AgeCounts } from './checkin-attributes.ts';
import type { CardInput, ResidentInput, WalkInInput } from './checkin.ts';
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

/** 住所の市町村, optional: a 5-digit code (checked against the list by checkin.ts) or 県外; '' → not asked. */
const homeMunicipality = z
  .string()
  .optional()
  .refine((s) => !s || s === OUTSIDE_PREFECTURE || /^\d{5}$/.test(s), '住所の市町村を一覧から選んでください。')
  .transform((s) => s || undefined);
const cardForm = z.object({ card, people, clientId, homeMunicipality });
const mynumberForm = z.object({ people, clientId, homeMunicipality });
const count = z
  .string()
  .max(10, '年齢ごとの人数は0〜99の整数で入力してください。')
  .optional()
  .transform((s) => halfWidth(s ?? ''))
  .refine((s) => s === '' || /^\d{1,2}$/.test(s), '年齢ごとの人数は0〜99の整数で入力してください。')
  .transform((s) => (s === '' ? null : Number(s)));
const ageKeys = ['age0to14', 'age15to64', 'age65to74', 'age75plus'] as const;
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
  age0to14: count,
  age15to64: count,
  age65to74: count,
  age75plus: count,
  homeMunicipality,
});

/** The optional age counts: none typed → not asked; some typed → the rest of the people 年齢不明. */
function ages(f: z.output<typeof walkInForm>): AgeCounts | undefined {
  if (ageKeys.every((k) => f[k] === null)) return undefined;
  const given = ageKeys.reduce((n, k) => n + (f[k] ?? 0), 0);
  if (given > f.people) throw badRequest('年齢ごとの人数の合計が人数を超えています。', { field: 'age0to14' });
  const [age0to14, age15to64, age65to74, age75plus] = ageKeys.map((k) => f[k] ?? 0) as [number, number, number, number];
  return { age0to14, age15to64, age65to74, age75plus, ageUnknown: f.people - given };
}
const checkoutForm = z.union([z.object({ checkin: z.string().regex(/^ci_[A-Za-z0-9_-]{16}$/) }), z.object({ card })]);

export const parseCardForm = (body: Record<string, unknown>): CardInput => parse(cardForm, body, 'カードで受付');
export const parseMynumberForm = (body: Record<string, unknown>): ResidentInput => parse(mynumberForm, body, 'マイナンバーカードで受付');
export function parseWalkInForm(body: Record<string, unknown>): WalkInInput {
  const f = parse(walkInForm, body, '手書きの受付');
  return {
    name: f.name,
    people: f.people,
    needsCare: f.needsCare,
    clientId: f.clientId,
    ages: ages(f),
    homeMunicipality: f.homeMunicipality,
  };
}
export function parseCheckoutForm(body: Record<string, string>): { id: string } | { card: string } {
  if (body.checkin) {
    const r = checkoutForm.safeParse({ checkin: body.checkin });
    return r.success && 'checkin' in r.data ? { id: r.data.checkin } : { id: '' };
  }
  return { card: parse(z.object({ card }), body, '退所').card };
}
