import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/**
 * 住民アカウント: a resident on the common ID, apart from staff. The id is Renkei's own (`r_…`),
 * never shown to a service: each service sees a pairwise subject (identity's provider).
 */
export const residentAccounts = pgTable('resident_accounts', {
  id: text('id').primaryKey(),
  /** 'active' | 'deleted' (the row stays, emptied, so what the law keeps can still name it). */
  status: text('status').notNull().default('active'),
  /** HMAC-SHA256 of the normalised e-mail (key: platform secret 'resident-email-lookup'): finds the account without opening any row. */
  emailLookup: text('email_lookup').unique(),
  /** Sealed (crypto.ts), bound to (resident_accounts, email, id). */
  email: text('email'),
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
  /** argon2id (identity's credentials). */
  passwordHash: text('password_hash'),
  /** Sealed, bound to (resident_accounts, totp_secret, id). */
  totpSecret: text('totp_secret'),
  /** The last TOTP time step accepted (at sign-up or sign-in): only a later one is taken (RFC 6238 §5.2). */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/**
 * 登録リンク: the one-time link a sign-up mails. Only the token's SHA-256 is stored; the e-mail is
 * sealed to this row; the TOTP secret is made when the link is first opened, so reloading shows the same QR code.
 */
export const residentSignUpLinks = pgTable('resident_sign_up_links', {
  tokenHash: text('token_hash').primaryKey(),
  emailLookup: text('email_lookup').notNull(),
  email: text('email').notNull(),
  totpSecret: text('totp_secret'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An accepted password waiting for its TOTP code (sign-in's second step); the cookie holds the token, the row its hash. */
export const residentSignInSteps = pgTable('resident_sign_in_steps', {
  tokenHash: text('token_hash').primaryKey(),
  residentId: text('resident_id').notNull(),
  next: text('next'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** マイページ's session: the cookie holds the id; like the staff session, it ends at expiry or sign-out. */
export const residentSessions = pgTable('resident_sessions', {
  id: text('id').primaryKey(),
  residentId: text('resident_id').notNull(),
  csrf: text('csrf').notNull(),
  idToken: text('id_token'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * The data categories beyond the profile's (categories.ts: household, support needs, …), one row
 * per resident and category, the value a sealed JSON text bound to (table, category, resident id).
 */
export const residentDataItems = pgTable(
  'resident_data_items',
  {
    residentId: text('resident_id').notNull(),
    category: text('category').notNull(),
    value: text('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.residentId, t.category] })],
);

/**
 * 同意記録 (ISO/IEC TS 27560, in DPV terms): one per resident and purpose each time consent is given.
 * Its status follows from the times: given until withdrawn or expired. Never updated except to
 * record the withdrawal; a new consent is a new row.
 */
export const consentRecords = pgTable(
  'consent_records',
  {
    id: text('id').primaryKey(),
    residentId: text('resident_id').notNull(),
    purposeId: text('purpose_id').notNull(),
    purposeVersion: integer('purpose_version').notNull(),
    /** The organisation unit that receives the data (organisations' registry id). */
    recipientId: text('recipient_id').notNull(),
    /** Data category ids (categories.ts) the consent covers: the purpose's or fewer. */
    categories: jsonb('categories').$type<string[]>().notNull(),
    legalBasis: text('legal_basis').notNull().default('dpv:Consent'),
    givenAt: timestamp('given_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [index('consent_records_resident').on(t.residentId), index('consent_records_purpose_recipient').on(t.purposeId, t.recipientId)],
);

/**
 * 閲覧記録: every read of personal data through the gate, allowed or refused: who (a resident, a
 * staff account or a broker client), for which organisation and purpose, which categories, on what
 * basis. Kept when the account is deleted (docs/personal-data.md says how long and why).
 */
export const accessLog = pgTable(
  'personal_data_access_log',
  {
    id: text('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    residentId: text('resident_id').notNull(),
    /** 'resident' (their own マイページ) | 'staff' | 'client' (a broker client). */
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id').notNull(),
    /** The organisation unit the reader acts for (null for the resident themselves). */
    organisationId: text('organisation_id'),
    purposeId: text('purpose_id').notNull(),
    categories: jsonb('categories').$type<string[]>().notNull(),
    /** 'consent' | 'legal-basis' | 'self' | 'none' (refused). */
    basis: text('basis').notNull(),
    consentId: text('consent_id'),
    legalBasisId: text('legal_basis_id'),
    allowed: boolean('allowed').notNull(),
    /** 'page' | 'broker' | 'export' */
    channel: text('channel').notNull(),
  },
  (t) => [index('personal_data_access_log_resident').on(t.residentId, t.at), index('personal_data_access_log_actor').on(t.actorId, t.at)],
);

/**
 * 法令に基づく提供の記録: a staff member's record that an organisation may read some categories
 * without consent, under a named legal basis and a reason (e.g. protecting life in a disaster), for a
 * limited time; for one resident or, with municipalityCode, every resident of a municipality.
 */
export const legalBasisRecords = pgTable('legal_basis_records', {
  id: text('id').primaryKey(),
  organisationId: text('organisation_id').notNull(),
  purposeId: text('purpose_id').notNull(),
  categories: jsonb('categories').$type<string[]>().notNull(),
  /** One of the legal bases listed in legal-bases.ts (its id). */
  legalBasis: text('legal_basis').notNull(),
  reason: text('reason').notNull(),
  residentId: text('resident_id'),
  municipalityCode: text('municipality_code'),
  recordedBy: text('recorded_by').notNull(),
  validFrom: timestamp('valid_from', { withTimezone: true }).notNull().defaultNow(),
  validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

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

/** C0 controls and DEL: never typed in a form, so refused rather than stored. */
export const hasControlCharacters = (v: string) => [...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
export const noControls = (what: string) =>
  [(v: string) => !hasControlCharacters(v), `${what}に使えない制御文字が含まれています。`] as const;

const optional = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what}は${max}文字以内で入力してください。`)
    .refine(...noControls(what))
    .transform((v) => v || null)
    .nullish()
    .transform((v) => v ?? null);

export const profileInput = z.object({
  residentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '住民IDが正しくありません。'),
  municipalityCode: z.string().regex(/^\d{5}$/, '市町村コードは5桁の数字です。'),
  name: z
    .string()
    .trim()
    .min(1, '氏名を入力してください。')
    .max(100, '氏名は100文字以内で入力してください。')
    .refine(...noControls('氏名')),
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

/**
 * パスキー: a resident's WebAuthn credential (discoverable, user-verified). The credential id and
 * public key are no personal data and stay in clear; the user handle is random per resident, so
 * the authenticator never holds the resident id.
 */
export const residentPasskeys = pgTable(
  'resident_passkeys',
  {
    id: text('id').primaryKey(),
    /** base64url, as the browser reports it (`id` of the PublicKeyCredential). */
    credentialId: text('credential_id').notNull().unique(),
    residentId: text('resident_id').notNull(),
    userHandle: text('user_handle').notNull(),
    /** COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    /** The signature counter is a uint32; many platform authenticators always send 0. */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: jsonb('transports').$type<string[]>().notNull(),
    /** A label from the authenticator's kind (synced or this device), not typed by the resident. */
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('resident_passkeys_resident').on(t.residentId)],
);

/**
 * A WebAuthn challenge waiting for its answer: single use (deleted when answered), a few minutes
 * long, bound to the signed-in resident (registration) or to a cookie of the browser that asked
 * (sign-in), so that nobody can answer another browser's challenge.
 */
export const passkeyChallenges = pgTable(
  'passkey_challenges',
  {
    challenge: text('challenge').primaryKey(),
    /** 'register' | 'sign-in' */
    kind: text('kind').notNull(),
    binding: text('binding').notNull(),
    /** Registration: the user handle the options gave the authenticator, stored with the passkey. */
    userHandle: text('user_handle'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('passkey_challenges_expires').on(t.expiresAt)],
);

/**
 * 本人確認の連携: an upstream identity (デジタル認証アプリ) linked to a resident account. The upstream
 * subject is kept only as an HMAC lookup key, never in clear; acr/amr/auth_time as the provider sent
 * them at the last sign-in, so マイページ can show when the card last confirmed the resident.
 */
export const residentIdentityLinks = pgTable(
  'resident_identity_links',
  {
    provider: text('provider').notNull(),
    subjectHmac: text('subject_hmac').notNull(),
    residentId: text('resident_id').notNull(),
    issuer: text('issuer').notNull(),
    acr: text('acr'),
    amr: jsonb('amr').$type<string[]>(),
    authTime: timestamp('auth_time', { withTimezone: true }),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.subjectHmac] }), index('resident_identity_links_resident').on(t.residentId)],
);
