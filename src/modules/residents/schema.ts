import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/**
 * 住民プロフィール: a resident's personal data, apart from open data. Every personal field holds a
 * sealed value (crypto.ts: `v1.<keyId>.<iv>.<tag>.<ciphertext>`), bound to this table, its column and
 * the row's resident id; the municipality code stays in clear, since it selects the tenant.
 */
export const residentProfiles = pgTable('resident_profiles', {
  residentId: text('resident_id').primaryKey(),
  municipalityCode: text('municipality_code').notNull(),
  name: text('name').notNull(),
  address: text('address'),
  birthDate: text('birth_date'),
  phone: text('phone'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

const optional = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what}は${max}文字以内で入力してください。`)
    .transform((v) => v || null)
    .nullish()
    .transform((v) => v ?? null);

export const profileInput = z.object({
  residentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '住民IDが正しくありません。'),
  municipalityCode: z.string().regex(/^\d{5}$/, '市町村コードは5桁の数字です。'),
  name: z.string().trim().min(1, '氏名を入力してください。').max(100, '氏名は100文字以内で入力してください。'),
  address: optional(200, '住所'),
  birthDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '生年月日は YYYY-MM-DD の形式で入力してください。')
    .refine((v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().startsWith(v), '生年月日が正しい日付ではありません。')
    .nullish()
    .transform((v) => v ?? null),
  phone: z
    .string()
    .regex(/^[0-9+\-() ]{1,20}$/, '電話番号は数字とハイフンで20文字以内で入力してください。')
    .nullish()
    .transform((v) => v ?? null),
});
export type ProfileInput = z.input<typeof profileInput>;
export type Profile = z.output<typeof profileInput>;
