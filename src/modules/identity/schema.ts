import type { AccountStatus } from './rules.ts';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** Staff accounts of the common ID (共通ID). Citizens will get their own table. */
export const staffAccounts = pgTable('staff_accounts', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** Null until the person sets one through their invitation (or reset) link. */
  passwordHash: text('password_hash'),
  /** Null until an authenticator is enrolled (after an invitation, a reset or a re-enrolment). */
  totpSecret: text('totp_secret'),
  /** The last TOTP time step accepted (at enrolment or sign-in): only a later one is taken (RFC 6238 §5.2). */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  /** 'invited' (招待中: no password yet), 'active' (有効) or 'disabled' (停止中: cannot sign in). */
  status: text('status').$type<AccountStatus>().notNull().default('active'),
  roles: jsonb('roles').$type<string[]>().notNull(),
  /** 担当部局, for department editors. */
  department: text('department'),
  /** 市町村コード, for municipality editors. */
  municipalityCode: text('municipality_code'),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type LinkPurpose = 'invite' | 'reenrol' | 'setup';

/**
 * One-time links: an invitation (also a reset), a TOTP re-enrolment, or the first administrator's
 * setup. Only the token's SHA-256 is kept; the authenticator secret the link's page shows waits here
 * until the person confirms a code from it.
 */
export const accountLinks = pgTable('account_links', {
  tokenHash: text('token_hash').primaryKey(),
  purpose: text('purpose').$type<LinkPurpose>().notNull(),
  /** Null for setup (no account exists yet). */
  accountId: text('account_id').references(() => staffAccounts.id, { onDelete: 'cascade' }),
  totpSecret: text('totp_secret').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Ten one-time codes that stand in for the TOTP code; only their SHA-256 is kept. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.codeHash] })],
);

export type SignInMethod = 'password' | 'password_totp' | 'recovery_code' | 'federated';

/** Each sign-in attempt on a known account, for the person's own page. */
export const signInEvents = pgTable(
  'sign_in_events',
  {
    id: serial('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    method: text('method').$type<SignInMethod>().notNull(),
    success: boolean('success').notNull(),
  },
  (t) => [index('sign_in_events_account').on(t.accountId, t.id)],
);

/** oidc-provider's models (sessions, grants, codes, tokens, interactions), kept across restarts. */
export const oidcPayloads = pgTable(
  'oidc_payloads',
  {
    kind: text('kind').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    userCode: text('user_code'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.kind, t.id] }), index('oidc_payloads_grant').on(t.grantId), index('oidc_payloads_uid').on(t.uid)],
);

/** Keys made at first start (cookie keys, signing keys, client secrets): never a default. */
export const platformSecrets = pgTable('platform_secrets', {
  name: text('name').primaryKey(),
  value: jsonb('value').notNull(),
});

/** Sign-ins whose password was accepted, waiting for the TOTP code: any process may take the next step. */
export const signInSteps = pgTable('sign_in_steps', {
  /** The oidc-provider interaction's uid. */
  uid: text('uid').primaryKey(),
  accountId: text('account_id')
    .notNull()
    .references(() => staffAccounts.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
