import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Staff accounts of the common ID (共通ID). Citizens will get their own table. */
export const staffAccounts = pgTable('staff_accounts', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  totpSecret: text('totp_secret').notNull(),
  roles: jsonb('roles').$type<string[]>().notNull(),
  /** 担当部局, for department editors. */
  department: text('department'),
  /** 市町村コード, for municipality editors. */
  municipalityCode: text('municipality_code'),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

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
